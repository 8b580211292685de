"""A lane: one worker thread that runs recognition jobs one at a time, for the whole process.

Live captions must never block the event loop and must not eat the CPU the media engine needs,
so every whisper caption job of the process goes through one lane (at most one whisper job at a
time), and vosk streams through another. Each stream (one speaker of one hearing) has its own
bounded queue; streams are served round robin. When a stream falls behind, its oldest job is
dropped (and logged): a late caption is worth less than a current one.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass
class Job:
    run: Callable[[], object]  # runs on the lane's thread
    done: Callable[[object], None]  # called with run()'s result (on the lane's thread)
    droppable: bool = False  # partial captions: replaced by a newer job of the same stream


class Lane:
    def __init__(self, name: str, *, max_queue: int = 4) -> None:
        self.name = name
        self.max_queue = max_queue
        self.dropped = 0
        self.ran = 0
        self._queues: OrderedDict[object, deque[Job]] = OrderedDict()
        self._cond = threading.Condition()
        self._busy = False
        self._thread: threading.Thread | None = None

    def submit(self, stream: object, job: Job) -> None:
        with self._cond:
            queue = self._queues.setdefault(stream, deque())
            if job.droppable:  # keep at most one pending partial, the newest
                for old in [j for j in queue if j.droppable]:
                    queue.remove(old)
            while len(queue) >= self.max_queue:
                queue.popleft()
                self.dropped += 1
                logger.warning(
                    "caption lane %s: stream %s fell behind; dropped its oldest job", self.name,
                    stream,
                )  # fmt: skip
            queue.append(job)
            self._ensure_thread()
            self._cond.notify()

    def forget(self, stream: object) -> None:
        with self._cond:
            self._queues.pop(stream, None)

    def pending(self, stream: object | None = None) -> int:
        with self._cond:
            if stream is not None:
                return len(self._queues.get(stream, ()))
            return sum(len(q) for q in self._queues.values()) + (1 if self._busy else 0)

    def wait_idle(self, timeout: float = 60.0) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self.pending_locked() == 0, timeout)

    def shutdown(self, timeout: float = 30.0) -> None:
        """Drop every waiting job and wait for the running one (a native decode must not be
        torn down by the interpreter exiting under it)."""
        with self._cond:
            self._queues.clear()
            self._cond.wait_for(lambda: not self._busy, timeout)

    def pending_locked(self) -> int:
        return sum(len(q) for q in self._queues.values()) + (1 if self._busy else 0)

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._loop, name=f"captions-{self.name}")
            self._thread.daemon = True
            self._thread.start()

    def _next(self) -> Job | None:
        for stream in list(self._queues):  # round robin: the served stream goes to the back
            queue = self._queues[stream]
            if queue:
                self._queues.move_to_end(stream)
                return queue.popleft()
        return None

    def _loop(self) -> None:
        while True:
            with self._cond:
                job = self._next()
                while job is None:
                    self._cond.notify_all()
                    self._cond.wait()
                    job = self._next()
                self._busy = True
            try:
                result = job.run()
            except Exception:
                logger.exception("caption job failed on lane %s", self.name)
                result = None
            try:
                if result is not None:
                    job.done(result)
            except Exception:
                logger.exception("caption delivery failed on lane %s", self.name)
            with self._cond:
                self._busy = False
                self.ran += 1
                self._cond.notify_all()


_lanes: dict[str, Lane] = {}
_lanes_lock = threading.Lock()


@atexit.register
def _shutdown_lanes() -> None:
    with _lanes_lock:
        lanes = list(_lanes.values())
    for item in lanes:
        item.shutdown()


def lane(name: str) -> Lane:
    """The process-wide lane `name` ("whisper" or "vosk")."""
    with _lanes_lock:
        if name not in _lanes:
            from django.conf import settings

            size = getattr(settings, "TRIBUNAL_CAPTIONS_QUEUE", 4)
            _lanes[name] = Lane(name, max_queue=size)
        return _lanes[name]
