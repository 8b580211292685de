"""RFC 3161 timestamps on checkpoints, when a timestamp authority is configured (TRIBUNAL_TSA_URL,
the same authority that makes document signatures PAdES B-T).

`timestamp_token(hash_hex)` asks the authority for a token over the checkpoint's SHA-256 and
returns it as base64 DER ("" when none is configured, or when the authority does not answer: the
checkpoint is still made and signed, and the failure is logged). `token_problem(token, hash_hex)`
says what is wrong with a stored token: unreadable, a message imprint that is not the checkpoint's
hash, or a CMS signature that does not verify against the certificate it carries.
"""

from __future__ import annotations

import asyncio
import base64
import logging

from asn1crypto import cms, tsp

from case_core.services.signing_pdf import timestamper

log = logging.getLogger(__name__)


def timestamp_token(hash_hex: str, stamper=None) -> str:
    stamper = stamper or timestamper()
    if stamper is None:
        return ""
    try:
        token = asyncio.run(stamper.async_timestamp(bytes.fromhex(hash_hex), "sha256"))
    except Exception as exc:  # noqa: BLE001 - an authority that does not answer
        log.warning("no timestamp for checkpoint hash %s: %s", hash_hex, exc)
        return ""
    return base64.b64encode(token.dump()).decode("ascii")


def token_problem(token_b64: str, hash_hex: str) -> str | None:
    """None when the token is a timestamp over `hash_hex` whose signature verifies."""
    try:
        info = cms.ContentInfo.load(base64.b64decode(token_b64))
        signed = info["content"]
        tst = tsp.TSTInfo.load(signed["encap_content_info"]["content"].parsed.dump())
        imprint = tst["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"].native
        hashed = imprint["hashed_message"].native
    except Exception:  # noqa: BLE001 - anything unreadable is a bad token
        return "timestamp token unreadable"
    if algorithm != "sha256" or hashed != bytes.fromhex(hash_hex):
        return "timestamp is not over this checkpoint"
    try:
        from pyhanko.sign.validation.generic_cms import validate_sig_integrity

        signer_info = signed["signer_infos"][0]
        cert = next(
            c.chosen for c in signed["certificates"] if c.name == "certificate"
        )  # the authority's certificate, embedded by the authority
        intact, valid = validate_sig_integrity(
            signer_info, cert, expected_content_type="tst_info", actual_digest=_digest(signed)
        )
    except Exception:  # noqa: BLE001
        return "timestamp signature cannot be checked"
    if not (intact and valid):
        return "timestamp signature does not verify"
    return None


def _digest(signed) -> bytes:
    import hashlib

    algorithm = signed["digest_algorithms"][0]["algorithm"].native
    content = signed["encap_content_info"]["content"].contents
    return hashlib.new(algorithm, content).digest()
