"""A recognisable fake key must never reach an output, a log line or an error message."""

import json

import pytest
from click.testing import CliRunner

from extractor.answers import ChunkAnswer
from extractor.cli import main
from tests.conftest import SEEDS
from tests.scripted_server import ScriptedServer, tool_reply

FAKE_KEY = "sk-FAKE-extractor-test-key-0123456789abcdef"
SEED = str(SEEDS / "city-council-bike-lanes.txt")


def good_reply():
    return (200, tool_reply(ChunkAnswer().model_dump(), name="ChunkAnswer"), {})


@pytest.mark.parametrize(
    "steps, code",
    [
        ([good_reply()], 0),
        ([(401, {"error": {"message": f"Incorrect API key provided: {FAKE_KEY}"}}, {})], 2),  # the run's problem: it stops
        ([(500, {"error": {"message": f"echo {FAKE_KEY}"}}, {})] * 3, 1),
    ],
)
def test_fake_key_appears_nowhere(tmp_path, monkeypatch, steps, code):
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.setenv("EXTRACTOR_TRANSPORT_RETRIES", "2")
    monkeypatch.setenv("EXTRACTOR_BACKOFF_SECONDS", "0.01")
    out = tmp_path / "out.json"
    with ScriptedServer(steps) as server:
        result = CliRunner().invoke(
            main,
            ["extract", SEED, "--model", "openai/scripted", "--base-url", server.base_url, "-o", str(out), "--format", "jsonl"],
        )
        sent = {k.lower(): v for k, v in server.requests[0]["headers"].items()}
    assert sent["authorization"] == f"Bearer {FAKE_KEY}", "the key is used..."
    assert result.exit_code == code
    everything = result.stdout + result.stderr + (out.read_text() if out.exists() else "")
    assert FAKE_KEY not in everything, "...and never shown"
    if code:
        assert result.stderr.count("\n") == 1


def test_settings_never_print_the_key(monkeypatch):
    from extractor.settings import Settings

    monkeypatch.setenv("EXTRACTOR_API_KEY", FAKE_KEY)
    settings = Settings()
    assert FAKE_KEY not in repr(settings) and FAKE_KEY not in str(settings.model_dump())
    assert FAKE_KEY not in json.dumps(settings.model_dump(mode="json"))


def test_cassettes_hold_no_credentials():
    from tests.conftest import ROOT

    import re

    paths = list((ROOT / "tests" / "cassettes").rglob("*.yaml"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?i)authorization:|bearer |\bsk-[A-Za-z0-9-]{8,}|api[_-]key", text), path
