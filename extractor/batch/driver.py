"""Drive one document's sans-IO extraction steps (`pipeline.extraction_steps`) with an async
answerer: the model live, or the OpenAI Batch API's answers with the model as a fallback.

This is `pipeline.extract_async` with the spending kept in a `Spend` the caller owns, so what
a document cost is known even when it fails.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from extractor.errors import ConfigError, ModelError, ValidationFailed
from extractor.pipeline import Question, Steps
from extractor.schema import ExtractionResult, Usage


@dataclass
class Spend:
    usage: Usage = field(default_factory=Usage)  # everything, as the result's run.usage reports it
    batch_api: Usage = field(default_factory=Usage)  # the part answered by the Batch API (half price)

    def live(self) -> Usage:
        return Usage(
            requests=self.usage.requests - self.batch_api.requests,
            prompt_tokens=self.usage.prompt_tokens - self.batch_api.prompt_tokens,
            completion_tokens=self.usage.completion_tokens - self.batch_api.completion_tokens,
            retries=self.usage.retries - self.batch_api.retries,
        )


Ask = Callable[[Question, Spend], Awaitable[object]]


async def drive(steps: Steps, ask: Ask | None, spend: Spend) -> ExtractionResult:
    reply, error = None, None
    while True:
        try:
            question = steps.throw(error) if error else steps.send(reply)
        except StopIteration as done:
            return done.value
        try:
            reply, error = await ask(question, spend), None
        except ValidationFailed as e:
            reply, error = None, e


def live_asker(model) -> Ask:
    """Ask the model live. First one plain request (`ask_once_async`: the Batch API's request,
    validated the same way, without instructor's per-call cost); when its answer does not
    validate or the request fails, the question goes through `ask_async`, where instructor
    re-asks with the validation error and tenacity retries transport errors."""
    prepare = getattr(model, "prepared", lambda response_model: response_model)
    once = getattr(model, "ask_once_async", None)

    async def ask(q: Question, spend: Spend):
        if once is not None:
            try:
                return await once(q.system, q.user, q.response_model, q.context, usage=spend.usage)
            except ConfigError:
                raise
            except ModelError:
                spend.usage.retries += 1
        return await model.ask_async(q.system, q.user, prepare(q.response_model), q.context, q.lenient, usage=spend.usage)

    return ask


def all_questions(steps: Steps) -> list[Question]:
    """Every question the steps would ask, without asking: each is answered with a validation
    failure, so the steps move on. The strategies' questions do not depend on earlier answers;
    if one ever does, collecting finds no batch answer for it and asks it live."""
    found: list[Question] = []
    error = None
    while True:
        try:
            question = steps.throw(error) if error else steps.send(None)
        except StopIteration:
            return found
        found.append(question)
        error = ValidationFailed("not answered yet: collected for the Batch API")
