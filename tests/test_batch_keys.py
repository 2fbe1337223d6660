"""What a stored result is keyed by, and the Batch API request being the live request."""

from __future__ import annotations

import json

import pytest

from extractor.answers import ChunkAnswer, ModelTargetVerdict
from extractor.batch.keys import model_name, result_key
from extractor.llm import LanguageModel, resolve
from extractor.settings import Settings
from tests.openai_standin import StandIn


@pytest.mark.parametrize(
    "model, base_url",
    [
        ("local", "http://127.0.0.1:9/v1"),
        ("local/smollm2-135m", "http://127.0.0.1:9/v1"),
        ("openai/gpt-4o-mini", None),
        ("  openai/gpt-4o-mini ", None),
        ("llama3.1:8b", "http://127.0.0.1:9/v1"),
        ("ollama/llama3.1", "http://127.0.0.1:9/v1"),
    ],
)
def test_results_are_keyed_by_the_name_the_model_layer_gives(model, base_url):
    settings = Settings(model=model, base_url=base_url)
    assert model_name(settings) == resolve(settings).name


def test_rules_only_has_no_model():
    assert model_name(Settings(model="none")) is None
    assert result_key(Settings(model="none"), ())[0].model == "none"


def test_options_that_change_a_result_change_the_key_and_others_do_not():
    base = Settings(model="openai/gpt-4o-mini")
    key = result_key(base, ())[0]
    for changed in ({"strategy": "narrow"}, {"chunk_chars": 3000}, {"temperature": 0.5}, {"keep_unaligned": True}):
        assert result_key(base.model_copy(update=changed), ())[0] != key, changed
    assert result_key(base, ("NATO",))[0] != key
    for same in ({"concurrency": 64}, {"rpm": 500}, {"timeout": 5.0}, {"base_url": "http://127.0.0.1:9/v1"}):
        assert result_key(base.model_copy(update=same), ())[0] == key, same
    assert result_key(base.model_copy(update={"strategy": "full"}), ())[0] == key  # auto means full here


def test_the_batch_request_is_the_request_ask_sends(monkeypatch):
    """`request_body` (Batch API lines, and the plain first request of a live run) must be the
    body instructor sends for the same question, so both paths ask the same thing."""
    import tests.openai_standin as standin_module

    seen = []
    real = standin_module.StandIn.chat

    def spy(self, body):
        seen.append(body)
        return real(self, body)

    monkeypatch.setattr(standin_module.StandIn, "chat", spy)
    user = "Passage:\n<article>\nThe mayor said the plan would pass. It did.\n</article>"
    with StandIn() as server:
        settings = Settings(model="stand-in", base_url=server.base_url)
        model = LanguageModel(settings)
        for response_model in (ChunkAnswer, ModelTargetVerdict):
            seen.clear()
            model.ask("You extract.", user, response_model)
            assert json.dumps(seen[0], sort_keys=True) == json.dumps(
                model.request_body("You extract.", user, response_model), sort_keys=True
            )
        answer = model.parse_answer(
            standin_module.completion_for(model.request_body("s", user, ChunkAnswer), spoil=False),
            ChunkAnswer,
            {"text": "The mayor said the plan would pass. It did.", "start": 0, "end": 44},
        )
        assert answer.claims[0].quote == "The mayor said the plan would pass."
