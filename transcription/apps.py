"""The transcription app; it connects its reactions to the layers below when Django starts."""

from django.apps import AppConfig


class TranscriptionConfig(AppConfig):
    name = "transcription"

    def ready(self) -> None:
        # Imported here, not at the top: models may be imported only once the apps are loaded.
        from recording.signals import recording_finalized
        from signaling.caption_support import provide_caption_check
        from transcription.live.engines import caption_problem
        from transcription.reactions import on_recording_finalized

        recording_finalized.connect(on_recording_finalized, dispatch_uid="transcription.auto")
        provide_caption_check(caption_problem)
