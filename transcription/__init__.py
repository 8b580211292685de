"""Offline speech-to-text: engines (vosk streaming, faster-whisper batch) and their models.

Entry points:
    transcription.engines.recognizer_for(engine, language) -> Recognizer (cached per process)
    transcription.audio.decode_pcm(source) -> int16 mono 16 kHz PCM
    transcription.store.list_models() / resolve(engine, language)
    transcription.install.install_model(...) / transcription.packaged.install_packaged(...)
No audio and no model ever leaves or enters the server other than through `tribunal models`.
"""
