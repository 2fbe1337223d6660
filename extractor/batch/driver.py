"""Drive one document's sans-IO extraction steps (`pipeline.extraction_steps`) with an async
answerer: the model live, or the OpenAI Batch API's answers with the model as a fallback.

This is `pipeline.extract` for asyncio, with the spending kept in a `Spend` the caller owns,
so what a document cost is known even when it fails.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from extractor.errors import ConfigError, ExtractorError, InputError, ModelError, TransportError, ValidationFailed
from extractor.pipeline import Question, Steps, extraction_steps, run_steps_async
from extractor.schema import Document, ExtractionResult, Usage
from extractor.settings import Settings

log = logging.getLogger(__name__)


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

# Documents under way per question allowed in flight (--concurrency): the others' own work is
# done while those questions wait for the model (see live_asker).
DOCUMENTS_PER_QUESTION = 2


@dataclass
class Outcome:
    """One document's attempt: a result, or the failure's kind and reason; and its spend."""

    result: ExtractionResult | None
    spend: Spend
    seconds: float
    kind: str = ""  # input | transport | validation | model | internal
    reason: str = ""


async def attempt(
    document: Document, settings: Settings, model_name: str | None, targets: tuple[str, ...], ask: Ask | None,
    spend: Spend | None = None,
) -> Outcome:
    """Extract one document. Its failures are returned, not raised, except ConfigError: a
    rejected key or an unknown model is the run's problem, not this document's. `spend`, when
    the caller gives one, shows what was spent even if the attempt is cancelled midway."""
    spend = spend if spend is not None else Spend()
    started = time.perf_counter()
    try:
        steps = extraction_steps(document, settings, model_name, targets, spend.usage)
        result = await run_steps_async(steps, lambda question: ask(question, spend))
        broken = result.check_spans()
        if broken:  # the one promise: never store text that is not at its offsets
            raise ExtractorError(f"internal error: {len(broken)} span(s) do not match the text", "please report this")
    except ConfigError:
        raise
    except ExtractorError as e:
        return Outcome(None, spend, time.perf_counter() - started, _kind(e), e.one_line())
    except Exception as e:  # a bug must not stop the other documents; it is recorded
        log.debug("internal error on %s", document.source, exc_info=True)
        return Outcome(None, spend, time.perf_counter() - started, "internal", f"internal error: {type(e).__name__}: {e}")
    return Outcome(result, spend, time.perf_counter() - started)


def _kind(e: ExtractorError) -> str:
    for cls, name in ((InputError, "input"), (TransportError, "transport"), (ValidationFailed, "validation"), (ModelError, "model")):
        if isinstance(e, cls):
            return name
    return "internal"




def live_asker(model, in_flight: int | None = None) -> Ask:
    """Ask the model live. First one plain request (`ask_once_async`: the Batch API's request,
    validated the same way, without instructor's per-call cost); when its answer does not
    validate or the request fails, the question goes through `ask_async`, where instructor
    re-asks with the validation error and tenacity retries transport errors.

    `in_flight` (--concurrency) caps the questions being asked at once. It caps questions, not
    documents: more documents than that are under way, so that while `in_flight` questions
    wait for the model, the next documents' own work (finder, prompts, grounding, storing) is
    done and their questions are ready to go the moment a place frees up."""
    prepare = getattr(model, "prepared", lambda response_model: response_model)
    once = getattr(model, "ask_once_async", None)
    limiter = getattr(model, "limiter", None)
    places = asyncio.Semaphore(in_flight) if in_flight else None

    async def ask(q: Question, spend: Spend):
        if places is None:
            return await _limited(q, spend)
        async with places:
            return await _limited(q, spend)

    async def _limited(q: Question, spend: Spend):
        if limiter is None:
            return await _ask(q, spend)
        async with limiter.slot():
            return await _ask(q, spend)

    async def _ask(q: Question, spend: Spend):
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
