"""Documents that take effect: kinds and their templates, versioned drafts, issue (seal and
signatures through case_core.services.signing), electronic service with receipts, pleadings,
reminders and the periodic scheduler. See docs/architecture.md, "Documents and service"."""
