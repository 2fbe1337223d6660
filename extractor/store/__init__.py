"""Results in SQLite: one file that a batch run writes and `runs` / `export` read.

    Store.open(path)            refuse a file that is not ours or is newer; lock; migrate
    ResultKey                   (model, prompt version, options): a result is reused only for
                                the same document text under the same key
    save_result / save_failure  one transaction per document: all of its rows, or none
    done_ids / failed           what a rerun can skip, and what --retry-failed redoes
    runs / results              what `extractor runs` lists and `extractor export` writes

Every document ends either with an `extractions` row (its full result JSON, and speakers,
claims and stances as rows) or a `failures` row (reason, attempt count). Each attempt, done or
failed, is also an `attempts` row with what it spent, so run totals survive a crash.
The tables are described in docs/store.md; migrations.py creates them.

Whatever SQLite or the disk says (a damaged file, a full disk, a read-only file) leaves here
as a `StorageError` naming the database and what to do (`storage_errors`), never as a
traceback. A database on read-only storage is still readable (see `_connect_readonly`).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.errors import ConfigError
from extractor.schema import ExtractionResult, Usage
from extractor.store import migrations
from extractor.store.lock import WriterLock
from extractor.store.lock import alive as _alive
from extractor.store.rows import insert_rows as _insert_rows  # by this name: tests make it fail halfway
from extractor.store.rows import retryable_warnings
from extractor.store.files import _connect_readonly, _inspect, storage_errors
from extractor.store.migrations import now

if TYPE_CHECKING:
    from extractor.sources import Origin

@dataclass(frozen=True)
class ResultKey:
    model: str
    prompt_version: str
    options_key: str  # a hash of the options that change a result (see batch.keys)

    def columns(self) -> tuple[str, str, str]:
        return (self.model, self.prompt_version, self.options_key)


# The rows of one result key, in any table keyed by it; its values are `ResultKey.columns()`.
KEYED = "model=? AND prompt_version=? AND options_key=?"


class Store:
    def __init__(self, path: Path, db: sqlite3.Connection, lock: WriterLock | None):
        self.path = path
        self.db = db
        self._lock = lock

    @classmethod
    def open(cls, path: str | Path, write: bool = True) -> Store:
        """Open for a batch run (`write`: lock, create, migrate) or for reading only.
        Nothing is written to a file that turns out not to be ours."""
        path = Path(path)
        with storage_errors(path):
            applied = _inspect(path, must_exist=not write)
            if not write:
                db = _connect_readonly(path)
                db.isolation_level = None
                db.row_factory = sqlite3.Row
                if len(applied) < len(migrations.MIGRATIONS):
                    db.close()
                    raise ConfigError(f"{path}: made by an older version of extractor", "run `extractor batch` on it once to upgrade it")
                return cls(path, db, None)
            lock = WriterLock(path)
            lock.acquire()
            try:
                _inspect(path, must_exist=False)  # again, now that no other writer can change it
                db = sqlite3.connect(path, isolation_level=None, timeout=30)
                db.row_factory = sqlite3.Row
                db.execute("PRAGMA journal_mode=WAL")  # readers can read while a batch writes
                db.execute("PRAGMA synchronous=NORMAL")  # a commit survives a killed process
                db.execute("PRAGMA foreign_keys=ON")
                migrations.migrate(db)
                store = cls(path, db, lock)
                store._close_abandoned_runs()
            except BaseException:
                lock.release()
                raise
            return store

    def close(self) -> None:
        self.db.close()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with storage_errors(self.path, os_errors=False):  # SQLite's errors; ours pass through as they are
            try:
                self.db.execute("BEGIN IMMEDIATE")  # inside the try: an interrupt just after BEGIN still rolls back
                yield self.db
            except BaseException:
                if self.db.in_transaction:
                    try:
                        self.db.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # SQLite may have rolled back itself (a full disk): the first error is the one to tell
                raise
            try:
                self.db.execute("COMMIT")
            except sqlite3.Error:
                if self.db.in_transaction:  # a failed COMMIT (a full disk) leaves the transaction open
                    try:
                        self.db.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                raise

    # runs

    def start_run(self, key: ResultKey, options: dict, mode: str, command: str) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (started_at, status, mode, model, prompt_version, options_key, options_json, command, pid)"
                " VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?)",
                (now(), mode, *key.columns(), json.dumps(options, sort_keys=True), command, os.getpid()),
            )
            return cursor.lastrowid

    def finish_run(self, run_id: int, status: str, inputs: int, unchanged: int, duplicates: int, seconds: float) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at=?, status=?, inputs=?, unchanged=?, duplicates=?, seconds=? WHERE id=?",
                (now(), status, inputs, unchanged, duplicates, round(seconds, 3), run_id),
            )

    def _close_abandoned_runs(self) -> None:
        # We hold the writer lock, so a run still marked running was killed.
        with self.transaction() as db:
            db.execute("UPDATE runs SET status='interrupted' WHERE status='running'")

    # what is already known

    def done_ids(self, key: ResultKey) -> set[str]:
        return {row[0] for row in self.db.execute(f"SELECT document_id FROM extractions WHERE {KEYED}", key.columns())}

    def degraded_ids(self, key: ResultKey) -> set[str]:
        """Documents done with warnings: the model's part failed for some passage, and only
        the finder's proposals stand there. `--retry-failed` asks again for them."""
        rows = self.db.execute(f"SELECT document_id FROM extractions WHERE warnings > 0 AND {KEYED}", key.columns())
        return {row[0] for row in rows}

    def failed(self, key: ResultKey) -> dict[str, sqlite3.Row]:
        return {row["subject"]: row for row in self.db.execute(f"SELECT * FROM failures WHERE {KEYED}", key.columns())}

    def clear_failure(self, key: ResultKey, subject: str) -> None:
        with self.transaction() as db:
            _delete_failure(db, key, subject)

    def failed_documents(self, key: ResultKey) -> list[sqlite3.Row]:
        """Failures whose document text is stored."""
        return self.db.execute(f"SELECT * FROM failures WHERE document_id IS NOT NULL AND {KEYED} ORDER BY id", key.columns()).fetchall()

    def documents(self, ids: list[str]) -> list[sqlite3.Row]:
        found = []
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            found += self.db.execute(f"SELECT * FROM documents WHERE id IN ({','.join('?' * len(part))})", part).fetchall()
        return found

    # outcomes, one transaction each

    def save_document(self, run_id: int, document, origin: Origin) -> None:
        with self.transaction() as db:
            self._upsert_document(db, run_id, document, origin)

    def save_result(
        self, run_id: int, key: ResultKey, result: ExtractionResult, origin: Origin, cost: float | None, clears: str | None = None
    ) -> None:
        """Store a result, replacing one under the same key (--force). `clears` names a failure
        this success ends too: the input's own, from when it could not be read."""
        document = result.document
        usage = result.run.usage
        with self.transaction() as db:
            self._upsert_document(db, run_id, document, origin)
            attempts = 1 + _failed_attempts(db, key, document.id)
            existing = db.execute(
                f"SELECT id, attempts FROM extractions WHERE document_id=? AND {KEYED}",
                (document.id, *key.columns()),
            ).fetchone()
            if existing is not None:
                attempts += existing["attempts"]
                db.execute("DELETE FROM extractions WHERE id=?", (existing["id"],))
            extraction_id = db.execute(
                "INSERT INTO extractions (document_id, model, prompt_version, options_key, run_id, strategy, attempts,"
                " requests, prompt_tokens, completion_tokens, retries, seconds, cost_usd, dropped_unaligned, warnings,"
                " result_json, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    document.id, *key.columns(), run_id, result.run.strategy, attempts,
                    usage.requests, usage.prompt_tokens, usage.completion_tokens, usage.retries,
                    result.run.seconds, cost, result.run.dropped_unaligned, retryable_warnings(result),
                    json.dumps(result.to_json_dict(), ensure_ascii=False), now(),
                ),
            ).lastrowid
            _insert_rows(db, extraction_id, result)
            for subject in (document.id, clears):
                _delete_failure(db, key, subject)
            self._record_attempt(db, run_id, key, document.id, "done", usage, result.run.seconds, cost)

    def save_failure(
        self,
        run_id: int,
        key: ResultKey,
        subject: str,
        document,
        origin: Origin,
        kind: str,
        reason: str,
        usage: Usage,
        seconds: float,
        cost: float | None,
    ) -> int:
        """Record a failed attempt; returns how many attempts this subject has now failed."""
        with self.transaction() as db:
            if document is not None:
                self._upsert_document(db, run_id, document, origin)
            db.execute(
                "INSERT INTO failures (subject, document_id, source, model, prompt_version, options_key, run_id, kind,"
                " reason, attempts, failed_at) VALUES (?,?,?,?,?,?,?,?,?,1,?)"
                " ON CONFLICT (subject, model, prompt_version, options_key) DO UPDATE SET"
                " run_id=excluded.run_id, kind=excluded.kind, reason=excluded.reason, source=excluded.source,"
                " attempts=attempts+1, failed_at=excluded.failed_at",
                (subject, document.id if document is not None else None, origin.source, *key.columns(), run_id, kind, reason, now()),
            )
            self._record_attempt(db, run_id, key, subject, "failed", usage, seconds, cost)
            return _failed_attempts(db, key, subject)

    def save_interrupted(self, run_id: int, key: ResultKey, subject: str, usage: Usage, cost: float | None) -> None:
        """What a document stopped midway spent: an attempt with outcome 'interrupted'."""
        with self.transaction() as db:
            self._record_attempt(db, run_id, key, subject, "interrupted", usage, 0.0, cost)

    def _upsert_document(self, db: sqlite3.Connection, run_id: int, document, origin: Origin) -> None:
        db.execute(
            "INSERT INTO documents (id, source, external_id, url, title, published, chars, text, first_run_id, last_run_id)"
            " VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET last_run_id=excluded.last_run_id",
            (
                document.id, origin.source, origin.external_id, origin.url, document.title, origin.published,
                len(document.text), document.text, run_id, run_id,
            ),
        )

    def _record_attempt(self, db, run_id, key, subject, outcome, usage: Usage, seconds, cost) -> None:
        db.execute(
            "INSERT INTO attempts (run_id, subject, model, prompt_version, options_key, outcome, requests,"
            " prompt_tokens, completion_tokens, retries, seconds, cost_usd, at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                run_id, subject, *key.columns(), outcome, usage.requests, usage.prompt_tokens,
                usage.completion_tokens, usage.retries, round(seconds, 3), cost, now(),
            ),
        )

    # OpenAI Batch API batches

    def save_remote_batch(self, batch_id, run_id, key: ResultKey, options: dict, file_id, requests, document_ids) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO remote_batches (id, run_id, model, prompt_version, options_key, options_json,"
                " input_file_id, requests, status, created_at) VALUES (?,?,?,?,?,?,?,?,'submitted',?)",
                (batch_id, run_id, *key.columns(), json.dumps(options, sort_keys=True), file_id, requests, now()),
            )
            db.executemany(
                "INSERT OR IGNORE INTO remote_batch_documents (batch_id, document_id) VALUES (?, ?)",
                [(batch_id, d) for d in document_ids],
            )

    def update_remote_batch(self, batch_id: str, status: dict) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE remote_batches SET status=?, output_file_id=?, error_file_id=? WHERE id=? AND collected_at IS NULL",
                (status["status"], status.get("output_file_id"), status.get("error_file_id"), batch_id),
            )

    def collected(self, batch_id: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE remote_batches SET status='collected', collected_at=? WHERE id=?", (now(), batch_id))

    def open_remote_batches(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM remote_batches WHERE collected_at IS NULL ORDER BY created_at, id").fetchall()

    def remote_batch_documents(self, batch_id: str) -> list[str]:
        rows = self.db.execute("SELECT document_id FROM remote_batch_documents WHERE batch_id=? ORDER BY rowid", (batch_id,))
        return [row[0] for row in rows]

    def pending_remote(self, key: ResultKey) -> frozenset[str]:
        """Documents waiting in a submitted batch that has not been collected."""
        rows = self.db.execute(
            "SELECT d.document_id FROM remote_batch_documents d JOIN remote_batches b ON b.id = d.batch_id"
            " WHERE b.collected_at IS NULL AND b.model=? AND b.prompt_version=? AND b.options_key=?",
            key.columns(),
        )
        return frozenset(row[0] for row in rows)

    # reading, for `runs` and `export`

    def runs(self) -> list[dict]:
        rows = self.db.execute(
            """
            SELECT r.*,
                   COALESCE(SUM(a.outcome = 'done'), 0) AS done,
                   COALESCE(SUM(a.outcome = 'failed'), 0) AS failed,
                   COALESCE(SUM(a.requests), 0) AS requests,
                   COALESCE(SUM(a.prompt_tokens), 0) AS prompt_tokens,
                   COALESCE(SUM(a.completion_tokens), 0) AS completion_tokens,
                   COALESCE(SUM(a.retries), 0) AS retries,
                   SUM(a.cost_usd) AS cost_usd,
                   SUM(a.cost_usd IS NULL AND a.requests > 0) AS unpriced
            FROM runs r LEFT JOIN attempts a ON a.run_id = r.id
            GROUP BY r.id ORDER BY r.id
            """
        )
        found = []
        for row in rows:
            run = dict(row)
            if run["status"] == "running" and not _alive(run["pid"]):
                run["status"] = "interrupted"
            found.append(run)
        return found

    def results(self, model: str | None = None, every: bool = False) -> sqlite3.Cursor:
        """Stored results with their document's origin: the newest per document, or `every` one."""
        conditions, params = [], []
        if model:
            conditions.append("e.model = ?")
            params.append(model)
        if not every:
            same_model = " AND x.model = e.model" if model else ""
            conditions.append(f"e.id = (SELECT MAX(x.id) FROM extractions x WHERE x.document_id = e.document_id{same_model})")
        where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
        sql = (
            "SELECT e.*, d.source, d.external_id, d.url, d.published, d.title FROM extractions e"
            f" JOIN documents d ON d.id = e.document_id {where} ORDER BY d.source, d.id, e.id"
        )
        return self.db.execute(sql, params)


def _failed_attempts(db: sqlite3.Connection, key: ResultKey, subject: str) -> int:
    row = db.execute(f"SELECT attempts FROM failures WHERE subject=? AND {KEYED}", (subject, *key.columns())).fetchone()
    return row[0] if row else 0


def _delete_failure(db: sqlite3.Connection, key: ResultKey, subject: str | None) -> None:
    db.execute(f"DELETE FROM failures WHERE subject=? AND {KEYED}", (subject, *key.columns()))


def report_rows(path: str | Path) -> tuple[list[dict], list[dict]]:
    """For `extractor report --db`: the newest result per document, and the open failures."""
    with Store.open(path, write=False) as store, storage_errors(path):
        results = [json.loads(row["result_json"]) for row in store.results()]
        failures = [dict(row) for row in store.db.execute("SELECT source, reason, attempts, kind FROM failures ORDER BY id")]
    return results, failures
