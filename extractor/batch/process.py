"""What a batch run asks of its process: a clean stop on SIGTERM or Ctrl-C, and a garbage
collector that stays out of the way."""

from __future__ import annotations

import asyncio
import gc
import signal
from contextlib import contextmanager


class GracefulStop:
    """SIGTERM (a scheduler stopping the job) and Ctrl-C end a run cleanly recorded as interrupted.

    A signal must never land in the middle of a database write, so it does not raise where it
    lands: in the event loop it cancels the work (which stops at its next await, between
    writes), and in the worker-pool loop it sets a flag that loop checks between documents.
    Elsewhere (waiting for an OpenAI batch) it raises KeyboardInterrupt at once. A second
    signal always raises at once: the user insists.
    """

    def __init__(self):
        self.requested = False
        self.deferred = False  # True while a loop checks `requested` itself
        self._task: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous: dict[int, object] = {}

    def __enter__(self) -> GracefulStop:
        for signum in (signal.SIGTERM, signal.SIGINT):
            try:
                self._previous[signum] = signal.signal(signum, self._handle)
            except ValueError:  # not the main thread (tests calling in a thread): signals stay as they are
                break
        return self

    def __exit__(self, *exc) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)

    def _handle(self, signum, frame) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        if self._task is not None and self._loop is not None:
            self._loop.call_soon_threadsafe(self._task.cancel)
        elif not self.deferred:
            raise KeyboardInterrupt

    async def guard(self, work):
        """Run `work` so that a stop request cancels it; returns None when it was stopped."""
        self._loop, self._task = asyncio.get_running_loop(), asyncio.current_task()
        try:
            if self.requested:
                work.close()
                return None
            return await work
        except asyncio.CancelledError:
            if self.requested:
                return None
            raise
        finally:
            self._task = self._loop = None

    def check(self) -> None:
        """Raise KeyboardInterrupt if a stop was requested (called at safe points)."""
        if self.requested:
            raise KeyboardInterrupt


@contextmanager
def fewer_collections():
    """A batch makes many short-lived objects per document and keeps few. Python's collector,
    at its default rhythm (every 700 new objects, and now and then through everything imported),
    costs a fast run about 5% of its time: what exists at the start is frozen out of its scans,
    and the young generation is collected less often."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
