"""recording_finalize puts files in the case file (hashed, audited, composite queued); the player
serves byte ranges to members only and audits views and exports once; verify_recordings finds a
tampered file; the case page lists recordings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from case_core.models import AuditEntry, Evidence
from case_core.services import case_accept, case_assign, case_schedule
from recording.hashing import sha256_file
from recording.services import recording_finalize

pytestmark = pytest.mark.django_db


@pytest.fixture
def hearing(filed_case, clerk, arbitrator):
    case_accept(actor=clerk, case=filed_case)
    case_assign(actor=clerk, case=filed_case, presiding=arbitrator)
    return case_schedule(
        actor=clerk, case=filed_case, start=timezone.now() + timedelta(days=6)
    ).new_hearing


@pytest.fixture
def recorded(hearing, applicant, arbitrator, tmp_path):
    directory = tmp_path / "rec"
    directory.mkdir()
    video = directory / f"{applicant.pk}-camera.webm"
    video.write_bytes(bytes(range(256)) * 40)  # 10240 bytes
    audio = directory / f"{arbitrator.pk}-mic.webm"
    audio.write_bytes(b"\x1a\x45\xdf\xa3" + b"a" * 2000)
    events = directory / "events.jsonl"
    events.write_text('{"t": 0, "type": "recording_started"}\n')
    files = [
        {"path": video, "kind": "video", "participant_id": str(applicant.pk), "label": "camera"},
        {"path": audio, "kind": "audio", "participant_id": str(arbitrator.pk), "label": "mic"},
        {"path": events, "kind": "events"},
    ]
    return recording_finalize(hearing=hearing, files=files, actor=arbitrator)


def test_it_attaches_each_file_as_hashed_recording_evidence_with_custody_entries(
    recorded, filed_case, applicant
):
    evidence = list(Evidence.objects.filter(kind="recording", case=filed_case))
    assert len(evidence) == 3
    by_type = {e.content_type for e in evidence}
    assert by_type == {"video/webm", "audio/webm", "application/jsonl"}
    for item in evidence:
        assert sha256_file(item.file.path) == (item.sha256, item.size)
    created = AuditEntry.objects.filter(action="recording.created", case=filed_case)
    hashed = AuditEntry.objects.filter(action="recording.hashed", case=filed_case)
    assert sorted(e.data["evidence"] for e in created) == sorted(e.pk for e in evidence)
    assert {e.data["sha256"] for e in hashed} == {e.sha256 for e in evidence}
    camera = recorded.files.get(label="camera")
    assert camera.speaker == applicant and camera.kind == "video"
    assert recorded.composite_status == "pending"  # queued on commit (the e2e test runs it)


@pytest.fixture
def camera(recorded):
    return recorded.files.get(label="camera").evidence


def test_it_serves_byte_ranges_and_audits_one_view_per_playback(client, camera, applicant):
    client.force_login(applicant)
    url = reverse("recording:file", args=[camera.pk])
    whole = bytes(range(256)) * 40
    response = client.get(url, HTTP_RANGE="bytes=10-99")
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == whole[10:100]
    assert response["Content-Range"] == f"bytes 10-99/{len(whole)}"
    assert response["Accept-Ranges"] == "bytes" and response["Content-Length"] == "90"
    assert response["Content-Type"] == "video/webm"
    tail = client.get(url, HTTP_RANGE="bytes=-6")
    assert b"".join(tail.streaming_content) == whole[-6:]
    open_ended = client.get(url, HTTP_RANGE="bytes=10000-")
    assert b"".join(open_ended.streaming_content) == whole[10000:]
    assert client.get(url, HTTP_RANGE="bytes=99999-").status_code == 416
    full = client.get(url)
    assert full.status_code == 200 and b"".join(full.streaming_content) == whole
    views = AuditEntry.objects.filter(action="recording.viewed", data__evidence=camera.pk)
    assert views.count() == 1 and views.get().actor == applicant
    download = client.get(url + "?download=1")
    assert download["Content-Disposition"].startswith("attachment")
    b"".join(download.streaming_content)
    exported = AuditEntry.objects.filter(action="recording.exported", data__evidence=camera.pk)
    assert exported.count() == 1


def test_it_refuses_outsiders_and_strangers_with_not_found(client, camera, outsider):
    url = reverse("recording:file", args=[camera.pk])
    assert client.get(url, HTTP_RANGE="bytes=0-9").status_code == 404
    client.force_login(outsider)
    assert client.get(url, HTTP_RANGE="bytes=0-9").status_code == 404
    assert client.get(reverse("recording:file", args=[999999])).status_code == 404
    assert not AuditEntry.objects.filter(action="recording.viewed").exists()


def test_it_refuses_documents_that_are_not_recordings(client, recorded, applicant, filed_case):
    from django.core.files.base import ContentFile

    from case_core.services import evidence_upload

    doc = evidence_upload(
        actor=applicant,
        case=filed_case,
        upload=ContentFile(b"%PDF-1.4\n%%EOF\n", name="a.pdf"),
        title="Contract",
    )
    client.force_login(applicant)
    assert client.get(reverse("recording:file", args=[doc.pk])).status_code == 404


def test_it_detects_a_tampered_recording(camera, recorded, capsys):
    call_command("verify_recordings", case=recorded.case_id)
    assert "3 recording files verified" in capsys.readouterr().out
    with open(camera.file.path, "r+b") as handle:
        handle.seek(100)
        handle.write(b"X")
    with pytest.raises(CommandError):
        call_command("verify_recordings")
    err = capsys.readouterr().err
    assert f"evidence {camera.pk}" in err and "MISMATCH" in err


def test_it_lists_recordings_on_the_case_page(client, recorded, camera, applicant):
    client.force_login(applicant)
    page = client.get(reverse("web:case", args=[recorded.case_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="recordings"' in html
    assert reverse("recording:file", args=[camera.pk]) in html
    assert "<video" in html
