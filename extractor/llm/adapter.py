"""The glue between our questions and instructor: chat messages, the tool definition a response
model becomes, validating a tool-call answer, re-ask messages, and counting usage through
instructor's hooks.

Instructor is called where its public API does the job (`from_openai`, `create` with a
validation context and `max_retries`); a few of its insides (`instructor.v2.core.*`) are
reached for what a busy batch run does thousands of times, where the public path repeats
work per call (see `tools_parser`, `prepared`, `tool_body`).
"""

from __future__ import annotations

import functools
import importlib
import json
import logging
from typing import TypeVar

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException
from instructor.v2.core.registry import mode_registry
from instructor.v2.core.response import handle_response_model
from pydantic import BaseModel, ValidationError

from extractor.errors import ValidationFailed
from extractor.http_client import tls_context
from extractor.llm.failures import describe, root_cause
from extractor.models import resolve
from extractor.schema import Usage
from extractor.settings import Settings

log = logging.getLogger("extractor.llm")
T = TypeVar("T", bound=BaseModel)


class Meter:
    """Counts one call's requests, tokens and retries into one or two Usage totals."""

    def __init__(self, *totals: Usage | None):
        self.totals = [t for t in totals if t is not None]

    def _add(self, **counts: int) -> None:
        for total in self.totals:
            for name, n in counts.items():
                setattr(total, name, getattr(total, name) + n)

    def hooks(self):
        from instructor.v2.core.hooks import Hooks

        hooks = Hooks()
        hooks.on("completion:response", self.response)
        hooks.on("completion:error", lambda *a, **k: self._add(requests=1))
        hooks.on("parse:error", lambda *a, **k: self._add(retries=1))
        return hooks

    def response(self, response) -> None:
        used = getattr(response, "usage", None)
        self._add(
            requests=1,
            prompt_tokens=(getattr(used, "prompt_tokens", 0) or 0),
            completion_tokens=(getattr(used, "completion_tokens", 0) or 0),
        )

    def failed(self) -> None:
        self._add(requests=1)

    def validation_retry(self) -> None:
        self._add(retries=1)

    def transport_retry(self, retry_state) -> None:
        self._add(retries=1)
        log.info("retrying after %s", describe(root_cause(retry_state.outcome.exception())))


def messages(system: str, user: str, context: dict | None = None) -> list[dict]:
    """Chat messages. Instructor renders message text as a Jinja template whenever a
    validation context is given; article text must reach the model exactly as written, and
    must not be able to run template code, so every "{" is then written as a template
    expression that renders back to "{"."""
    if context:
        system, user = no_template(system), no_template(user)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def no_template(text: str) -> str:
    return text.replace("{", "{{ '{' }}")


def validated(reply, response_model: type[T], context: dict | None) -> T:
    """A chat completion's tool call as a `response_model`, validated with `context` exactly as
    instructor validates a live answer. Raises ValidationFailed."""
    try:
        return tools_parser()(
            response=reply,
            response_model=prepared(response_model),
            validation_context=context,
            strict=False,
            stream=False,
            is_async=False,
        )
    except (ValidationError, IncompleteOutputException, ValueError, TypeError, AttributeError, IndexError) as e:
        raise ValidationFailed(f"the answer did not validate ({type(e).__name__})") from e


def reask_messages(reply, error: BaseException | None) -> list[dict]:
    """The messages that re-ask after `reply` failed validation, as instructor writes them
    (the answer, then the error as the tool's result), with pydantic's errors one a line and
    no documentation links."""
    try:
        message = reply.choices[0].message
        calls = list(message.tool_calls or [])
    except (AttributeError, IndexError):
        return []
    if not calls:
        return []
    if isinstance(error, ValidationError):
        said = "\n".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors())
    else:
        said = str(error)
    text = f"Validation Error found:\n{said}\nRecall the function correctly, fix the errors"
    assistant = {
        "role": "assistant",
        "content": message.content or "",
        "tool_calls": [
            {"id": c.id, "type": "function", "function": {"name": c.function.name, "arguments": c.function.arguments}}
            for c in calls
        ],
    }
    return [assistant, *({"role": "tool", "tool_call_id": c.id, "name": c.function.name, "content": text} for c in calls)]


def parse_last(exc: Exception, response_model: type[T]) -> T | None:
    """The last answer instructor gave up on, parsed without the grounding context."""
    completion = getattr(exc, "last_completion", None)
    try:
        call = completion.choices[0].message.tool_calls[0]
        return response_model.model_validate(json.loads(call.function.arguments))
    except (AttributeError, IndexError, TypeError, ValueError):
        return None


@functools.lru_cache(maxsize=512)
def tool_body(response_model, api_model: str, temperature, max_tokens, seed) -> dict:
    """Everything in a request but its messages, as instructor builds it (the tools)."""
    _, body = handle_response_model(
        prepared(response_model),
        mode=instructor.Mode.TOOLS,
        model=api_model,
        messages=[],
        temperature=temperature,
        max_tokens=max_tokens,
        seed=seed,
    )
    return body


@functools.lru_cache(maxsize=512)
def prepared(response_model):
    """The response model as instructor sends it, built once per model: instructor would
    rebuild the wrapper class and its JSON schema on every call."""
    from instructor.v2.core.response_model import prepare_response_model

    return prepare_response_model(response_model)


@functools.cache
def tools_parser():
    """Instructor's parser for OpenAI tool-call answers, looked up once. `process_response`
    reaches the same parser, but first formats the whole reply for a debug log line and walks
    the response model looking for async validators (ours have none) on every answer: in a busy
    batch run, more CPU than the parsing itself."""
    importlib.import_module("instructor.v2")  # registers the providers' handlers
    return mode_registry.get_handlers(instructor.Provider.OPENAI, instructor.Mode.TOOLS).response_parser


def warm_up(settings: Settings, response_models=()) -> None:
    """Do now, once, the work a first request does (see load_client_libraries) and build the
    tool definitions of `response_models`: a batch calls this before forking its workers, so
    that no worker pays for it again. No request is sent, no local model is started."""
    load_client_libraries()
    api_model = resolve(settings).api_model
    for response_model in response_models:
        tool_body(response_model, api_model, settings.temperature, settings.max_tokens, settings.seed)


@functools.cache  # once a process
def load_client_libraries() -> None:
    """Do the imports the first client does lazily (instructor loads its providers then:
    about 0.4 s of CPU). No request is sent."""
    unused = dict(api_key="unused", base_url="http://127.0.0.1:9/v1", max_retries=0)
    for client in (  # with the shared TLS context: default clients would each load the certificates
        openai.OpenAI(**unused, http_client=openai.DefaultHttpxClient(verify=tls_context())),
        openai.AsyncOpenAI(**unused, http_client=openai.DefaultAsyncHttpxClient(verify=tls_context())),
    ):
        instructor.from_openai(client, mode=instructor.Mode.TOOLS)
    tools_parser()
    # what the first request imports (the HTTP library's asyncio backend): 30 ms more for it
    for name in ("anyio._backends._asyncio", "anyio.streams.memory", "anyio.streams.stapled", "instructor.v2.core.function_calls"):
        try:
            importlib.import_module(name)
        except ImportError:  # a library's insides moved: only the first request is slower
            pass
