"""Laying out a document's text as a PDF with reportlab (Chinese in the built-in STSong-Light).

The body is the draft's text: blank lines separate paragraphs, single line breaks are kept.
Receipts of service are laid out here too. The PDF is then sealed and signed through
case_core.services.signing (the signatures go inside it).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

CJK_FONT = "STSong-Light"


def _font() -> str:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return CJK_FONT


def _styles():
    font = _font()
    common = {"fontName": font, "wordWrap": "CJK"}
    return {
        "title": ParagraphStyle("t", fontSize=18, leading=26, alignment=TA_CENTER, **common),
        "sub": ParagraphStyle("s", fontSize=10, leading=14, alignment=TA_RIGHT, **common),
        "body": ParagraphStyle("b", fontSize=11, leading=17, spaceAfter=6, **common),
        "small": ParagraphStyle("m", fontSize=8, leading=11, **common),
    }


def _para(text: str, style) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _build(story, *, title: str, author: str) -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=author,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    ).build(story)
    return buffer.getvalue()


def render_document(*, title: str, body: str, footer: str, author: str) -> bytes:
    """A document: its title centred, the body's paragraphs, a footer line."""
    styles = _styles()
    story = [_para(title, styles["title"]), Spacer(1, 6 * mm)]
    for block in body.replace("\r\n", "\n").split("\n\n"):
        if block.strip():
            story.append(_para(block.strip("\n"), styles["body"]))
    story += [Spacer(1, 8 * mm), _para(footer, styles["small"])]
    return _build(story, title=title, author=author)


def render_table(*, title: str, rows: list[tuple[str, str]], note: str, author: str) -> bytes:
    """A one-page record (a receipt of service): a title, label/value rows, a note."""
    styles = _styles()
    table = Table(
        [[_para(k, styles["body"]), _para(v, styles["body"])] for k, v in rows],
        colWidths=[45 * mm, 120 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "#888888"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story = [_para(title, styles["title"]), Spacer(1, 6 * mm), table, Spacer(1, 6 * mm)]
    story.append(_para(note, styles["small"]))
    return _build(story, title=title, author=author)
