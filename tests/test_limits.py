"""Limits a nightly run relies on: a maximum input size (EXTRACTOR_MAX_INPUT_CHARS) for
extract and batch alike, and a timeout on every network call, so a server that never answers
costs a bounded time, for live questions and for the Batch API's file and batch calls."""

from __future__ import annotations

import itertools
import json
import time

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


def test_a_long_article_of_many_headlines_and_one_much_quoted_speaker_takes_time_in_proportion(tmp_path):
    """2,000 title-case headlines, each naming someone the article never names again, and one
    speaker quoted 4,000 times: each used to cost a pass over the whole text (13 s here, and
    minutes for 5 MB); now about 2 s."""
    names = ("".join(parts).capitalize() for parts in itertools.product(["ka", "lo", "mi", "ra", "vo", "zu", "bel"], repeat=4))
    blocks = [
        f"{name} Warns Of Budget Gap\n\nThe finance committee met on Tuesday. \u201cWe kept every promise,\u201d"
        " Mayor Ana Ruiz said after the vote. Ruiz told reporters the tram would run.\n\n"
        for _, name in zip(range(2000), names)
    ]
    path = tmp_path / "long.txt"
    path.write_text("".join(blocks), encoding="utf-8")
    started = time.perf_counter()
    run = cli("extract", path, "--model", "none", "-o", tmp_path / "out.json")
    took = time.perf_counter() - started
    assert run.exit_code == 0, run.output
    result = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert len(result["claims"]) == 4000 and len(result["speakers"][0]["mentions"]) == 4000
    assert took < 8.0, f"{took:.1f} s"


def test_extract_from_a_server_that_never_answers_returns_in_bounded_time(tmp_path):
    (path,) = short_articles(tmp_path, 1)
    with FaultServer({"hang": 1.0}, hang_seconds=30) as server:  # the server would wait 30 s: the client must not
        started = time.perf_counter()
        run = cli("extract", path, "--model", "x", "--base-url", server.base_url, "--strategy", "full", env=HANGING)
        took = time.perf_counter() - started
        asked = len(server.chat())
    assert run.exit_code == 1 and "model server timed out" in run.stderr
    assert asked == 2 and took < 2 * 0.5 + 3.0, f"{took:.1f} s"


def test_batch_from_a_server_that_never_answers_returns_in_bounded_time(tmp_path):
    short_articles(tmp_path / "in", 8)
    with FaultServer({"hang": 1.0}, hang_seconds=30) as server:
        started = time.perf_counter()
        run = cli("batch", tmp_path / "in", "--db", tmp_path / "r.sqlite", "--model", "x", "--base-url", server.base_url,
                  "--strategy", "full", "--concurrency", "8", env=HANGING)
        took = time.perf_counter() - started
    assert run.exit_code == 1 and "8 inputs: 0 done, 8 failed" in run.stdout
    assert took < 3 * 0.5 + 3.0, f"{took:.1f} s: three requests of half a second each, eight documents at once"


def test_batch_api_upload_to_a_server_that_never_answers_times_out(tmp_path):
    short_articles(tmp_path / "in", 2)
    db = tmp_path / "r.sqlite"
    with FaultServer(hang_seconds=30) as server:
        server.next(*["hang"] * 5)
        started = time.perf_counter()
        run = cli("batch", tmp_path / "in", "--db", db, "--model", "openai/x", "--base-url", server.base_url,
                  "--strategy", "full", "--batch-api", env=HANGING)
        took = time.perf_counter() - started
        calls = [s.path for s in server.seen]
    assert run.exit_code == 1 and run.stderr.strip() == (
        "extractor: model server timed out (the model server kept failing; try again later)")
    assert calls == ["/v1/files"] * 2 and took < 4.0, f"{took:.1f} s"  # EXTRACTOR_TRANSPORT_RETRIES=1: two tries
    assert query(db, "SELECT status FROM runs") == [("stopped",)]
    assert query(db, "SELECT COUNT(*) FROM remote_batches") == [(0,)]


def test_batch_api_status_from_a_server_that_never_answers_times_out_and_collect_carries_on(tmp_path):
    short_articles(tmp_path / "in", 2)
    db = tmp_path / "r.sqlite"
    with StandIn(polls_before_done=0) as standin:
        submitted = cli("batch", tmp_path / "in", "--db", db, "--model", "openai/x", "--base-url", standin.base_url,
                        "--strategy", "full", "--batch-api", env=HANGING)
        assert submitted.exit_code == 0, submitted.output
        with FaultServer(hang_seconds=30) as server:
            server.next(*["hang"] * 5)
            started = time.perf_counter()
            stuck = cli("batch", "--db", db, "--collect", "--base-url", server.base_url, env=HANGING)
            took = time.perf_counter() - started
            calls = [s.path for s in server.seen]
        assert stuck.exit_code == 1 and "model server timed out" in stuck.stderr
        assert len(calls) == 2 and all(c.startswith("/v1/batches/") for c in calls) and took < 4.0, f"{took:.1f} s"
        collected = cli("batch", "--db", db, "--collect", "--base-url", standin.base_url, env=HANGING)
    assert collected.exit_code == 0, collected.output
    assert query(db, "SELECT COUNT(*) FROM extractions") == [(2,)]


def test_a_server_trickling_its_answer_is_cut_off_at_the_request_deadline(tmp_path):
    """Every piece arrives within the read timeout (0.5 s), but the whole answer would take
    about 12 s: the request ends at 4 x the timeout (2 s), and the question is asked again."""
    (path,) = short_articles(tmp_path / "in", 1)
    with FaultServer(trickle_seconds=0.2) as server:
        for command in (["extract", path, "--format", "json"], ["batch", tmp_path / "in", "--db", tmp_path / "r.sqlite"]):
            server.next("trickle")
            started = time.perf_counter()
            run = cli(*command, "--model", "openai/x", "--base-url", server.base_url, "--strategy", "full", env=HANGING)
            took = time.perf_counter() - started
            assert run.exit_code == 0, run.output
            assert 2.0 <= took < 8.0, f"{command[0]}: {took:.1f} s"
        assert [s.fault for s in server.seen] == ["trickle", "ok", "trickle", "ok"]
    assert query(tmp_path / "r.sqlite", "SELECT retries FROM attempts") == [(1,)]
