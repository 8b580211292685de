"""The skip-or-fail rule for missing parts, and where the project and the shared clips are.

CI sets TRIBUNAL_REQUIRE_ALL=1, so a test that needs a service, Chromium, a model or the shared
speech clips fails there instead of skipping.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REQUIRE_ALL = os.environ.get("TRIBUNAL_REQUIRE_ALL") == "1"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED = PROJECT_ROOT.parent / "shared"
SPEECH = SHARED / "speech"


def need(condition: bool, reason: str) -> None:
    """Skip the test when `condition` is false, or fail it when TRIBUNAL_REQUIRE_ALL=1."""
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"required but missing (TRIBUNAL_REQUIRE_ALL=1): {reason}")
    pytest.skip(reason)


def speech_clip(name: str) -> Path:
    path = SPEECH / name
    need(path.exists(), f"speech clip {path} is absent (../shared/speech)")
    return path


def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    need(Path(path).exists(), "Chromium is not installed (apt-get install -y chromium)")
    return path
