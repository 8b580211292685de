"""`tribunal mediaworker`: one media worker process (scale-out; needs REDIS_URL).

It registers in the media worker table, heartbeats every TRIBUNAL_MEDIA_HEARTBEAT seconds and
takes the hearings pinned to it (signaling/mediaworkers.py). SIGTERM/SIGINT stop it cleanly:
its hearings' connections close and any running recording is stored in the case file.
"""

import asyncio
import signal

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.core.management.base import BaseCommand, CommandError

from signaling.mediaworkers import new_worker_channel


class Command(BaseCommand):
    help = "Run one media worker (WebRTC media for the hearings pinned to it); needs REDIS_URL."

    def handle(self, *args, **options):
        if isinstance(get_channel_layer(), InMemoryChannelLayer):
            raise CommandError(
                "A separate media worker needs a shared channel layer: set REDIS_URL "
                "(without it the server runs its media worker itself)."
            )
        asyncio.run(self._main())

    async def _main(self):
        from hearing_server.mediaworker.worker import MediaWorker

        worker = MediaWorker(new_worker_channel())
        loop = asyncio.get_running_loop()
        main = asyncio.ensure_future(worker.run(register=True))
        worker.main = main
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, main.cancel)
        self.stdout.write(f"media worker {worker.channel} ready")
        self.stdout.flush()
        try:
            await main
        except asyncio.CancelledError:
            pass
        finally:
            await worker.stop()
            self.stdout.write(f"media worker {worker.channel} stopped")
