"""The case page for parties: the "next step" card (the hearing's date, a countdown, what to
prepare, a join button live from 30 minutes before the start), the hearing date in My cases,
recordings kept out of the evidence list, inline previews of images and PDFs, and HEIC photos
recognised as images."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from case_core.filetypes import sniff_content_type
from case_core.models import Case, CaseStatus, Evidence, HearingStatus

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 32
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 32


def _card(page: str) -> str:
    start = page.index('id="next-step"')
    return page[start : page.index("</section>", start)]


def test_it_shows_the_next_hearing_at_the_top_with_a_join_button_that_opens_before_it(
    as_user, hearing, applicant
):
    client = as_user(applicant)
    url = reverse("web:case", args=[hearing.case_id])
    page = client.get(url).content.decode()
    card = _card(page)
    assert page.index('id="next-step"') < page.index('class="columns')
    assert "starts in 5" in card or "starts in 6" in card  # six days ahead
    assert "Your identity document" in card
    assert 'aria-disabled="true"' in card and "30 minutes before the start" in card
    join = reverse("signaling:hearing", args=[hearing.pk])
    assert f'href="{join}"' not in card
    hearing.scheduled_start = timezone.now() + timedelta(minutes=20)
    hearing.save()
    card = _card(client.get(url).content.decode())
    assert f'href="{join}"' in card and "aria-disabled" not in card
    hearing.status = HearingStatus.CLOSED
    hearing.save()
    page = client.get(url).content.decode()
    assert 'id="next-step"' not in page
    hearings = page[
        page.index('id="hearings"') : page.index("</section>", page.index('id="hearings"'))
    ]
    assert "Ended" in hearings and "Closed" not in hearings  # the hearing's end, not the case's


def test_it_shows_the_hearing_date_in_my_cases(as_user, hearing, applicant):
    client = as_user(applicant)
    page = client.get(reverse("web:my_cases")).content.decode()
    when = timezone.localtime(hearing.scheduled_start).strftime("%Y-%m-%d %H:%M")
    assert "Next hearing" in page and when in page
    Case.objects.filter(pk=hearing.case_id).update(status=CaseStatus.CLOSED)
    assert when not in client.get(reverse("web:my_cases")).content.decode()


def test_it_keeps_recordings_out_of_the_evidence_list(as_user, filed_case, applicant, clerk):
    Evidence.objects.create(
        case=filed_case,
        kind="recording",
        title="庭审录音 track 1",
        file=ContentFile(b"x", name="t.webm"),
        original_name="t.webm",
        content_type="audio/webm",
        size=1,
        sha256="0" * 64,
        submitted_by=clerk,
    )
    page = as_user(applicant).get(reverse("web:case", args=[filed_case.pk])).content.decode()
    evidence = page[
        page.index('id="evidence"') : page.index("</section>", page.index('id="evidence"'))
    ]
    assert "庭审录音" not in evidence and "No evidence yet." in evidence


def test_it_previews_images_and_pdfs_inline_in_a_sandbox(as_user, filed_case, applicant):
    client = as_user(applicant)
    for name, content in (("photo.png", PNG), ("notes.txt", b"plain notes")):
        client.post(
            reverse("web:evidence_upload", args=[filed_case.pk]),
            {"title": name, "description": "", "file": SimpleUploadedFile(name, content)},
        )
    png, txt = Evidence.objects.order_by("id")
    page = client.get(reverse("web:case", args=[filed_case.pk])).content.decode()
    inline = reverse("web:evidence_download", args=[png.pk]) + "?inline=1"
    assert f'<img loading="lazy" src="{inline}"' in page
    reply = client.get(inline)
    assert reply.status_code == 200 and reply["Content-Disposition"].startswith("inline")
    assert "sandbox" in reply["Content-Security-Policy"]
    reply = client.get(reverse("web:evidence_download", args=[txt.pk]) + "?inline=1")
    assert reply["Content-Disposition"].startswith("attachment")  # not previewable: a download


def test_it_recognises_an_iphone_heic_photo_as_an_image():
    assert sniff_content_type(HEIC, "IMG_0001.HEIC") == "image/heic"
    assert sniff_content_type(MP4, "clip.mp4") == "video/mp4"
