"""`tribunal restore DIR`: check a backup's manifest, then replace the database's contents and
put the case file's files and PKI keys back (hearing_server/backup.py). Stop the servers first;
afterwards run `tribunal verify_audit`."""

from django.core.management.base import BaseCommand, CommandError

from hearing_server.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `tribunal backup` (stop the servers first)."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        try:
            manifest = restore(directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"restored the backup of {manifest['created']} from {directory}")
