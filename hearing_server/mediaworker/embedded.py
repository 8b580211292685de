"""Embedded mode: one media worker per server process, an asyncio task started on first use.

Signaling starts it through `signaling.mediaworkers.start_embedded`, which calls the starter
hearing_server provides at start-up (HearingServerConfig.ready); signaling never imports this.
"""

from __future__ import annotations

import asyncio

from hearing_server.mediaworker.worker import MediaWorker
from signaling import mediaworkers as mw

_embedded: MediaWorker | None = None


def ensure_embedded() -> MediaWorker:
    """Start (or restart, in a new event loop) this process's embedded media worker."""
    global _embedded
    loop = asyncio.get_running_loop()
    worker = _embedded
    if (
        worker is None
        or worker.main is None
        or worker.main.done()
        or worker.main.get_loop() is not loop
    ):
        mw.EMBEDDED_CHANNEL = mw.new_embedded_channel()  # a new worker: hearings re-pin to it
        worker = MediaWorker(mw.EMBEDDED_CHANNEL)
        worker.start()
        _embedded = worker
    return worker


def embedded_worker() -> MediaWorker | None:
    return _embedded


async def shutdown_embedded() -> None:
    global _embedded
    worker, _embedded = _embedded, None
    if worker is not None and worker.main is not None:
        if worker.main.get_loop() is asyncio.get_running_loop():
            await worker.stop()
