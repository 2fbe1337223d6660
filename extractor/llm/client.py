"""Asking a chat model: LanguageModel, its SDK clients and its two retry layers.

Transport errors (429 honouring Retry-After, 5xx, timeouts, dropped connections) are retried
here with tenacity; answers that fail the schema are re-asked by instructor with the
validation error (see the package docstring). A server that cannot be reached before it has
ever answered (connection refused, unknown host) is a configuration error at once.
"""

from __future__ import annotations

import asyncio
import json
from typing import TypeVar

import instructor
import openai
import tenacity
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError

from extractor.errors import ValidationFailed
from extractor.http_client import async_transport, sync_transport
from extractor.llm import failures
from extractor.llm.adapter import Meter, messages as _messages, no_template, parse_last, prepared, reask_messages, validated
from extractor.llm.batch_files import BatchFiles
from extractor.models import api_key_for, resolve
from extractor.schema import Usage
from extractor.settings import Settings

T = TypeVar("T", bound=BaseModel)

MAX_PENDING_REASKS = 4096


class LanguageModel(BatchFiles):
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
        # any HTTP answer from the server, even an error (see _nobody_there); an injected
        # http_client is not hooked, so with one a refused connection always stops at once
        self._answered = False

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
                http_client=self._http_client or openai.DefaultHttpxClient(
                    transport=sync_transport(self.settings.timeout), event_hooks={"response": [self._heard]}
                ),
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
        meter = Meter(self.usage, usage)
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
        meter = Meter(self.usage, usage)
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

    def _transport_policy(self, meter: Meter) -> dict:
        return dict(
            stop=tenacity.stop_after_attempt(self.settings.transport_retries + 1),
            wait=failures.waiting(self.settings.backoff_seconds),
            retry=tenacity.retry_if_exception(self._retryable),
            before_sleep=meter.transport_retry,
            reraise=True,
        )

    def _request(self, messages, response_model, context, meter: Meter, reasks: int | None = None) -> dict:
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
            hooks = {"response": [self._heard_async]}
            if self.limiter is not None:
                hooks = {"request": [self.limiter.before_request], "response": [self.limiter.after_response, self._heard_async]}
            self._async_http = openai.DefaultAsyncHttpxClient(event_hooks=hooks, transport=async_transport(self.settings.timeout))
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
        meter = Meter(self.usage, usage)
        body = self.request_body(system, user, response_model)
        messages = body["messages"]
        attempts = 2 if self.settings.validation_retries >= 1 else 1
        for attempt in range(attempts):
            reply = await self._post_plain(body, meter)
            try:
                answer = validated(reply, response_model, context)
                self._reasks.pop((system, user), None)
                return answer
            except ValidationFailed as e:
                reask = reask_messages(reply, e.__cause__)
                if not reask or isinstance(e.__cause__, IncompleteOutputException):
                    raise  # nothing to re-ask with, or an answer cut off: asking again cuts it again
                messages = [*messages, *reask]
                self._keep_reask(system, user, messages[2:], escape=bool(context))
                if attempt == attempts - 1:
                    raise
            meter.validation_retry()
            body = dict(body, messages=messages)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _post_plain(self, body: dict, meter: Meter) -> ChatCompletion:
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
                raise failures.sdk_connection_error(e) from e
            if response.status_code != 200:
                raise failures.sdk_status_error(response)
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
            messages = [dict(m, content=no_template(m["content"])) if m.get("content") else m for m in messages]
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
        return prepared(response_model)

    def _recover(self, e: Exception, response_model: type[T], lenient: bool) -> T:
        """A lenient parse of the last answer, or our own error for what the SDKs raised."""
        if lenient and isinstance(e, InstructorRetryException) and not failures.is_transient(e):
            parsed = parse_last(e, response_model)
            if parsed is not None:
                return parsed
        raise self._translate(e) from e

    def _translate(self, e: Exception) -> Exception:
        if self._nobody_there(e):
            return failures.unreachable_error(self._base_url, bundled=self._server is not None)
        return failures.translate(e, self.settings.validation_retries)

    def _retryable(self, e: BaseException) -> bool:
        return failures.is_transient(e) and not self._nobody_there(e)

    def _nobody_there(self, e: BaseException) -> bool:
        """No server listens at the address (refused, unknown host) and none has answered this
        model yet: a wrong --base-url or a server not started, which no retry mends. Once the
        server has answered, a refused connection is a restart or a blip, and is retried."""
        return not self._answered and failures.unreachable(e)

    def _heard(self, response) -> None:  # an httpx response hook
        self._answered = True

    async def _heard_async(self, response) -> None:
        self._answered = True
