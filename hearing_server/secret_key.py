"""The server's SECRET_KEY when none is configured, and the rules that keep a weak key local.

Without SECRET_KEY (the embedded default), the first start writes a random key to
`<TRIBUNAL_DATA_DIR>/secret_key` (mode 0600, created atomically: a racing second process reads the
winner's file) and every later start reuses it. No key is ever a constant in the source.

A generated key is meant for one machine: `tribunal serve` / `tribunal demo` refuse to listen
beyond loopback with it unless the operator says it is a deployment (`--deployment` or
TRIBUNAL_DEPLOYMENT=1), and `tribunal check --deploy` reports it (tribunal.E002). A key that was
ever published in this project's source is refused beyond loopback always and reported as
tribunal.E001; only its SHA-256 is kept here.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
from pathlib import Path

from case_core.private_files import ExposedFile, create_once, read_private
from hearing_server.env import SettingsError

KEY_FILE = "secret_key"
MIN_LENGTH = 50
# SHA-256 of every SECRET_KEY that appeared in this project's source (the former embedded default).
PUBLISHED_KEY_SHA256 = frozenset(
    {"c8bf1ee132a4dfcb0ca1fa4da421862673b59c8e1607ecee0fc97858da04fcae"}
)
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_published(key: str) -> bool:
    """True if `key` appeared in this project's source, i.e. anyone can sign with it."""
    return hashlib.sha256(key.encode()).hexdigest() in PUBLISHED_KEY_SHA256


def load_or_create(data_dir: Path) -> str:
    """The key stored in `data_dir`, generated there (0600) on first use."""
    path = Path(data_dir) / KEY_FILE
    if not path.exists():
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        _create(path)
    return _read(path)


def _create(path: Path) -> None:
    create_once(path, (secrets.token_urlsafe(64) + "\n").encode("ascii"))


def _read(path: Path) -> str:
    try:
        key = read_private(path, "the secret key").decode("ascii").strip()
    except ExposedFile as exc:
        raise SettingsError(str(exc)) from None
    if len(key) < MIN_LENGTH:
        raise SettingsError(f"{path} does not hold a usable secret key; delete it to get a new one")
    return key


def is_loopback(host: str) -> bool:
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def listen_refusal(host: str, *, key: str, generated: bool, deployment: bool) -> str | None:
    """Why the server must not listen on `host` with this key, or None if it may."""
    if is_loopback(host):
        return None
    if is_published(key):
        return (
            f"Refusing to listen on {host}: SECRET_KEY is a key published in OpenTribunal's "
            "source, so anyone could forge hearing links and sessions. Set SECRET_KEY to a new "
            "random value."
        )
    if generated and not deployment:
        return (
            f"Refusing to listen on {host} with the key generated for embedded use. For a "
            "deployment set SECRET_KEY (and TRIBUNAL_EMBEDDED=0), or confirm that this machine's "
            "generated key is meant for it with --deployment or TRIBUNAL_DEPLOYMENT=1. "
            "Listening on 127.0.0.1 needs neither."
        )
    return None
