"""Extraction in worker processes, for runs whose CPU work (the finder, mostly) outgrows one
core: fast models, high concurrency, rules only.

    parent    reads the inputs, selects, hands each document to the least busy worker, stores
              every outcome, shows progress: the one writer
    workers   each an event loop with its own model client and its share of --concurrency
              (worker.py); each says which document it took before working on it, and sends
              back each outcome (result or failure, and what it spent)

--rpm and --tpm are divided between the workers, and a 429 that one of them meets pauses
them all (a shared pause time). A worker that finds its parent gone (kill -9) stops; the
documents it held were never stored, so the next run does them.

A worker ends when the parent tells it to, once every document is back; one that ends before
that has died (killed, crashed). A death costs the run only the documents in that worker's
hands: they are recorded as failed with the cause (--retry-failed redoes them; a document that
kills its worker is not retried blindly every night), the documents sent to it and not yet
taken go to the other workers, and a new worker takes the dead one's place. Workers that keep
dying with no document in their hands (nothing to blame) stop the run.

At a stop (Ctrl-C, SIGTERM) the workers are sent SIGTERM: each cancels its documents and sends
back what they had spent, which is counted in the run's totals as the one-process path counts
it (live.BatchRun.record_interrupted); a worker that has not answered within STOP_WAIT is killed.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import os
import signal
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait

from extractor.batch import worker
from extractor.batch.driver import DOCUMENTS_PER_QUESTION, Spend
from extractor.batch.worker import Interrupted, Taken
from extractor.errors import ConfigError, ExtractorError

POLL = 0.5
STOP_WAIT = 10.0  # at a stop: how long the workers have to send back what they spent


@dataclass(eq=False)
class _Worker:
    process: object
    tasks: object  # our end of the pipe it reads documents from
    results: object  # our end of the pipe it sends messages on
    sent: set[int] = field(default_factory=set)  # documents sent to it and not back
    taken: set[int] = field(default_factory=set)  # of those, the ones it said it took
    told_to_end: bool = False


class WorkerPool:
    def __init__(self, settings, targets: tuple[str, ...], model_name: str | None, workers: int, clock=time.monotonic):
        # fork: a worker starts in milliseconds with everything imported; spawn elsewhere
        methods = multiprocessing.get_all_start_methods()
        self.context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.size = workers
        self.clock = clock
        share = dict(
            concurrency=math.ceil(settings.concurrency / workers),
            rpm=settings.rpm / workers if settings.rpm else None,
            tpm=settings.tpm / workers if settings.tpm else None,
        )
        # documents a worker may have: those under way (see worker.py), and a few ready
        self.per_worker = (DOCUMENTS_PER_QUESTION + 1) * share["concurrency"]
        self.pause = self.context.Value("d", 0.0, lock=False)
        self.arguments = (settings, targets, model_name, share)
        self.workers: list[_Worker] = []
        self.started = 0
        self.fruitless = 0  # deaths in a row that took no document with them
        self.stopping = False
        self.given: dict[int, object] = {}  # document number -> item, handed out and not back
        self.pending: deque = deque()  # (number, item) to hand out again, before new ones
        _prepare_before_fork(settings, model_name is not None)
        for _ in range(workers):
            self._start()

    def _start(self) -> None:
        tasks_theirs, tasks_ours = self.context.Pipe(duplex=False)
        results_ours, results_theirs = self.context.Pipe(duplex=False)
        inherited = [end for w in self.workers for end in (w.tasks, w.results)]
        process = self.context.Process(
            target=worker.work,
            args=(*self.arguments, tasks_theirs, results_theirs, self.pause, os.getpid(), inherited),
            daemon=True,
            name=f"extractor-worker-{self.started}",
        )
        self.started += 1
        # what the parent holds is never collected in a worker, so never copied; during a run
        # (a replacement) the run's own freeze stays as it is (process.fewer_collections)
        frozen = gc.get_freeze_count() > 0
        gc.freeze()
        try:
            process.start()
        finally:
            if not frozen:
                gc.unfreeze()
        tasks_theirs.close()  # theirs only now: so the end of the pipe is seen when the worker ends
        results_theirs.close()
        self.workers.append(_Worker(process, tasks_ours, results_ours))

    def run(self, run, items, check_stop=lambda: None) -> None:
        """Hand out `items`, and store each outcome as it comes back (in this process).

        `check_stop` is called between documents: it raises KeyboardInterrupt to end the run
        at a point where no write is half done; what the workers had under way is then
        cancelled, and what it spent counted."""
        source = iter(items)
        number = 0
        exhausted = False
        try:
            while True:
                check_stop()
                while (w := self._least_busy()) is not None:
                    if not self.pending and not exhausted:
                        item = next(source, None)
                        if item is None:
                            exhausted = True
                        else:
                            number += 1
                            self.pending.append((number, item))
                    if not self.pending:
                        break
                    self._send(w, *self.pending.popleft())
                if exhausted and not self.pending and not self.given:
                    break
                self._receive_some(run, POLL)
            self._end(run)
        except KeyboardInterrupt:
            self._stop(run)
            raise

    def _least_busy(self) -> _Worker | None:
        room = [w for w in self.workers if not w.told_to_end and len(w.sent) < self.per_worker]
        return min(room, key=lambda w: len(w.sent), default=None)

    def _send(self, w: _Worker, number: int, item) -> None:
        self.given[number] = item
        w.sent.add(number)
        try:
            w.tasks.send((number, item))
        except (OSError, ValueError):  # it has died: its pipe's end says so, and this one goes back
            w.told_to_end = True  # send it nothing more

    def _receive_some(self, run, timeout: float) -> None:
        """Wait up to `timeout` for messages, and handle those that came."""
        ends = {w.results: w for w in self.workers}
        ready = wait(list(ends), timeout)
        for end in ready:
            w = ends[end]
            try:
                message = end.recv()
            except (EOFError, OSError):  # it has ended, and everything it sent has been read
                self._ended(run, w)
                continue
            self._receive(run, w, message)
        if not ready:  # an end of pipe missed (a child of a worker holding it open): look at the processes
            for w in list(self.workers):
                if w.process.exitcode is not None and not w.results.poll():
                    self._ended(run, w)

    def _receive(self, run, w: _Worker, message) -> None:
        number, outcome = message
        if isinstance(outcome, Taken):
            w.taken.add(number)
            return
        w.sent.discard(number)
        w.taken.discard(number)
        item = self.given.pop(number)
        if isinstance(outcome, Interrupted):  # stopped midway: counted, and to be done again
            run.record_interrupted(item, outcome.spend)
            if not self.stopping:
                self.pending.appendleft((number, item))
            return
        if isinstance(outcome, ConfigError):
            if self.stopping:
                return
            raise outcome
        self.fruitless = 0
        run.record(item, outcome)

    def _ended(self, run, w: _Worker) -> None:
        """A worker's pipe has ended: it finished, or it died and the run goes on without it."""
        w.process.join(timeout=STOP_WAIT)
        if w.process.exitcode is None:  # closed its pipe and lives on: it is of no more use
            w.process.kill()
            w.process.join()
        self.workers.remove(w)
        w.tasks.close()
        w.results.close()
        if self.stopping or (w.told_to_end and not w.sent):
            return
        how = _how(w.process)
        blamed = sorted(w.taken)
        handed_back = sorted(w.sent - w.taken, reverse=True)
        for number in handed_back:
            self.pending.appendleft((number, self.given.pop(number)))
        for number in blamed:
            item = self.given.pop(number)
            reason = f"the worker process extracting it died ({how}); --retry-failed tries it again"
            run.record_failure(item, "internal", reason, Spend(), 0.0)
        run.progress.note(
            f"a worker process died ({how}): {len(blamed)} document(s) in its hands recorded as failed,"
            f" {len(handed_back)} handed to the other workers; a new worker takes its place"
        )
        self.fruitless = 0 if blamed else self.fruitless + 1
        if self.fruitless > self.size:
            raise ExtractorError(
                f"worker processes keep dying before they take a document (the last: {how})",
                "run without --workers, or look at the machine's memory and the system log",
            )
        self._start()

    def _end(self, run) -> None:
        """Every document is back: tell the workers to finish, and wait until they have."""
        for w in self.workers:
            w.told_to_end = True
            try:
                w.tasks.send(None)
            except (OSError, ValueError):
                pass
        deadline = self.clock() + STOP_WAIT
        while self.workers and self.clock() < deadline:
            self._receive_some(run, POLL)

    def _stop(self, run) -> None:
        """A stop: ask every worker to stop (SIGTERM), and count what they send back."""
        self.stopping = True
        for w in self.workers:
            w.told_to_end = True
            if w.process.exitcode is None:
                w.process.terminate()
        deadline = self.clock() + STOP_WAIT
        while self.workers and self.clock() < deadline:
            self._receive_some(run, min(POLL, max(0.0, deadline - self.clock())))

    def close(self) -> None:
        for w in self.workers:
            w.tasks.close()  # a worker still running sees its input end
            w.results.close()
            if w.process.is_alive():
                w.process.terminate()
        deadline = self.clock() + 5
        for w in self.workers:
            w.process.join(timeout=max(0.0, deadline - self.clock()))
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
        self.workers.clear()


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
