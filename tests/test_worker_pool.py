"""`--workers N` tells a worker that finished from one that died (issue 15): a worker that ends
normally once the input is used up is not a crash, however long the others take; a worker
that is killed loses only the documents it held, which are recorded as failed with the cause."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time

from tests.batch_helpers import cli, count, query, write_corpus
from tests.openai_standin import StandIn


def _model(server) -> tuple[str, ...]:
    return ("--model", "stand-in", "--base-url", server.base_url, "--strategy", "full")


def test_a_worker_that_finished_while_another_still_works_is_not_a_death(tmp_path, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_TRANSPORT_RETRIES", "0")
    write_corpus(tmp_path / "in", 1)
    db = tmp_path / "r.sqlite"
    # One document, two workers: one takes it, the other finds the input ended and exits at
    # once. The answer takes longer than the pool's poll, so the pool looks at a finished worker.
    with StandIn(latency=1.5) as server:
        result = cli("batch", tmp_path / "in", "--db", db, *_model(server), "--workers", "2", "--concurrency", "2")
    assert result.exit_code == 0, result.output
    assert "1 done, 0 failed" in result.stdout
    assert "died" not in result.output
    assert count(db, "extractions") == 1


def _kill_workers_once_asked(server: StandIn, done: threading.Event) -> None:
    while not done.is_set() and not server.chat_requests and server.in_flight == 0:
        time.sleep(0.02)
    # the worker said which document it took before asking; its queue's feeder thread sends
    # that within microseconds of an idle worker, and this margin is far beyond that
    time.sleep(0.3)
    for process in multiprocessing.active_children():
        if process.name.startswith("extractor-worker"):
            os.kill(process.pid, signal.SIGKILL)


def test_a_killed_worker_loses_only_what_it_held_and_that_is_recorded_as_failed(tmp_path, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_TRANSPORT_RETRIES", "0")
    write_corpus(tmp_path / "in", 1)
    db = tmp_path / "r.sqlite"
    done = threading.Event()
    with StandIn(latency=60) as server:  # the answer never comes before the kill
        killer = threading.Thread(target=_kill_workers_once_asked, args=(server, done), daemon=True)
        killer.start()
        try:
            result = cli("batch", tmp_path / "in", "--db", db, *_model(server), "--workers", "2", "--concurrency", "2")
        finally:
            done.set()
            killer.join()
    assert result.exit_code == 1, result.output
    assert "a worker process died (killed by SIGKILL" in result.stderr
    assert "Traceback" not in result.output
    (reason,) = [row[0] for row in query(db, "SELECT reason FROM failures")]
    assert "the worker process extracting it died (killed by SIGKILL" in reason
    assert query(db, "SELECT status FROM runs") == [("stopped",)]
    assert count(db, "extractions") == 0

    with StandIn() as server:
        retried = cli("batch", tmp_path / "in", "--db", db, *_model(server), "--workers", "2", "--retry-failed")
    assert retried.exit_code == 0 and "1 done" in retried.stdout, retried.output
    assert count(db, "failures") == 0
