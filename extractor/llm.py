"""The language-model layer: the only module that imports openai, instructor and tenacity.

Every model, remote or bundled, is reached the same way: the OpenAI chat API through
instructor. `local/...` models are served by `local_model.LocalServer` on a loopback port.

Two retry layers, kept apart on purpose:
- transport errors (429 honouring Retry-After, 5xx, timeouts, dropped connections) are
  retried here with tenacity, exponential back-off with jitter, a bounded number of times;
- answers that fail the schema, or quote text that is not in the article, are re-asked by
  instructor with the validation error, a bounded number of times.
An HTTP error never reaches a prompt. `usage` counts every attempt, failed ones included.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import json
import logging
from typing import TypeVar

import instructor
import openai
import tenacity
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.v2.core.registry import mode_registry
from instructor.v2.core.response import handle_response_model
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError

from extractor.errors import ConfigError, ModelError, TransportError, ValidationFailed
from extractor.http_client import async_transport, sync_transport, tls_context
from extractor.schema import Usage
from extractor.models import BUNDLED, ModelSpec, _bundled_gguf, api_key_for, resolve  # noqa: F401 (their home was here)
from extractor.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)

_RETRYABLE_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 60.0
MAX_PENDING_REASKS = 4096


class LanguageModel:
    """A chat model answering in pydantic objects. Use as a context manager."""

    def __init__(self, settings: Settings, http_client=None, limiter=None):
        """`limiter` (a ratelimit.RateLimiter) is told of every async request and response, so
        one 429 slows a whole batch run down, not just the request that met it."""
        self.settings = settings
        self.limiter = limiter
        self.spec = resolve(settings)
        self.usage = Usage()
        self._server = None
        self._http_client = http_client
        self._api_key = api_key_for(self.spec, settings)  # a missing key is a setup error, found now
        self._sync_client = None
        self._async_client = None
        self._async_http = None  # the async client's HTTP client (see _post_plain)
        self._base_url = self.spec.base_url
        self._reasks: dict[tuple[str, str], list[dict]] = {}  # see ask_once_async

    def _serve(self) -> str:
        """The server's URL. The bundled model's server (no base_url: the GGUF file served on
        loopback) starts at the first question, so a strategy that asks the model nothing
        never pays its start-up."""
        if self.spec.is_local and self._server is None:
            from extractor.local_model import LocalServer

            self._server = LocalServer.start(self.spec.gguf_path, self.settings)
            self._base_url = self._server.base_url
        return self._base_url

    @property
    def _client(self):
        if self._sync_client is None:
            client = openai.OpenAI(
                base_url=self._serve(),
                api_key=self._api_key,
                max_retries=0,  # transport retries are ours (tenacity), so they are bounded and counted
                timeout=self.settings.timeout,
                http_client=self._http_client or openai.DefaultHttpxClient(transport=sync_transport(self.settings.timeout)),
            )
            self._sync_client = instructor.from_openai(client, mode=instructor.Mode.TOOLS)
        return self._sync_client

    @property
    def name(self) -> str:
        return self.spec.name

    def __enter__(self) -> LanguageModel:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def ask(
        self,
        system: str,
        user: str,
        response_model: type[T],
        context: dict | None = None,
        lenient: bool = False,
        usage: Usage | None = None,
    ) -> T:
        """One structured answer. Usage is added to `self.usage` and to `usage` if given.

        With `lenient`, a last answer that still fails validation is parsed without the
        grounding context instead of failing: grounding drops what it cannot find, and the
        caller counts it."""
        meter = _Meter(self.usage, usage)
        retrying = tenacity.Retrying(**self._transport_policy(meter))
        try:
            return retrying(self._create, _messages(system, user, context), response_model, context, meter)
        except Exception as e:
            return self._recover(e, response_model, lenient)

    async def ask_async(
        self,
        system: str,
        user: str,
        response_model: type[T],
        context: dict | None = None,
        lenient: bool = False,
        usage: Usage | None = None,
    ) -> T:
        """`ask()` for asyncio (AsyncOpenAI), for concurrent batch runs."""
        meter = _Meter(self.usage, usage)
        retrying = tenacity.AsyncRetrying(**self._transport_policy(meter))
        # after a plain request whose answer did not validate (ask_once_async), the first
        # request here is the re-ask with its error, not the same question again
        carried = self._reasks.pop((system, user), [])
        messages = _messages(system, user, context) + carried
        reasks = max(0, self.settings.validation_retries - sum(m["role"] == "assistant" for m in carried))
        try:
            return await retrying(self._create_async, messages, response_model, context, meter, reasks)
        except Exception as e:
            return self._recover(e, response_model, lenient)

    def _transport_policy(self, meter: _Meter) -> dict:
        return dict(
            stop=tenacity.stop_after_attempt(self.settings.transport_retries + 1),
            wait=_waiting(self.settings.backoff_seconds),
            retry=tenacity.retry_if_exception(_is_transient),
            before_sleep=meter.transport_retry,
            reraise=True,
        )

    def _request(self, messages, response_model, context, meter: _Meter, reasks: int | None = None) -> dict:
        return dict(
            model=self.spec.api_model,
            messages=messages,
            response_model=response_model,
            max_retries=self.settings.validation_retries if reasks is None else reasks,
            context=context,
            strict=False,
            hooks=meter.hooks(),
            temperature=self.settings.temperature,
            max_tokens=self.settings.max_tokens,
            seed=self.settings.seed,
        )

    def _create(self, messages, response_model, context, meter):
        return self._client.chat.completions.create(**self._request(messages, response_model, context, meter))

    async def _create_async(self, messages, response_model, context, meter, reasks=None):
        request = self._request(messages, response_model, context, meter, reasks)
        return await self._async_instructor().chat.completions.create(**request)

    def _async_instructor(self):
        if self._async_client is None:
            hooks = None
            if self.limiter is not None:
                hooks = {"request": [self.limiter.before_request], "response": [self.limiter.after_response]}
            self._async_http = openai.DefaultAsyncHttpxClient(
                event_hooks=hooks or {}, transport=async_transport(self.settings.timeout)
            )
            client = openai.AsyncOpenAI(
                base_url=self._serve(),
                api_key=self._api_key,
                max_retries=0,
                timeout=self.settings.timeout,
                http_client=self._async_http,
            )
            self._async_client = instructor.from_openai(client, mode=instructor.Mode.TOOLS)
        return self._async_client

    async def ask_once_async(
        self,
        system: str,
        user: str,
        response_model: type[T],
        context: dict | None = None,
        usage: Usage | None = None,
    ) -> T:
        """One plain request: the question exactly as the Batch API sends it
        (`request_body`), validated as `parse_answer` validates; when the answer does not
        validate, one plain re-ask with the error (counted as a retry). No transport retry,
        and none of instructor's per-call work, which costs a busy batch run more CPU than
        anything else. Raises ModelError (ValidationFailed, TransportError, ...): the caller
        then asks through `ask_async`, which re-asks with the error and retries. After an
        answer that did not validate, `ask_async` carries on from it (its first request is
        the re-ask, and it re-asks one time less), so the question is never sent unchanged a
        second time and a question costs no more requests than through `ask_async` alone."""
        meter = _Meter(self.usage, usage)
        body = self.request_body(system, user, response_model)
        messages = body["messages"]
        attempts = 2 if self.settings.validation_retries >= 1 else 1
        for attempt in range(attempts):
            reply = await self._post_plain(body, meter)
            try:
                answer = self._validated(reply, response_model, context)
                self._reasks.pop((system, user), None)
                return answer
            except ValidationFailed as e:
                reask = _reask_messages(reply, e.__cause__)
                if not reask or isinstance(e.__cause__, IncompleteOutputException):
                    raise  # nothing to re-ask with, or an answer cut off: asking again cuts it again
                messages = [*messages, *reask]
                self._keep_reask(system, user, messages[2:], escape=bool(context))
                if attempt == attempts - 1:
                    raise
            meter.validation_retry()
            body = dict(body, messages=messages)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _post_plain(self, body: dict, meter: _Meter) -> ChatCompletion:
        """POST a chat request on the SDK's own HTTP client (its hooks, transport and
        deadline), without the SDK's per-request work: building its request options and
        constructing the answer field by field cost more CPU than the HTTP exchange itself.
        The answer is validated as a ChatCompletion in one step."""
        client = self._async_instructor().client
        headers = {"Authorization": f"Bearer {client.api_key}", "Content-Type": "application/json",
                   "Accept": "application/json"}
        url = str(client.base_url).rstrip("/") + "/chat/completions"
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        try:
            try:
                response = await self._async_http.post(url, content=content, headers=headers, timeout=self.settings.timeout)
            except Exception as e:
                if type(e).__module__.split(".")[0] not in ("httpx", "httpx2", "httpcore", "httpcore2"):
                    raise
                # the SDK's own exceptions, as its request would have raised them
                failed = openai.APITimeoutError if "Timeout" in type(e).__name__ else openai.APIConnectionError
                raise failed(request=_request_of(e)) from e
            if response.status_code != 200:
                raise _sdk_status_error(response)
        except openai.APIError as e:
            meter.failed()
            raise self._translate(e) from e
        except asyncio.CancelledError:  # a stop while it was out: the server may bill it, so it counts
            meter.failed()
            raise
        try:
            reply = ChatCompletion.model_validate_json(response.content)
        except ValidationError as e:  # a 200 whose body is not a chat completion (cut off by a proxy)
            meter.failed()
            raise ValidationFailed("the model server's answer was not JSON") from e
        meter.response(reply)
        return reply

    def _keep_reask(self, system: str, user: str, messages: list[dict], escape: bool) -> None:
        """The answers and errors so far, for `ask_async` to carry on from (a bounded memory:
        a question that is never asked again is forgotten in time)."""
        if escape:  # instructor renders message text as a template when given a context
            messages = [dict(m, content=_no_template(m["content"])) if m.get("content") else m for m in messages]
        self._reasks.pop((system, user), None)
        while len(self._reasks) >= MAX_PENDING_REASKS:
            self._reasks.pop(next(iter(self._reasks)))
        self._reasks[(system, user)] = messages

    async def aclose(self) -> None:
        """Close the async HTTP client while its event loop still runs; `close()` still ends
        the rest. The next `ask_async` opens a new client (in the loop it runs in)."""
        if self._async_client is not None:
            await self._async_client.client.close()
            self._async_client = None

    @staticmethod
    def prepared(response_model: type[T]) -> type[T]:
        """The response model as instructor sends it, built once per model: instructor would
        rebuild the wrapper class and its JSON schema on every call, which costs a busy batch
        run more CPU than the rest of the request. Answers are still `response_model`s."""
        return _prepared(response_model)

    # The OpenAI Batch API: the same requests, answered later at half the price.

    def request_body(self, system: str, user: str, response_model: type[BaseModel]) -> dict:
        """The chat request `ask()` would send first for this question, as a JSON body."""
        body = dict(self._body_for(response_model))
        body["messages"] = _messages(system, user)
        return body

    def _body_for(self, response_model) -> dict:
        s = self.settings
        return _tool_body(response_model, self.spec.api_model, s.temperature, s.max_tokens, s.seed)

    def parse_answer(self, completion: dict, response_model: type[T], context: dict | None = None) -> T:
        """Validate a chat completion (a batch output line's body) exactly as a live answer is
        validated, grounding context included. Raises ValidationFailed."""
        try:
            reply = ChatCompletion.model_validate(completion)
        except ValidationError as e:
            raise ValidationFailed("the batch answer is not a chat completion") from e
        return self._validated(reply, response_model, context)

    def _validated(self, reply, response_model: type[T], context: dict | None) -> T:
        try:
            return _tools_parser()(
                response=reply,
                response_model=_prepared(response_model),
                validation_context=context,
                strict=False,
                stream=False,
                is_async=False,
            )
        except (ValidationError, IncompleteOutputException, ValueError, TypeError, AttributeError, IndexError) as e:
            raise ValidationFailed(f"the answer did not validate ({type(e).__name__})") from e

    def submit_batch(self, jsonl: bytes, metadata: dict[str, str]) -> tuple[str, str]:
        """Upload request lines and start a batch over them; returns (batch id, file id).

        Transient errors are retried as for questions, except that creating the batch is
        retried only after a 429: after a 5xx or a broken connection the batch may exist
        already, and a second one would be paid for twice. (The upload is retried: a second
        copy of the file costs nothing.)"""
        files, batches = self._client.client.files, self._client.client.batches
        uploaded = self._managed(files.create, file=("requests.jsonl", jsonl), purpose="batch")
        batch = self._managed(
            batches.create,
            input_file_id=uploaded.id,
            endpoint="/v1/chat/completions",
            completion_window="24h",
            metadata=metadata,
            retry_if=_is_rate_limited,
        )
        return batch.id, uploaded.id

    def batch_status(self, batch_id: str) -> dict:
        batch = self._managed(self._client.client.batches.retrieve, batch_id)
        counts = batch.request_counts
        return {
            "status": batch.status,
            "output_file_id": batch.output_file_id,
            "error_file_id": batch.error_file_id,
            "completed": counts.completed if counts else 0,
            "failed": counts.failed if counts else 0,
            "total": counts.total if counts else 0,
        }

    def batch_file(self, file_id: str) -> bytes:
        return self._managed(lambda: self._client.client.files.content(file_id).read())

    def _managed(self, call, *args, retry_if=None, **kwargs):
        """A Batch API management call (no question in it), with transport retries."""
        policy = self._transport_policy(_Meter())
        if retry_if is not None:
            policy["retry"] = tenacity.retry_if_exception(retry_if)
        try:
            return tenacity.Retrying(**policy)(call, *args, **kwargs)
        except openai.APIError as e:
            raise self._translate(e) from e

    def _recover(self, e: Exception, response_model: type[T], lenient: bool) -> T:
        """A lenient parse of the last answer, or our own error for what the SDKs raised."""
        if lenient and isinstance(e, InstructorRetryException) and not _is_transient(e):
            parsed = _parse_last(e, response_model)
            if parsed is not None:
                return parsed
        raise self._translate(e) from e

    def _translate(self, e: Exception) -> Exception:
        if isinstance(e, InstructorRetryException):
            root = _root_cause(e)
            if _is_transient(e):
                return TransportError(_describe(root), "the model server kept failing; try again later")
            if isinstance(root, openai.APIError):
                return _api_error(root)
            return ValidationFailed(
                f"the model's answers did not fit the schema after {self.settings.validation_retries + 1} tries",
                "try a more capable model (--model)",
            )
        if isinstance(e, IncompleteOutputException):
            return ValidationFailed(
                "the model's answer was cut off (finish_reason=length)",
                "raise EXTRACTOR_MAX_TOKENS or use smaller chunks",
            )
        if isinstance(e, openai.APIError):
            if _is_transient(e):
                return TransportError(_describe(e), "the model server kept failing; try again later")
            return _api_error(e)
        return e


class _Meter:
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
        log.info("retrying after %s", _describe(_root_cause(retry_state.outcome.exception())))


@functools.lru_cache(maxsize=512)
def _tool_body(response_model, api_model: str, temperature, max_tokens, seed) -> dict:
    """Everything in a request but its messages, as instructor builds it (the tools)."""
    _, body = handle_response_model(
        _prepared(response_model),
        mode=instructor.Mode.TOOLS,
        model=api_model,
        messages=[],
        temperature=temperature,
        max_tokens=max_tokens,
        seed=seed,
    )
    return body


def warm_up(settings: Settings, response_models=()) -> None:
    """Do now, once, the work a first request does (see load_client_libraries) and build the
    tool definitions of `response_models`: a batch calls this before forking its workers, so
    that no worker pays for it again. No request is sent, no local model is started."""
    load_client_libraries()
    api_model = resolve(settings).api_model
    for response_model in response_models:
        _tool_body(response_model, api_model, settings.temperature, settings.max_tokens, settings.seed)


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
    _tools_parser()
    # what the first request imports (the HTTP library's asyncio backend): 30 ms more for it
    for name in ("anyio._backends._asyncio", "anyio.streams.memory", "anyio.streams.stapled", "instructor.v2.core.function_calls"):
        try:
            importlib.import_module(name)
        except ImportError:  # a library's insides moved: only the first request is slower
            pass


@functools.cache
def _tools_parser():
    """Instructor's parser for OpenAI tool-call answers, looked up once. `process_response`
    reaches the same parser, but first formats the whole reply for a debug log line and walks
    the response model looking for async validators (ours have none) on every answer: in a busy
    batch run, more CPU than the parsing itself."""
    importlib.import_module("instructor.v2")  # registers the providers' handlers
    return mode_registry.get_handlers(instructor.Provider.OPENAI, instructor.Mode.TOOLS).response_parser


@functools.lru_cache(maxsize=512)
def _prepared(response_model):
    from instructor.v2.core.response_model import prepare_response_model

    return prepare_response_model(response_model)


def _messages(system: str, user: str, context: dict | None = None) -> list[dict]:
    """Chat messages. Instructor renders message text as a Jinja template whenever a
    validation context is given; article text must reach the model exactly as written, and
    must not be able to run template code, so every "{" is then written as a template
    expression that renders back to "{"."""
    if context:
        system, user = _no_template(system), _no_template(user)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def _reask_messages(reply, error: BaseException | None) -> list[dict]:
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


def _no_template(text: str) -> str:
    return text.replace("{", "{{ '{' }}")


def _root_cause(exc: BaseException | None) -> BaseException | None:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, (openai.APIError, ValidationError, json.JSONDecodeError)):
            return exc
        exc = exc.__cause__ or exc.__context__
    return exc


def _is_transient(exc: BaseException) -> bool:
    root = _root_cause(exc)
    if isinstance(root, openai.APIConnectionError):  # includes timeouts
        return True
    if isinstance(root, openai.APIStatusError):
        return root.status_code in _RETRYABLE_STATUS
    return False


def _is_rate_limited(exc: BaseException) -> bool:
    return isinstance(exc, openai.APIStatusError) and exc.status_code == 429


def _retry_after(exc: BaseException | None) -> float | None:
    """The server's Retry-After (in ms, seconds or an HTTP date: ratelimit's one parser), capped."""
    from extractor.ratelimit import retry_after

    response = getattr(_root_cause(exc), "response", None)
    after = retry_after(response.headers) if response is not None else None
    return None if after is None else min(after, MAX_RETRY_AFTER)


def _waiting(backoff_seconds: float):
    """Honour Retry-After when the server sends it; else exponential back-off with jitter."""
    backoff = tenacity.wait_exponential(multiplier=backoff_seconds, max=30.0) + tenacity.wait_random(0, backoff_seconds)

    def wait(retry_state) -> float:
        after = _retry_after(retry_state.outcome.exception())
        return after if after is not None else backoff(retry_state)

    return wait


def _describe(exc: BaseException | None) -> str:
    """A short, key-free description of a transport error."""
    if isinstance(exc, openai.APIStatusError):
        return f"model server answered HTTP {exc.status_code}"
    if isinstance(exc, openai.APITimeoutError):
        return "model server timed out"
    if isinstance(exc, openai.APIConnectionError):
        # by name: the SDK's HTTP library (httpx or httpx2) is not ours to import
        if type(exc.__cause__).__name__ in ("ConnectError", "ConnectTimeout"):
            return "could not reach the model server"
        return "the connection to the model server broke off"
    return type(exc).__name__ if exc is not None else "unknown error"


_STATUS_ERRORS = {
    400: openai.BadRequestError,
    401: openai.AuthenticationError,
    403: openai.PermissionDeniedError,
    404: openai.NotFoundError,
    409: openai.ConflictError,
    422: openai.UnprocessableEntityError,
    429: openai.RateLimitError,
}


def _sdk_status_error(response) -> openai.APIStatusError:
    """The SDK's exception for an HTTP error answer (its public classes, its message)."""
    try:
        body = response.json()
    except ValueError:
        body = response.text or None
    error = body.get("error", body) if isinstance(body, dict) else body
    kind = _STATUS_ERRORS.get(response.status_code)
    if kind is None:
        kind = openai.InternalServerError if response.status_code >= 500 else openai.APIStatusError
    return kind(f"Error code: {response.status_code} - {body}", response=response, body=error)


def _request_of(exc: BaseException):
    try:
        return exc.request
    except (AttributeError, RuntimeError):  # an HTTP library error raised before its request was set
        return None


def _api_error(exc: openai.APIError) -> ModelError:
    if isinstance(exc, openai.AuthenticationError):
        return ConfigError("the model server rejected the API key", "check OPENAI_API_KEY")
    if isinstance(exc, openai.NotFoundError):
        return ConfigError("the model server does not know this model", "check --model and --base-url")
    return ModelError(_describe(exc), "check --model and --base-url")


def _parse_last(exc: Exception, response_model: type[T]) -> T | None:
    completion = getattr(exc, "last_completion", None)
    try:
        call = completion.choices[0].message.tool_calls[0]
        return response_model.model_validate(json.loads(call.function.arguments))
    except (AttributeError, IndexError, TypeError, ValueError):
        return None
