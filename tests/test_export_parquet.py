"""`extractor export --format parquet`: four typed tables in a folder, the same rows as the
JSON and CSV exports, written whole or not at all."""

from __future__ import annotations

import csv
import io
import sys

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from extractor import parquet  # noqa: E402
from extractor.tables import TABLES  # noqa: E402
from tests.batch_helpers import cli, exported  # noqa: E402
from tests.conftest import SEEDS  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    db = tmp_path_factory.mktemp("store") / "r.sqlite"
    assert cli("batch", SEEDS, "--db", db, "--model", "none").exit_code == 0
    return db


def _export(db, folder, *extra):
    return cli("export", "--db", db, "--format", "parquet", "-o", folder, *extra)


def test_every_table_is_written_with_its_schema_and_the_stored_rows(store, tmp_path):
    result = _export(store, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"{t}.parquet" for t in TABLES)
    tables = {t: pq.read_table(tmp_path / "out" / f"{t}.parquet") for t in TABLES}
    for name, table in tables.items():
        assert table.schema.equals(parquet.schema(name)), name
    documents = exported(store)
    assert tables["documents"].num_rows == len(documents) >= 4
    assert tables["claims"].num_rows == sum(len(d["claims"]) for d in documents) > 0
    assert tables["speakers"].num_rows == sum(len(d["speakers"]) for d in documents)
    assert tables["stances"].num_rows == sum(len(d["stances"]) for d in documents) > 0


def test_claim_rows_keep_the_grounding_promise_and_the_judgements(store, tmp_path):
    _export(store, tmp_path / "out")
    texts = {d["document"]["id"]: d["document"]["text"] for d in exported(store)}
    judged = {(d["document"]["id"], c["id"]): c for d in exported(store) for c in d["claims"]}
    claims = pq.read_table(tmp_path / "out" / "claims.parquet").to_pylist()
    for row in claims:
        if row["evidence"] is not None:
            assert texts[row["document_id"]][row["evidence_start"] : row["evidence_end"]] == row["evidence"]
        claim = judged[(row["document_id"], row["claim_id"])]
        assert row["check_worthiness"] == claim["check_worthiness"] and row["type"] == claim["type"]
        assert row["speaker_status"] == claim["speaker_status"]
        assert row["unresolved"] == ((claim.get("unresolved") or {}).get("note"))
    stances = pq.read_table(tmp_path / "out" / "stances.parquet").to_pylist()
    assert all(isinstance(s["claim_ids"], list) and 0 <= s["confidence"] <= 1 for s in stances)


def test_parquet_and_csv_give_the_same_claims(store, tmp_path):
    _export(store, tmp_path / "out")
    rows = list(csv.DictReader(io.StringIO(cli("export", "--db", store, "--format", "csv").stdout)))
    claims = pq.read_table(tmp_path / "out" / "claims.parquet").to_pylist()
    assert [(r["document_id"], r["claim_id"], r["speaker"] or None, r["stances"]) for r in rows] == [
        (c["document_id"], c["claim_id"], c["speaker"], "; ".join(c["stances"])) for c in claims
    ]


def test_row_groups_do_not_change_the_rows(store, tmp_path, monkeypatch):
    _export(store, tmp_path / "whole")
    monkeypatch.setattr(parquet, "ROWS_PER_GROUP", 2)
    _export(store, tmp_path / "pieces")
    pieces = pq.ParquetFile(tmp_path / "pieces" / "claims.parquet")
    assert pieces.metadata.num_row_groups > 1
    assert pieces.read().equals(pq.read_table(tmp_path / "whole" / "claims.parquet"))


def test_a_failed_export_leaves_the_previous_files_whole(store, tmp_path, monkeypatch):
    assert _export(store, tmp_path / "out").exit_code == 0
    before = pq.read_table(tmp_path / "out" / "claims.parquet")
    calls = []

    def failing_rows(table, stored, result):
        calls.append(table)
        if len(calls) > 6:
            raise RuntimeError("the disk went away")
        return iter(())

    monkeypatch.setattr("extractor.commands.export.table_rows", failing_rows)
    with pytest.raises(RuntimeError):
        _export(store, tmp_path / "out")
    assert pq.read_table(tmp_path / "out" / "claims.parquet").equals(before)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"{t}.parquet" for t in TABLES)


def test_parquet_needs_a_folder(store):
    result = cli("export", "--db", store, "--format", "parquet")
    assert result.exit_code == 2
    assert "-o DIR" in result.stderr and "Traceback" not in result.output


def test_a_folder_that_is_a_file_is_one_line(store, tmp_path):
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    result = _export(store, tmp_path / "taken")
    assert result.exit_code == 2 and "taken" in result.stderr and "Traceback" not in result.output


def test_without_pyarrow_the_error_says_what_to_install(store, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    result = _export(store, tmp_path / "out")
    assert result.exit_code == 2 and "extractor[parquet]" in result.stderr
    assert not (tmp_path / "out").exists()
