"""Laying out the minutes as a PDF with reportlab (Chinese text in the built-in STSong-Light).

Call `render_minutes` inside `translation.override(hearing.language)`: the headings come from
gettext, the content from `MinutesRecord`.

Chat and the transcript are what people typed or said, of any length (a chat message up to the
protocol's 2,000 characters, a transcript segment longer still), so they are laid out as
paragraphs (a heading line "time  who", then the text), which wrap and split across pages. The
tables hold short facts; their rows may split across pages too (`splitInRow`).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from case_core.models.hearings import HEARING_VERIFIABLE_ROLES
from minutes.record import MinutesRecord, clock, offset

CJK_FONT = "STSong-Light"
LATIN_FONT = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"


def _has_cjk(text: str) -> bool:
    return any(ord(ch) >= 0x2E80 for ch in text)


def _fonts(cjk: bool) -> tuple[str, str]:
    if not cjk:
        return LATIN_FONT, LATIN_BOLD
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return CJK_FONT, CJK_FONT


def _all_text(record: MinutesRecord, signers) -> str:
    parts = [record.case_title, record.tribunal, record.hearing_kind]
    parts += [name for _side, name in record.parties]
    parts += [p.name + p.role_label + p.identity for p in record.people]
    parts += [line for _at, line in record.proceedings]
    parts += [who + text for _at, who, text in record.chat]
    parts += [who + text for _t, who, text in record.transcript_rows]
    parts += [name + role for name, role in signers]
    return "".join(parts)


class _Styles:
    def __init__(self, cjk: bool):
        body, bold = _fonts(cjk)
        extra = {"wordWrap": "CJK"} if cjk else {}
        self.title = ParagraphStyle(
            "title", fontName=bold, fontSize=16, leading=22, alignment=TA_CENTER, **extra
        )
        self.subtitle = ParagraphStyle(
            "subtitle", fontName=body, fontSize=10, leading=14, alignment=TA_CENTER, **extra
        )
        self.heading = ParagraphStyle(
            "heading",
            fontName=bold,
            fontSize=12,
            leading=16,
            spaceBefore=10,
            spaceAfter=4,
            **extra,
        )
        self.body = ParagraphStyle("body", fontName=body, fontSize=9.5, leading=13, **extra)
        self.small = ParagraphStyle("small", fontName=body, fontSize=8, leading=11, **extra)
        self.said_by = ParagraphStyle(
            "said_by",
            fontName=bold,
            fontSize=8.5,
            leading=12,
            spaceBefore=5,
            keepWithNext=1,
            textColor=colors.HexColor("#444444"),
            **extra,
        )
        self.said = ParagraphStyle(
            "said", fontName=body, fontSize=9.5, leading=13, leftIndent=5 * mm, **extra
        )
        self.font = body


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def _table(rows, widths, styles: _Styles) -> Table:
    data = [[_p(str(cell), styles.body) for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _said(when: str, who: str, text: str, styles: _Styles) -> list[Paragraph]:
    """One chat message or transcript segment: "time  who", then the text (any length)."""
    said_by = f'<font color="#777777">{escape(when)}</font> {escape(who)}'
    return [Paragraph(said_by, styles.said_by), _p(text, styles.said)]


def render_minutes(record: MinutesRecord, signers: list[tuple[str, str]]) -> bytes:
    """The minutes as PDF bytes; `signers` is [(name, role label)] of who will sign."""
    styles = _Styles(record.language.startswith("zh") or _has_cjk(_all_text(record, signers)))
    out = io.BytesIO()
    title = _("Hearing minutes")
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{title} {record.case_number}",
        author=record.tribunal,
    )
    width = A4[0] - 36 * mm
    story = [
        _p(record.tribunal, styles.subtitle),
        _p(title, styles.title),
        _p(
            _("Case %(number)s: %(title)s")
            % {"number": record.case_number, "title": record.case_title},
            styles.subtitle,
        ),
        Spacer(1, 6 * mm),
    ]
    facts = [
        (_("Case number"), record.case_number),
        (_("Subject"), record.case_title),
        (_("Kind of hearing"), record.hearing_kind),
        (_("Scheduled start"), clock(record.scheduled, with_date=True)),
        (_("Opened at"), clock(record.started, with_date=True)),
        (_("Closed at"), clock(record.ended, with_date=True)),
        (_("Held"), _("Online, by video")),
    ]
    story.append(_table([(_("Item"), _("Details")), *facts], [width * 0.3, width * 0.7], styles))

    story.append(_p(_("Parties"), styles.heading))
    parties = record.parties or [("—", "—")]
    story.append(_table([(_("Side"), _("Name")), *parties], [width * 0.3, width * 0.7], styles))

    story.append(_p(_("Attendance and identity checks"), styles.heading))
    rows = [(_("Name"), _("Role"), _("Present from"), _("Identity check"))]
    for person in record.people:
        rows.append(
            (
                person.name,
                person.role_label,
                clock(person.first_seen) if person.present else _("Absent"),
                person.identity
                or (_("Not checked") if person.role in HEARING_VERIFIABLE_ROLES else "—"),
            )
        )
    story.append(_table(rows, [width * 0.3, width * 0.2, width * 0.2, width * 0.3], styles))

    story.append(_p(_("Proceedings"), styles.heading))
    if record.proceedings:
        rows = [(_("Time"), _("Event"))] + [(clock(at), line) for at, line in record.proceedings]
        story.append(_table(rows, [width * 0.15, width * 0.85], styles))
    else:
        story.append(_p(_("No events were recorded for this hearing."), styles.body))

    story.append(_p(_("Chat"), styles.heading))
    if record.chat:
        story.append(_p(_("Messages in the main room."), styles.small))
        for at, who, text in record.chat:
            story += _said(clock(at), who, text, styles)
    else:
        story.append(_p(_("No chat messages."), styles.body))

    story.append(_p(_("Record of the hearing"), styles.heading))
    if record.transcript_rows:
        story.append(
            _p(_("Reviewed transcript; times are from the start of the recording."), styles.small)
        )
        for t, who, text in record.transcript_rows:
            story += _said(offset(t), who, text, styles)
    else:
        story.append(_p(_("No reviewed transcript is available for this hearing."), styles.body))

    story.append(_p(_("Signatures"), styles.heading))
    story.append(
        _p(
            _(
                "These minutes are signed electronically, each signature binding the "
                "signer, the time and this document's SHA-256 fingerprint, by:"
            ),
            styles.body,
        )
    )
    story.append(
        _table([(_("Name"), _("Role"))] + list(signers), [width * 0.5, width * 0.5], styles)
    )

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(styles.font, 8)
        canvas.drawRightString(
            A4[0] - 18 * mm,
            10 * mm,
            _("Case %(number)s · page %(page)d")
            % {"number": record.case_number, "page": document.page},
        )
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
