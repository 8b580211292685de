"""Installed models: one folder per model under settings.TRIBUNAL_MODELS_DIR, each with a manifest.

    <TRIBUNAL_MODELS_DIR>/<name>/manifest.json
    {"format": 1, "name": "whisper-base", "engine": "whisper", "languages": ["multi"],
     "sha256": "<hex>", "sha256_of": "archive" | "tree", "source": "...", "installed_at": "..."}

`sha256` is the checksum verified at install time: of the archive as downloaded or given, or of
the model tree (see `tree_sha256`). Folders starting with "." are staging areas, never models.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from case_core.errors import DomainError
from case_core.hashing import sha256_file
from transcription import errors, languages

MANIFEST = "manifest.json"
ENGINES = ("vosk", "whisper")


@dataclass(frozen=True)
class InstalledModel:
    name: str
    engine: str
    languages: tuple[str, ...]
    sha256: str
    path: Path
    source: str = ""
    installed_at: str = ""
    sha256_of: str = "tree"

    def covers(self, language: str) -> bool:
        return languages.MULTI in self.languages or languages.normalize(language) in self.languages

    def manifest(self) -> dict:
        return {
            "format": 1,
            "name": self.name,
            "engine": self.engine,
            "languages": list(self.languages),
            "sha256": self.sha256,
            "sha256_of": self.sha256_of,
            "source": self.source,
            "installed_at": self.installed_at,
        }


def models_dir() -> Path:
    return Path(settings.TRIBUNAL_MODELS_DIR)


def check_engine(engine: str) -> str:
    if engine not in ENGINES:
        raise errors.unknown_engine(engine)
    return engine


def read_manifest(path: Path) -> InstalledModel:
    """The model in folder `path`; model_invalid if its manifest is absent or malformed."""
    try:
        data = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        return InstalledModel(
            name=str(data["name"]),
            engine=check_engine(str(data["engine"])),
            languages=tuple(languages.normalize(code) for code in data["languages"]),
            sha256=str(data["sha256"]),
            sha256_of=str(data.get("sha256_of", "tree")),
            path=path,
            source=str(data.get("source", "")),
            installed_at=str(data.get("installed_at", "")),
        )
    except FileNotFoundError:
        raise errors.model_invalid(path, "no manifest.json") from None
    except (ValueError, KeyError, TypeError, DomainError) as exc:
        raise errors.model_invalid(path, f"bad manifest.json ({exc})") from None


def write_manifest(model: InstalledModel) -> None:
    (model.path / MANIFEST).write_text(
        json.dumps(model.manifest(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def scan(directory: Path | None = None) -> tuple[list[InstalledModel], dict[str, str]]:
    """(installed models sorted by name, {folder name: problem} for broken folders)."""
    root = directory or models_dir()
    found: list[InstalledModel] = []
    broken: dict[str, str] = {}
    if not root.is_dir():
        return found, broken
    for child in sorted(root.iterdir()):
        if child.name.startswith(".") or not child.is_dir():
            continue
        try:
            found.append(read_manifest(child))
        except DomainError as exc:
            broken[child.name] = exc.message
    return found, broken


def list_models(directory: Path | None = None) -> list[InstalledModel]:
    return scan(directory)[0]


def get_model(name: str) -> InstalledModel:
    path = models_dir() / name
    if not (path / MANIFEST).is_file():
        raise DomainError(
            "no_model",
            f"Speech model {name!r} is not installed in {models_dir()}.",
            status=503,
            details={"name": name},
        )
    return read_manifest(path)


def configured(engine: str) -> dict[str, str]:
    """{language: model name} from settings.TRIBUNAL_ASR_MODELS for `engine`."""
    table = getattr(settings, "TRIBUNAL_ASR_MODELS", {}) or {}
    return {languages.normalize(k): v for k, v in (table.get(engine) or {}).items()}


def supported_languages(engine: str) -> tuple[str, ...]:
    extra = tuple(code for code in configured(engine) if code not in languages.hearing_languages())
    return languages.hearing_languages() + extra


def resolve(engine: str, language: str, *, installed: list[InstalledModel] | None = None):
    """The installed model to use for `language` with `engine`.

    The model named in settings.TRIBUNAL_ASR_MODELS[engine][language] if one is named, else
    the installed model of that engine covering the language (a single-language model before a
    multilingual one, then by name). Raises unsupported_language or no_model.
    """
    check_engine(engine)
    try:
        code = languages.normalize(language)
    except ValueError:
        raise errors.unsupported_language(language) from None
    if code not in supported_languages(engine):
        raise errors.unsupported_language(
            code, f"Hearing languages: {', '.join(supported_languages(engine))}."
        )
    models = list_models() if installed is None else installed
    wanted = configured(engine).get(code)
    if wanted:
        for model in models:
            if model.name == wanted and model.engine == engine and model.covers(code):
                return model
        raise errors.no_model(
            engine, code, f"Settings name model {wanted!r}, which is not installed for it."
        )
    candidates = [m for m in models if m.engine == engine and m.covers(code)]
    if not candidates:
        raise errors.no_model(engine, code)
    candidates.sort(key=lambda m: (languages.MULTI in m.languages, m.name))
    return candidates[0]


def coverage(installed: list[InstalledModel] | None = None) -> dict[str, dict[str, str | None]]:
    """{engine: {hearing language: model name or None}} as resolve() would answer."""
    models = list_models() if installed is None else installed
    table: dict[str, dict[str, str | None]] = {}
    for engine in ENGINES:
        table[engine] = {}
        for code in supported_languages(engine):
            try:
                table[engine][code] = resolve(engine, code, installed=models).name
            except DomainError:
                table[engine][code] = None
    return table


def tree_sha256(root: Path) -> str:
    """SHA-256 of a model folder: of the lines '<sha256 of file>  <relative path>\\n', sorted by
    path, for every regular file except manifest.json."""
    lines = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel == MANIFEST:
            continue
        lines.append(f"{file_sha256(path)}  {rel}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def file_sha256(path: Path) -> str:
    return sha256_file(path)[0]
