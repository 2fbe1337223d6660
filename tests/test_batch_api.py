"""The OpenAI Batch API path: `batch --batch-api` writes the request lines, uploads them and
creates a batch; `batch --collect` polls, downloads, and passes every answer through the same
validation and grounding as a live answer; answers that fail it are asked again live.

Replayed from a cassette recorded against the loopback stand-in (tests/openai_standin.py),
which speaks the Files and Batches endpoints. To record it again:

    pytest tests/test_batch_api.py --record-mode=rewrite
"""

from __future__ import annotations

import json

import pytest

from extractor.schema import ExtractionResult
from tests.batch_helpers import cli, count, exported, query
from tests.conftest import assert_spans_grounded
from tests.openai_standin import ERROR_MARK, SPOIL_MARK, StandIn

ARTICLES = {
    "a-bridge.txt": "The mayor said on Monday that the new bridge would open in May. Critics were not convinced.\n",
    "b-lanes.txt": f"The council voted to expand the bike lanes downtown. {SPOIL_MARK} Residents said they were pleased.\n",
    "c-budget.txt": f"The treasurer announced that the city budget would be balanced next year. {ERROR_MARK}\n",
}


def _same_boundary(request):
    """httpx picks a random multipart boundary for each upload; recordings and replays use
    one fixed boundary so the upload's body can still be matched."""
    body = request.body
    if isinstance(body, bytes) and body.startswith(b"--") and b"Content-Disposition: form-data" in body:
        boundary = body.split(b"\r\n", 1)[0][2:]
        request.body = body.replace(boundary, b"fixed-boundary")
    return request


@pytest.fixture(scope="module")
def vcr_config():
    return {
        "filter_headers": ["authorization", "api-key", "openai-organization", "cookie"],
        "match_on": ["method", "path", "body"],
        "decode_compressed_response": True,
        "before_record_request": _same_boundary,
    }


@pytest.fixture
def server_url(request):
    """Replaying (the default, and CI), nothing listens there; recording, the stand-in does."""
    if request.config.getoption("--record-mode") == "none":
        yield "http://127.0.0.1:9/v1"
        return
    with StandIn(polls_before_done=2) as server:
        yield server.base_url


@pytest.mark.vcr
def test_submit_then_collect(tmp_path, server_url, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    monkeypatch.setenv("EXTRACTOR_BATCH_POLL_SECONDS", "0")
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp_path / "r.sqlite"
    model = ("--model", "openai/gpt-4o-mini", "--base-url", server_url, "--strategy", "full")

    submitted = cli("batch", folder, "--db", db, *model, "--batch-api")
    assert submitted.exit_code == 0, submitted.output
    assert "3 waiting for an OpenAI batch" in submitted.stdout
    [(batch_id, requests, status)] = query(db, "SELECT id, requests, status FROM remote_batches")
    assert batch_id.startswith("batch_") and requests == 3 and status == "submitted"
    assert batch_id in submitted.stdout and "--collect" in submitted.stdout
    assert count(db, "remote_batch_documents") == 3 and count(db, "extractions") == 0

    again = cli("batch", folder, "--db", db, *model)  # a live run leaves them to the batch
    assert "3 waiting for an OpenAI batch" in again.stdout and count(db, "extractions") == 0

    early = cli("batch", "--db", db, "--collect", "--no-wait")  # one look: not finished yet
    assert early.exit_code == 0 and "in_progress" in early.stdout and "collect again later" in early.stdout
    assert query(db, "SELECT status FROM remote_batches") == [("in_progress",)] and count(db, "extractions") == 0

    collected = cli("batch", "--db", db, "--collect")  # polls until it has ended
    assert collected.exit_code == 0, collected.output
    assert "3 done, 0 failed" in collected.stdout
    assert "1 answers used, 2 asked live (1 did not validate, 1 missing)" in collected.stdout
    assert query(db, "SELECT status FROM remote_batches") == [("collected",)]

    results = {r["document"]["source"].rsplit("/", 1)[-1]: r for r in exported(db)}
    assert set(results) == set(ARTICLES)
    for result in results.values():
        assert_spans_grounded(ExtractionResult.model_validate(result))
        assert result["run"]["model"] == "openai/gpt-4o-mini"
    model_claims = [c for c in results["b-lanes.txt"]["claims"] if c["origin"] != "finder"]
    assert model_claims and "never said" not in json.dumps(model_claims), "the bad batch answer was not used"

    # Cost: batch answers at half the list price, live ones at full.
    cost, prompt, completion = query(
        db, "SELECT cost_usd, prompt_tokens, completion_tokens FROM extractions e JOIN documents d ON d.id = e.document_id"
        " WHERE d.source LIKE '%a-bridge.txt'")[0]
    assert cost == pytest.approx((prompt * 0.15 + completion * 0.60) / 1e6 * 0.5)

    assert "no submitted batch" in cli("batch", "--db", db, "--collect").stdout
    nothing = cli("batch", folder, "--db", db, *model, "--batch-api")  # all done: nothing to submit
    assert nothing.exit_code == 0 and "3 unchanged" in nothing.stdout
    runs = json.loads(cli("runs", "--db", db, "--json").stdout)
    assert [(r["mode"], r["status"]) for r in runs] == [
        ("batch-api-submit", "submitted"), ("live", "finished"), ("batch-api-collect", "waiting"),
        ("batch-api-collect", "collected"), ("batch-api-submit", "finished"),
    ]
