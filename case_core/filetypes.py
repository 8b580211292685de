"""Recognising an upload's type by its first bytes, never by the name the client sent."""

from __future__ import annotations

# ISO-BMFF brands (bytes 8..12 after "ftyp") of still images: an iPhone photo is HEIC, not MP4.
IMAGE_BRANDS = {
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"heim": "image/heic",
    b"heis": "image/heic",
    b"hevc": "image/heic-sequence",
    b"hevx": "image/heic-sequence",
    b"mif1": "image/heif",
    b"msf1": "image/heif-sequence",
    b"avif": "image/avif",
}
OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff_content_type(head: bytes, name: str) -> str | None:
    """The MIME type of an accepted evidence file, or None if it is not one we accept."""
    lower = name.lower()
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head[4:8] == b"ftyp":
        return IMAGE_BRANDS.get(bytes(head[8:12]), "video/mp4")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if head.startswith(b"PK\x03\x04"):
        for ext, mime in OFFICE.items():
            if lower.endswith(ext):
                return mime
        return None
    if lower.endswith(".txt") and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:  # a multi-byte character cut at the 4 KiB boundary
            if exc.start < len(head) - 3:
                return None
        return "text/plain"
    return None
