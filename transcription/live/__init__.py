"""Live captions: the caption tap (a media sink in the media worker), per-speaker recognisers
(vosk streaming, or VAD + whisper lanes), and the engine choice per language.

    tap.py       the sink that takes each main-room microphone's forwarded Opus packets
    pipeline.py  decoding per speaker and feeding a recogniser; caption results
    engines.py   which engine and model caption a language (`caption_engine`, `caption_problem`)
    lane.py      the whisper lane: VAD-cut utterances recognised off the event loop
    vad.py       voice activity detection for the whisper lane
    replay.py    replaying a recorded track through the pipeline (benchmarks, tests)
"""
