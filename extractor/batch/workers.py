"""Extraction in worker processes, for runs whose CPU work (the finder, mostly) outgrows one
core: fast models, high concurrency, rules only.

    parent    reads the inputs, selects, stores every outcome, shows progress: the one writer
    workers   each an event loop with its own model client and its share of --concurrency;
              they take documents from one queue, so a slow document holds no one up, and
              send back each outcome (result or failure, and what it spent)

--rpm and --tpm are divided between the workers, and a 429 that one of them meets pauses
them all (a shared pause time). A worker that finds its parent gone (kill -9) stops; the
documents it held were never stored, so the next run does them.

A worker says which document it took (`Taken`) before it works on it, so the parent knows
what each holds. A worker that ends with exit code 0 has finished (it ends only after the
input ended and its documents are back); one that ends otherwise died. On a death the others
finish what they hold, the documents the dead one held are recorded as failed with the cause
(--retry-failed redoes them; a document that kills its worker is not retried blindly every
night), and the run stops.
"""

from __future__ import annotations

import asyncio
import gc
import math
import multiprocessing
import os
import queue
import signal
import time
from dataclasses import dataclass

from extractor.batch.driver import DOCUMENTS_PER_QUESTION, Spend, attempt, live_asker
from extractor.errors import ConfigError, ExtractorError

POLL = 0.5
UNTAKEN_WAIT = 10.0  # after a death: how long documents nobody took may wait for a taker


@dataclass(frozen=True)
class Taken:
    """A worker's message that it has taken a document: `(number, Taken(pid))`."""

    pid: int


class WorkerPool:
    def __init__(self, settings, targets: tuple[str, ...], model_name: str | None, workers: int):
        # fork: a worker starts in milliseconds with everything imported; spawn elsewhere
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.size = workers
        # documents handed out and not yet back: what the workers have under way, and a queue
        self.capacity = (DOCUMENTS_PER_QUESTION + 1) * settings.concurrency
        self.tasks = context.Queue()
        self.results = context.Queue()
        self.pause = context.Value("d", 0.0, lock=False)
        share = dict(
            concurrency=math.ceil(settings.concurrency / workers),
            rpm=settings.rpm / workers if settings.rpm else None,
            tpm=settings.tpm / workers if settings.tpm else None,
        )
        self.processes = [
            context.Process(
                target=_work,
                args=(settings, targets, model_name, share, self.tasks, self.results, self.pause, os.getpid()),
                daemon=True,
                name=f"extractor-worker-{n}",
            )
            for n in range(workers)
        ]
        _prepare_before_fork(settings, model_name is not None)

        gc.freeze()  # what the parent holds is never collected in a worker, so never copied
        try:
            for process in self.processes:
                process.start()
        finally:
            gc.unfreeze()

    def run(self, run, items, check_stop=lambda: None) -> None:
        """Hand out `items`, and store each outcome as it comes back (in this process).

        `check_stop` is called between documents: it raises to end the run at a point where
        no write is half done."""
        given: dict[int, object] = {}
        self.holder: dict[int, int] = {}  # document number -> pid of the worker that took it
        source = iter(items)
        exhausted = False
        number = 0
        while True:
            check_stop()
            while not exhausted and len(given) < self.capacity:
                item = next(source, None)
                if item is None:
                    exhausted = True
                    for _ in self.processes:
                        self.tasks.put(None)
                    break
                number += 1
                given[number] = item
                self.tasks.put((number, item))
            if exhausted and not given:
                return
            try:
                message = self.results.get(timeout=POLL)
            except queue.Empty:
                dead = self.dead()
                if dead:
                    self._wind_down(run, given, dead, check_stop)
                continue
            self._receive(run, given, message)

    def dead(self) -> list:
        """Workers that ended other than by finishing: killed, or crashed. A finished worker
        (exit code 0) is not dead, however long the others take."""
        return [p for p in self.processes if p.exitcode not in (None, 0)]

    def _receive(self, run, given: dict, message) -> None:
        number_back, outcome = message
        if isinstance(outcome, Taken):
            self.holder[number_back] = outcome.pid
            return
        item = given.pop(number_back)
        self.holder.pop(number_back, None)
        if isinstance(outcome, ConfigError):
            raise outcome
        run.record(item, outcome)

    def _wind_down(self, run, given: dict, dead: list, check_stop) -> None:
        """A worker died: let the others finish and store what they hold, record what the dead
        one held as failed, and stop the run."""
        for _ in self.processes:
            self.tasks.put(None)  # the others take what is queued, then stop
        lost_pids = {p.pid for p in dead}
        quiet_since = time.monotonic()
        while True:
            check_stop()
            held = [n for n in given if self.holder.get(n) not in lost_pids and n in self.holder]
            untaken = [n for n in given if n not in self.holder]
            alive = any(p.is_alive() for p in self.processes)
            if not alive or (not held and (not untaken or time.monotonic() - quiet_since > UNTAKEN_WAIT)):
                break
            try:
                message = self.results.get(timeout=POLL)
            except queue.Empty:
                for p in self.dead():
                    lost_pids.add(p.pid)
                continue
            quiet_since = time.monotonic()
            self._receive(run, given, message)
        how = ", ".join(_how(p) for p in dead)
        lost = [item for n, item in given.items() if self.holder.get(n) in lost_pids]
        for item in lost:
            run.record_failure(item, "internal", f"the worker process extracting it died ({how})", Spend(), 0.0)
        raise ExtractorError(
            f"a worker process died ({how}); {len(lost)} document(s) it held are recorded as failed",
            "run the same command again to carry on; --retry-failed redoes those",
        )

    def close(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        for process in self.processes:
            process.join(timeout=5)


def _how(process) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _prepare_before_fork(settings, model: bool) -> None:
    """What every worker needs, done once here: imports, the finder's first run (its patterns),
    the client libraries and the tool definitions. In each worker it would cost its first
    document a tenth of a second, and the imports about half a second of CPU."""
    from extractor.answers import ChunkAnswer
    from extractor.finder import find_attributions

    import extractor.strategies.full  # noqa: F401
    import extractor.strategies.narrow  # noqa: F401

    find_attributions('"We are ready," the minister said on Monday, according to officials.')
    if model:
        from extractor.llm import warm_up

        warm_up(settings, (ChunkAnswer,))


def _work(settings, targets, model_name, share, tasks, results, pause, parent) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's graceful stop is not ours: terminate() ends us
    gc.set_threshold(10_000, 50, 100)  # as the parent's loop does (process.fewer_collections)
    asyncio.run(_serve(settings, targets, model_name, share, tasks, results, pause, parent))


async def _serve(settings, targets, model_name, share, tasks, results, pause, parent) -> None:
    model = None
    if model_name is not None:
        from extractor.llm import LanguageModel
        from extractor.ratelimit import RateLimiter

        limiter = RateLimiter(share["rpm"], share["tpm"], settings.max_tokens, shared_pause=pause)
        model = LanguageModel(settings, limiter=limiter)
    ask = live_asker(model, in_flight=share["concurrency"]) if model is not None else None
    loop = asyncio.get_running_loop()
    slots = asyncio.Semaphore(DOCUMENTS_PER_QUESTION * share["concurrency"])  # questions are capped in live_asker
    running: set[asyncio.Task] = set()

    async def one(number, item) -> None:
        try:
            outcome = await attempt(item.document, settings, model_name, targets, ask)
        except ConfigError as e:
            outcome = e
        if os.getppid() == parent:
            results.put((number, outcome))

    def finished(task: asyncio.Task) -> None:
        running.discard(task)
        slots.release()

    try:
        while True:
            await slots.acquire()  # take a document only when one can start now
            task = await loop.run_in_executor(None, _next, tasks, parent)
            if task is None:
                slots.release()
                break
            results.put((task[0], Taken(os.getpid())))  # before any work: the parent knows who holds it
            job = asyncio.ensure_future(one(*task))
            running.add(job)
            job.add_done_callback(finished)
            await asyncio.sleep(0)  # its request goes out before the next document's CPU work (see live.py)
        await asyncio.gather(*running)
    finally:
        if model is not None:
            await model.aclose()
            model.close()
        if os.getppid() != parent:
            results.cancel_join_thread()  # nobody reads: exit without flushing to the pipe


def _next(tasks, parent: int):
    while os.getppid() == parent:  # once the parent is gone, nobody will store what we make
        try:
            return tasks.get(timeout=POLL)
        except queue.Empty:
            continue
    return None
