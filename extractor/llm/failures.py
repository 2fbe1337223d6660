"""What went wrong with a request, and whether asking again can help.

The SDKs raise their own exceptions (openai's, wrapped by instructor, caused by the HTTP
library's); this module reads them and says:
- `is_transient`: worth retrying (429, 5xx, timeouts, a dropped connection);
- `unreachable`: no server listens at the address (connection refused, an unknown host name).
  Before the server has ever answered, that is a wrong --base-url, not a blip, and retrying it
  for half a minute helps nobody; the caller decides (see LanguageModel._retryable);
- `translate`: our own error (errors.py) for theirs, with what to do about it;
- `waiting`: how long to wait before the next attempt (Retry-After, else back-off).
"""

from __future__ import annotations

import errno
import json
import socket

import openai
import tenacity
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import ValidationError

from extractor.errors import ConfigError, ModelError, TransportError, ValidationFailed
from extractor.ratelimit import MAX_PAUSE
from extractor.ratelimit import retry_after as parse_retry_after

_RETRYABLE_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
# the address answers, but nobody listens there, or there is no route to it
_UNREACHABLE_ERRNOS = {errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EADDRNOTAVAIL}


def root_cause(exc: BaseException | None) -> BaseException | None:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, (openai.APIError, ValidationError, json.JSONDecodeError)):
            return exc
        exc = exc.__cause__ or exc.__context__
    return exc


def is_transient(exc: BaseException) -> bool:
    root = root_cause(exc)
    if isinstance(root, openai.APIConnectionError):  # includes timeouts
        return True
    if isinstance(root, openai.APIStatusError):
        return root.status_code in _RETRYABLE_STATUS
    return False


def is_rate_limited(exc: BaseException) -> bool:
    return isinstance(exc, openai.APIStatusError) and exc.status_code == 429


def unreachable(exc: BaseException | None) -> bool:
    """Whether the connection itself could not be made: refused, or a host name that does not
    resolve. A connect that times out is not this (a slow or busy network is retried)."""
    root = root_cause(exc)
    if not isinstance(root, openai.APIConnectionError) or isinstance(root, openai.APITimeoutError):
        return False
    return any(
        isinstance(e, socket.gaierror) or (isinstance(e, OSError) and e.errno in _UNREACHABLE_ERRNOS)
        for e in _causes(root.__cause__)
    )


def _causes(exc: BaseException | None):
    """`exc` and what caused it, through exception groups (the async HTTP backend tries each
    address of a host name and raises every failure together)."""
    seen, todo = set(), [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [e.__cause__, e.__context__, *getattr(e, "exceptions", ())]


def retry_after(exc: BaseException | None) -> float | None:
    """The server's Retry-After (in ms, seconds or an HTTP date: ratelimit's one parser), capped."""
    response = getattr(root_cause(exc), "response", None)
    after = parse_retry_after(response.headers) if response is not None else None
    return None if after is None else min(after, MAX_PAUSE)


def waiting(backoff_seconds: float):
    """Honour Retry-After when the server sends it; else exponential back-off with jitter."""
    backoff = tenacity.wait_exponential(multiplier=backoff_seconds, max=30.0) + tenacity.wait_random(0, backoff_seconds)

    def wait(retry_state) -> float:
        after = retry_after(retry_state.outcome.exception())
        return after if after is not None else backoff(retry_state)

    return wait


def describe(exc: BaseException | None) -> str:
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


def unreachable_error(url: str | None, bundled: bool = False) -> ConfigError:
    from extractor.redact import redact_url

    if bundled:  # our own loopback server, started for the bundled model, has gone
        return ConfigError(f"the bundled model's server at {url} stopped", "run again with --debug to see why")
    return ConfigError(
        f"no model server answers at {redact_url(url)}",
        "check --base-url, and that the server is running",
    )


def translate(e: Exception, validation_retries: int) -> Exception:
    """Our own error for what the SDKs raised (or `e` itself, when it is not theirs)."""
    if isinstance(e, InstructorRetryException):
        root = root_cause(e)
        if is_transient(e):
            return TransportError(describe(root), "the model server kept failing; try again later")
        if isinstance(root, openai.APIError):
            return _api_error(root)
        return ValidationFailed(
            f"the model's answers did not fit the schema after {validation_retries + 1} tries",
            "try a more capable model (--model)",
        )
    if isinstance(e, IncompleteOutputException):
        return ValidationFailed(
            "the model's answer was cut off (finish_reason=length)",
            "raise EXTRACTOR_MAX_TOKENS or use smaller chunks",
        )
    if isinstance(e, openai.APIError):
        if is_transient(e):
            return TransportError(describe(e), "the model server kept failing; try again later")
        return _api_error(e)
    return e


_STATUS_ERRORS = {
    400: openai.BadRequestError,
    401: openai.AuthenticationError,
    403: openai.PermissionDeniedError,
    404: openai.NotFoundError,
    409: openai.ConflictError,
    422: openai.UnprocessableEntityError,
    429: openai.RateLimitError,
}


def sdk_status_error(response) -> openai.APIStatusError:
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


def sdk_connection_error(e: BaseException) -> openai.APIError:
    """The SDK's exception for an HTTP library error, as its own request would have raised it."""
    failed = openai.APITimeoutError if "Timeout" in type(e).__name__ else openai.APIConnectionError
    return failed(request=_request_of(e))


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
    return ModelError(describe(exc), "check --model and --base-url")
