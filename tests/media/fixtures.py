"""Media fixtures shared by tests/media and tests/recording: encoded test media and an engine."""

from __future__ import annotations

import pytest

from media.engine import MediaEngine
from tests.media.helpers import encoded_media, media_file


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("media")
    media_file(directory)
    return directory


@pytest.fixture(scope="session")
def media(media_dir):
    return encoded_media(media_dir)


@pytest.fixture
async def engine(tmp_path):
    events = []
    engine = MediaEngine(ice_timeout=10, listener=events.append)
    engine.events = events
    yield engine
    await engine.shutdown()
