"""`tribunal verify [--case N] [--json] [--checkpoint]`: check the whole record, or one case's.

Runs `case_core.integrity.verify.verify_record` with every check the layers provide (see
docs/record-integrity.md): signed checkpoints (rows and the copies outside the database), audit
chains against them, evidence files and rows against their hashes and audit entries, case rows,
documents and signatures, hearing event logs, reviewed transcripts, recording files. Prints every
mismatch (or a JSON report with --json); exit status 0 when nothing fails, 1 when something does,
2 when the case does not exist. --checkpoint first signs a new checkpoint (run nightly). The run
is audited (`record.verified`).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from case_core.integrity.auto import record_run
from case_core.integrity.checkpoints import checkpoint_make
from case_core.integrity.verify import verify_record
from case_core.models import Case


class Command(BaseCommand):
    help = "Verify the record: chains against signed checkpoints, files, rows and signatures."

    def add_arguments(self, parser):
        parser.add_argument("--case", type=int, help="only this case (its id)")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--checkpoint", action="store_true", help="sign a checkpoint first (nightly runs)"
        )

    def handle(self, *args, **options):
        case_id = options["case"]
        if case_id is not None and not Case.objects.filter(pk=case_id).exists():
            raise CommandError(f"no case {case_id}", returncode=2)
        if options["checkpoint"]:
            checkpoint = checkpoint_make(reason="nightly" if case_id is None else "manual")
            if not options["json"]:
                self.stdout.write(f"checkpoint {checkpoint.seq} signed: {checkpoint.hash}")
        report = verify_record(case_id)
        record_run(report, case_id=case_id, reason="command")
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        else:
            self._print(report)
        if not report.ok:
            if options["json"]:
                raise SystemExit(1)
            raise CommandError(f"NOT VERIFIED: {len(report.failures)} mismatches", returncode=1)

    def _print(self, report) -> None:
        checked = ", ".join(f"{n} {what}" for what, n in sorted(report.checked.items()))
        self.stdout.write(f"checked: {checked or 'nothing'}")
        for f in report.findings:
            label = "FAIL" if f.severity == "failure" else "extra"
            self.stdout.write(f"{label} [{f.check}] {f.subject}: {f.problem}")
        if report.ok:
            self.stdout.write("VERIFIED: no mismatch")
