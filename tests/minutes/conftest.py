"""The minutes tests' hearing: held, with every signer's phone on record."""

from __future__ import annotations

import pytest

from tests.support.transcripts import transcript_hearing


@pytest.fixture
def hearing(filed_case, clerk, arbitrator, applicant, respondent, agent):
    return transcript_hearing(filed_case, clerk, arbitrator, applicant, respondent, agent)
