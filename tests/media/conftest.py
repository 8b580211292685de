from tests.media.fixtures import engine, media, media_dir  # noqa: F401 (fixtures)
