"""`extractor batch` end to end, in-process: inputs of every kind, bad inputs recorded and
skipped, reruns that ask nothing, --force, --retry-failed, export equal to extract, runs.
Models are `none` (rules only) or the loopback stand-in server (tests/openai_standin.py)."""

from __future__ import annotations

import asyncio
import io
import json

import pytest

from tests.batch_helpers import cli, count, exported, query, without_seconds, write_corpus
from tests.conftest import SEEDS, FakeModel, assert_spans_grounded
from tests.fault_server import FaultServer
from tests.openai_standin import FAIL_MARK, StandIn


@pytest.fixture
def standin(monkeypatch):
    monkeypatch.setenv("EXTRACTOR_TRANSPORT_RETRIES", "1")
    monkeypatch.setenv("EXTRACTOR_BACKOFF_SECONDS", "0")
    with StandIn() as server:
        yield server


def _model(server) -> tuple[str, ...]:
    return ("--model", "stand-in", "--base-url", server.base_url, "--strategy", "full")


def _chat_count(server) -> int:
    return len(server.chat_requests)


def test_every_kind_of_input_and_bad_ones_recorded_as_failures(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    seed = (SEEDS / "city-council-bike-lanes.txt").read_text(encoding="utf-8")
    (folder / "a.txt").write_text(seed, encoding="utf-8")
    (folder / "sub" / "b.md").write_text("# Budget\n\nThe treasurer said the city would balance its budget next year.\n", encoding="utf-8")
    (folder / "sub" / "c.html").write_text(
        "<html><body><article><p>The governor said the bridge would reopen in May.</p></article></body></html>", encoding="utf-8"
    )
    (folder / ".hidden" / "skipped.txt").write_text("not read", encoding="utf-8")
    (folder / "skipped.csv").write_text("a,b\n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03 not text")
    (folder / "empty.md").write_text("  \n", encoding="utf-8")
    globbed = tmp_path / "g"
    globbed.mkdir()
    (globbed / "one.txt").write_text("The coach said the team would win the final.\n", encoding="utf-8")
    feed = tmp_path / "feed.jsonl"
    lines = [
        {"id": "wire-1", "text": "The minister said taxes would not rise this year.", "url": "https://example.org/1", "title": "Taxes", "published": "2024-05-01"},
        {"html": "<html><body><p>The mayor said the new park would open in June.</p></body></html>", "url": "https://example.org/2"},
        "{not json",
        [1, 2],
        {"text": "   "},
        {"title": "no text"},
    ]
    feed.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    stdin = json.dumps({"id": "stdin-1", "text": "The senator said the vote would be close."}) + "\n"
    db = tmp_path / "r.sqlite"

    result = cli("batch", folder, str(globbed / "*.txt"), feed, "-", tmp_path / "missing.txt", str(tmp_path / "none-*.txt"),
                 "--db", db, "--model", "none", input=stdin)

    assert result.exit_code == 1, result.output
    sources = {row[0] for row in query(db, "SELECT d.source FROM extractions e JOIN documents d ON d.id = e.document_id")}
    assert sources == {
        str(folder / "a.txt"), str(folder / "sub" / "b.md"), str(folder / "sub" / "c.html"), str(globbed / "one.txt"),
        "wire-1", "https://example.org/2", "stdin-1",
    }
    reasons = dict(query(db, "SELECT source, reason FROM failures"))
    assert "binary" in reasons[str(folder / "binary.txt")]
    assert "empty" in reasons[str(folder / "empty.md")]
    assert "not a JSON line" in reasons[f"{feed}:3"]
    assert "not an object" in reasons[f"{feed}:4"]
    assert "empty" in reasons[f"{feed}:5"]
    assert 'no "text" or "html"' in reasons[f"{feed}:6"]
    assert "no such file" in reasons[str(tmp_path / "missing.txt")]
    assert "no file matches" in reasons[str(tmp_path / "none-*.txt")]
    assert len(reasons) == 8
    assert query(db, "SELECT external_id, url, title, published FROM documents WHERE source='wire-1'") == [
        ("wire-1", "https://example.org/1", "Taxes", "2024-05-01")
    ]
    assert "7 done, 8 failed" in result.stdout
    for line in exported(db):
        assert line["document"]["text"][0] != " "


def test_a_folder_with_nothing_to_read_is_a_failure_not_a_quiet_success(tmp_path):
    empty, other = tmp_path / "empty", tmp_path / "pdfs"
    empty.mkdir()
    other.mkdir()
    (other / "report.pdf").write_bytes(b"%PDF-1.7")
    db = tmp_path / "r.sqlite"
    pattern = str(tmp_path / "later-*.txt")
    result = cli("batch", empty, other, pattern, "--db", db, "--model", "none")
    assert result.exit_code == 1, result.output
    reasons = dict(query(db, "SELECT source, reason FROM failures"))
    assert "no file matches" in reasons[pattern]
    assert "no .htm, .html, .markdown, .md, .txt files in this folder" in reasons[str(empty)]
    assert "(1 other file skipped)" in reasons[str(other)]
    (empty / "new.txt").write_text("The mayor said the bridge would reopen in May.", encoding="utf-8")
    (tmp_path / "later-1.txt").write_text("The council said the vote was postponed.", encoding="utf-8")
    again = cli("batch", empty, other, pattern, "--db", db, "--model", "none")
    assert again.exit_code == 1, "the other folder still holds nothing to read"
    assert "2 done" in again.stdout
    reasons = dict(query(db, "SELECT source, reason FROM failures"))
    assert str(empty) not in reasons and pattern not in reasons, "their failures end once they hold files"
    assert str(other) in reasons


@pytest.mark.parametrize("inputs", ["given", "none"], ids=["with-inputs", "from-the-store"])
def test_a_document_done_with_warnings_is_asked_again_by_retry_failed(tmp_path, monkeypatch, inputs):
    monkeypatch.setenv("EXTRACTOR_VALIDATION_RETRIES", "0")
    paths = write_corpus(tmp_path / "in", 2)
    db = tmp_path / "r.sqlite"
    with FaultServer() as server:
        model = ("--model", "stand-in", "--base-url", server.base_url, "--strategy", "full", "--concurrency", "1")
        server.next("invalid", "invalid")  # the first article's answers never fit the schema, asked twice
        first = cli("batch", tmp_path / "in", "--db", db, *model)
        assert first.exit_code == 0, first.output  # done: the finder's proposals stand for it
        assert "2 done, 0 failed, 1 done with warnings" in first.stdout
        warned = query(db, "SELECT d.source FROM extractions e JOIN documents d ON d.id = e.document_id WHERE e.warnings > 0")
        assert warned == [(str(paths[0]),)]

        asked = len(server.chat())
        plain = cli("batch", tmp_path / "in", "--db", db, *model)
        assert len(server.chat()) == asked, "a plain rerun asks nothing"
        assert "2 unchanged" in plain.stdout and "1 done with warnings before" in plain.stdout

        given = [tmp_path / "in"] if inputs == "given" else []
        retried = cli("batch", *given, "--db", db, *model, "--retry-failed")
        assert retried.exit_code == 0, retried.output
        assert "1 done, 0 failed" in retried.stdout and "with warnings" not in retried.stdout
        assert len(server.chat()) == asked + 1, "only the document done with warnings is asked again"
    assert count(db, "extractions", "warnings > 0") == 0
    assert count(db, "extractions") == 2


@pytest.mark.parametrize("workers", ["1", "2"])
def test_concurrency_caps_the_questions_in_flight(tmp_path, workers):
    write_corpus(tmp_path / "in", 16)
    with StandIn(latency=0.1) as server:
        run = cli("batch", tmp_path / "in", "--db", tmp_path / "r.sqlite", *_model(server), "--concurrency", "4",
                  "--workers", workers)
        assert run.exit_code == 0, run.output
        assert server.most_in_flight == 4, "four at once, never more"
        assert len(server.chat_requests) == 16


def test_export_gives_exactly_what_extract_gives(tmp_path, standin):
    article = SEEDS / "central-bank-rates.txt"
    for model in (("--model", "none"), _model(standin)):
        db = tmp_path / f"{model[1]}.sqlite"
        assert cli("batch", article, "--db", db, *model).exit_code == 0
        single = cli("extract", article, "--format", "json", *model)
        assert single.exit_code == 0, single.output
        expected = json.loads(single.stdout)
        [got] = exported(db)
        assert without_seconds(got) == without_seconds(expected)
        assert got["run"]["seconds"] >= 0
    assert _chat_count(standin) == 2  # one chunk: one request from batch, one from extract


def test_an_unchanged_rerun_asks_nothing_and_a_change_is_asked_again(tmp_path, standin, monkeypatch):
    paths = write_corpus(tmp_path / "in", 5)
    db = tmp_path / "r.sqlite"
    run = ("batch", tmp_path / "in", "--db", db)
    first = cli(*run, *_model(standin))
    assert first.exit_code == 0, first.output
    assert _chat_count(standin) == 5 and count(db, "extractions") == 5

    again = cli(*run, *_model(standin))
    assert again.exit_code == 0
    assert _chat_count(standin) == 5, "an unchanged corpus makes no request"
    assert "0 done, 0 failed, 5 unchanged" in again.stdout and "0 requests" in again.stdout

    paths[2].write_text(paths[2].read_text(encoding="utf-8") + "A correction was appended.\n", encoding="utf-8")
    changed = cli(*run, *_model(standin))
    assert "1 done" in changed.stdout and "4 unchanged" in changed.stdout
    assert _chat_count(standin) == 6

    other_model = cli(*run, "--model", "stand-in-2", "--base-url", standin.base_url, "--strategy", "full")
    assert "5 done" in other_model.stdout and _chat_count(standin) == 11

    other_options = cli(*run, *_model(standin), "--target", "interest rates")
    assert "5 done" in other_options.stdout and _chat_count(standin) == 16

    import extractor.batch.keys as keys

    monkeypatch.setattr(keys, "prompt_version", lambda: "p-changed")
    new_prompt = cli(*run, *_model(standin))
    assert "5 done" in new_prompt.stdout and _chat_count(standin) == 21
    monkeypatch.undo()

    forced = cli(*run, *_model(standin), "--force")
    assert forced.exit_code == 0 and "5 done" in forced.stdout
    assert _chat_count(standin) == 26
    # replaced, never stored twice: one result per (document, model, prompt, options)
    assert query(db, "SELECT COUNT(*), COUNT(DISTINCT document_id || model || prompt_version || options_key) FROM extractions")[0] == (21, 21)
    assert query(db, "SELECT MAX(attempts) FROM extractions")[0][0] == 2  # the forced ones
    for line in exported(db):
        assert line["run"]["model"] in ("stand-in", "stand-in-2")


def test_failures_are_kept_with_reasons_and_retry_failed_retries_only_them(tmp_path, standin):
    write_corpus(tmp_path / "in", 5, extra={1: f"{FAIL_MARK}\n", 3: f"{FAIL_MARK}\n"})
    db = tmp_path / "r.sqlite"
    run = ("batch", tmp_path / "in", "--db", db, *_model(standin))

    first = cli(*run)
    assert first.exit_code == 1
    assert "3 done, 2 failed" in first.stdout
    failures = query(db, "SELECT source, kind, reason, attempts FROM failures ORDER BY source")
    assert [(s.rsplit("/", 1)[-1], k, a) for s, k, _, a in failures] == [
        ("article-001.txt", "transport", 1), ("article-003.txt", "transport", 1)
    ]
    assert all("HTTP 500" in reason for _, _, reason, _ in failures)
    spent = query(db, "SELECT SUM(requests) FROM attempts WHERE outcome='failed'")[0][0]
    assert spent == 2 * 3  # per document: the plain request, then ask_async's two attempts

    asked = _chat_count(standin)
    again = cli(*run)
    assert again.exit_code == 1 and "2 failed before" in again.stdout
    assert _chat_count(standin) == asked, "a plain rerun does not retry failures"

    standin.failing = False
    retried = cli(*run, "--retry-failed")
    assert retried.exit_code == 0, retried.output
    assert "2 done, 0 failed" in retried.stdout and "3 not failed, skipped" in retried.stdout
    assert _chat_count(standin) == asked + 2
    assert count(db, "failures") == 0
    assert sorted(r[0] for r in query(db, "SELECT attempts FROM extractions")) == [1, 1, 1, 2, 2]


def test_retry_failed_without_inputs_uses_the_stored_text(tmp_path, standin):
    write_corpus(tmp_path / "in", 3, extra={0: f"{FAIL_MARK}\n"})
    db = tmp_path / "r.sqlite"
    assert cli("batch", tmp_path / "in", "--db", db, *_model(standin)).exit_code == 1
    standin.failing = False
    retried = cli("batch", "--db", db, "--retry-failed", *_model(standin))
    assert retried.exit_code == 0 and "1 done" in retried.stdout
    assert count(db, "extractions") == 3 and count(db, "failures") == 0


def test_runs_lists_each_run_with_totals(tmp_path, standin):
    write_corpus(tmp_path / "in", 3)
    db = tmp_path / "r.sqlite"
    cli("batch", tmp_path / "in", "--db", db, *_model(standin))
    cli("batch", tmp_path / "in", "--db", db, *_model(standin))
    listed = cli("runs", "--db", db)
    assert listed.exit_code == 0 and "finished" in listed.stdout and "stand-in" in listed.stdout
    runs = json.loads(cli("runs", "--db", db, "--json").stdout)
    assert [(r["id"], r["done"], r["unchanged"], r["requests"]) for r in runs] == [(1, 3, 0, 3), (2, 0, 3, 0)]
    assert runs[0]["prompt_tokens"] > 0 and runs[0]["completion_tokens"] > 0
    assert runs[0]["cost_usd"] is None  # the stand-in has no price


def test_costs_come_from_the_price_table(tmp_path, standin, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_PRICES", json.dumps({"stand-in": [1.0, 2.0]}))
    write_corpus(tmp_path / "in", 2)
    db = tmp_path / "r.sqlite"
    result = cli("batch", tmp_path / "in", "--db", db, *_model(standin))
    prompt, completion, cost = query(db, "SELECT SUM(prompt_tokens), SUM(completion_tokens), SUM(cost_usd) FROM extractions")[0]
    assert cost == pytest.approx((prompt * 1.0 + completion * 2.0) / 1e6)
    assert f"~${cost:,.4f}" in result.stdout


def test_extract_table_shows_each_articles_cost_and_the_total(tmp_path, standin, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_PRICES", json.dumps({"stand-in": [1.0, 2.0]}))
    write_corpus(tmp_path / "in", 2)
    paths = sorted((tmp_path / "in").iterdir())
    table = cli("extract", *paths, *_model(standin), "--format", "table", "-o", tmp_path / "t.txt")
    lines = (tmp_path / "t.txt").read_text(encoding="utf-8")
    data = [json.loads(line) for line in cli("extract", *paths, *_model(standin), "--format", "jsonl").stdout.splitlines()]
    costs = [(d["run"]["usage"]["prompt_tokens"] * 1.0 + d["run"]["usage"]["completion_tokens"] * 2.0) / 1e6 for d in data]
    assert table.exit_code == 0 and all(c > 0 for c in costs)
    for cost in costs:  # the same answers both times: the stand-in is deterministic
        assert f"~${cost:,.4f} ·" in lines
    assert f"2 documents · ~${sum(costs):,.4f} in all" in lines


def test_extract_table_says_an_unpriced_models_cost_is_unknown(tmp_path, standin):
    write_corpus(tmp_path / "in", 1)
    table = cli("extract", *sorted((tmp_path / "in").iterdir()), *_model(standin), "--format", "table")
    assert table.exit_code == 0 and "~$? ·" in table.stdout and "$0.0000" not in table.stdout


def test_csv_export(tmp_path):
    db = tmp_path / "r.sqlite"
    cli("batch", SEEDS / "city-council-bike-lanes.txt", "--db", db, "--model", "none")
    claims = cli("export", "--db", db, "--format", "csv").stdout.splitlines()
    assert claims[0].startswith("document_id,source,url,title,model")
    assert len(claims) - 1 == count(db, "claims")
    documents = cli("export", "--db", db, "--format", "csv", "--table", "documents").stdout.splitlines()
    assert len(documents) == 2


def test_batch_results_keep_the_grounding_promise(tmp_path, standin):
    write_corpus(tmp_path / "in", 3)
    db = tmp_path / "r.sqlite"
    cli("batch", tmp_path / "in", "--db", db, *_model(standin))
    from extractor.schema import ExtractionResult

    for line in exported(db):
        assert_spans_grounded(ExtractionResult.model_validate(line))


def test_usage_errors(tmp_path):
    assert cli("batch", "--db", tmp_path / "r.sqlite").exit_code == 2
    assert cli("batch", tmp_path, "--db", tmp_path / "r.sqlite", "--collect").exit_code == 2
    missing = cli("runs", "--db", tmp_path / "nothing.sqlite")
    assert missing.exit_code == 2 and "no such database" in missing.stderr


def test_worker_processes_store_the_same_results(tmp_path, standin):
    write_corpus(tmp_path / "in", 8, extra={2: f"{FAIL_MARK}\n"})
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    first = cli("batch", tmp_path / "in", "--db", one, *_model(standin))
    second = cli("batch", tmp_path / "in", "--db", two, *_model(standin), "--workers", "2", "--concurrency", "4")
    assert first.exit_code == second.exit_code == 1
    assert "7 done, 1 failed" in second.stdout
    assert [without_seconds(r) for r in exported(one)] == [without_seconds(r) for r in exported(two)]
    assert query(one, "SELECT kind, reason FROM failures") == query(two, "SELECT kind, reason FROM failures")
    assert cli("batch", tmp_path / "in", "--db", two, *_model(standin), "--workers", "2").exit_code == 1
    assert count(two, "extractions") == 7


class AsyncFakeModel(FakeModel):
    """FakeModel with the async `ask_async` a batch run calls (answers in order)."""

    async def ask_async(self, system, user, response_model, context=None, lenient=False, usage=None):
        await asyncio.sleep(0)
        return self.ask(system, user, response_model, context, lenient, usage)


def test_a_hand_made_model_drives_a_run_and_its_errors_become_failures(tmp_path):
    """In-process, with a fake model: a transport error fails only its document (with the
    usage it spent), a schema failure of a chunk only adds a warning, a good answer is used."""
    from extractor.batch.keys import result_key
    from extractor.batch.live import BatchRun
    from extractor.batch.progress import Progress, Tally
    from extractor.errors import TransportError, ValidationFailed
    from extractor.settings import Settings
    from extractor.sources import expand
    from extractor.store import Store

    texts = ["The mayor said the bridge would reopen in May.", "Officials said taxes would rise.", "The coach said the team was ready."]
    for n, text in enumerate(texts):
        (tmp_path / f"{n}.txt").write_text(text + "\n", encoding="utf-8")
    settings = Settings(model="fake/model", base_url="http://127.0.0.1:9/v1", strategy="full", concurrency=1)
    key, options = result_key(settings, ())
    good = {"claims": [{"n": 2, "quote": "The coach said the team was ready.", "claim": "The team was ready."}]}
    fake = AsyncFakeModel("fake/model").enqueue(TransportError("model server answered HTTP 503"), ValidationFailed("bad"), good)
    db = tmp_path / "r.sqlite"
    with Store.open(db) as store:
        run_id = store.start_run(key, options, "live", "test")
        tally = Tally()
        with Progress(tally, stream=io.StringIO(), interactive=False) as progress:
            run = BatchRun(store, run_id, key, settings, (), tally, progress, lambda: fake)
            selected = run.select(expand([str(tmp_path / f"{n}.txt") for n in range(3)]), force=False, retry_failed=False)
            asyncio.run(run.extract_items(selected, run.live_ask))
    assert (tally.done, tally.failed, tally.usage.requests) == (2, 1, 3)
    assert query(db, "SELECT source, kind, reason FROM failures") == [
        (str(tmp_path / "0.txt"), "transport", "model server answered HTTP 503")
    ]
    results = {r["document"]["source"]: r for r in exported(db)}
    assert any("bad" in w for w in results[str(tmp_path / "1.txt")]["run"]["warnings"])
    coach = results[str(tmp_path / "2.txt")]
    assert [c["origin"] for c in coach["claims"]] and any(c["origin"] != "finder" for c in coach["claims"])
    assert query(db, "SELECT requests FROM attempts WHERE outcome='failed'") == [(1,)]
