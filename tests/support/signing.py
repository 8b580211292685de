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
