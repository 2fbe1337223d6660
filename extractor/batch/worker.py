"""One worker process of a `--workers N` run (the pool is workers.py): an event loop with its
own model client and its share of --concurrency, extracting the documents its parent sends.

    parent -> worker   (number, item) to extract; None: the input has ended, finish and exit
    worker -> parent   (number, Taken())        before any work on it, so the parent knows it holds it
                       (number, Outcome)        its result or failure, and what it spent
                       (number, Interrupted())  stopped midway (SIGTERM): what it had spent so far
                       (number, ConfigError)    a rejected key or an unknown model: the run's problem

Each worker has its own two pipes, so a worker that dies (killed, crashed) breaks no one
else's: the parent reads its messages up to the end of its pipe and then knows what it held.
A thread reads the parent's documents as they come, so the parent never waits on a worker
that is busy; everything sent back goes through one lock, so messages never interleave.

SIGTERM stops a worker cleanly: its documents under way are cancelled (their requests in
flight still count, see llm.py), what each had spent is sent back, and the worker then ends
as SIGTERM would have ended it. A second SIGTERM ends it at once. A worker whose parent is
gone (kill -9) stops taking documents and sends nothing: nobody would store it.
"""

from __future__ import annotations

import asyncio
import gc
import os
import queue
import signal
import sys
import threading
from dataclasses import dataclass

from extractor.batch.driver import DOCUMENTS_PER_QUESTION, Spend, attempt, live_asker
from extractor.errors import ConfigError

POLL = 0.5  # how often a worker waiting for documents looks whether its parent is still there


@dataclass(frozen=True)
class Taken:
    """The worker has taken the document: from now on it is in its hands."""


@dataclass(frozen=True)
class Interrupted:
    """The document was stopped midway; `spend` is what it had spent (its requests in flight too)."""

    spend: Spend


def work(settings, targets, model_name, share, tasks, results, pause, parent, inherited) -> None:
    """A worker process's body. `inherited`: the other workers' pipe ends this process got by
    being forked, closed at once, so that the end of a pipe is seen when its owner ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for connection in inherited:
        connection.close()
    _own_stderr()
    gc.set_threshold(10_000, 50, 100)  # as the parent's loop does (process.fewer_collections)
    stopped = asyncio.run(_serve(settings, targets, model_name, share, tasks, results, pause, parent))
    if stopped:  # everything is sent: now end as SIGTERM ends a process, so the parent sees why
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)


def _own_stderr() -> None:
    """A worker that replaces a dead one is forked during the run, maybe while the progress
    bar's thread was writing to stderr: that thread's hold on the stream's lock would then
    last for ever here, and our first warning would hang. So a stream of our own."""
    import io
    import logging

    old = sys.stderr
    try:
        fresh = open(old.fileno(), "w", encoding="utf-8", errors="backslashreplace", closefd=False, buffering=1)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):  # not a file (tests capture it)
        return
    sys.stderr = fresh
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler) and handler.stream is old:
            handler.stream = fresh  # not setStream: it would flush the old stream, taking its lock


class _Sender:
    """Messages to the parent. Outcomes go through a thread (a large result must not hold up
    the event loop while the parent is busy); `now` sends at once, in order with them."""

    def __init__(self, connection, parent: int):
        self.connection = connection
        self.parent = parent
        self.lock = threading.Lock()
        self.broken = False
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._drain, name="extractor-worker-sender", daemon=True)
        self.thread.start()

    def now(self, message) -> None:
        with self.lock:
            self._send(message)

    def later(self, message) -> None:
        self.queue.put(message)

    def close(self) -> None:
        """Send what is queued, unless nobody is there to read it (then a full pipe would hang us)."""
        self.queue.put(None)
        if os.getppid() == self.parent:
            self.thread.join()

    def _drain(self) -> None:
        while (message := self.queue.get()) is not None:
            with self.lock:
                self._send(message)

    def _send(self, message) -> None:
        if self.broken or os.getppid() != self.parent:
            return
        try:
            self.connection.send(message)
        except (OSError, ValueError):  # the parent closed its end: it is stopping us
            self.broken = True


async def _serve(settings, targets, model_name, share, tasks, results, pause, parent) -> bool:
    """Extract what comes until the input ends or a SIGTERM; True when stopped by SIGTERM."""
    model = None
    if model_name is not None:
        from extractor.llm import LanguageModel
        from extractor.ratelimit import RateLimiter

        limiter = RateLimiter(share["rpm"], share["tpm"], settings.max_tokens, shared_pause=pause)
        model = LanguageModel(settings, limiter=limiter)
    ask = live_asker(model, in_flight=share["concurrency"]) if model is not None else None
    loop = asyncio.get_running_loop()
    sender = _Sender(results, parent)
    stopping = threading.Event()
    inbox: asyncio.Queue = asyncio.Queue()
    reader = threading.Thread(target=_read, args=(tasks, parent, stopping, loop, inbox), daemon=True)
    reader.start()
    slots = asyncio.Semaphore(DOCUMENTS_PER_QUESTION * share["concurrency"])  # questions are capped in live_asker
    running: set[asyncio.Task] = set()
    held: dict[int, Spend] = {}  # documents taken and not yet sent back, with what each has spent
    main = asyncio.current_task()
    signalled = False

    def stop() -> None:
        nonlocal signalled
        signalled = True
        stopping.set()
        loop.remove_signal_handler(signal.SIGTERM)  # back to the default: a second SIGTERM ends us at once
        main.cancel()
        for job in running:
            job.cancel()

    loop.add_signal_handler(signal.SIGTERM, stop)

    async def one(number, item) -> None:
        try:
            outcome = await attempt(item.document, settings, model_name, targets, ask, held[number])
        except ConfigError as e:
            outcome = e
        except asyncio.CancelledError:
            outcome = Interrupted(held[number])
        del held[number]
        sender.later((number, outcome))

    def finished(job: asyncio.Task) -> None:
        running.discard(job)
        slots.release()

    try:
        while True:
            await slots.acquire()  # take a document only when one can start now
            task = await inbox.get()
            if task is None:
                break
            number, item = task
            held[number] = Spend()
            sender.now((number, Taken()))  # before any work: a death from here on is blamed on it
            job = asyncio.ensure_future(one(number, item))
            running.add(job)
            job.add_done_callback(finished)
            await asyncio.sleep(0)  # its request goes out before the next document's CPU work (see live.py)
        await asyncio.gather(*running)
    except asyncio.CancelledError:
        if not signalled:
            raise
        await asyncio.gather(*running, return_exceptions=True)  # each sends what it had spent
    finally:
        stopping.set()
        if signalled:
            for number, spend in list(held.items()):  # cancelled before it began: it spent nothing
                sender.later((number, Interrupted(spend)))
        if model is not None:
            await model.aclose()
            model.close()
        sender.close()
    return signalled


def _read(tasks, parent: int, stopping: threading.Event, loop, inbox: asyncio.Queue) -> None:
    """Take the parent's messages as they come; None once the input ended, the parent is gone
    (nobody would store what we make) or we are stopping."""
    try:
        try:
            while os.getppid() == parent and not stopping.is_set():
                if tasks.poll(POLL):
                    message = tasks.recv()
                    if message is None:
                        break
                    loop.call_soon_threadsafe(inbox.put_nowait, message)
        except (EOFError, OSError):  # the parent closed its end
            pass
        loop.call_soon_threadsafe(inbox.put_nowait, None)
    except RuntimeError:  # the loop has closed (a stop): nothing waits for us
        pass
