"""Reading generated PDFs in the minutes tests, with poppler's pdftotext (and poppler-data for the
Chinese CID font)."""

from __future__ import annotations

import re
import shutil
import subprocess

from tests.support.require import need

A4_WIDTH, BODY_HEIGHT = 595, 790  # points: the page above the footer ("Case ... · page N")


def pdf_text(document, *, layout: bool = True, footers: bool = True) -> str:
    """The document's text; without `footers`, text that runs across pages reads on unbroken."""
    need(shutil.which("pdftotext") is not None, "pdftotext absent (apt-get install poppler-utils)")
    args = ["pdftotext", "-layout"] if layout else ["pdftotext"]
    if not footers:
        args += ["-x", "0", "-y", "0", "-W", str(A4_WIDTH), "-H", str(BODY_HEIGHT)]
    out = subprocess.run([*args, document.file.path, "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def squash(text: str) -> str:
    """`text` without any whitespace: lines wrap anywhere in the PDF, so compare it this way."""
    return re.sub(r"\s+", "", text)
