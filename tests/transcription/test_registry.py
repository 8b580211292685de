"""Model registry: resolving a model per hearing language, and typed errors when it cannot."""

from __future__ import annotations

import json
import shutil

import pytest
from django.core.management import call_command

from case_core.errors import DomainError
from transcription import loader, store
from transcription.engines import recognizer_for


def test_it_says_no_model_when_none_is_installed(empty_models):
    with pytest.raises(DomainError) as caught:
        recognizer_for("whisper", "zh-hans")
    assert caught.value.code == "no_model"
    assert caught.value.status == 503
    assert "tribunal models install" in caught.value.message


def test_it_refuses_an_unsupported_language(empty_models):
    for language in ("fr", "not a language"):
        with pytest.raises(DomainError) as caught:
            recognizer_for("whisper", language)
        assert caught.value.code == "unsupported_language"


def test_it_refuses_an_unknown_engine(empty_models):
    with pytest.raises(DomainError) as caught:
        recognizer_for("kaldi", "en")
    assert caught.value.code == "unknown_engine"


def test_it_says_no_model_when_the_configured_one_is_missing(models, settings):
    settings.TRIBUNAL_ASR_MODELS = {"whisper": {"en": "whisper-large-v3"}, "vosk": {}}
    with pytest.raises(DomainError) as caught:
        recognizer_for("whisper", "en")
    assert caught.value.code == "no_model"
    assert "whisper-large-v3" in caught.value.message


def test_it_takes_any_installed_model_for_an_unconfigured_language(models, settings):
    settings.TRIBUNAL_ASR_MODELS = {"whisper": {}, "vosk": {}}
    # a single-language model wins over a multilingual one
    assert store.resolve("whisper", "en").name == "whisper-tiny-en"
    assert store.resolve("whisper", "zh-hans").name == "whisper-base"


def test_it_raises_model_invalid_for_a_corrupt_model(empty_models, packaged_dir, fresh_cache):
    empty_models.mkdir(parents=True)
    broken = empty_models / "whisper-base"
    shutil.copytree(packaged_dir / "whisper-base", broken)
    (broken / "model.bin").write_bytes(
        (packaged_dir / "whisper-base/model.bin").read_bytes()[:4096]
    )
    with pytest.raises(DomainError) as caught:
        recognizer_for("whisper", "en")
    assert caught.value.code == "model_invalid"
    assert loader.loaded() == []


def test_it_raises_model_invalid_for_a_vosk_model_missing_files(empty_models, packaged_dir):
    empty_models.mkdir(parents=True)
    broken = empty_models / "vosk-ko"
    shutil.copytree(packaged_dir / "vosk-ko-small", broken, copy_function=_link)
    (broken / "am" / "final.mdl").unlink()
    with pytest.raises(DomainError) as caught:
        loader.open_recognizer(store.get_model("vosk-ko"))
    assert caught.value.code == "model_invalid"
    assert "am/final.mdl" in caught.value.message


def test_it_lists_a_broken_manifest_without_failing(empty_models):
    (empty_models / "junk").mkdir(parents=True)
    (empty_models / "junk" / "manifest.json").write_text("{not json")
    models, broken = store.scan()
    assert models == [] and "junk" in broken


def test_it_lists_models_and_covered_hearing_languages(models, capsys):
    call_command("models", "list")
    out = capsys.readouterr().out
    assert "whisper-base" in out and "vosk-ko-small" in out
    assert "whisper  zh-hans -> whisper-base, en -> whisper-base" in out
    assert "vosk     zh-hans -> NO MODEL, en -> NO MODEL" in out
    call_command("models", "list", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["coverage"]["whisper"] == {"zh-hans": "whisper-base", "en": "whisper-base"}
    assert data["coverage"]["vosk"] == {"zh-hans": None, "en": None}


def _link(src, dst):
    import os

    os.link(src, dst)
