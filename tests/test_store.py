"""The SQLite store: migrations recorded in order, refusing databases that are not ours or are
newer, all-or-nothing writes per document, and one writer at a time."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from extractor.errors import ConfigError
from extractor.pipeline import extract
from extractor.schema import Document
from extractor.settings import Settings
from extractor.sources import Origin
from extractor.store import ResultKey, Store, migrations
from tests.batch_helpers import cli, count, query

KEY = ResultKey("none", "p-test", "o-test")


def _result(text: str = "The mayor said the bridge would reopen in May, officials said."):
    return extract(Document.from_text(text, source="a.txt"), Settings(model="none"))


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_database_records_every_migration_in_order(tmp_path):
    db = tmp_path / "r.sqlite"
    with Store.open(db):
        pass
    names = [row[0] for row in query(db, "SELECT name FROM extractor_migrations ORDER BY rowid")]
    assert names == [m.__name__ for m in migrations.MIGRATIONS]
    assert query(db, "PRAGMA application_id")[0][0] == migrations.APPLICATION_ID
    tables = {row[0] for row in query(db, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"runs", "documents", "extractions", "speakers", "claims", "stances", "failures", "attempts"} <= tables
    with Store.open(db):  # opening again applies nothing twice
        pass
    assert count(db, "extractor_migrations") == len(migrations.MIGRATIONS)


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path):
    db = tmp_path / "notes.sqlite"
    db.write_bytes(b"these are my notes, not a database\n" * 10)
    before = _digest(db)
    with pytest.raises(ConfigError, match="not an SQLite database"):
        Store.open(db)
    assert _digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def test_someone_elses_sqlite_database_is_refused_and_left_untouched(tmp_path):
    db = tmp_path / "app.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        con.execute("INSERT INTO users (name) VALUES ('ada')")
    con.close()
    before = _digest(db)
    with pytest.raises(ConfigError, match="did not make"):
        Store.open(db)
    assert _digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.sqlite"]
    result = cli("batch", tmp_path, "--db", db, "--model", "none")
    assert result.exit_code == 2
    assert "did not make" in result.stderr and "Traceback" not in result.output
    assert _digest(db) == before


def test_a_database_from_a_newer_version_is_refused_before_writing(tmp_path):
    db = tmp_path / "r.sqlite"
    with Store.open(db):
        pass
    with sqlite3.connect(db) as con:
        con.execute("INSERT INTO extractor_migrations VALUES ('m999_from_the_future', '2030-01-01')")
    con.close()
    before = _digest(db)
    with pytest.raises(ConfigError, match="newer version"):
        Store.open(db)
    with pytest.raises(ConfigError, match="newer version"):
        Store.open(db, write=False)
    assert _digest(db) == before


def test_a_result_is_stored_whole(tmp_path):
    result = _result()
    with Store.open(tmp_path / "r.sqlite") as store:
        run = store.start_run(KEY, {}, "live", "test")
        store.save_result(run, KEY, result, Origin("a.txt"), 0.0)
        assert store.done_ids(KEY) == {result.document.id}
    db = tmp_path / "r.sqlite"
    assert count(db, "extractions") == 1
    assert count(db, "claims") == len(result.claims) > 0
    assert count(db, "speakers") == len(result.speakers) > 0
    assert count(db, "attempts", "outcome='done'") == 1


def test_a_write_that_fails_midway_leaves_nothing_behind(tmp_path, monkeypatch):
    """All or nothing per document: a failure after some rows went in rolls them all back,
    and an earlier result for the same key survives intact."""
    import extractor.store as store_module

    db = tmp_path / "r.sqlite"
    first, second = _result(), _result()
    with Store.open(db) as store:
        run = store.start_run(KEY, {}, "live", "test")
        store.save_result(run, KEY, first, Origin("a.txt"), 0.0)
        before = {t: count(db, t) for t in ("documents", "extractions", "speakers", "claims", "stances", "attempts", "failures")}

        real = store_module._insert_rows

        def half_then_crash(db_, extraction_id, result):
            real(db_, extraction_id, result)  # every row of this result is in...
            raise OSError("disk full")  # ...and then the write fails

        monkeypatch.setattr(store_module, "_insert_rows", half_then_crash)
        with pytest.raises(OSError):
            store.save_result(run, KEY, second, Origin("a.txt"), 0.0)
        other = _result("A different article: the minister said taxes would not rise this year.")
        with pytest.raises(OSError):
            store.save_result(run, KEY, other, Origin("b.txt"), 0.0)
    after = {t: count(db, t) for t in before}
    assert after == before
    assert count(db, "documents", "id=?", other.document.id) == 0
    stored = query(db, "SELECT result_json FROM extractions")[0][0]
    assert json.loads(stored) == first.to_json_dict()


def test_a_second_writer_is_refused_while_readers_still_read(tmp_path):
    db = tmp_path / "r.sqlite"
    with Store.open(db) as writer:
        writer.start_run(KEY, {}, "live", "test")
        with pytest.raises(ConfigError, match="another batch is writing"):
            Store.open(db)
        result = cli("batch", tmp_path, "--db", db, "--model", "none")
        assert result.exit_code == 2 and "another batch is writing" in result.stderr
        with Store.open(db, write=False) as reader:
            assert [r["status"] for r in reader.runs()] == ["running"]
    with Store.open(db) as again:  # the lock goes with its holder
        assert [r["status"] for r in again.runs()] == ["interrupted"]


def test_report_reads_results_and_failures_from_the_store(tmp_path):
    from extractor.store import report_rows

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("The mayor said the bridge would reopen in May.\n", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"")
    db = tmp_path / "r.sqlite"
    cli("batch", folder, "--db", db, "--model", "none")
    results, failures = report_rows(db)
    assert [r["document"]["source"] for r in results] == [str(folder / "a.txt")]
    assert [(f["source"], f["attempts"]) for f in failures] == [(str(folder / "b.txt"), 1)]
    assert "empty" in failures[0]["reason"]
    written = cli("report", "--db", db, "-o", tmp_path / "pages")
    assert written.exit_code == 0 and (tmp_path / "pages" / "index.html").exists()


def test_a_forked_child_does_not_keep_the_writer_lock(tmp_path):
    """Worker processes are forked; if the parent dies, the lock must go with it."""
    import os
    import signal
    import time

    from extractor.store.lock import WriterLock

    db = tmp_path / "x.sqlite"
    lock = WriterLock(db)
    lock.acquire()
    ready_r, ready_w = os.pipe()
    child = os.fork()
    if child == 0:  # the child outlives the lock's holder for a while
        os.write(ready_w, b"1")  # fork's after-in-child handlers have run by now
        time.sleep(5)
        os._exit(0)
    os.read(ready_r, 1)
    try:
        lock.release()  # as if the parent had died: only the child's inherited copy remains
        other = WriterLock(db)
        other.acquire()  # would fail if the child still held the lock
        other.release()
    finally:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
