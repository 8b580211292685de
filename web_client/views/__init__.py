"""Server-rendered pages. Views parse input with Django forms and call case_core services."""
