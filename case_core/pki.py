"""The committee's keys and certificates: its certificate authority, its seal and the one-shot
certificates of people who sign.

Generated on first use into TRIBUNAL_PKI_DIR (default `<TRIBUNAL_DATA_DIR>/pki`), the way
hearing_server/secret_key.py generates the secret key: private keys mode 0600, each file created
atomically (a process that loses a race reads the winner's file).

    root.key / root.pem   the committee's root CA (self-signed); it issues every other
                          certificate, and third parties trust it (offered for download)
    seal.key / seal.pem   the committee seal, issued by the CA; it seals each fully signed document

A deployment that brings its own CA points TRIBUNAL_PKI_CA_CERT / TRIBUNAL_PKI_CA_KEY (and
TRIBUNAL_PKI_SEAL_CERT / TRIBUNAL_PKI_SEAL_KEY) at its files; configured files are never
generated. A CA-issued e-seal usually comes as a PKCS#12 file: TRIBUNAL_PKI_SEAL_P12 names it and
TRIBUNAL_PKI_SEAL_P12_PASSWORD holds its password (then the seal is read from it alone; its chain
is the file's other certificates, else the committee CA's). A wrong or missing password
(PkiError.code "seal_password") and a seal certificate outside its validity ("seal_expired") are
refused before anything is signed. TRIBUNAL_PKI_CA_CERT may be a PEM bundle: the issuing CA
first, its own issuers after, the root last (the root is what `trust_root()` offers).

Each signature is made with a key and certificate issued for that one signature
(`issue_signer`): subject the signer's name, role (title) and user id, key usage
non-repudiation. The key lives only in memory while the PDF is signed; the platform holds it
on the signer's behalf after checking their one-time code (trust model: docs/architecture.md).
Generated keys are elliptic-curve (P-256); a deployment's own may also be RSA. SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

from case_core.private_files import ExposedFile, create_once, read_private

ROOT_YEARS = 30
ISSUED_YEARS = 25  # the seal and signers' certificates (bounded by the CA's own validity)
BACKDATE = timedelta(minutes=5)  # tolerate clocks a little behind ours
DEFAULT_COMMITTEE = "OpenTribunal labour dispute arbitration committee"


PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


class PkiError(RuntimeError):
    """The committee's keys or certificates are missing, unreadable or do not match.

    `code`: "unavailable" (default), "seal_password" (the seal's PKCS#12 password is missing or
    wrong), "seal_expired" (the seal certificate is not valid now; `when` says until/from when)."""

    def __init__(self, message: str, *, code: str = "unavailable", when: datetime | None = None):
        super().__init__(message)
        self.code = code
        self.when = when


@dataclass(frozen=True)
class Credential:
    """A certificate, its private key, and the certificates above it (issuer first, root last)."""

    certificate: x509.Certificate
    key: PrivateKey
    chain: tuple[x509.Certificate, ...] = field(default=())


@dataclass(frozen=True)
class PkiFiles:
    """Where the committee's files are, and whether this deployment generates them."""

    ca_cert: Path
    ca_key: Path
    seal_cert: Path
    seal_key: Path
    generate_ca: bool
    generate_seal: bool

    @classmethod
    def from_settings(cls) -> PkiFiles:
        base = Path(getattr(settings, "TRIBUNAL_PKI_DIR", "") or Path(settings.DATA_DIR) / "pki")
        names = {
            "ca_cert": ("TRIBUNAL_PKI_CA_CERT", "root.pem"),
            "ca_key": ("TRIBUNAL_PKI_CA_KEY", "root.key"),
            "seal_cert": ("TRIBUNAL_PKI_SEAL_CERT", "seal.pem"),
            "seal_key": ("TRIBUNAL_PKI_SEAL_KEY", "seal.key"),
        }
        paths, configured = {}, {}
        for attr, (setting, default) in names.items():
            value = getattr(settings, setting, "") or ""
            configured[attr] = bool(value)
            paths[attr] = Path(value) if value else base / default
        return cls(
            **paths,
            generate_ca=not (configured["ca_cert"] or configured["ca_key"]),
            generate_seal=not (configured["seal_cert"] or configured["seal_key"]),
        )


def committee_name() -> str:
    return (getattr(settings, "TRIBUNAL_NAME", "") or DEFAULT_COMMITTEE)[:64]


# --- the committee's CA and seal -------------------------------------------------------------


def committee_ca(files: PkiFiles | None = None) -> Credential:
    """The certificate authority that issues signers' and the seal's certificates."""
    files = files or PkiFiles.from_settings()
    if files.generate_ca:
        key = _key_file(files.ca_key)
        if not files.ca_cert.exists():
            create_once(files.ca_cert, _pem(_self_signed_root(key)), private=False)
    certificates = _read_certs(files.ca_cert)
    credential = Credential(certificates[0], _read_key(files.ca_key), tuple(certificates[1:]))
    _require_pair(credential, files.ca_cert)
    return credential


def committee_seal(files: PkiFiles | None = None) -> Credential:
    """The committee seal's certificate and key, with the CA chain above it (valid now)."""
    p12 = getattr(settings, "TRIBUNAL_PKI_SEAL_P12", "") or ""
    if p12 and files is None:
        return _require_current(_seal_from_p12(Path(p12)))
    return _require_current(_seal_from_files(files or PkiFiles.from_settings()))


def _seal_from_p12(path: Path) -> Credential:
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        data = read_private(path, "the seal's PKCS#12 file")
    except ExposedFile as exc:
        raise PkiError(str(exc)) from None
    except OSError as exc:
        raise PkiError(f"cannot read the seal's PKCS#12 file {path}: {exc.strerror}") from None
    password = getattr(settings, "TRIBUNAL_PKI_SEAL_P12_PASSWORD", "") or ""
    try:
        key, certificate, extra = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None
        )
    except (ValueError, TypeError) as exc:
        raise PkiError(
            f"the seal's PKCS#12 file {path} cannot be opened (wrong or missing password?): {exc}",
            code="seal_password",
        ) from None
    if key is None or certificate is None:
        raise PkiError(f"the PKCS#12 file {path} holds no key and certificate")
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise PkiError(f"{path}: only elliptic-curve and RSA keys are supported")
    chain = tuple(extra or ())
    if not chain:
        chain = _ca_chain(committee_ca())
    credential = Credential(certificate, key, chain)
    _require_pair(credential, path)
    return credential


def _require_current(credential: Credential) -> Credential:
    now = datetime.now(UTC)
    certificate = credential.certificate
    if certificate.not_valid_after_utc <= now:
        raise PkiError(
            f"the seal certificate expired on {certificate.not_valid_after_utc:%Y-%m-%d}",
            code="seal_expired",
            when=certificate.not_valid_after_utc,
        )
    if certificate.not_valid_before_utc > now:
        raise PkiError(
            f"the seal certificate is valid only from {certificate.not_valid_before_utc:%Y-%m-%d}",
            code="seal_expired",
            when=certificate.not_valid_before_utc,
        )
    return credential


def _seal_from_files(files: PkiFiles) -> Credential:
    ca = committee_ca(files)
    if files.generate_seal:
        key = _key_file(files.seal_key)
        if not files.seal_cert.exists():
            subject = _name(
                (NameOID.COMMON_NAME, f"{committee_name()[:58]} seal"),
                (NameOID.ORGANIZATION_NAME, committee_name()),
            )
            certificate = _issue(ca, subject, key.public_key(), datetime.now(UTC))
            create_once(files.seal_cert, _pem(certificate), private=False)
    certificates = _read_certs(files.seal_cert)
    credential = Credential(
        certificates[0], _read_key(files.seal_key), tuple(certificates[1:]) or _ca_chain(ca)
    )
    _require_pair(credential, files.seal_cert)
    return credential


def export_p12(credential: Credential, path: Path, password: str) -> None:
    """Write `credential` (key, certificate and chain) as a PKCS#12 file (0600), e.g. the demo
    seal, so the TRIBUNAL_PKI_SEAL_P12 path can be tried without a CA-issued e-seal."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    data = pkcs12.serialize_key_and_certificates(
        b"committee seal",
        credential.key,
        credential.certificate,
        list(credential.chain) or None,
        serialization.BestAvailableEncryption(password.encode())
        if password
        else serialization.NoEncryption(),
    )
    path.unlink(missing_ok=True)
    create_once(path, data, private=True)


def trust_root(files: PkiFiles | None = None) -> x509.Certificate:
    """The committee's root certificate: what a third party trusts to verify its documents."""
    ca = committee_ca(files)
    return _ca_chain(ca)[-1]


def trust_root_pem(files: PkiFiles | None = None) -> bytes:
    return _pem(trust_root(files))


def installed_trust_root(files: PkiFiles | None = None) -> x509.Certificate | None:
    """The root certificate if this deployment already has one (never generates it)."""
    files = files or PkiFiles.from_settings()
    if not files.ca_cert.exists():
        return None
    return _read_certs(files.ca_cert)[-1]


# --- one-shot certificates of signers --------------------------------------------------------


def issue_signer(*, name: str, role: str, user_id: int, at: datetime | None = None) -> Credential:
    """A fresh key and a certificate for one signature by `name` signing as `role`."""
    ca = committee_ca()
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(
        (NameOID.COMMON_NAME, name or f"user {user_id}"),
        (NameOID.TITLE, role or "signer"),
        (NameOID.USER_ID, f"user:{user_id}"),
        (NameOID.ORGANIZATION_NAME, committee_name()),
    )
    certificate = _issue(ca, subject, key.public_key(), at or datetime.now(UTC))
    return Credential(certificate, key, _ca_chain(ca))


def subject_fields(certificate) -> dict[str, str]:
    """Name, role (title) and user id from a certificate's subject (asn1crypto or cryptography)."""
    found = {"name": "", "role": "", "user": ""}
    if isinstance(certificate, asn1_x509.Certificate):
        try:
            certificate = x509.load_der_x509_certificate(certificate.dump())
        except ValueError:
            return found
    for key, oid in (("name", NameOID.COMMON_NAME), ("role", NameOID.TITLE)):
        values = certificate.subject.get_attributes_for_oid(oid)
        found[key] = str(values[0].value) if values else ""
    values = certificate.subject.get_attributes_for_oid(NameOID.USER_ID)
    found["user"] = str(values[0].value).removeprefix("user:") if values else ""
    return found


# --- conversions for pyHanko -----------------------------------------------------------------


def asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def asn1_key(key: PrivateKey) -> asn1_keys.PrivateKeyInfo:
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return asn1_keys.PrivateKeyInfo.load(der)


def load_pem_certificates(data: bytes) -> list[x509.Certificate]:
    """Certificates from PEM (one or a bundle) or a single DER certificate."""
    try:
        if b"-----BEGIN" in data:
            certificates = x509.load_pem_x509_certificates(data)
        else:
            certificates = [x509.load_der_x509_certificate(data)]
    except ValueError as exc:
        raise PkiError(f"not a certificate: {exc}") from None
    if not certificates:
        raise PkiError("no certificate found")
    return certificates


def pem(certificate: x509.Certificate) -> str:
    return _pem(certificate).decode("ascii")


# --- internals -------------------------------------------------------------------------------


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _name(*attributes) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, str(value)[:64]) for oid, value in attributes])


def _ca_chain(ca: Credential) -> tuple[x509.Certificate, ...]:
    return (ca.certificate, *ca.chain)


def _self_signed_root(key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    now = datetime.now(UTC)
    subject = _name(
        (NameOID.COMMON_NAME, f"{committee_name()[:55]} root CA"),
        (NameOID.ORGANIZATION_NAME, committee_name()),
    )
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + timedelta(days=365 * ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def _issue(ca: Credential, subject: x509.Name, public, at: datetime) -> x509.Certificate:
    start = at - BACKDATE
    end = min(at + timedelta(days=365 * ISSUED_YEARS), ca.certificate.not_valid_after_utc)
    if start < ca.certificate.not_valid_before_utc or end <= at:
        raise PkiError("the committee CA's certificate is not valid now")
    issuer_public = ca.key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.certificate.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ca=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False
        )
        .sign(ca.key, hashes.SHA256())
    )


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,  # non-repudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _key_file(path: Path) -> PrivateKey:
    """The key stored at `path`, generated there (0600) on first use."""
    if not path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        data = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        create_once(path, data, private=True)
    return _read_key(path)


def _read_key(path: Path) -> PrivateKey:
    try:
        data = read_private(path, "a private key")
    except OSError as exc:
        raise PkiError(f"cannot read the private key {path}: {exc.strerror}") from None
    except ExposedFile as exc:
        raise PkiError(str(exc)) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise PkiError(f"{path} does not hold a usable private key: {exc}") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise PkiError(f"{path}: only elliptic-curve and RSA keys are supported")
    return key


def _read_certs(path: Path) -> list[x509.Certificate]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PkiError(f"cannot read the certificate {path}: {exc.strerror}") from None
    try:
        return load_pem_certificates(data)
    except PkiError as exc:
        raise PkiError(f"{path}: {exc}") from None


def _require_pair(credential: Credential, path: Path) -> None:
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    if credential.certificate.public_key().public_bytes(der, public) != (
        credential.key.public_key().public_bytes(der, public)
    ):
        raise PkiError(f"the certificate {path} does not belong to its private key")
