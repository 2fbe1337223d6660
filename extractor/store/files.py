"""The database file itself: checking it is ours before anything is written, opening it
for reading (read-only storage included), and what SQLite says about it, as one line.

    _inspect            the migrations a file has; refuses a file that is not ours or is newer
    _connect_readonly   read-only, falling back to immutable on read-only storage
    storage_errors      sqlite3 and OS errors -> StorageError naming the file and what to do
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from extractor.errors import ConfigError, StorageError
from extractor.store import migrations

SQLITE_HEADER = b"SQLite format 3\x00"


def _inspect(path: Path, must_exist: bool) -> list[str]:
    """The migrations a database has, or an error if it is not ours or is newer than us.
    Opens the file read-only: nothing is written before this has passed."""
    if not path.exists():
        if must_exist:
            raise ConfigError(f"{path}: no such database", "run `extractor batch ... --db` first")
        return []
    if path.is_dir():
        raise ConfigError(f"{path}: is a directory", "give --db a file name, e.g. results.sqlite")
    if path.stat().st_size == 0:
        return []
    with open(path, "rb") as f:
        header = f.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise ConfigError(f"{path}: not an SQLite database, so not one of ours", "give --db a new file name")
    try:
        db = _connect_readonly(path)
    except sqlite3.DatabaseError as e:
        raise ConfigError(f"{path}: cannot read this database ({e})", "give --db a new file name") from e
    try:
        application_id = db.execute("PRAGMA application_id").fetchone()[0]
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        names = migrations.applied(db)
    except sqlite3.DatabaseError as e:
        raise ConfigError(f"{path}: cannot read this database ({e})", "give --db a new file name") from e
    finally:
        db.close()
    if application_id not in (0, migrations.APPLICATION_ID) or (tables and not names):
        raise ConfigError(
            f"{path}: an SQLite database that extractor did not make; it is left untouched",
            "give --db a new file name",
        )
    newer = migrations.unknown(names)
    if newer:
        raise ConfigError(
            f"{path}: made by a newer version of extractor (schema {', '.join(newer)})",
            "upgrade extractor (pip install -U extractor), or use another --db",
        )
    return names


@contextmanager
def storage_errors(path: Path | str, os_errors: bool = True) -> Iterator[None]:
    """Turn what SQLite (and, with `os_errors`, the file system) says about the database into
    one line that names it and says what to do."""
    try:
        yield
    except sqlite3.Error as e:
        raise storage_error(path, e) from e
    except OSError as e:
        if not os_errors:
            raise
        raise StorageError(f"{path}: cannot use the database ({e.strerror or e})", "check the file, its folder and the disk") from e


_SQLITE_ADVICE = (  # what SQLite says, in order of precedence -> what it means, and what to do
    (("full",), "the disk is full", "free some space and run the same command again: what is stored is kept"),
    (("readonly", "read-only"), "the database is read-only", "make the file and its folder writable, or use another --db"),
    (("malformed", "not a database", "corrupt"), "the database is damaged",
     "restore it from a backup, or give --db a new file name; `sqlite3 FILE .recover` saves what it can"),
    (("locked", "busy"), "the database is locked by another program", "wait for it to finish, or use another --db"),
    (("unable to open",), "the database cannot be opened", "check the file, its folder's permissions and the disk"),
    (("disk i/o",), "the disk could not be read or written", "check the disk, then run the same command again"),
)


def storage_error(path: Path | str, e: sqlite3.Error) -> StorageError:
    said = str(e).splitlines()[0] if str(e) else type(e).__name__
    low = said.lower()
    for words, meaning, hint in _SQLITE_ADVICE:
        if any(w in low for w in words):
            return StorageError(f"{path}: {meaning} ({said})", hint)
    return StorageError(f"{path}: database error ({said})", "check the file and the disk")


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """Open for reading only. A WAL database needs its -shm file, which SQLite creates even to
    read; on read-only storage (a snapshot, a read-only mount) it cannot, and the open fails.
    Nobody can write there either, so the file is then opened as immutable, which needs none."""
    uri = path.resolve().as_uri()
    db = None
    try:
        db = sqlite3.connect(uri + "?mode=ro", uri=True)
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError as e:
        if db is not None:
            db.close()
        if not _cannot_open(e):
            raise
    return sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True)


def _cannot_open(e: sqlite3.OperationalError) -> bool:
    low = str(e).lower()
    return "unable to open" in low or "readonly" in low or "read-only" in low
