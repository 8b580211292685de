"""`tribunal bundle --case N [--out DIR]`: export a case's record as a BagIt bundle.

What it holds: hearing_server/bundle.py. Anyone can check it offline with
`python tools/verify_bundle.py DIR --key checkpoint-key.pub.pem` (the standard library and
`cryptography` only). The export is audited (`record.exported`, with the manifest's SHA-256).
"""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from case_core.audit import audit_record
from case_core.models import Case
from hearing_server.bundle import build_bundle


class Command(BaseCommand):
    help = "Export a case's record (files, audit chain, checkpoints, proofs) as a BagIt bundle."

    def add_arguments(self, parser):
        parser.add_argument("--case", type=int, required=True, help="the case's id")
        parser.add_argument("--out", help="the bundle's directory (must not exist)")

    def handle(self, *args, **options):
        case = Case.objects.filter(pk=options["case"]).first()
        if case is None:
            raise CommandError(f"no case {options['case']}", returncode=2)
        out = Path(options["out"] or f"case-{case.pk}-bundle")
        if out.exists():
            raise CommandError(f"{out} exists already; name a new directory", returncode=2)
        build_bundle(case, out)
        manifest = hashlib.sha256((out / "manifest-sha256.txt").read_bytes()).hexdigest()
        audit_record(
            actor=None,
            case=case,
            action="record.exported",
            data={"format": "bagit", "manifest_sha256": manifest},
        )
        self.stdout.write(f"bundle written to {out} (manifest SHA-256 {manifest})")
