"""Exports: WebVTT and SRT with correct timestamps and speakers, and JSON."""

from __future__ import annotations

import json
import re

from transcription.exports import srt_time, to_json, to_srt, to_webvtt, vtt_time
from transcription.review import segment_edit

CUE = re.compile(r"^(\d\d):(\d\d):(\d\d)([.,])(\d\d\d) --> (\d\d):(\d\d):(\d\d)([.,])(\d\d\d)$")


def parse_times(text: str, separator: str) -> list[tuple[float, float]]:
    times = []
    for line in text.splitlines():
        match = CUE.match(line)
        if match:
            g = match.groups()
            assert g[3] == g[8] == separator, line
            start = int(g[0]) * 3600 + int(g[1]) * 60 + int(g[2]) + int(g[4]) / 1000
            end = int(g[5]) * 3600 + int(g[6]) * 60 + int(g[7]) + int(g[9]) / 1000
            times.append((start, end))
    return times


def test_it_formats_timestamps_past_an_hour():
    assert vtt_time(3723.4567) == "01:02:03.457"
    assert srt_time(0.0) == "00:00:00,000"
    assert srt_time(59.9996) == "00:01:00,000"


def test_it_exports_webvtt_with_voice_tags(transcript, clerk):
    segment_edit(actor=clerk, segment=transcript.segments.get(order=2), text="Paid <all> & more")
    vtt = to_webvtt(transcript)
    assert vtt.startswith("WEBVTT\n\n1\n")
    assert parse_times(vtt, ".") == [(1.0, 3.0), (4.5, 8.5), (11.5, 14.0), (20.0, 22.5)]
    assert "<v applicant (Applicant)>I claim unpaid wages for March to May." in vtt
    assert "Paid &lt;all&gt; &amp; more" in vtt


def test_it_exports_srt_numbered_from_one(transcript):
    srt = to_srt(transcript)
    blocks = [b for b in srt.strip().split("\n\n")]
    assert [b.splitlines()[0] for b in blocks] == ["1", "2", "3", "4"]
    assert parse_times(srt, ",") == [(1.0, 3.0), (4.5, 8.5), (11.5, 14.0), (20.0, 22.5)]
    assert blocks[2].splitlines()[2] == "respondent (Respondent): The company paid the March wages."


def test_it_exports_json_with_machine_text_and_speakers(transcript, clerk, applicant):
    segment_edit(actor=clerk, segment=transcript.segments.get(order=1), text="Edited.")
    data = json.loads(json.dumps(to_json(transcript)))
    assert data["language"] == "en" and len(data["segments"]) == 4
    second = data["segments"][1]
    assert second["text"] == "Edited." and second["machine_text"].startswith("I claim")
    assert second["speaker"] == {"user": applicant.pk, "name": applicant.name, "role": "applicant"}
    assert second["version"] == 1 and second["start"] == 4.5
