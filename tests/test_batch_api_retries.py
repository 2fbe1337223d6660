"""The Batch API's own calls (upload, create, poll, download) meet the same flaky networks as
questions do: they are retried on 429 and 5xx, except that creating a batch is retried only
after a 429, because after a 5xx the batch may exist already and a second one would be paid
for twice. Against the loopback stand-in, live (these are not recordings)."""

from __future__ import annotations

import json

import pytest

from extractor.answers import ChunkAnswer
from extractor.errors import TransportError
from extractor.llm import LanguageModel
from extractor.settings import Settings
from tests.openai_standin import StandIn



def _line(model: LanguageModel) -> bytes:
    body = model.request_body("You answer questions.", "<article>\nThe mayor said the bridge would open.\n</article>", ChunkAnswer)
    return (json.dumps({"custom_id": "q1", "method": "POST", "url": "/v1/chat/completions", "body": body}) + "\n").encode()


@pytest.fixture
def server():
    with StandIn(polls_before_done=0) as s:
        yield s


def _model(server) -> LanguageModel:
    settings = Settings(model="openai/gpt-4o-mini", base_url=server.base_url, transport_retries=2, backoff_seconds=0)
    return LanguageModel(settings)


def _calls(server, method: str, path: str) -> list[int]:
    return [status for m, p, status in server.requests if m == method and p.startswith(path)]


def test_upload_create_poll_and_download_are_retried_after_429_and_5xx(server):
    server.fail_next("POST", "/v1/files", 503).fail_next("POST", "/v1/batches", 429)
    with _model(server) as model:
        batch_id, file_id = model.submit_batch(_line(model), {"run": "1"})
        server.fail_next("GET", "/v1/batches/", 500)
        status = model.batch_status(batch_id)
        server.fail_next("GET", "/v1/files/", 502)
        output = model.batch_file(status["output_file_id"])
    assert _calls(server, "POST", "/v1/files") == [503, 200]
    assert _calls(server, "POST", "/v1/batches") == [429, 200]
    assert _calls(server, "GET", "/v1/batches/") == [500, 200]
    assert status["status"] == "completed"
    assert json.loads(output.splitlines()[0])["custom_id"] == "q1"
    assert len(server.batches) == 1


def test_creating_a_batch_is_not_retried_after_a_server_error(server):
    server.fail_next("POST", "/v1/batches", 500)
    with _model(server) as model, pytest.raises(TransportError):
        model.submit_batch(_line(model), {"run": "1"})
    assert _calls(server, "POST", "/v1/batches") == [500], "asked once: a second batch could be paid for twice"
    assert server.batches == {}


def test_retries_are_bounded(server):
    for _ in range(5):
        server.fail_next("GET", "/v1/batches/", 503)
    with _model(server) as model, pytest.raises(TransportError):
        model.batch_status("batch_missing")
    assert _calls(server, "GET", "/v1/batches/") == [503, 503, 503], "transport_retries=2: three tries"
