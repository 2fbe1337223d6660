"""A key inside --base-url (`https://user:KEY@host/v1`, `...?api-key=KEY`) never reaches the
database or a log line (issue 15): runs.command and a submitted batch's options keep the URL
without it."""

from __future__ import annotations

import json
import logging
import sys

import pytest

from extractor.batch.keys import result_key
from extractor.commands.batch import _stored_base_url
from extractor.redact import HIDDEN, Redactor, also_hide, redact_command, redact_url, url_secrets
from extractor.settings import Settings
from extractor.store import Store
from tests.batch_helpers import cli, query, write_corpus

PASSWORD = "sk-in-the-userinfo-0123456789"
QUERY_KEY = "sk-in-the-query-9876543210"
URL = f"https://me:{PASSWORD}@gateway.example/v1?api-key={QUERY_KEY}&api-version=2024-06-01"


@pytest.mark.parametrize(
    ("url", "kept", "hidden"),
    [
        (URL, ["https://me:", "@gateway.example/v1", "api-version=2024-06-01"], [PASSWORD, QUERY_KEY]),
        (f"http://{PASSWORD}@localhost:8000/v1", ["@localhost:8000/v1"], [PASSWORD]),
        (f"https://h/v1?token={QUERY_KEY}&x=1", ["x=1"], [QUERY_KEY]),
        (f"https://h/v1?access_token={QUERY_KEY}", ["https://h/v1?access_token="], [QUERY_KEY]),
        ("http://localhost:11434/v1", ["http://localhost:11434/v1"], []),
    ],
)
def test_redact_url_hides_credentials_and_keeps_the_server(url, kept, hidden):
    redacted = redact_url(url)
    for part in kept:
        assert part in redacted
    for secret in hidden:
        assert secret not in redacted and HIDDEN in redacted
        assert secret in url_secrets(url)


def test_a_command_line_loses_the_credentials_of_every_url_in_it():
    command = f"extractor batch news --base-url {URL} --db r.sqlite --base-url=http://u:{PASSWORD}@h/v1"
    redacted = redact_command(command)
    assert PASSWORD not in redacted and QUERY_KEY not in redacted
    assert redacted.startswith("extractor batch news --base-url https://me:") and "--db r.sqlite" in redacted


def test_runs_command_never_holds_a_key_given_in_the_base_url(tmp_path, monkeypatch):
    write_corpus(tmp_path / "in", 1)
    db = tmp_path / "r.sqlite"
    args = ["batch", str(tmp_path / "in"), "--db", str(db), "--model", "none", "--base-url", URL]
    monkeypatch.setattr(sys, "argv", ["extractor", *args])
    result = cli(*args)
    assert result.exit_code == 0, result.output
    (command,) = [row[0] for row in query(db, "SELECT command FROM runs")]
    assert PASSWORD not in command and QUERY_KEY not in command
    assert "gateway.example/v1" in command
    dump = b"".join(p.read_bytes() for p in tmp_path.glob("r.sqlite*") if p.is_file())
    assert PASSWORD.encode() not in dump and QUERY_KEY.encode() not in dump


def test_a_submitted_batch_keeps_its_url_without_the_key_and_collect_asks_for_it_again(tmp_path):
    stored = _stored_base_url(URL)
    assert PASSWORD not in json.dumps(stored) and stored["base_url_redacted"] is True
    assert _stored_base_url("https://api.openai.com/v1") == {"base_url": "https://api.openai.com/v1"}

    db = tmp_path / "r.sqlite"
    settings = Settings().with_overrides(model="openai/gpt-4o-mini")
    key, options = result_key(settings, ())
    with Store.open(db) as store:
        run = store.start_run(key, options, "batch-api-submit", "test")
        store.save_remote_batch("batch_1", run, key, {**options, "model_setting": "openai/gpt-4o-mini", **stored}, "file_1", 1, [])
    collect = cli("batch", "--db", db, "--collect", env={"OPENAI_API_KEY": "sk-test-key-for-collect"})
    assert collect.exit_code == 2, collect.output
    assert "give the same --base-url again" in collect.stderr and PASSWORD not in collect.output


def test_log_lines_blank_a_key_given_inside_the_url():
    redactor = Redactor([])
    handler = logging.StreamHandler()
    handler.addFilter(redactor)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        also_hide(url_secrets(URL))
        assert redactor.hide(f"POST {URL}/chat/completions").count(HIDDEN) == 2
    finally:
        root.removeHandler(handler)
