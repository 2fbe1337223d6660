"""The database schema as an ordered list of migrations, each recorded in `extractor_migrations`
when applied. Never edit or reorder a migration that has shipped: add a new one at the end.

A database whose `extractor_migrations` names a migration this list does not have was written
by a newer version of the tool, and is refused rather than guessed at (see `check_known`).
docs/store.md describes every table and column.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

# PRAGMA application_id: marks the file as ours, so a stranger's SQLite file is refused.
APPLICATION_ID = 0x45585452  # "EXTR"


def m001_initial(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL,            -- running | finished | interrupted | submitted | collected
            mode TEXT NOT NULL,              -- live | batch-api-submit | batch-api-collect
            model TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            options_key TEXT NOT NULL,
            options_json TEXT NOT NULL,
            command TEXT,
            pid INTEGER,
            inputs INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            seconds REAL
        );
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,             -- sha256 of the text: the same text is one document
            source TEXT NOT NULL,
            external_id TEXT,
            url TEXT,
            title TEXT,
            published TEXT,
            chars INTEGER NOT NULL,
            text TEXT NOT NULL,
            first_run_id INTEGER REFERENCES runs(id),
            last_run_id INTEGER REFERENCES runs(id)
        );
        CREATE TABLE extractions (
            id INTEGER PRIMARY KEY,
            document_id TEXT NOT NULL REFERENCES documents(id),
            model TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            options_key TEXT NOT NULL,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            strategy TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            requests INTEGER NOT NULL,
            prompt_tokens INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            retries INTEGER NOT NULL,
            seconds REAL NOT NULL,
            cost_usd REAL,
            dropped_unaligned INTEGER NOT NULL,
            warnings INTEGER NOT NULL,
            result_json TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (document_id, model, prompt_version, options_key)
        );
        CREATE TABLE speakers (
            extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
            speaker_id TEXT NOT NULL,
            name TEXT NOT NULL,
            role TEXT,
            affiliation TEXT,
            kind TEXT NOT NULL,
            mentions INTEGER NOT NULL,
            PRIMARY KEY (extraction_id, speaker_id)
        );
        CREATE TABLE claims (
            extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
            claim_id TEXT NOT NULL,
            speaker_id TEXT,
            text TEXT NOT NULL,
            attribution TEXT NOT NULL,
            type TEXT NOT NULL,
            check_worthy INTEGER NOT NULL,
            origin TEXT NOT NULL,
            evidence TEXT,
            evidence_start INTEGER,
            evidence_end INTEGER,
            alignment TEXT,
            cue TEXT,
            PRIMARY KEY (extraction_id, claim_id)
        );
        CREATE TABLE stances (
            extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            holder_id TEXT NOT NULL,
            target TEXT NOT NULL,
            polarity TEXT NOT NULL,
            claim_ids TEXT NOT NULL,         -- JSON list
            PRIMARY KEY (extraction_id, position)
        );
        CREATE TABLE failures (
            id INTEGER PRIMARY KEY,
            subject TEXT NOT NULL,           -- the document id, or input:<source> when unreadable
            document_id TEXT REFERENCES documents(id),
            source TEXT NOT NULL,
            model TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            options_key TEXT NOT NULL,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            kind TEXT NOT NULL,              -- input | transport | validation | model | internal
            reason TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            failed_at TEXT NOT NULL,
            UNIQUE (subject, model, prompt_version, options_key)
        );
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            subject TEXT NOT NULL,
            model TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            options_key TEXT NOT NULL,
            outcome TEXT NOT NULL,           -- done | failed
            requests INTEGER NOT NULL,
            prompt_tokens INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            retries INTEGER NOT NULL,
            seconds REAL NOT NULL,
            cost_usd REAL,
            at TEXT NOT NULL
        );
        CREATE INDEX attempts_by_run ON attempts (run_id);
        CREATE INDEX attempts_by_subject ON attempts (subject, model, prompt_version, options_key);
        CREATE TABLE remote_batches (
            id TEXT PRIMARY KEY,             -- the provider's batch id
            run_id INTEGER NOT NULL REFERENCES runs(id),
            model TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            options_key TEXT NOT NULL,
            options_json TEXT NOT NULL,
            input_file_id TEXT NOT NULL,
            requests INTEGER NOT NULL,
            status TEXT NOT NULL,            -- the provider's status; collected when we are done
            output_file_id TEXT,
            error_file_id TEXT,
            created_at TEXT NOT NULL,
            collected_at TEXT
        );
        CREATE TABLE remote_batch_documents (
            batch_id TEXT NOT NULL REFERENCES remote_batches(id),
            document_id TEXT NOT NULL REFERENCES documents(id),
            PRIMARY KEY (batch_id, document_id)
        );
        """
    )


def m002_judgements_may_be_null(db: sqlite3.Connection) -> None:
    """A claim's type and check-worthiness are null when nothing judged them (they were
    placeholders before), check-worthiness gets its probability, and a stance its confidence.
    SQLite cannot relax NOT NULL in place: the claims table is rebuilt, rows kept."""
    _script(
        db,
        """
        CREATE TABLE claims_new (
            extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
            claim_id TEXT NOT NULL,
            speaker_id TEXT,
            text TEXT NOT NULL,
            attribution TEXT NOT NULL,
            type TEXT,
            check_worthy INTEGER,
            origin TEXT NOT NULL,
            evidence TEXT,
            evidence_start INTEGER,
            evidence_end INTEGER,
            alignment TEXT,
            cue TEXT,
            check_worthiness REAL,
            PRIMARY KEY (extraction_id, claim_id)
        );
        INSERT INTO claims_new (extraction_id, claim_id, speaker_id, text, attribution, type, check_worthy, origin,
                                evidence, evidence_start, evidence_end, alignment, cue)
            SELECT extraction_id, claim_id, speaker_id, text, attribution, type, check_worthy, origin,
                   evidence, evidence_start, evidence_end, alignment, cue FROM claims;
        DROP TABLE claims;
        ALTER TABLE claims_new RENAME TO claims;
        ALTER TABLE stances ADD COLUMN confidence REAL;
        """,
    )


MIGRATIONS = [m001_initial, m002_judgements_may_be_null]


def _script(db: sqlite3.Connection, sql: str) -> None:
    """Statement by statement: `executescript` would commit first, breaking the migration's
    one transaction."""
    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def applied(db: sqlite3.Connection) -> list[str]:
    exists = db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='extractor_migrations'").fetchone()
    if not exists:
        return []
    return [row[0] for row in db.execute("SELECT name FROM extractor_migrations ORDER BY rowid")]


def unknown(names: list[str]) -> list[str]:
    """Migrations recorded in the database that this version does not have."""
    known = {m.__name__ for m in MIGRATIONS}
    return [n for n in names if n not in known]


def migrate(db: sqlite3.Connection) -> None:
    """Apply what is missing, each migration and its record in one transaction. `db` is in
    autocommit mode (isolation_level=None), so BEGIN and COMMIT here are the real ones."""
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("CREATE TABLE IF NOT EXISTS extractor_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = set(applied(db))
    for migration in MIGRATIONS:
        if migration.__name__ in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            migration(db)
            db.execute("INSERT INTO extractor_migrations (name, applied_at) VALUES (?, ?)", (migration.__name__, now()))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
