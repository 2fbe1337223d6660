"""Shared test helpers. Cassettes replay only (see pyproject addopts); hand-made model answers
live in `FakeModel` below and are clearly not recordings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from extractor.schema import ExtractionResult, Usage

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def _isolated_from_the_callers_environment(monkeypatch):
    """Every test starts from the defaults: `EXTRACTOR_STRATEGY=full` or `EXTRACTOR_MODEL=none`
    in a developer's shell would otherwise change what the tests check, and the SDK reads its
    own `OPENAI_*` variables (a base URL, a key) behind our settings' back. A test that wants
    one sets it itself (monkeypatch.setenv, or `env=` for the CLI)."""
    for name in list(os.environ):
        if name.startswith(("EXTRACTOR_", "OPENAI_")):
            monkeypatch.delenv(name)


def assert_spans_grounded(result: ExtractionResult) -> None:
    """The product's one promise: every span is the article's own text at its offsets."""
    text = result.document.text
    for span in result.spans():
        assert text[span.start : span.end] == span.text, span


class FakeModel:
    """A unit-test stand-in for LanguageModel: answers are queued by hand, in order."""

    def __init__(self, name: str = "fake/model"):
        self.name = name
        self.usage = Usage()
        self.answers: list = []
        self.asked: list[tuple[str, type]] = []

    def enqueue(self, *answers) -> FakeModel:
        self.answers.extend(answers)
        return self

    def ask(self, system, user, response_model, context=None, lenient=False, usage=None):
        self.asked.append((user, response_model))
        self.usage.requests += 1
        if usage is not None:
            usage.requests += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, dict):
            # validated like a real answer, with the same grounding context
            return response_model.model_validate(answer, context=None if lenient else context)
        return answer


@pytest.fixture
def seed_text() -> str:
    return (SEEDS / "peskov-nato-red-line.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def vcr_config():
    return {
        "filter_headers": ["authorization", "api-key", "openai-organization", "cookie"],
        "match_on": ["method", "path", "body"],
        "decode_compressed_response": True,
    }


def pytest_addoption(parser):
    parser.addoption(
        "--update-expected",
        action="store_true",
        help="Rewrite tests/expected/*.json from this run's (replayed) results and skip comparing them; review the diff, then run again without it.",
    )


@pytest.fixture(scope="session")
def model_server_url(request):
    """Where the bundled model is served. Replaying (the default, and CI) it is never
    contacted; recording (`--record-mode=rewrite`) serves the real bundled model on loopback."""
    if request.config.getoption("--record-mode") == "none":
        yield "http://127.0.0.1:9/v1"
        return
    from extractor.llm import _bundled_gguf
    from extractor.local_model import LocalServer
    from extractor.settings import Settings

    server = LocalServer.start(_bundled_gguf(), Settings())
    try:
        yield server.base_url
    finally:
        server.stop()
