"""The record's checks that need the layers above case_core, provided to it in AppConfig.ready.

case_core's verifier (`case_core.integrity.verify`) checks the audit chains, checkpoints,
evidence, case rows, documents and signatures; this module adds (`case_core.integrity.registry`):

* every hearing's event log head ("hearing-<id>") to each signed checkpoint;
* each hearing's event log: its links and head, and against the checkpoints that signed it;
* reviewed transcripts: their content against the hash recorded when they were reviewed or put
  into minutes;
* recording files: speaker, source and role against the `recording.created` entry that filed them.
"""

from __future__ import annotations

from case_core.chain import chain_verify
from case_core.integrity.registry import provide_chain_heads, provide_check
from case_core.integrity.verify import check_against_anchors
from case_core.models import AuditEntry, Hearing
from recording.models import RecordingFile
from signaling.models import HearingEvent, HearingLive
from transcription.digest import transcript_sha256
from transcription.transcript_models import Transcript, TranscriptStatus


def hearing_heads() -> dict:
    return {
        f"hearing-{live.hearing_id}": [live.last_seq, live.last_hash]
        for live in HearingLive.objects.filter(last_seq__gt=0)
    }


def check_hearing_logs(case_ids, anchors, report) -> None:
    hearings = Hearing.objects.filter(case_id__in=case_ids).order_by("pk")
    for hearing in hearings:
        name = f"hearing-{hearing.pk}"
        events = HearingEvent.objects.filter(hearing=hearing)
        head = HearingLive.objects.filter(hearing=hearing).first()
        result = chain_verify(events, head)
        report.count("hearing events", result.entries)
        if head is None and (result.entries or anchors.get(name)):
            report.fail("hearing_log", name, "the log's head row is missing", hearing.case_id)
        if not result.ok:
            report.fail(
                "hearing_log",
                f"{name} seq {result.first_broken_seq}",
                result.reason,
                hearing.case_id,
            )
        hashes = dict(events.values_list("seq", "hash"))
        check_against_anchors(
            name, hashes, anchors.get(name, []), report, hearing.case_id, check="hearing_log"
        )


def check_transcripts(case_ids, anchors, report) -> None:
    latest: dict[int, AuditEntry] = {}  # its last review, or the minutes made after it
    reviewed: set[int] = set()
    for entry in AuditEntry.objects.filter(
        case_id__in=case_ids, action__in=("transcript.reviewed", "transcript.minuted")
    ).order_by("case", "seq"):
        latest[entry.data.get("transcript")] = entry
        if entry.action == "transcript.reviewed":
            reviewed.add(entry.data.get("transcript"))
    for transcript in Transcript.objects.filter(
        hearing__case_id__in=case_ids, status=TranscriptStatus.REVIEWED
    ).select_related("hearing"):
        report.count("reviewed transcripts")
        case_id = transcript.hearing.case_id
        subject = f"transcript {transcript.pk}"
        entry = latest.get(transcript.pk)
        if entry is None or transcript.pk not in reviewed:
            report.fail("transcript", subject, "reviewed, but no audit entry says so", case_id)
        elif "sha256" in entry.data and entry.data["sha256"] != transcript_sha256(transcript):
            report.fail("transcript", subject, "changed since it was reviewed", case_id)


def check_recording_files(case_ids, anchors, report) -> None:
    created = {}
    for entry in AuditEntry.objects.filter(case_id__in=case_ids, action="recording.created"):
        created[entry.data.get("evidence")] = entry
    for rf in RecordingFile.objects.filter(recording__case_id__in=case_ids).select_related(
        "recording"
    ):
        entry = created.get(rf.evidence_id)
        subject = f"recording file {rf.pk} (evidence {rf.evidence_id})"
        case_id = rf.recording.case_id
        if entry is None:
            report.fail("recording", subject, "no audit entry filed it", case_id)
            continue
        data = entry.data
        want = {"role": rf.role, "recording": rf.recording_id}
        if rf.speaker_id is not None or "speaker" in data:
            want.update(speaker=rf.speaker_id, source=rf.label)
        if rf.kind or data.get("kind") not in (None, "events"):
            want["kind"] = rf.kind
        wrong = [key for key, value in want.items() if data.get(key) != value]
        if wrong:
            report.fail(
                "recording",
                subject,
                f"relabelled: {', '.join(wrong)} differ from its entry",
                case_id,
            )


def provide() -> None:
    provide_chain_heads(hearing_heads)
    provide_check(check_hearing_logs)
    provide_check(check_transcripts)
    provide_check(check_recording_files)
