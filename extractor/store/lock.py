"""One writer per database: an exclusive lock on `<database>.lock`, held while a batch runs.

The operating system drops the lock when the process ends, however it ends (`kill -9`
included), so a crashed run never leaves a stale lock behind. The file itself stays: deleting
it on exit would let a third process lock a new file while a second still holds the old one.
Readers (`runs`, `export`) do not lock: SQLite's WAL mode lets them read during a run.

The lock is named after the database's resolved path, not the path as given: through a
symbolic link (or `./`, `..`) a second run would otherwise lock a file of its own and write
at the same time, extracting (and paying for) every document twice. A hard link is a second
name for the same file that no path resolution reveals, so the database file itself is
locked too (flock: one lock per file, whatever name opened it; on Linux and macOS it does not
touch SQLite's own fcntl locks). The `.lock` file stays for what it says: who holds the lock.
"""

from __future__ import annotations

import os
from pathlib import Path

from extractor.errors import ConfigError, StorageError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None
    import msvcrt


# Forked worker processes inherit the lock's file descriptor, and an flock lasts until every
# descriptor of it is closed: a worker outliving a killed parent would keep the database
# locked. So children let go of their copies at once (pointing the descriptor at /dev/null,
# so the inherited file object can still close it harmlessly); the parent's lock is unaffected.
_HELD_FDS: set[int] = set()


def _close_inherited_locks() -> None:
    for fd in list(_HELD_FDS):
        try:
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, fd)
            os.close(null)
        except OSError:
            pass
    _HELD_FDS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_inherited_locks)


class WriterLock:
    def __init__(self, database: Path):
        self.database = Path(database)
        self.path = Path(str(Path(database).resolve()) + ".lock")
        self._file = None
        self._same_file: int | None = None  # a descriptor of the database file, flocked

    def acquire(self) -> None:
        try:
            handle = open(self.path, "a+", encoding="utf-8")
        except OSError as e:
            raise StorageError(
                f"{self.database}: cannot create its lock file {self.path} ({e.strerror})",
                "make the folder writable, or use a --db in a writable folder",
            ) from None
        try:
            _lock(handle)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise ConfigError(
                f"{self.database}: another batch is writing to this database ({holder})",
                "wait for it to finish, or use another --db",
            ) from None
        try:
            self._same_file = _lock_the_file(self.database)
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        self._file = handle
        _HELD_FDS.add(handle.fileno())

    def release(self) -> None:
        """Called once the database is closed: closing a descriptor of the file drops every
        fcntl lock this process holds on it, SQLite's included."""
        if self._same_file is not None:
            _HELD_FDS.discard(self._same_file)
            os.close(self._same_file)
            self._same_file = None
        if self._file is not None:
            _HELD_FDS.discard(self._file.fileno())
            self._file.close()  # closing drops the lock
            self._file = None


def _lock_the_file(database: Path) -> int | None:
    """Lock the database file itself (made empty if new: SQLite takes an empty file as an empty
    database), so that a second name for it (a hard link) finds it locked. Its descriptor."""
    if fcntl is None:  # pragma: no cover - Windows: locking the file would lock SQLite out of it
        return None
    try:
        # O_NONBLOCK: a FIFO given as --db must not hang the open (SQLite then refuses it)
        fd = os.open(database, os.O_RDONLY | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as e:
        raise StorageError(
            f"{database}: cannot open it to lock it ({e.strerror})",
            "make the folder writable, or use a --db in a writable folder",
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise ConfigError(
            f"{database}: another batch is writing to this database, under another name (a hard link)",
            "wait for it to finish, or use another --db",
        ) from None
    _HELD_FDS.add(fd)
    return fd


def _lock(handle) -> None:
    if fcntl is not None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:  # pragma: no cover - Windows
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)


def alive(pid: int | None) -> bool:
    """Whether process `pid` still runs (a run marked running whose process is gone was cut off)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
