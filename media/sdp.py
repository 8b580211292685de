"""Checking and narrowing a client's SDP offer before aiortc sees it: the codecs (VP8, Opus) and
the candidates it names (media/candidates.py: disallowed ones are dropped, at most the policy's
limit are kept)."""

from __future__ import annotations

from aiortc import sdp as aiortc_sdp

from media.candidates import CandidatePolicy, candidate_key
from media.errors import MediaError

MAX_SDP_BYTES = 64 * 1024
FORWARDED_CODECS = {"video": "video/vp8", "audio": "audio/opus"}
MAX_MEDIA_SECTIONS = 64


def bad_sdp(message: str) -> MediaError:
    return MediaError("bad_sdp", message, status=400)


def narrow_offer(
    text: str, policy: CandidatePolicy | None = None
) -> tuple[str, aiortc_sdp.SessionDescription, set[tuple]]:
    """Parse `text`, keep only VP8 (with its RTX) and Opus and the allowed candidates, and return
    the SDP to apply, its parsed form and the distinct candidates kept.

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
            raise MediaError(
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
    kept = _filter_candidates(media, policy or CandidatePolicy())
    return str(description), description, kept


def _filter_candidates(media, policy: CandidatePolicy) -> set[tuple]:
    """Drop the candidates the policy refuses (the engine never contacts them) and any beyond its
    limit of distinct ones; the same candidate in several bundled sections counts once."""
    kept: set[tuple] = set()
    for section in media:
        allowed = []
        for candidate in section.ice_candidates:
            key = candidate_key(
                ip=candidate.ip,
                port=candidate.port,
                protocol=candidate.protocol,
                component=candidate.component,
            )
            try:
                policy.check(
                    ip=candidate.ip,
                    port=candidate.port,
                    protocol=candidate.protocol,
                    type=candidate.type,
                    component=candidate.component,
                )
            except MediaError:
                continue
            if key not in kept and len(kept) >= policy.limit:
                continue
            kept.add(key)
            allowed.append(candidate)
        section.ice_candidates = allowed
    return kept


def sending_sections(description: aiortc_sdp.SessionDescription) -> list[str]:
    """The mids of the audio/video sections in which the offerer sends (sendrecv or sendonly)."""
    return [
        m.rtp.muxId
        for m in description.media
        if m.kind in FORWARDED_CODECS and (m.direction or "sendrecv") in ("sendrecv", "sendonly")
    ]
