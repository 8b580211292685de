"""`tribunal verify_recordings [--case N]`: re-hash every recording in the case file."""

from django.core.management.base import BaseCommand, CommandError

from case_core.models import Evidence
from case_core.models.evidence import EvidenceKind
from recording.hashing import sha256_stream


class Command(BaseCommand):
    help = "Re-hash recording evidence; exit 1 naming every file whose SHA-256 or size changed."

    def add_arguments(self, parser):
        parser.add_argument("--case", type=int, help="Only this case (its id).")

    def handle(self, *args, case=None, **options):
        items = Evidence.objects.filter(kind=EvidenceKind.RECORDING).select_related("case")
        if case is not None:
            items = items.filter(case_id=case)
        checked, bad = 0, []
        for evidence in items.order_by("id").iterator():
            checked += 1
            try:
                with evidence.file.open("rb") as handle:
                    digest, size = sha256_stream(handle)
            except (FileNotFoundError, OSError) as exc:
                bad.append((evidence, f"unreadable: {exc}"))
                continue
            if digest != evidence.sha256 or size != evidence.size:
                bad.append((evidence, f"sha256 {digest} size {size}"))
        for evidence, problem in bad:
            self.stderr.write(
                f"MISMATCH evidence {evidence.pk} case {evidence.case.number or evidence.case_id} "
                f"{evidence.title!r}: expected sha256 {evidence.sha256} size {evidence.size}, "
                f"found {problem}"
            )
        if bad:
            raise CommandError(f"{len(bad)} of {checked} recording files do not match their hash.")
        self.stdout.write(f"{checked} recording files verified.")
