"""Checking and narrowing a client's SDP offer before aiortc sees it."""

from __future__ import annotations

from aiortc import sdp as aiortc_sdp

from case_core.errors import DomainError

MAX_SDP_BYTES = 64 * 1024
FORWARDED_CODECS = {"video": "video/vp8", "audio": "audio/opus"}
MAX_MEDIA_SECTIONS = 64


def bad_sdp(message: str) -> DomainError:
    return DomainError("bad_sdp", message, status=400)


def narrow_offer(text: str) -> tuple[str, aiortc_sdp.SessionDescription]:
    """Parse `text`, keep only VP8 (with its RTX) and Opus, and return the SDP to apply.

    Every participant must use the same codec for packets to be forwarded unchanged, and the
    recordings are WebM: VP8 and Opus are what every browser offers."""
    if not isinstance(text, str) or not text.strip():
        raise bad_sdp("The SDP offer is empty.")
    if len(text.encode("utf-8", "replace")) > MAX_SDP_BYTES:
        raise bad_sdp("The SDP offer is too large.")
    if not text.lstrip().startswith("v=0"):
        raise bad_sdp("The SDP offer must start with v=0.")
    try:
        description = aiortc_sdp.SessionDescription.parse(text)
    except Exception as exc:  # aiortc's parser raises whatever the bad line provokes
        raise bad_sdp(f"The SDP offer cannot be parsed: {exc}") from None
    media = [m for m in description.media if m.kind in FORWARDED_CODECS]
    if not media:
        raise bad_sdp("The SDP offer has no audio or video section.")
    if len(description.media) > MAX_MEDIA_SECTIONS:
        raise bad_sdp("The SDP offer has too many media sections.")
    for section in media:
        if section.ice is None or not section.ice.usernameFragment or not section.ice.password:
            raise bad_sdp("A media section lacks ICE credentials.")
        if section.dtls is None or not section.dtls.fingerprints:
            raise bad_sdp("A media section lacks a DTLS fingerprint.")
        if not section.rtp.muxId:
            raise bad_sdp("A media section lacks a mid.")
        wanted = FORWARDED_CODECS[section.kind]
        keep = [c for c in section.rtp.codecs if c.mimeType.lower() == wanted]
        if not keep:
            raise DomainError(
                "unsupported_codec",
                f"The {section.kind} section offers no {wanted.split('/')[1]}.",
                status=400,
            )
        kept_types = {c.payloadType for c in keep}
        keep += [
            c
            for c in section.rtp.codecs
            if c.mimeType.lower().endswith("/rtx") and c.parameters.get("apt") in kept_types
        ]
        section.rtp.codecs = keep
        section.fmt = [c.payloadType for c in keep]
    return str(description), description
