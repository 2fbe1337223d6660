"""Inputs that once stopped or hung a whole batch (issue 15): each is now that input's recorded
failure, and the run goes on to its summary. Rules only (`--model none`): no server needed."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import threading

import pytest

from extractor.ingest import read_document
from extractor.sources import display_name, expand
from tests.batch_helpers import cli, count, query, write_corpus

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and /dev/zero are POSIX")
ARTICLE = "The mayor said on Monday that the tram would cut traffic by a third.\n"


@contextlib.contextmanager
def _fed(pipe):
    """A named pipe whose writer gives an article to whoever opens it for reading. Refused
    unread, it is never opened and the writer just waits; read (as before issue 15), the test
    fails on the article it was given rather than hanging."""
    os.mkfifo(pipe)
    stop = threading.Event()

    def feed():
        while not stop.wait(0.01):
            try:
                fd = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as e:
                if e.errno == errno.ENXIO:  # no reader yet
                    continue
                return
            os.write(fd, ARTICLE.encode())
            os.close(fd)
            return

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        yield pipe
    finally:
        stop.set()
        writer.join()


def _failures(db) -> dict[str, str]:
    return dict(query(db, "SELECT source, reason FROM failures"))


@posix_only
def test_a_folder_of_hostile_inputs_ends_with_the_good_articles_stored_and_each_bad_one_recorded(tmp_path):
    folder = tmp_path / "in"
    write_corpus(folder, 5)
    stack = contextlib.ExitStack()
    stack.enter_context(_fed(folder / "pipe.txt"))  # a read blocks until a writer comes; SIGTERM cannot end it
    (folder / "zero.txt").symlink_to("/dev/zero")  # read, it would fill the memory
    feed = tmp_path / "feed.jsonl"
    deep = '{"text": "Peskov said so.", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    feed.write_text('{"text": "Peskov said \\ud800 hi today."}\n' + deep + "\n", encoding="utf-8")
    db = tmp_path / "r.sqlite"

    with stack:
        result = cli("batch", folder, feed, "--db", db, "--model", "none")

    assert result.exit_code == 1, result.output
    assert "5 done, 4 failed" in result.stdout
    assert "Traceback" not in result.output
    failures = _failures(db)
    assert "not a regular file" in failures[f"{folder}/pipe.txt"]
    assert "outside" in failures[f"{folder}/zero.txt"]
    assert "lone surrogate" in failures[f"{feed}:1"]
    assert "nested too deeply" in failures[f"{feed}:2"]
    assert query(db, "SELECT status FROM runs") == [("finished",)]


@posix_only
def test_a_pipe_or_a_device_named_directly_is_refused_unread(tmp_path):
    with _fed(tmp_path / "pipe.txt") as pipe:
        for path in (pipe, "/dev/null"):
            item = next(expand([str(path)]))
            assert item.document is None and "not a regular file" in item.error.message, item


def test_a_file_name_that_is_not_utf8_is_read_and_stored_under_an_escaped_name(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.fsencode(str(folder)) + b"/caf\xe9\nbatch: faked.txt"
    try:
        with open(raw, "w", encoding="utf-8") as f:
            f.write(ARTICLE)
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses such names")
    db = tmp_path / "r.sqlite"
    result = cli("batch", folder, "--db", db, "--model", "none")
    assert result.exit_code == 0, result.output
    sources = [row[0] for row in query(db, "SELECT source FROM documents")]
    assert sources == [f"{folder}/caf\\xe9\\nbatch: faked.txt"]  # no newline left to fake a log line


def test_display_name_escapes_what_cannot_be_stored_or_would_break_a_line():
    assert display_name("plain/ünïcode.txt") == "plain/ünïcode.txt"
    assert display_name(os.fsdecode(b"a\xff.txt")) == "a\\xff.txt"
    assert display_name("a\nb\r\x1b.txt") == "a\\nb\\r\\x1b.txt"


def test_a_symlink_inside_the_folder_to_a_file_inside_it_is_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    items = list(expand([str(folder)]))
    assert [i.error for i in items] == [None, None]


def test_a_symlink_out_of_the_folder_is_not_read_as_an_article(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("The password said to be hunter2 was changed on Monday.\n", encoding="utf-8")
    (folder / "article.txt").symlink_to(secret)
    (item,) = expand([str(folder)])
    assert item.document is None and "outside" in item.error.message


def test_an_over_long_jsonl_line_is_skipped_unheld_and_the_next_line_is_read(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"text": "word " * 3_000}) + "\n" + json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    first, second = expand([str(feed)], max_chars=100)
    assert "a line over" in first.error.message
    assert second.document is not None and second.label.endswith(":2")


def test_html_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    page = tmp_path / "big.html"
    page.write_bytes(b"<html><body><p>" + b"x" * 20_000 + b"</p></body></html>")

    def never(*args, **kwargs):  # pragma: no cover - called only if the limit is not applied first
        raise AssertionError("the HTML was parsed")

    monkeypatch.setattr("extractor.ingest.html_to_text", never)
    with pytest.raises(Exception) as refused:
        read_document(str(page), max_chars=1_000)
    assert "over the limit" in str(refused.value)


def test_jsonl_on_stdin_with_a_lone_surrogate_is_one_failed_line():
    lines = b'{"text": "A \\udc00 said B."}\n' + json.dumps({"text": ARTICLE}).encode() + b"\n"
    first, second = expand(["-"], stdin=io.BytesIO(lines))
    assert "lone surrogate" in first.error.message and second.document is not None


def test_a_lone_surrogate_in_a_title_or_id_is_refused_too(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"text": ARTICLE, "title": "\ud800"}) + "\n", encoding="utf-8")
    (item,) = expand([str(feed)])
    assert '"title" holds a lone surrogate' in item.error.message


def test_a_rerun_of_hostile_inputs_does_not_redo_the_good_ones(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": "A \\ud800 b."}\n' + json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    db = tmp_path / "r.sqlite"
    assert cli("batch", feed, "--db", db, "--model", "none").exit_code == 1
    again = cli("batch", feed, "--db", db, "--model", "none")
    assert again.exit_code == 1 and "1 unchanged" in again.stdout and "1 failed before" in again.stdout
    assert count(db, "extractions") == 1



def test_an_empty_jsonl_file_or_stdin_fails_as_an_empty_folder_does_until_it_holds_lines(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n\n", encoding="utf-8")
    db = tmp_path / "r.sqlite"
    empty = cli("batch", feed, "--db", db, "--model", "none")
    assert empty.exit_code == 1 and "no JSON lines in this file" in empty.stderr, empty.output
    assert cli("batch", "-", "--db", db, "--model", "none", input=b"").exit_code == 1

    feed.write_text(json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    filled = cli("batch", feed, "--db", db, "--model", "none")
    assert filled.exit_code == 0 and "1 done" in filled.stdout, filled.output
    assert [row[0] for row in query(db, "SELECT source FROM failures")] == ["-"]


def test_a_result_that_cannot_be_stored_is_that_documents_failure_and_the_run_goes_on(tmp_path, monkeypatch):
    from extractor.store import Store

    write_corpus(tmp_path / "in", 3)
    real = Store.save_result
    calls = []

    def unstorable_once(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "save_result", unstorable_once)
    db = tmp_path / "r.sqlite"
    result = cli("batch", tmp_path / "in", "--db", db, "--model", "none")
    assert result.exit_code == 1 and "2 done, 1 failed" in result.stdout, result.output
    (reason,) = [row[0] for row in query(db, "SELECT reason FROM failures")]
    assert "could not be stored (UnicodeEncodeError" in reason
