"""`tribunal demo`: migrate, load demo data, run the task worker and serve on 127.0.0.1:8000."""

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from hearing_server.management.commands.serve import refuse_unsafe_listen


class Command(BaseCommand):
    help = "Run the whole product on the embedded default with demo data."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--deployment",
            action="store_true",
            help="listen beyond loopback even with the generated SECRET_KEY (see `serve`)",
        )

    def handle(self, *args, host, port, deployment=False, **options):
        refuse_unsafe_listen(host, deployment)  # before anything starts
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed")
        # The committee's demo CA and seal (generated into TRIBUNAL_PKI_DIR on first use).
        from case_core import pki

        pki.committee_seal()
        self.stdout.write(f"Committee root certificate: {pki.PkiFiles.from_settings().ca_cert}")
        url = f"http://{host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"OpenTribunal is starting at {url}"))
        self.stdout.write("Sign in with any persona above; the API schema is at /api/openapi.json.")
        worker = subprocess.Popen(
            [sys.executable, "-m", "hearing_server.cli", "worker"], env=os.environ.copy()
        )
        scheduler = subprocess.Popen(  # reminders and deemed service (documents.scheduler)
            [sys.executable, "-m", "hearing_server.cli", "scheduler"], env=os.environ.copy()
        )
        try:
            call_command("serve", host=host, port=port, deployment=deployment)
        finally:
            for process in (worker, scheduler):
                process.terminate()
            for process in (worker, scheduler):
                process.wait(timeout=10)
