"""Limits a nightly run relies on: a maximum input size (EXTRACTOR_MAX_INPUT_CHARS) for
extract and batch alike, and a timeout on every network call, so a server that never answers
costs a bounded time, for live questions and for the Batch API's file and batch calls.

No clock here: a bounded wait shows as events (the client said it timed out, asked a bounded
number of times, and hung up on every slow answer before the server was done with it); the
deadline's arithmetic is tested with a stepped clock in test_deadline.py, and speed belongs
in benchmarks/."""

from __future__ import annotations

import itertools
import json

from tests.batch_helpers import cli, query
from tests.fault_server import FaultServer, short_articles
from tests.openai_standin import StandIn

LIMIT = 500
SMALL = "Mayor Ana Ruiz said the tram will cut traffic on Monday.\n"
LONG = "The council met again. " * 40  # 920 characters: over the limit, under 4 bytes a character
HUGE = "x" * (4 * LIMIT + 100)  # more bytes than LIMIT characters can take: refused unread
LIMITED = {"EXTRACTOR_MAX_INPUT_CHARS": str(LIMIT)}
HANGING = {"EXTRACTOR_TIMEOUT": "0.5", "EXTRACTOR_BACKOFF_SECONDS": "0.01", "EXTRACTOR_TRANSPORT_RETRIES": "1",
           "OPENAI_API_KEY": None, "EXTRACTOR_API_KEY": None}
HANG = 120  # seconds a hanging server would wait: far past anything the client may wait


def write_inputs(folder):
    folder.mkdir()
    for name, text in {"small.txt": SMALL, "long.txt": LONG, "huge.txt": HUGE}.items():
        (folder / name).write_text(text, encoding="utf-8")
    lines = [{"id": "short-line", "text": "The treasurer said the budget is balanced."}, {"id": "long-line", "text": LONG}]
    (folder / "feed.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return folder


def test_extract_refuses_what_is_over_the_limit_and_does_the_rest(tmp_path):
    inputs = write_inputs(tmp_path / "in")
    run = cli("extract", inputs / "small.txt", inputs / "long.txt", inputs / "huge.txt", "--model", "none", env=LIMITED)
    assert run.exit_code == 1
    (result,) = [json.loads(line) for line in run.stdout.splitlines()]
    assert result["document"]["text"] == SMALL
    long_line, huge_line = run.stderr.splitlines()
    assert long_line == (f"extractor: {inputs / 'long.txt'}: {len(LONG):,} characters is over the limit of {LIMIT}"
                         " (split the file, or raise EXTRACTOR_MAX_INPUT_CHARS)")
    assert huge_line.startswith(f"extractor: {inputs / 'huge.txt'}: {len(HUGE):,} bytes is over the limit of {LIMIT}")
    assert cli("extract", inputs / "long.txt", "--model", "none", env={"EXTRACTOR_MAX_INPUT_CHARS": "1000"}).exit_code == 0


def test_batch_refuses_what_is_over_the_limit_and_does_the_rest(tmp_path):
    inputs = write_inputs(tmp_path / "in")
    db = tmp_path / "r.sqlite"
    run = cli("batch", inputs, inputs / "feed.jsonl", "--db", db, "--model", "none", env=LIMITED)
    assert run.exit_code == 1 and "5 inputs: 2 done, 3 failed" in run.stdout
    failures = dict(query(db, "SELECT source, reason FROM failures"))
    assert set(failures) == {str(inputs / "long.txt"), str(inputs / "huge.txt"), f"{inputs / 'feed.jsonl'}:2"}
    assert all("over the limit of 500" in r and "EXTRACTOR_MAX_INPUT_CHARS" in r for r in failures.values())
    assert sorted(query(db, "SELECT source FROM documents")) == [(str(inputs / "small.txt"),), ("short-line",)]


def test_a_long_article_of_many_headlines_and_one_much_quoted_speaker_is_extracted_whole(tmp_path):
    """2,000 title-case headlines, each naming someone the article never names again, and one
    speaker quoted 4,000 times: each used to cost a pass over the whole text (13 s here, and
    minutes for 5 MB); benchmarks/long_article_headlines.py times it. Here: every quote and
    mention is still found."""
    names = ("".join(parts).capitalize() for parts in itertools.product(["ka", "lo", "mi", "ra", "vo", "zu", "bel"], repeat=4))
    blocks = [
        f"{name} Warns Of Budget Gap\n\nThe finance committee met on Tuesday. \u201cWe kept every promise,\u201d"
        " Mayor Ana Ruiz said after the vote. Ruiz told reporters the tram would run.\n\n"
        for _, name in zip(range(2000), names)
    ]
    path = tmp_path / "long.txt"
    path.write_text("".join(blocks), encoding="utf-8")
    run = cli("extract", path, "--model", "none", "-o", tmp_path / "out.json")
    assert run.exit_code == 0, run.output
    result = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert len(result["claims"]) == 4000 and len(result["speakers"][0]["mentions"]) == 4000


def test_extract_from_a_server_that_never_answers_returns_in_bounded_time(tmp_path):
    (path,) = short_articles(tmp_path, 1)
    with FaultServer({"hang": 1.0}, hang_seconds=HANG) as server:  # the server would wait: the client must not
        run = cli("extract", path, "--model", "x", "--base-url", server.base_url, "--strategy", "full", env=HANGING)
        asked = len(server.chat())
        abandoned = server.wait_for_abandoned(asked)
        finished = server.finished
    assert run.exit_code == 1 and "model server timed out" in run.stderr
    assert asked == 2  # EXTRACTOR_TRANSPORT_RETRIES=1: two tries
    assert abandoned == [("hang", 0)] * 2 and finished == [], "the client gave up on each answer, the server did not"


def test_batch_from_a_server_that_never_answers_returns_in_bounded_time(tmp_path):
    short_articles(tmp_path / "in", 8)
    with FaultServer({"hang": 1.0}, hang_seconds=HANG) as server:
        run = cli("batch", tmp_path / "in", "--db", tmp_path / "r.sqlite", "--model", "x", "--base-url", server.base_url,
                  "--strategy", "full", "--concurrency", "8", env=HANGING)
        per_document = server.requests_per_document()
        abandoned = server.wait_for_abandoned(24)
        finished = server.finished
    assert run.exit_code == 1 and "8 inputs: 0 done, 8 failed" in run.stdout
    # one plain request, then two tries through the retrying path (EXTRACTOR_TRANSPORT_RETRIES=1)
    assert len(per_document) == 8 and set(per_document.values()) == {3}, per_document
    assert abandoned == [("hang", 0)] * 24 and finished == []
    reasons = [r for (r,) in query(tmp_path / "r.sqlite", "SELECT reason FROM failures")]
    assert len(reasons) == 8 and all("model server timed out" in r for r in reasons), reasons


def test_batch_api_upload_to_a_server_that_never_answers_times_out(tmp_path):
    short_articles(tmp_path / "in", 2)
    db = tmp_path / "r.sqlite"
    with FaultServer(hang_seconds=HANG) as server:
        server.next(*["hang"] * 5)
        run = cli("batch", tmp_path / "in", "--db", db, "--model", "openai/x", "--base-url", server.base_url,
                  "--strategy", "full", "--batch-api", env=HANGING)
        calls = [s.path for s in server.seen]
        abandoned = server.wait_for_abandoned(2)
    assert run.exit_code == 1 and run.stderr.strip() == (
        "extractor: model server timed out (the model server kept failing; try again later)")
    assert calls == ["/v1/files"] * 2  # EXTRACTOR_TRANSPORT_RETRIES=1: two tries
    assert abandoned == [("hang", 0)] * 2
    assert query(db, "SELECT status FROM runs") == [("stopped",)]
    assert query(db, "SELECT COUNT(*) FROM remote_batches") == [(0,)]


def test_batch_api_status_from_a_server_that_never_answers_times_out_and_collect_carries_on(tmp_path):
    short_articles(tmp_path / "in", 2)
    db = tmp_path / "r.sqlite"
    with StandIn(polls_before_done=0) as standin:
        submitted = cli("batch", tmp_path / "in", "--db", db, "--model", "openai/x", "--base-url", standin.base_url,
                        "--strategy", "full", "--batch-api", env=HANGING)
        assert submitted.exit_code == 0, submitted.output
        with FaultServer(hang_seconds=HANG) as server:
            server.next(*["hang"] * 5)
            stuck = cli("batch", "--db", db, "--collect", "--base-url", server.base_url, env=HANGING)
            calls = [s.path for s in server.seen]
            abandoned = server.wait_for_abandoned(2)
        assert stuck.exit_code == 1 and "model server timed out" in stuck.stderr
        assert len(calls) == 2 and all(c.startswith("/v1/batches/") for c in calls)
        assert abandoned == [("hang", 0)] * 2
        collected = cli("batch", "--db", db, "--collect", "--base-url", standin.base_url, env=HANGING)
    assert collected.exit_code == 0, collected.output
    assert query(db, "SELECT COUNT(*) FROM extractions") == [(2,)]


def test_a_server_trickling_its_answer_is_cut_off_at_the_request_deadline(tmp_path):
    """Every piece arrives within the read timeout (0.5 s), but the whole answer would take
    about 12 s: the client hangs up partway (at 4 x the timeout, 2 s: test_deadline.py), and
    the question is asked again."""
    (path,) = short_articles(tmp_path / "in", 1)
    with FaultServer(trickle_seconds=0.2) as server:
        for runs, command in enumerate((["extract", path, "--format", "json"], ["batch", tmp_path / "in", "--db", tmp_path / "r.sqlite"]), 1):
            server.next("trickle")
            run = cli(*command, "--model", "openai/x", "--base-url", server.base_url, "--strategy", "full", env=HANGING)
            assert run.exit_code == 0, run.output
            abandoned = server.wait_for_abandoned(runs)
            assert len(abandoned) == runs and abandoned[-1][0] == "trickle", abandoned
        assert [s.fault for s in server.seen] == ["trickle", "ok", "trickle", "ok"]
        assert server.finished == [], "no trickle ran to its end"
    assert query(tmp_path / "r.sqlite", "SELECT retries FROM attempts") == [(1,)]
