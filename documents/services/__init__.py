"""The services of documents: drafts and issue, electronic service, pleadings, reminders."""
