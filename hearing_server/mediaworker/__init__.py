"""The media worker: the composition root that puts the media library (media/) to work.

It reads the settings, builds the `media.MediaEngine`, takes signaling's typed commands
(signaling/media_commands.py) off the channel layer, attaches the sinks (the recorder,
recording/sink.py; live captions, transcription/live/tap.py) and maps the library's
`MediaError` to the wire error with the same code.

* worker.py: `MediaWorker`, the loop and the dispatch table; engine events -> frames
* recording.py: the recorder sink per hearing; filing a recording, or `recording.empty`
* captions.py: the caption tap per hearing
* errors.py: MediaError -> DomainError (translated)
* embedded.py: the embedded worker of a server process, provided to signaling at start-up
  (HearingServerConfig.ready -> signaling.mediaworkers.provide_embedded_starter)

`tribunal mediaworker` (management/commands/mediaworker.py) runs one worker as a process.
"""


def start_embedded():
    """Make sure this process's embedded worker runs (imported only when first needed)."""
    from hearing_server.mediaworker.embedded import ensure_embedded

    return ensure_embedded()
