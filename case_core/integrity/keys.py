"""The checkpoint signing key: Ed25519, in a file outside the database.

TRIBUNAL_CHECKPOINT_KEY names the private key (PEM, PKCS#8). If the file does not exist it is
generated on first use (mode 0600, created atomically by case_core/private_files.py) and its public
key written beside it (`<name>.pub.pem`). Someone who can write the database but cannot read this
file cannot sign a checkpoint. The key id is the SHA-256 of the raw 32-byte public key.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from case_core.private_files import create_once


class CheckpointKeyError(RuntimeError):
    """The checkpoint key cannot be read or is not an Ed25519 key."""


def _path() -> Path:
    return Path(settings.TRIBUNAL_CHECKPOINT_KEY)


def signing_key() -> Ed25519PrivateKey:
    path = _path()
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        create_once(path, pem)
        create_once(public_key_path(), public_pem(key.public_key()), private=False)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise CheckpointKeyError(f"cannot read the checkpoint key {path}: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointKeyError(f"{path} is not an Ed25519 private key")
    return key


def public_key_path() -> Path:
    path = _path()
    return path.with_name(path.name.removesuffix(".pem") + ".pub.pem")


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def sign(message: bytes) -> tuple[str, str]:
    """(signature hex, key id) over `message` with the checkpoint key."""
    key = signing_key()
    return key.sign(message).hex(), key_id(key.public_key())


def verify(public: Ed25519PublicKey, signature_hex: str, message: bytes) -> bool:
    try:
        public.verify(bytes.fromhex(signature_hex), message)
    except Exception:  # InvalidSignature, or a signature that is not hex / not 64 bytes
        return False
    return True
