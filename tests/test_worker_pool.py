"""`--workers N` tells a worker that finished from one that died (issue 15), and a death does
not stop the night's run: the documents in the dead worker's hands are recorded as failed
with the cause, the others' work goes on, a new worker takes its place, and the run finishes
with exit status 1 (some documents failed). A stop counts what the workers had in flight."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import threading

import pytest

from tests.batch_helpers import cli, count, query, write_corpus
from tests.openai_standin import StandIn

DIED = "the worker process extracting it died (killed by SIGKILL)"


def _model(server) -> tuple[str, ...]:
    return ("--model", "stand-in", "--base-url", server.base_url, "--strategy", "full")


def _workers() -> list:
    return [p for p in multiprocessing.active_children() if p.name.startswith("extractor-worker")]


def _when(condition, done: threading.Event) -> bool:
    """Wait for `condition` (polled: its cause is another process) or for the run to end."""
    while not condition():
        if done.wait(0.02):
            return False
    return True


def _batch_with(action, *args):
    """Run the batch in this process while `action(done)` acts on it from a thread."""
    done = threading.Event()
    actor = threading.Thread(target=action, args=(done,), daemon=True)
    actor.start()
    try:
        return cli(*args)
    finally:
        done.set()
        actor.join()


def test_a_worker_that_finished_while_another_still_works_is_not_a_death(tmp_path, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_TRANSPORT_RETRIES", "0")
    write_corpus(tmp_path / "in", 1)
    db = tmp_path / "r.sqlite"
    # One document, two workers: one takes it, the other has nothing to do. The answer takes
    # longer than the pool's poll, so the pool looks at an idle worker many times.
    with StandIn(latency=1.5) as server:
        result = cli("batch", tmp_path / "in", "--db", db, *_model(server), "--workers", "2", "--concurrency", "2")
    assert result.exit_code == 0, result.output
    assert "1 done, 0 failed" in result.stdout
    assert "died" not in result.output
    assert count(db, "extractions") == 1


def _outcomes(db) -> tuple[int, list[str]]:
    reasons = [row[0] for row in query(db, "SELECT reason FROM failures")]
    return count(db, "extractions"), reasons


@pytest.mark.parametrize("kill", ["one", "all"])
def test_a_killed_worker_fails_only_what_it_held_and_the_run_goes_on(tmp_path, monkeypatch, kill):
    monkeypatch.setenv("EXTRACTOR_TRANSPORT_RETRIES", "0")
    documents = 8
    write_corpus(tmp_path / "in", documents)
    db = tmp_path / "r.sqlite"
    server = StandIn().hold()  # no answer until the kill is done: each worker surely holds documents

    def kill_when_both_ask(done: threading.Event) -> None:
        # --concurrency 2 over 2 workers: one question each, so two in flight means both hold one
        if _when(lambda: server.in_flight >= 2, done):
            victims = _workers() if kill == "all" else [p for p in _workers() if p.name == "extractor-worker-0"]
            for process in victims:
                os.kill(process.pid, signal.SIGKILL)
        server.release()

    with server:
        result = _batch_with(
            kill_when_both_ask, "batch", tmp_path / "in", "--db", db, *_model(server), "--workers", "2", "--concurrency", "2"
        )
    assert result.exit_code == 1, result.output  # some documents failed; the run itself finished
    assert "Traceback" not in result.output
    assert "a worker process died (killed by SIGKILL)" in result.stderr
    done, reasons = _outcomes(db)
    # a worker holds at most 2 documents (its question's, and the next one's): only those failed
    assert 1 <= len(reasons) <= (4 if kill == "all" else 2), reasons
    assert all(DIED in reason for reason in reasons), reasons
    assert done + len(reasons) == documents, "every other document was done, by the others or a new worker"
    assert query(db, "SELECT status FROM runs") == [("finished",)]
    assert f"{done} done, {len(reasons)} failed" in result.stdout

    with StandIn() as server:
        retried = cli("batch", tmp_path / "in", "--db", db, *_model(server), "--workers", "2", "--retry-failed")
    assert retried.exit_code == 0 and f"{len(reasons)} done" in retried.stdout, retried.output
    assert count(db, "failures") == 0 and count(db, "extractions") == documents


def test_requests_in_flight_in_the_workers_at_a_stop_are_in_the_run_totals(tmp_path, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_TRANSPORT_RETRIES", "0")
    write_corpus(tmp_path / "in", 6)
    db = tmp_path / "r.sqlite"
    args = ["batch", tmp_path / "in", "--db", db, "--model", "stand-in", "--strategy", "full", "--concurrency", "2",
            "--workers", "2"]
    server = StandIn().hold()  # no answer comes before the stop

    def stop_when_both_ask(done: threading.Event) -> None:
        if _when(lambda: len(server.chat_bodies) >= 2, done):
            os.kill(os.getpid(), signal.SIGTERM)  # the parent's GracefulStop: a clean stop

    with server:
        result = _batch_with(stop_when_both_ask, *args, "--base-url", server.base_url)
        asked = len(server.chat_bodies)
        server.release()
    assert result.exit_code == 130, result.output
    assert asked == 2  # --concurrency 2: two questions were out, one in each worker
    runs = json.loads(cli("runs", "--db", db, "--json").stdout)
    assert runs[0]["status"] == "interrupted" and runs[0]["requests"] == asked
    assert f"{asked} requests" in result.stdout  # the closing summary counts them too
    assert count(db, "extractions") == count(db, "failures") == 0
    assert query(db, "SELECT outcome, COUNT(*) FROM attempts GROUP BY outcome") == [("interrupted", 2)]
    assert not _workers(), "the workers have ended"

    with StandIn() as server:
        again = cli(*args, "--base-url", server.base_url)
    assert again.exit_code == 0 and "6 done" in again.stdout, again.output


def test_a_worker_stopped_alone_gives_back_its_documents_and_counts_what_they_spent(tmp_path, monkeypatch):
    """SIGTERM to one worker (not to the run): what it had under way is counted and done again
    by the others; nothing is blamed on the documents."""
    monkeypatch.setenv("EXTRACTOR_TRANSPORT_RETRIES", "0")
    write_corpus(tmp_path / "in", 6)
    db = tmp_path / "r.sqlite"
    server = StandIn().hold()

    def stop_one(done: threading.Event) -> None:
        if _when(lambda: server.in_flight >= 2, done):
            (victim,) = [p for p in _workers() if p.name == "extractor-worker-0"]
            os.kill(victim.pid, signal.SIGTERM)
            _when(lambda: victim.exitcode is not None, done)
        server.release()

    with server:
        result = _batch_with(stop_one, "batch", tmp_path / "in", "--db", db, *_model(server), "--workers", "2",
                             "--concurrency", "2")
        asked = len(server.chat_bodies)
    assert result.exit_code == 0, result.output
    assert "a worker process died (killed by SIGTERM): 0 document(s)" in result.stderr
    assert count(db, "extractions") == 6 and count(db, "failures") == 0
    interrupted = count(db, "attempts", "outcome='interrupted'")
    assert interrupted >= 1
    runs = json.loads(cli("runs", "--db", db, "--json").stdout)
    assert runs[0]["requests"] == asked == 6 + interrupted, "the stopped requests are counted, and asked again"


def test_workers_that_keep_dying_with_nothing_in_hand_stop_the_run(tmp_path, monkeypatch):
    """A death with no document to blame cannot go on for ever (say, a worker killed at start)."""
    from extractor.batch import worker

    def die(*args, **kwargs):
        os._exit(3)

    monkeypatch.setattr(worker, "work", die)
    write_corpus(tmp_path / "in", 2)
    db = tmp_path / "r.sqlite"
    result = cli("batch", tmp_path / "in", "--db", db, "--model", "none", "--workers", "2")
    assert result.exit_code == 1, result.output
    assert "worker processes keep dying before they take a document (the last: exit code 3)" in result.stderr
    assert "Traceback" not in result.output
    assert query(db, "SELECT status FROM runs") == [("stopped",)]
    assert count(db, "failures") == 0, "no document is blamed for it"

