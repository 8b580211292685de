"""`no_error_logged`: a test of bad input fails if anything is logged at ERROR or with a traceback
(bad input is answered, never logged as a server fault). Use it with
`pytestmark = pytest.mark.usefixtures("no_error_logged")`; under `-p no:logging` it does nothing."""

from __future__ import annotations

import logging

import pytest


@pytest.fixture
def no_error_logged(request):
    if not request.config.pluginmanager.has_plugin("logging-plugin"):
        yield
        return
    caplog = request.getfixturevalue("caplog")
    yield
    records = caplog.get_records("setup") + caplog.get_records("call")
    bad = [r for r in records if r.levelno >= logging.ERROR or r.exc_info]
    assert not bad, [r.getMessage() for r in bad]
