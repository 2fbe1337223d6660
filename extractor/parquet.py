"""Stored results as Parquet: one file per table (documents, speakers, claims, stances) in a
folder, typed columns, written in row groups so memory stays flat however large the store.

    with ParquetTables(folder) as tables:
        tables.write("claims", row)      # rows from extractor.tables

Each file is written under a temporary name and renamed when the export completes, so a
failed or interrupted export never leaves a half-written file where a reader expects a
whole one (the previous export's file, if any, stays). pyarrow is an optional dependency
(`pip install 'extractor[parquet]'`); without it the export stops with one line saying so.
"""

from __future__ import annotations

import os
from pathlib import Path

from extractor.errors import ConfigError
from extractor.tables import TABLES

ROWS_PER_GROUP = 5_000  # rows held in memory per table before they are written out

_COMMON = [("document_id", "string"), ("source", "string"), ("url", "string"), ("title", "string"),
           ("model", "string"), ("prompt_version", "string")]
_COLUMNS = {
    "documents": [
        ("external_id", "string"), ("published", "string"), ("language", "string"), ("chars", "int64"),
        ("strategy", "string"), ("speakers", "int32"), ("claims", "int32"), ("stances", "int32"),
        ("dropped_unaligned", "int32"), ("attempts", "int32"), ("requests", "int64"), ("prompt_tokens", "int64"),
        ("completion_tokens", "int64"), ("retries", "int64"), ("seconds", "float64"), ("cost_usd", "float64"),
    ],
    "speakers": [("speaker_id", "string"), ("name", "string"), ("role", "string"), ("affiliation", "string"),
                 ("kind", "string"), ("mentions", "int32")],
    "claims": [
        ("claim_id", "string"), ("speaker_id", "string"), ("speaker", "string"), ("speaker_status", "string"),
        ("unresolved", "string"), ("role", "string"),
        ("affiliation", "string"), ("attribution", "string"), ("type", "string"), ("check_worthy", "bool"),
        ("check_worthiness", "float64"), ("origin", "string"), ("claim", "string"), ("evidence", "string"),
        ("evidence_start", "int64"), ("evidence_end", "int64"), ("alignment", "string"), ("cue", "string"),
        ("stances", "list<string>"),
    ],
    "stances": [("holder_id", "string"), ("holder", "string"), ("target", "string"), ("polarity", "string"),
                ("confidence", "float64"), ("claim_ids", "list<string>")],
}


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ConfigError("Parquet output needs pyarrow, which is not installed",
                          "pip install 'extractor[parquet]', or export with --format jsonl or csv") from None
    return pa, pq


def schema(table: str):
    pa, _ = _pyarrow()
    types = {"string": pa.string(), "int32": pa.int32(), "int64": pa.int64(), "float64": pa.float64(),
             "bool": pa.bool_(), "list<string>": pa.list_(pa.string())}
    return pa.schema([(name, types[kind]) for name, kind in _COMMON + _COLUMNS[table]])


class ParquetTables:
    def __init__(self, folder: str | os.PathLike):
        self.pa, self.pq = _pyarrow()
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:  # a file there, or no permission
            raise ConfigError(f"{folder}: cannot make a folder of Parquet tables there ({e.strerror or e})",
                              "give -o a folder path") from e
        self.schemas = {t: schema(t) for t in TABLES}
        self._pending: dict[str, list[dict]] = {t: [] for t in TABLES}
        self._writers = {}

    def __enter__(self) -> ParquetTables:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abandon()

    def _partial(self, table: str) -> Path:
        return self.folder / f".{table}.parquet.partial"

    def write(self, table: str, row: dict) -> None:
        pending = self._pending[table]
        pending.append(row)
        if len(pending) >= ROWS_PER_GROUP:
            self._flush(table)

    def _flush(self, table: str) -> None:
        pending = self._pending[table]
        if table not in self._writers:
            self._writers[table] = self.pq.ParquetWriter(self._partial(table), self.schemas[table])
        if pending:
            self._writers[table].write_table(self.pa.Table.from_pylist(pending, schema=self.schemas[table]))
            pending.clear()

    def close(self) -> None:
        """Writes what is left and puts every table in place, each with its schema even when
        it has no row (a reader's query then finds an empty table, not a missing file)."""
        for table in TABLES:
            self._flush(table)
            self._writers.pop(table).close()
        for table in TABLES:
            os.replace(self._partial(table), self.folder / f"{table}.parquet")

    def abandon(self) -> None:
        for table, writer in list(self._writers.items()):
            writer.close()
            self._partial(table).unlink(missing_ok=True)
        self._writers.clear()
