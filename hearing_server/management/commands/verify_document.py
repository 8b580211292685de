"""`tribunal verify_document <file.pdf> [--trust root.pem]`: check the signatures in a PDF.

For anyone holding a signed document and the committee's root certificate (download it from
/documents/trust/root.pem): no database, no network. Each embedded signature is validated with
pyHanko (case_core.pades) and reported; exit 0 when every signature is intact, valid and trusted
and nothing follows the last one, 1 when not, 2 when the file or certificate cannot be read.
Without --trust, the root certificate of this deployment is used.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from case_core import pades, pki


def _yes(value: bool) -> str:
    return "yes" if value else "NO"


class Command(BaseCommand):
    help = "Verify the PAdES signatures in a PDF against the committee's root certificate."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the signed PDF")
        parser.add_argument(
            "--trust",
            action="append",
            metavar="ROOT.PEM",
            help="a trusted root certificate (PEM or DER); may be repeated",
        )

    def handle(self, *args, **options):
        roots = self._roots(options["trust"])
        try:
            content = Path(options["file"]).read_bytes()
        except OSError as exc:
            raise CommandError(
                f"cannot read {options['file']}: {exc.strerror}", returncode=2
            ) from None
        report = pades.verify(content, trust_roots=roots)
        if not report.readable:
            raise CommandError(f"{options['file']}: {report.error}", returncode=1)
        for number, signature in enumerate(report.signatures, start=1):
            self._show(number, signature)
        if not report.signatures:
            raise CommandError("NOT VERIFIED: the PDF holds no signature", returncode=1)
        if not report.intact:
            self.stdout.write("document: the PDF was changed after its last signature")
        if not report.ok:
            failed = sum(1 for s in report.signatures if not s.ok)
            raise CommandError(
                f"NOT VERIFIED: {failed} of {len(report.signatures)} signatures fail"
                + ("" if report.intact else "; content follows the last signature"),
                returncode=1,
            )
        self.stdout.write(
            f"VERIFIED: {len(report.signatures)} signatures, all intact, valid and trusted; "
            "the last one covers the whole file"
        )

    def _roots(self, paths):
        if not paths:
            try:
                root = pki.installed_trust_root()
            except pki.PkiError as exc:
                raise CommandError(str(exc), returncode=2) from None
            if root is None:
                raise CommandError(
                    "no committee root certificate here; pass --trust root.pem", returncode=2
                )
            return [root]
        roots = []
        for path in paths:
            try:
                roots += pki.load_pem_certificates(Path(path).read_bytes())
            except OSError as exc:
                raise CommandError(f"cannot read {path}: {exc.strerror}", returncode=2) from None
            except pki.PkiError as exc:
                raise CommandError(f"{path}: {exc}", returncode=2) from None
        return roots

    def _show(self, number: int, s: pades.EmbeddedSignature) -> None:
        who = s.name + (f" ({s.role}, user {s.user})" if s.role else "")
        at = s.signed_at.isoformat() if s.signed_at else "unknown"
        self.stdout.write(f"signature {number}: field {s.field!r}")
        self.stdout.write(f"  signer: {who}; issued by: {s.issuer}; signing time stated: {at}")
        self.stdout.write(
            f"  intact: {_yes(s.intact)}  valid: {_yes(s.valid)}  trusted: {_yes(s.trusted)}  "
            f"covers its revision: {_yes(s.covers_revision)}  later changes: {s.later_changes}"
        )
        self.stdout.write(f"  revision SHA-256: {s.revision_sha256}")
        self.stdout.write("  OK" if s.ok else f"  FAILS: {pades.PROBLEMS[s.problem]}")
