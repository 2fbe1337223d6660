"""Stopping a batch (SIGTERM from a scheduler, Ctrl-C) never cuts a database write in half:
the signal asks the run to stop at its next safe point, and even an interrupt that does land
just after BEGIN leaves no transaction open behind it.

Signals are sent with `signal.raise_signal`: to this thread, and handled before the call
returns, so a test knows the handler has run without a busy loop for it to land in (`os.kill`
may be taken by any thread of the process, and handled a while later).
"""

from __future__ import annotations

import asyncio
import signal

import pytest

from extractor.batch.process import GracefulStop
from extractor.store import ResultKey, Store
from tests.batch_helpers import count, query


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_in_the_event_loop_cancels_at_the_next_await_not_where_it_lands(signum):
    steps: list[int] = []

    async def work():
        signal.raise_signal(signum)  # handled before this returns
        for n in range(2000):  # synchronous work after the handler, as a database write would be
            steps.append(n)
        await asyncio.sleep(10)
        steps.append(-1)
        return "finished"

    with GracefulStop() as stop:
        returned = asyncio.run(stop.guard(work()))
        assert stop.requested
        with pytest.raises(KeyboardInterrupt):
            stop.check()
    assert returned is None, "the work was stopped"
    assert steps == list(range(2000)), "the synchronous part ran to its end, and nothing after the await"


def test_a_second_signal_stops_at_once():
    with GracefulStop() as stop:
        stop.deferred = True  # as in the worker-pool loop
        signal.raise_signal(signal.SIGTERM)
        assert stop.requested
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGTERM)


def test_the_previous_handlers_come_back():
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    with GracefulStop():
        assert signal.getsignal(signal.SIGTERM) is not before[0]
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


class _InterruptedAfterBegin:
    """Stands in for the connection: BEGIN runs, then an interrupt arrives before anything else."""

    def __init__(self, db):
        self.db = db

    def execute(self, sql, *args):
        cursor = self.db.execute(sql, *args)
        if sql.startswith("BEGIN"):
            raise KeyboardInterrupt
        return cursor

    def __getattr__(self, name):
        return getattr(self.db, name)


def test_an_interrupt_just_after_begin_leaves_no_transaction_open(tmp_path):
    db = tmp_path / "r.sqlite"
    key = ResultKey("none", "p-test", "o-test")
    with Store.open(db) as store:
        run_id = store.start_run(key, {}, "live", "extractor batch")
        real = store.db
        store.db = _InterruptedAfterBegin(real)
        with pytest.raises(KeyboardInterrupt):
            store.finish_run(run_id, "finished", 1, 0, 0, 1.0)
        store.db = real
        assert not real.in_transaction
        store.finish_run(run_id, "interrupted", 1, 0, 0, 1.0)  # the next write works
    assert query(db, "SELECT status FROM runs")[0][0] == "interrupted"
    assert count(db, "runs") == 1
