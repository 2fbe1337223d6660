"""What the disk and the database file can do to a run (issue 15): a second path to the same
file, a damaged file, a full disk, no room for the lock file, read-only storage. Each is one
line naming the database and what to do, exit status 2, and no run is left 'running'."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.errors import ConfigError, StorageError
from extractor.store import ResultKey, Store, migrations
from extractor.store.files import storage_error
from tests.batch_helpers import cli, count, query, write_corpus

KEY = ResultKey("none", "p-test", "o-test")
ROOT = Path(__file__).resolve().parents[1]


def _one_line_naming(result, db) -> str:
    assert "Traceback" not in result.output, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("batch: ") or str(db) in line]
    assert any(str(db) in line for line in lines), result.stderr
    return result.stderr


def test_a_second_writer_through_a_symlink_is_refused(tmp_path):
    db = tmp_path / "r.sqlite"
    link = tmp_path / "link.sqlite"
    link.symlink_to(db)
    with Store.open(db):
        with pytest.raises(ConfigError, match="another batch is writing"):
            Store.open(link)
        folder = tmp_path / "other"
        folder.symlink_to(tmp_path)
        with pytest.raises(ConfigError, match="another batch is writing"):
            Store.open(folder / "r.sqlite")


def test_a_second_batch_through_a_hard_link_is_refused(tmp_path):
    """A hard link is the same file under a name no path resolution leads back to. The second
    batch is another process, as it would be (SQLite shares one file's state within a process)."""
    write_corpus(tmp_path / "in", 1)
    db = tmp_path / "r.sqlite"
    hard = tmp_path / "elsewhere" / "hard.sqlite"
    hard.parent.mkdir()
    with Store.open(db) as first:
        first.start_run(KEY, {}, "live", "test")
        os.link(db, hard)
        assert os.stat(db).st_ino == os.stat(hard).st_ino
        second = subprocess.run(
            [sys.executable, "-m", "extractor.cli", "batch", tmp_path / "in", "--db", hard, "--model", "none"],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )
        assert second.returncode == 2, second.stderr
        assert "another batch is writing to this database, under another name (a hard link)" in second.stderr
        assert "Traceback" not in second.stderr
    assert count(db, "runs") == 1 and count(db, "documents") == 0  # the refused run wrote nothing
    with Store.open(hard) as again:  # the lock went with its holder, whatever the name
        assert [r["status"] for r in again.runs()] == ["interrupted"]


def test_a_second_batch_through_a_symlink_exits_2_and_writes_nothing(tmp_path):
    write_corpus(tmp_path / "in", 2)
    db = tmp_path / "r.sqlite"
    link = tmp_path / "link.sqlite"
    link.symlink_to(db)
    with Store.open(db):
        second = cli("batch", tmp_path / "in", "--db", link, "--model", "none")
    assert second.exit_code == 2 and "another batch is writing" in second.stderr
    assert count(db, "runs") == 0


def _damage(db, *tables: str) -> None:
    """Overwrite the root pages of `tables` with garbage, as a failing disk would."""
    with sqlite3.connect(db) as con:
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        roots = [con.execute("SELECT rootpage FROM sqlite_master WHERE name=?", (t,)).fetchone()[0] for t in tables]
    con.close()
    with open(db, "r+b") as f:
        for root in roots:
            f.seek((root - 1) * page_size)
            f.write(b"\xa5" * page_size)


def test_a_damaged_database_is_one_line_for_batch_export_runs_and_report(tmp_path):
    write_corpus(tmp_path / "in", 3)
    db = tmp_path / "r.sqlite"
    assert cli("batch", tmp_path / "in", "--db", db, "--model", "none").exit_code == 0
    _damage(db, "documents", "extractions")

    for args in (
        ("batch", tmp_path / "in", "--db", db, "--model", "none"),
        ("export", "--db", db),
        ("report", "--db", db, "-o", tmp_path / "report"),
    ):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "damaged" in _one_line_naming(result, db), result.stderr
    statuses = [row[0] for row in query(db, "SELECT status FROM runs")]
    assert "running" not in statuses


def test_a_full_disk_stops_the_run_with_one_line_keeps_what_is_stored_and_a_rerun_completes(tmp_path, monkeypatch):
    write_corpus(tmp_path / "in", 6)
    db = tmp_path / "r.sqlite"
    real = migrations.migrate

    def almost_full(con):  # SQLite's own page limit says "database or disk is full", as a full disk does
        real(con)
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count={pages + 6}")

    monkeypatch.setattr(migrations, "migrate", almost_full)
    full = cli("batch", tmp_path / "in", "--db", db, "--model", "none")
    assert full.exit_code == 2, full.output
    assert "disk is full" in _one_line_naming(full, db)
    stored = count(db, "extractions")
    assert stored < 6
    assert [row[0] for row in query(db, "SELECT status FROM runs")] != ["running"]

    monkeypatch.setattr(migrations, "migrate", real)
    again = cli("batch", tmp_path / "in", "--db", db, "--model", "none")
    assert again.exit_code == 0, again.output
    assert f"{6 - stored} done" in again.stdout
    assert count(db, "extractions") == 6
    assert query(db, "SELECT COUNT(*) FROM runs WHERE status='running'") == [(0,)]


def test_a_lock_file_that_cannot_be_created_is_one_line(tmp_path):
    write_corpus(tmp_path / "in", 1)
    db = tmp_path / "missing-folder" / "r.sqlite"
    result = cli("batch", tmp_path / "in", "--db", db, "--model", "none")
    assert result.exit_code == 2, result.output
    assert "lock file" in _one_line_naming(result, db)


@pytest.mark.parametrize(
    ("said", "meaning"),
    [
        ("database or disk is full", "the disk is full"),
        ("attempt to write a readonly database", "read-only"),
        ("database disk image is malformed", "damaged"),
        ("file is not a database", "damaged"),
        ("database is locked", "locked"),
        ("unable to open database file", "cannot be opened"),
        ("disk I/O error", "could not be read or written"),
    ],
)
def test_what_sqlite_says_becomes_what_it_means_and_what_to_do(said, meaning):
    error = storage_error("r.sqlite", sqlite3.OperationalError(said))
    assert isinstance(error, StorageError) and error.exit_code == 2
    assert error.message.startswith("r.sqlite: ") and meaning in error.message and error.hint


def test_readers_open_a_database_on_read_only_storage(tmp_path, monkeypatch):
    """On read-only storage SQLite cannot make a WAL database's -shm file, and a plain
    read-only open fails; nobody can write there, so it is opened immutable."""
    write_corpus(tmp_path / "in", 2)
    db = tmp_path / "r.sqlite"
    assert cli("batch", tmp_path / "in", "--db", db, "--model", "none").exit_code == 0
    real = sqlite3.connect

    def read_only_storage(target, *args, **kwargs):
        if kwargs.get("uri") and "immutable=1" not in str(target):
            con = real(target, *args, **kwargs)
            con.close()
            raise sqlite3.OperationalError("unable to open database file")
        return real(target, *args, **kwargs)

    monkeypatch.setattr("extractor.store.files.sqlite3.connect", read_only_storage)
    exported = cli("export", "--db", db)
    assert exported.exit_code == 0, exported.output
    assert len(exported.stdout.splitlines()) == 2
    assert cli("runs", "--db", db).exit_code == 0
    assert cli("report", "--db", db, "-o", tmp_path / "report").exit_code == 0
