"""The clerk's review: versioned edits with the machine text kept, merge, split, reassign,
reviewed; only the clerk edits; nothing changes once the minutes are signed."""

from __future__ import annotations

import pytest

from case_core.errors import DomainError
from case_core.models import AuditEntry, DocumentStatus, SignableDocument
from transcription.review import (
    segment_edit,
    segment_merge,
    segment_reassign_speaker,
    segment_split,
    transcript_mark_reviewed,
)
from transcription.transcript_models import EditKind, Segment, SegmentEdit, TranscriptStatus


def seg(transcript, order) -> Segment:
    return transcript.segments.get(order=order)


def refused(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as err:
        call(**kwargs)
    return err.value


def test_it_versions_every_edit_with_who_and_when_and_keeps_the_machine_text(transcript, clerk):
    segment = seg(transcript, 1)
    segment_edit(actor=clerk, segment=segment, text="I claim unpaid wages from March to May.")
    segment_edit(actor=clerk, segment=segment, text="I claim unpaid wages, March to May.")
    segment.refresh_from_db()
    assert segment.version == 2 and segment.edited
    assert segment.machine_text == "I claim unpaid wages for March to May."
    edits = list(SegmentEdit.objects.filter(segment=segment).order_by("version"))
    assert [(e.version, e.kind, e.editor) for e in edits] == [
        (1, "text", clerk),
        (2, "text", clerk),
    ]
    assert edits[0].old_text == "I claim unpaid wages for March to May."
    assert edits[1].old_text == edits[0].new_text
    assert edits[1].created_at >= edits[0].created_at
    assert AuditEntry.objects.filter(action="transcript.text").count() == 2


def test_it_ignores_an_unchanged_edit_and_refuses_an_empty_one(transcript, clerk):
    segment = seg(transcript, 0)
    segment_edit(actor=clerk, segment=segment, text="  The hearing is now open. ")
    assert SegmentEdit.objects.count() == 0
    assert refused(segment_edit, actor=clerk, segment=segment, text="  ").code == "invalid"


def test_it_lets_only_the_clerk_edit(transcript, arbitrator, applicant, outsider):
    segment = seg(transcript, 0)
    assert refused(segment_edit, actor=arbitrator, segment=segment, text="x").code == "forbidden"
    assert refused(segment_edit, actor=applicant, segment=segment, text="x").code == "forbidden"
    assert refused(segment_edit, actor=outsider, segment=segment, text="x").code == "not_found"
    assert (
        refused(transcript_mark_reviewed, actor=applicant, transcript=transcript).code
        == "forbidden"
    )


def test_it_merges_a_segment_with_the_next_of_the_same_speaker(transcript, clerk, arbitrator):
    segment_split(actor=clerk, segment=seg(transcript, 0), at=12)  # "The hearing" | "is now open."
    merged = segment_merge(actor=clerk, segment=seg(transcript, 0))
    assert merged.text == "The hearing is now open." and (merged.start, merged.end) == (1.0, 3.0)
    assert transcript.segments.count() == 4
    assert list(transcript.segments.values_list("order", flat=True)) == [0, 1, 2, 3]
    edit = SegmentEdit.objects.filter(kind=EditKind.MERGE).get()
    assert edit.data["absorbed"]["text"] == "is now open." and edit.segment == merged
    # the absorbed segment's history moved to the merged one
    assert SegmentEdit.objects.filter(segment=merged).count() == 3  # split x2, merge


def test_it_refuses_merging_different_speakers_or_the_last_segment(transcript, clerk):
    assert refused(segment_merge, actor=clerk, segment=seg(transcript, 0)).code == "speakers_differ"
    assert refused(segment_merge, actor=clerk, segment=seg(transcript, 3)).code == "no_next_segment"
    assert transcript.segments.count() == 4


def test_it_splits_a_segment_in_text_and_time(transcript, clerk):
    first, second = segment_split(actor=clerk, segment=seg(transcript, 1), at=14, time=6.0)
    assert (first.text, second.text) == ("I claim unpaid", "wages for March to May.")
    assert (first.start, first.end, second.start, second.end) == (4.5, 6.0, 6.0, 8.5)
    assert (first.machine_text, second.machine_text) == (
        "I claim unpaid",
        "wages for March to May.",
    )
    assert second.speaker_id == first.speaker_id and second.order == 2
    assert list(transcript.segments.values_list("order", flat=True)) == [0, 1, 2, 3, 4]
    assert seg(transcript, 3).speaker_role == "respondent"
    split_edits = SegmentEdit.objects.filter(kind=EditKind.SPLIT)
    assert split_edits.count() == 2 and split_edits.first().data["split_from"]["end"] == 8.5


def test_it_splits_time_proportionally_and_refuses_a_split_at_an_edge(transcript, clerk):
    segment = seg(transcript, 2)  # 11.5-14.0, "The company paid the March wages."
    first, _second = segment_split(actor=clerk, segment=segment, at=16)
    assert first.end == pytest.approx(11.5 + 2.5 * 16 / 33, abs=0.001)
    assert refused(segment_split, actor=clerk, segment=seg(transcript, 0), at=0).code == "invalid"
    assert (
        refused(segment_split, actor=clerk, segment=seg(transcript, 0), at=5, time=9).code
        == "invalid"
    )


def test_it_reassigns_a_speaker_to_a_participant_in_their_role(transcript, clerk, agent, outsider):
    segment = segment_reassign_speaker(actor=clerk, segment=seg(transcript, 1), user=agent)
    assert (segment.speaker, segment.speaker_name, segment.speaker_role) == (
        agent,
        agent.name,
        "agent",
    )
    edit = SegmentEdit.objects.get(kind=EditKind.SPEAKER)
    assert edit.data["from"]["role"] == "applicant" and edit.data["to"]["user"] == agent.pk
    err = refused(segment_reassign_speaker, actor=clerk, segment=segment, user=outsider)
    assert err.code == "invalid"


def test_it_marks_reviewed_and_an_edit_reopens_the_review(transcript, clerk):
    transcript = transcript_mark_reviewed(actor=clerk, transcript=transcript)
    assert transcript.status == TranscriptStatus.REVIEWED and transcript.reviewed_by == clerk
    assert (
        refused(transcript_mark_reviewed, actor=clerk, transcript=transcript).code
        == "already_reviewed"
    )
    segment_edit(actor=clerk, segment=seg(transcript, 0), text="The hearing is open.")
    transcript.refresh_from_db()
    assert transcript.status == TranscriptStatus.MACHINE_DONE


def _minutes(transcript, clerk, status):
    return SignableDocument.objects.create(
        case=transcript.hearing.case,
        hearing=transcript.hearing,
        kind="minutes",
        title="m",
        filename="m.pdf",
        size=1,
        sha256="0" * 64,
        status=status,
        created_by=clerk,
    )


def test_it_refuses_every_change_once_the_minutes_are_signed(transcript, clerk, agent):
    _minutes(transcript, clerk, DocumentStatus.SIGNED)
    before = list(transcript.segments.values_list("text", "start", "end", "speaker", "order"))
    calls = [
        (segment_edit, {"segment": seg(transcript, 0), "text": "changed"}),
        (segment_merge, {"segment": seg(transcript, 0)}),
        (segment_split, {"segment": seg(transcript, 0), "at": 5}),
        (segment_reassign_speaker, {"segment": seg(transcript, 0), "user": agent}),
        (transcript_mark_reviewed, {"transcript": transcript}),
    ]
    for call, kwargs in calls:
        assert refused(call, actor=clerk, **kwargs).code == "minutes_signed"
    assert (
        list(transcript.segments.values_list("text", "start", "end", "speaker", "order")) == before
    )
    assert SegmentEdit.objects.count() == 0


def test_it_refuses_edits_while_the_minutes_are_out_for_signature(transcript, clerk):
    _minutes(transcript, clerk, DocumentStatus.AWAITING)
    err = refused(segment_edit, actor=clerk, segment=seg(transcript, 0), text="changed")
    assert err.code == "minutes_awaiting_signatures"
