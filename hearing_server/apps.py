"""The project app: system checks, and the embedded media worker provided to signaling."""

from django.apps import AppConfig


class HearingServerConfig(AppConfig):
    name = "hearing_server"

    def ready(self) -> None:
        # Imported here, not at the top: they reach models, importable only once apps are loaded.
        from hearing_server import checks  # noqa: F401 (registers the system checks)
        from hearing_server.mediaworker import start_embedded
        from signaling.mediaworkers import provide_embedded_starter

        provide_embedded_starter(start_embedded)  # signaling starts the media worker through it
        from hearing_server import record_checks

        record_checks.provide()  # hearing logs, transcripts, recordings into `tribunal verify`
