"""Search across every transcript of a case, in English and in Chinese."""

from __future__ import annotations

import pytest

from case_core.errors import DomainError
from tests.support.transcripts import (
    tracks_for,
)
from transcription.search import transcript_search
from transcription.transcripts import transcript_from_segments


@pytest.fixture
def chinese(hearing, arbitrator, applicant, respondent):
    return transcript_from_segments(
        hearing=hearing,
        tracks=tracks_for(hearing, arbitrator, applicant, respondent, "zh-hans"),
        language="zh-hans",
    )


def test_it_finds_english_words_whatever_their_case(transcript, chinese, applicant):
    hits = transcript_search(actor=applicant, case=transcript.hearing.case, query="MARCH")
    assert [h.segment.order for h in hits] == [1, 2]
    assert {h.segment.transcript_id for h in hits} == {transcript.pk}
    assert hits[0].match == "March" and hits[0].before.endswith("wages for ")


def test_it_finds_chinese_substrings_across_the_cases_transcripts(transcript, chinese, arbitrator):
    hits = transcript_search(actor=arbitrator, case=transcript.hearing.case, query="工资")
    assert [h.segment.text for h in hits] == [
        "我要求支付三月到五月的工资。",
        "公司已经支付了三月的工资。",
        "请出示工资条。",
    ]
    assert all(h.segment.transcript_id == chinese.pk for h in hits)
    assert hits[2].before == "请出示" and hits[2].after == "条。"


def test_it_returns_nothing_for_a_blank_query_or_no_match(transcript, clerk):
    case = transcript.hearing.case
    assert transcript_search(actor=clerk, case=case, query="   ") == []
    assert transcript_search(actor=clerk, case=case, query="overtime") == []


def test_it_hides_the_transcripts_from_an_outsider(transcript, outsider):
    with pytest.raises(DomainError) as err:
        transcript_search(actor=outsider, case=transcript.hearing.case, query="March")
    assert err.value.code == "not_found"
