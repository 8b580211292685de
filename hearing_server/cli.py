"""The `tribunal` command: Django's management commands under the product's name.

tribunal demo            migrate, load demo data, serve everything on 127.0.0.1:8000
tribunal seed --json     load demo data and print it as JSON
tribunal serve           the ASGI server (Daphne); beyond loopback with a generated SECRET_KEY
                         only with --deployment / TRIBUNAL_DEPLOYMENT=1
tribunal worker          the background task worker
tribunal mediaworker     one media worker process (scale-out, with REDIS_URL)
tribunal verify_recordings [--case N]   re-hash the recordings in the case file
tribunal verify_audit    re-compute the audit log's hash chain
tribunal verify_document FILE.pdf [--trust root.pem]   check the signatures inside a signed PDF
tribunal check --deploy  Django's deployment checks and the product's (tribunal.E001: a SECRET_KEY
                         published in the source; tribunal.E002: a generated one, not declared)
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearing_server.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "tribunal"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
