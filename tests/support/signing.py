"""A minutes-like PDF for the signing tests, laid out by reportlab as minutes/pdf.py does (platypus
paragraphs and a table over several pages, Chinese in the STSong-Light CID font)."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table


def minutes_like_pdf(title: str = "Minutes of the hearing") -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    styles = getSampleStyleSheet()
    chinese = ParagraphStyle("zh", parent=styles["Normal"], fontName="STSong-Light")
    story = [Paragraph(title, styles["Title"]), Paragraph("庭审笔录", chinese), Spacer(1, 12)]
    story.append(Table([["Presiding arbitrator", "Li Si"], ["Clerk", "Wang Wu"]]))
    for minute in range(60):
        story.append(
            Paragraph(f"00:{minute:02d}:11 The company paid the March wages.", styles["Normal"])
        )
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title).build(story)
    return buffer.getvalue()


def dummy_timestamp_authority():
    """pyHanko's in-process RFC 3161 authority, with a time-stamping certificate the committee CA
    issues (RSA: pyHanko's dummy authority signs with RSA only)."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from pyhanko.sign.timestamps import DummyTimeStamper

    from case_core import pki

    ca = pki.committee_ca()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")]))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca.key, hashes.SHA256())
    )
    return DummyTimeStamper(
        tsa_cert=pki.asn1_certificate(cert), tsa_key=pki.asn1_key(key), certs_to_embed=None
    )
