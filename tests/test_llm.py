"""The model layer against a scripted loopback server: two retry layers, usage, errors."""

import pytest
from pydantic import BaseModel

from extractor.answers import ModelClaim
from extractor.errors import ConfigError, TransportError, ValidationFailed
from extractor.llm import LanguageModel
from extractor.schema import Usage
from extractor.settings import Settings
from tests.scripted_server import ScriptedServer, tool_reply

OK = (200, tool_reply({"answer": "yes"}), {})


class Answer(BaseModel):
    answer: str


def model_for(server, **options):
    settings = Settings(model="openai/scripted", base_url=server.base_url, api_key="sk-test-not-real",
                        backoff_seconds=0.01, timeout=1.0, **options)
    return LanguageModel(settings)


def ask(server, response_model=Answer, context=None, lenient=False, **options):
    model = model_for(server, **options)
    usage = Usage()
    try:
        return model.ask("sys", "user", response_model, context=context, lenient=lenient, usage=usage), usage, model
    finally:
        model.close()


def test_429_honours_retry_after_and_counts_every_attempt():
    with ScriptedServer([(429, {"error": {"message": "slow down"}}, {"retry-after": "0"}), OK]) as server:
        answer, usage, model = ask(server)
    assert answer.answer == "yes"
    assert (usage.requests, usage.retries, usage.prompt_tokens) == (2, 1, 10)
    assert model.usage == usage


@pytest.mark.parametrize("fault", [(503, {"error": {"message": "busy"}}, {}), "drop", "hang"])
def test_transient_faults_are_retried(fault):
    with ScriptedServer([fault, OK]) as server:
        answer, usage, _ = ask(server)
    assert answer.answer == "yes" and usage.requests == 2 and usage.retries == 1


def test_transport_retries_are_bounded():
    with ScriptedServer([(500, {"error": {"message": "down"}}, {})] * 10) as server:
        with pytest.raises(TransportError, match="HTTP 500"):
            ask(server, transport_retries=2)
        assert len(server.requests) == 3


def test_schema_failure_is_reasked_with_the_error_not_an_http_error():
    steps = [(500, {"error": {"message": "SECRET-HTTP-DETAIL"}}, {}), (200, tool_reply({"wrong": 1}), {}), OK]
    with ScriptedServer(steps) as server:
        answer, usage, _ = ask(server)
        assert answer.answer == "yes"
        assert usage.requests == 3 and usage.retries == 2
        reask = server.requests[2]["body"]["messages"]
        assert len(reask) > 2, "the validation error went back to the model"
        assert all("SECRET-HTTP-DETAIL" not in str(m) for m in reask)


def test_quote_not_in_text_is_a_validation_error_the_model_is_told_about():
    invented = {"speaker": "X", "quote": "words never written", "claim": "c", "attribution": "direct"}
    real = dict(invented, quote="the sky is green")
    context = {"text": "He said the sky is green.", "start": 0, "end": 25}
    with ScriptedServer([(200, tool_reply(invented), {}), (200, tool_reply(real), {})]) as server:
        answer, usage, _ = ask(server, ModelClaim, context=context)
        assert answer.quote == "the sky is green" and usage.retries == 1
        assert "does not occur in the article" in str(server.requests[1]["body"]["messages"])


def test_lenient_returns_the_last_answer_for_grounding_to_judge():
    invented = {"speaker": "X", "quote": "words never written", "claim": "c", "attribution": "direct"}
    context = {"text": "He said the sky is green.", "start": 0, "end": 25}
    with ScriptedServer([(200, tool_reply(invented), {})] * 3) as server:
        answer, usage, _ = ask(server, ModelClaim, context=context, lenient=True)
    assert answer.quote == "words never written" and usage.requests == 3
    with ScriptedServer([(200, tool_reply(invented), {})] * 3) as server:
        with pytest.raises(ValidationFailed):
            ask(server, ModelClaim, context=context)


def test_cut_off_answer_is_a_validation_failure():
    with ScriptedServer([(200, tool_reply({"answer": "y"}, finish_reason="length"), {})]) as server:
        with pytest.raises(ValidationFailed, match="cut off"):
            ask(server)


def test_rejected_key_is_a_config_error_without_the_key():
    with ScriptedServer([(401, {"error": {"message": "bad key"}}, {})]) as server:
        with pytest.raises(ConfigError) as info:
            ask(server)
        assert "sk-test-not-real" not in info.value.one_line()
        headers = {k.lower(): v for k, v in server.requests[0]["headers"].items()}
        assert headers["authorization"] == "Bearer sk-test-not-real"


def test_article_text_reaches_the_model_verbatim_even_with_template_syntax():
    """Instructor renders messages as Jinja when a validation context is given: braces in an
    article must neither run nor change."""
    article = "He said {{ 7*7 }} and {% for x in range(3) %}x{% endfor %} and {# hidden #} {'a': 1}."
    context = {"text": article, "start": 0, "end": len(article)}
    with ScriptedServer([OK]) as server:
        model = model_for(server)
        model.ask("system {{ x }}", article, Answer, context=context)
        sent = server.requests[0]["body"]["messages"]
    assert sent[0]["content"] == "system {{ x }}"
    assert sent[1]["content"] == article


def test_the_bundled_model_is_not_started_when_the_strategy_asks_nothing(seed_text):
    """The narrow strategy asks the bundled model nothing, so its server (seconds of start-up
    and its memory) must never start; it starts at the first question."""
    from extractor.llm import LanguageModel
    from extractor.pipeline import extract
    from extractor.schema import Document
    from extractor.settings import Settings

    settings = Settings(model="local/smollm2-135m")
    with LanguageModel(settings) as model:
        result = extract(Document.from_text(seed_text), settings, model)
        assert model._server is None
    assert result.run.strategy == "narrow" and result.run.model == "local/smollm2-135m"
    assert result.run.usage.requests == 0 and result.claims
