from tests.asr_models import tiny_en_dir, tiny_en_models  # noqa: F401 (fixtures)
from tests.media.fixtures import engine, media, media_dir  # noqa: F401 (fixtures)
