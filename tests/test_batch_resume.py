"""A batch killed at any moment (SIGKILL: no clean-up at all) is carried on by the same command:
no document lost, none stored twice. And a second batch process on the same database is
refused while the first runs, without harm to either."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.batch_helpers import cli, count, query, write_corpus
from tests.conftest import ROOT
from tests.openai_standin import StandIn

DOCUMENTS = 40


@pytest.fixture
def slow_standin():
    with StandIn(latency=0.05) as server:
        yield server


def _start(args, env_extra=None) -> subprocess.Popen:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "extractor.cli", *map(str, args)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _wait_for(predicate, timeout=60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


def _done(db) -> int:
    try:
        return count(db, "extractions")
    except Exception:  # not created yet, or mid-migration
        return 0


def test_a_killed_run_is_resumed_without_losing_or_repeating_a_document(tmp_path, slow_standin):
    write_corpus(tmp_path / "in", DOCUMENTS)
    db = tmp_path / "r.sqlite"
    args = ["batch", tmp_path / "in", "--db", db, "--model", "stand-in", "--base-url", slow_standin.base_url,
            "--strategy", "full", "--concurrency", "4"]
    for kill_after in (1, 12, 25):
        proc = _start(args)
        _wait_for(lambda: _done(db) >= kill_after or proc.poll() is not None)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL
    stored_before = _done(db)
    assert 25 <= stored_before < DOCUMENTS, "each kill landed mid-run"

    resumed = cli(*args)
    assert resumed.exit_code == 0, resumed.output
    assert f"{DOCUMENTS - stored_before} done, 0 failed, {stored_before} unchanged" in resumed.stdout

    assert count(db, "extractions") == DOCUMENTS
    assert query(db, "SELECT COUNT(DISTINCT document_id) FROM extractions")[0][0] == DOCUMENTS
    assert count(db, "attempts", "outcome='done'") == DOCUMENTS, "no document stored twice"
    assert count(db, "failures") == 0
    assert query(db, "PRAGMA integrity_check")[0][0] == "ok"
    statuses = [row[0] for row in query(db, "SELECT status FROM runs ORDER BY id")]
    assert statuses == ["interrupted", "interrupted", "interrupted", "finished"]
    # every document the kills interrupted mid-request was asked again: requests >= documents
    assert len(slow_standin.chat_requests) >= DOCUMENTS


@pytest.mark.parametrize("extra", [[], ["--workers", "2"]], ids=["one-process", "worker-pool"])
def test_sigterm_stops_cleanly_and_the_rerun_finishes(tmp_path, slow_standin, extra):
    write_corpus(tmp_path / "in", DOCUMENTS)
    db = tmp_path / "r.sqlite"
    args = ["batch", tmp_path / "in", "--db", db, "--model", "stand-in", "--base-url", slow_standin.base_url,
            "--strategy", "full", "--concurrency", "2", *extra]
    proc = _start(args)
    _wait_for(lambda: _done(db) >= 3)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "interrupted" in out
    assert query(db, "SELECT status FROM runs")[0][0] == "interrupted"
    assert cli(*args).exit_code == 0
    assert count(db, "extractions") == DOCUMENTS


def test_a_second_batch_process_on_the_same_database_is_refused(tmp_path):
    write_corpus(tmp_path / "in", 10)
    db = tmp_path / "r.sqlite"
    with StandIn(latency=1.0) as server:  # the first run lasts about 5 s: time for the second to try
        args = ["batch", tmp_path / "in", "--db", db, "--model", "stand-in", "--base-url", server.base_url,
                "--strategy", "full", "--concurrency", "2"]
        first = _start(args)
        _wait_for(lambda: _done(db) >= 1)
        second = _start(args)
        out, err = second.communicate(timeout=60)
        assert second.returncode == 2
        assert "another batch is writing to this database" in err
        out, err = first.communicate(timeout=60)
        assert first.returncode == 0, err
    assert count(db, "extractions") == 10
    assert count(db, "runs") == 1
    assert query(db, "PRAGMA integrity_check")[0][0] == "ok"


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().split(")")[-1].split()[0] == "Z"  # a zombie has ended
    except OSError:
        return True


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="needs Linux /proc to find worker processes")
def test_worker_processes_resume_too_and_stop_when_their_parent_is_killed(tmp_path, slow_standin):
    write_corpus(tmp_path / "in", DOCUMENTS)
    db = tmp_path / "r.sqlite"
    args = ["batch", tmp_path / "in", "--db", db, "--model", "stand-in", "--base-url", slow_standin.base_url,
            "--strategy", "full", "--concurrency", "4", "--workers", "2"]
    proc = _start(args)
    _wait_for(lambda: _done(db) >= 8)
    workers = _children(proc.pid)
    assert len(workers) >= 2
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    _wait_for(lambda: all(_gone(pid) for pid in workers), timeout=15)  # orphans notice and stop

    resumed = cli(*args)
    assert resumed.exit_code == 0, resumed.output
    assert count(db, "extractions") == DOCUMENTS
    assert count(db, "attempts", "outcome='done'") == DOCUMENTS
    assert query(db, "PRAGMA integrity_check")[0][0] == "ok"
