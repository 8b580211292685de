"""`tribunal verify_audit`: re-compute the audit log's hash chain; exit 1 on the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from case_core.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and report the first broken link."

    def handle(self, *args, **options):
        report = audit_verify()
        if not report.ok:
            raise CommandError(
                f"audit chain broken at entry {report.first_broken_seq}: {report.reason} "
                f"({report.entries} entries read)"
            )
        self.stdout.write(f"audit chain intact: {report.entries} entries")
