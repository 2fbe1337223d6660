"""A recognisable fake key, used by a batch run that meets failures and retries from a server
that even repeats the key in its error bodies, ends up in no output, log line, traceback,
database (every column of every table, and the raw bytes of the files) or report page.
tests/test_secrets.py does the same for extract."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from contextlib import closing

from tests.batch_helpers import cli, query
from tests.fault_server import FaultServer, short_articles
from tests.scripted_server import ScriptedServer

FAKE_KEY = "sk-FAKE-batch-secret-0123456789abcdef"
RATES = {"429": 0.15, "500": 0.15, "503": 0.05, "drop": 0.05, "truncated": 0.1, "invalid": 0.1}
ENV = {"OPENAI_API_KEY": FAKE_KEY, "EXTRACTOR_TIMEOUT": "0.5", "EXTRACTOR_BACKOFF_SECONDS": "0.01",
       "EXTRACTOR_TRANSPORT_RETRIES": "1"}  # few retries, so some documents fail


def run(*args, cwd):
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXTRACTOR_")}
    return subprocess.run([sys.executable, "-m", "extractor.cli", *map(str, args)], cwd=cwd, env={**env, **ENV},
                          capture_output=True, text=True, timeout=120)


def every_value(db) -> list[str]:
    with closing(sqlite3.connect(db)) as con:
        tables = [row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        assert {"runs", "documents", "extractions", "failures", "attempts"} <= set(tables)
        return [str(value) for table in tables for row in con.execute(f'SELECT * FROM "{table}"') for value in row]


def assert_nowhere_in_files(folder) -> int:
    files = [p for p in folder.rglob("*") if p.is_file()]
    for path in files:
        assert FAKE_KEY.encode() not in path.read_bytes(), path
    return len(files)


def test_a_batch_with_failures_and_retries_shows_the_key_nowhere(tmp_path):
    short_articles(tmp_path / "in", 40)
    db = tmp_path / "store" / "r.sqlite"
    db.parent.mkdir()
    with FaultServer(RATES, seed=2, echo_key=True) as server:
        batch = run("batch", "in", "--db", db, "--model", "openai/x", "--base-url", server.base_url, "--strategy", "full",
                    "--debug", cwd=tmp_path)  # --debug: every log line of the SDKs too
        assert {s.authorization for s in server.chat()} == {f"Bearer {FAKE_KEY}"}, "the key is used..."
    assert batch.returncode == 1 and "DEBUG" in batch.stderr
    (failed, retries), = query(db, "SELECT SUM(outcome = 'failed'), SUM(retries) FROM attempts")
    assert failed and retries, "the run met failures and retries"
    report = run("report", "--db", db, "-o", tmp_path / "store" / "report", cwd=tmp_path)
    exported = run("export", "--db", db, cwd=tmp_path)
    runs = run("runs", "--db", db, cwd=tmp_path)
    for process in (batch, report, exported, runs):
        assert FAKE_KEY not in process.stdout + process.stderr, "...and never shown"
    assert not [value for value in every_value(db) if FAKE_KEY in value]
    assert assert_nowhere_in_files(tmp_path / "store") >= 4  # the database, its lock, the report's pages


def test_a_rejected_key_stops_the_run_without_showing_it_even_in_a_debug_traceback(tmp_path):
    short_articles(tmp_path / "in", 3)
    db = tmp_path / "r.sqlite"
    rejected = (401, {"error": {"message": f"Incorrect API key provided: {FAKE_KEY}"}}, {})
    with ScriptedServer([rejected] * 6) as server:
        batch = run("batch", "in", "--db", db, "--model", "openai/x", "--base-url", server.base_url, "--strategy", "full",
                    "--debug", cwd=tmp_path)
        quiet = run("batch", "in", "--db", db, "--model", "openai/x", "--base-url", server.base_url, cwd=tmp_path)
    assert batch.returncode == 1 and "Traceback" in batch.stderr and "AuthenticationError" in batch.stderr
    assert FAKE_KEY not in batch.stdout + batch.stderr and "[redacted]" in batch.stderr
    assert quiet.returncode == 2 and quiet.stderr == "extractor: the model server rejected the API key (check OPENAI_API_KEY)\n"
    assert not [value for value in every_value(db) if FAKE_KEY in value]


def test_no_log_record_holds_the_key(tmp_path, caplog):
    """In-process, so every record our loggers make is seen, at every level."""
    short_articles(tmp_path / "in", 20)
    db = tmp_path / "r.sqlite"
    caplog.set_level(logging.DEBUG)
    with FaultServer(RATES, seed=4, echo_key=True) as server:
        result = cli("batch", tmp_path / "in", "--db", db, "--model", "openai/x", "--base-url", server.base_url,
                     "--strategy", "full", env=ENV)
    assert result.exit_code in (0, 1) and FAKE_KEY not in result.output
    assert caplog.records, "the run logged something"
    for record in caplog.records:
        assert FAKE_KEY not in record.getMessage() and FAKE_KEY not in (record.exc_text or ""), record
