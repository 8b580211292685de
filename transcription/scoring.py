"""Word and character error rates, for tests and bench/asr_eval.py."""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[^\w\s']|_", re.UNICODE)


def normalise_words(text: str) -> list[str]:
    """Lower case, punctuation removed, split on white space (English)."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _PUNCT.sub(" ", text).replace("'", "").split()


def normalise_chars(text: str) -> list[str]:
    """Characters without punctuation or spaces (Mandarin)."""
    text = unicodedata.normalize("NFKC", text)
    return [c for c in _PUNCT.sub("", text) if not c.isspace()]


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1]


def wer(reference: str, hypothesis: str) -> float:
    ref = normalise_words(reference)
    return edit_distance(ref, normalise_words(hypothesis)) / max(1, len(ref))


def cer(reference: str, hypothesis: str) -> float:
    ref = normalise_chars(reference)
    return edit_distance(ref, normalise_chars(hypothesis)) / max(1, len(ref))
