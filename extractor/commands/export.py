"""`extractor export`: stored results as JSONL (per document, exactly the object that
`extract --format json` prints), CSV (one row per claim, stance or document) or Parquet (a
folder with all four tables, typed: extractor.parquet). The rows come from extractor.tables."""

from __future__ import annotations

import csv
import json
import os
import sys
from contextlib import ExitStack

from extractor.console import EXIT_OK, boundary, open_output
from extractor.errors import ConfigError
from extractor.tables import rows as table_rows

CLAIM_COLUMNS = [
    "document_id", "source", "url", "title", "model", "prompt_version", "claim_id", "speaker", "role",
    "affiliation", "attribution", "type", "check_worthy", "origin", "claim", "evidence", "evidence_start",
    "evidence_end", "alignment", "cue", "stances", "speaker_status", "unresolved",
]
STANCE_COLUMNS = ["document_id", "source", "url", "title", "model", "prompt_version", "holder", "target", "polarity", "claim_ids"]
SPEAKER_COLUMNS = ["document_id", "source", "url", "title", "model", "prompt_version", "speaker_id", "name", "role",
                   "affiliation", "kind", "mentions"]
DOCUMENT_COLUMNS = [
    "document_id", "source", "external_id", "url", "title", "published", "chars", "model", "prompt_version",
    "strategy", "speakers", "claims", "stances", "dropped_unaligned", "attempts", "requests", "prompt_tokens",
    "completion_tokens", "retries", "seconds", "cost_usd",
]


def run_export(db, fmt, output, model, every, table, debug) -> int:
    return boundary(lambda: _export(db, fmt, output, model, every, table), debug)


def _export(db, fmt, output, model, every, table) -> int:
    from extractor.store import Store, storage_errors

    if fmt == "parquet":
        return _export_parquet(db, output, model, every)
    try:
        with Store.open(db, write=False) as store, storage_errors(db), ExitStack() as stack:
            out = stack.enter_context(open_output(output, newline="")) if output else sys.stdout
            rows = store.results(model=model, every=every)
            if fmt == "jsonl":
                for row in rows:
                    out.write(row["result_json"] + "\n")
            else:
                write_csv(rows, table, out)
    except BrokenPipeError:  # `export ... | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit flush is quiet
    return EXIT_OK


def write_csv(rows, table: str, out) -> None:
    columns = {"claims": CLAIM_COLUMNS, "stances": STANCE_COLUMNS, "documents": DOCUMENT_COLUMNS,
               "speakers": SPEAKER_COLUMNS}[table]
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        for flat in table_rows(table, row, json.loads(row["result_json"])):
            # CSV has no lists: claim ids one string, a claim's stances "target: polarity; ..."
            if "claim_ids" in flat:
                flat["claim_ids"] = " ".join(flat["claim_ids"])
            if "stances" in flat and isinstance(flat["stances"], list):
                flat["stances"] = "; ".join(flat["stances"])
            writer.writerow(flat)


def _export_parquet(db, output, model, every) -> int:
    from extractor.parquet import ParquetTables
    from extractor.store import Store, storage_errors
    from extractor.tables import TABLES

    if not output:
        raise ConfigError("--format parquet writes a folder of tables (documents, speakers, claims, stances)",
                          "give it with -o DIR")
    with Store.open(db, write=False) as store, storage_errors(db), ParquetTables(output) as tables:
        for row in store.results(model=model, every=every):
            result = json.loads(row["result_json"])
            for table in TABLES:
                for flat in table_rows(table, row, result):
                    tables.write(table, flat)
    return EXIT_OK
