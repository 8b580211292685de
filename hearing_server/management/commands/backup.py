"""`tribunal backup DIR`: the database, the case file's files and the PKI keys into an empty
directory, with a manifest of SHA-256 hashes (hearing_server/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from hearing_server.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database, the case file's files and the PKI keys into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        try:
            manifest = backup(directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"backed up {len(manifest['files'])} files into {directory}")
