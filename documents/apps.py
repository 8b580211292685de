from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents and service"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A document signed by everyone (e.g. the award) is served as soon as it is sealed.
        from case_core.services.signing_signals import document_completed
        from documents.reactions import serve_completed

        document_completed.connect(serve_completed, dispatch_uid="documents.serve_completed")
        # Cross-examination opinions can be changed until the evidence period ends.
        from case_core.services.evidence import provide_opinion_window
        from documents.services.pleadings import evidence_period_open

        provide_opinion_window(evidence_period_open)
