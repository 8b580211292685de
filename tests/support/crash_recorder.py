"""Run by test_crash_safety in a subprocess: a recorded two-party hearing that never stops
(the test SIGKILLs it). Usage: python -m tests.support.crash_recorder MEDIA_FILE OUT_DIR"""

from __future__ import annotations

import asyncio
import sys

from media import testing
from media.engine import MediaEngine
from recording.sink import RecordingSink


async def main(media_file: str, out_dir: str) -> None:
    media = testing.load_media(media_file)
    engine = MediaEngine(ice_timeout=10)
    clients = []
    for who in ("arbitrator", "applicant"):
        await engine.set_room("h", who, "main")
        client = testing.LoadClient(media, slots=1)
        await client.connect(engine, "h", who)
        clients.append(client)
    await asyncio.sleep(0.5)
    sink = RecordingSink(f"{out_dir}/hearing-h", hearing_id="h")
    await sink.start()
    engine.attach("h", sink, rooms=("main",))
    print(f"RECORDING {sink.directory}", flush=True)
    while True:
        await asyncio.sleep(3600)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
