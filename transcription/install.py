"""Install a model from a local archive (zip, tar, tar.gz), a local folder, or an http(s) URL.

Everything happens in a staging folder inside the models folder; the model appears under its
name by one rename, after its checksum was verified and it loaded. A refusal installs nothing.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from case_core.errors import DomainError
from transcription import errors, languages, store

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_HEX = re.compile(r"^[0-9a-f]{64}$")
_MARKERS = {"vosk": ("am/final.mdl",), "whisper": ("model.bin",)}


def install_model(
    source: str | Path,
    *,
    engine: str,
    languages_: list[str] | tuple[str, ...],
    sha256: str | None = None,
    name: str | None = None,
    force: bool = False,
    load_check: bool = True,
) -> store.InstalledModel:
    """Verify and install one model; returns it. See the module docstring.

    `sha256` is mandatory for URLs; for a local archive it is checked against the archive, for
    a folder against `store.tree_sha256`.
    """
    store.check_engine(engine)
    codes = _languages(languages_)
    expected = _checksum_arg(sha256)
    text = str(source)
    is_url = text.startswith(("http://", "https://"))
    if "://" in text and not is_url:
        raise errors.bad_source(_("Only http:// and https:// URLs are supported."))
    if is_url and expected is None:
        raise errors.bad_source(_("A URL install needs --sha256 with the expected checksum."))
    name = _model_name(name or _default_name(text))
    with staging_dir() as staging:
        if is_url:
            archive = staging / "download"
            actual = _download(text, archive)
            _verify(expected, actual)
            kind = "archive"
            tree = _extract(archive, staging / "extract", engine)
        else:
            path = Path(source).expanduser()
            if path.is_dir():
                kind, actual = "tree", store.tree_sha256(path)
                _verify(expected, actual)
                tree = staging / "copy"
                shutil.copytree(path, tree, symlinks=False)
                (tree / store.MANIFEST).unlink(missing_ok=True)
            elif path.is_file():
                kind, actual = "archive", store.file_sha256(path)
                _verify(expected, actual)
                tree = _extract(path, staging / "extract", engine)
            else:
                raise errors.bad_source(_("No such file or folder: %(path)s") % {"path": path})
        return finalize(
            tree,
            engine=engine,
            languages_=codes,
            name=name,
            sha256=actual,
            sha256_of=kind,
            source=text,
            force=force,
            load_check=load_check,
        )


def finalize(
    tree: Path,
    *,
    engine: str,
    languages_: tuple[str, ...],
    name: str,
    sha256: str,
    sha256_of: str,
    source: str,
    force: bool = False,
    load_check: bool = True,
) -> store.InstalledModel:
    """Check the staged `tree` (inside the models folder), write its manifest, rename it in."""
    target = store.models_dir() / name
    if target.exists() and not force:
        raise DomainError(
            "model_exists",
            _("A model named %(name)s is already installed (use --force to replace it).")
            % {"name": name},
        )
    model = store.InstalledModel(
        name=name,
        engine=engine,
        languages=languages_,
        sha256=sha256,
        sha256_of=sha256_of,
        path=tree,
        source=source,
        installed_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    validate(model, load_check=load_check)
    store.write_manifest(model)
    if target.exists():
        retired = tree.parent / "retired"
        target.rename(retired)
    tree.rename(target)
    return store.read_manifest(target)


def validate(model: store.InstalledModel, *, load_check: bool = True) -> None:
    """model_invalid unless the folder has the engine's files and (if `load_check`) loads."""
    if model.engine == "vosk":
        from transcription.engines import vosk_engine as engine_module
    else:
        from transcription.engines import whisper_engine as engine_module
    problems = engine_module.layout_problems(model.path)
    if problems:
        raise errors.model_invalid(model.path, "; ".join(problems))
    if load_check:
        native = engine_module.load_native(model.path)
        del native


class staging_dir:
    """A fresh folder inside the models folder (same file system: rename is atomic), removed
    on exit whatever happened."""

    def __enter__(self) -> Path:
        root = store.models_dir()
        root.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=".staging-", dir=root))
        return self.path

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _languages(values) -> tuple[str, ...]:
    codes: list[str] = []
    for value in values:
        for part in str(value).split(","):
            if not part.strip():
                continue
            try:
                code = languages.normalize(part)
            except ValueError:
                raise errors.bad_source(
                    _("Not a language code: %(code)s") % {"code": part}
                ) from None
            if code not in codes:
                codes.append(code)
    if not codes:
        raise errors.bad_source(_("Name at least one language (--language), or 'multi'."))
    return tuple(codes)


def _checksum_arg(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    lowered = value.strip().lower()
    if not _HEX.match(lowered):
        raise errors.bad_source(_("--sha256 must be 64 hexadecimal digits."))
    return lowered


def _verify(expected: str | None, actual: str) -> None:
    if expected is not None and expected != actual:
        raise errors.checksum_mismatch(expected, actual)


def _default_name(source: str) -> str:
    base = source.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0].lower()
    for suffix in (".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar", ".zip"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    return re.sub(r"[^a-z0-9._-]+", "-", base).strip("-.") or "model"


def _model_name(name: str) -> str:
    if not _NAME.match(name):
        raise errors.bad_source(
            _("Model names are lower-case letters, digits, '.', '_' and '-': %(name)s")
            % {"name": name}
        )
    return name


def _download(url: str, dest: Path, *, opener: Callable = urllib.request.urlopen) -> str:
    limit = getattr(settings, "TRIBUNAL_ASR_DOWNLOAD_MAX_BYTES", 4 << 30)
    digest = hashlib.sha256()
    size = 0
    try:
        with opener(url, timeout=60) as response, open(dest, "wb") as out:
            while block := response.read(1 << 20):
                size += len(block)
                if size > limit:
                    raise DomainError(
                        "download_failed", _("The download exceeds %(n)d bytes.") % {"n": limit}
                    )
                digest.update(block)
                out.write(block)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DomainError(
            "download_failed", _("Download failed: %(reason)s") % {"reason": exc}
        ) from exc
    return digest.hexdigest()


def _extract(archive: Path, dest: Path, engine: str) -> Path:
    """Unpack safely (no absolute paths, no '..', no links or devices) and return the model
    root: the folder holding the engine's marker file."""
    dest.mkdir()
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zipped:
                for member in zipped.namelist():
                    _check_member(member)
                zipped.extractall(dest)
        elif tarfile.is_tarfile(archive):
            with tarfile.open(archive) as tarred:
                tarred.extractall(dest, filter=_tar_filter)
        else:
            raise errors.bad_source(_("Not a zip or tar archive: %(path)s") % {"path": archive})
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as exc:
        raise errors.bad_source(_("Cannot unpack the archive: %(e)s") % {"e": exc}) from exc
    return _model_root(dest, engine)


def _check_member(member: str) -> None:
    parts = Path(member).parts
    if member.startswith(("/", "\\")) or ".." in parts:
        raise errors.bad_source(_("Unsafe path in archive: %(m)s") % {"m": member})


def _tar_filter(member: tarfile.TarInfo, path: str):
    if not (member.isfile() or member.isdir()):
        raise errors.bad_source(_("Archive holds a link or device: %(m)s") % {"m": member.name})
    return tarfile.data_filter(member, path)


def _model_root(root: Path, engine: str) -> Path:
    for marker in _MARKERS[engine]:
        hits = sorted(root.rglob(marker), key=lambda p: len(p.parts))
        if hits:
            depth = len(Path(marker).parts)
            found = hits[0]
            for _i in range(depth):
                found = found.parent
            return found
    raise errors.model_invalid(
        root,
        _("no %(engine)s model inside (looked for %(m)s)")
        % {"engine": engine, "m": ", ".join(_MARKERS[engine])},
    )
