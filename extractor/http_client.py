"""The HTTP client under the OpenAI SDK, as batch runs need it: one TLS context per process,
and a deadline on every whole request.

The SDK's timeout bounds each wait for the server's next bytes, not a request: a server that
trickles its answer a few bytes at a time can hold a request (and a batch's place) for hours.
The transports here end any request whose answer is not complete within its deadline, with
the HTTP library's own ReadTimeout, so the SDK reports a timeout and the model layer retries
it like any other. Async: the whole exchange runs under asyncio.timeout. Sync: the answer's
body is read through a stream that checks the clock at every piece that arrives.

The SDK's HTTP library is httpx2 (openai 3.x) or httpx (openai 2.x), imported by name here.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import ssl
import time

DEADLINE_TIMES_TIMEOUT = 4  # a whole request may take this many times the per-read timeout


@functools.cache
def http_library():
    try:
        return importlib.import_module("httpx2")
    except ImportError:  # openai 2.x sits on httpx
        return importlib.import_module("httpx")


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context for every client of this process, made as the HTTP library makes its
    default one (SSL_CERT_FILE / SSL_CERT_DIR honoured): each client would otherwise load the
    certificates again (about 25 ms of CPU, paid by every batch worker, twice)."""
    return http_library().create_ssl_context()


def _limits():
    return http_library().Limits(max_connections=1000, max_keepalive_connections=100)  # the SDK's own


def async_transport(timeout: float):
    """The transport for an async client: the library's own, inside a deadline of
    DEADLINE_TIMES_TIMEOUT x `timeout` per request."""
    inner = http_library().AsyncHTTPTransport(verify=tls_context(), limits=_limits())
    return DeadlineTransport(inner, DEADLINE_TIMES_TIMEOUT * timeout)


def sync_transport(timeout: float):
    """`async_transport` for a sync client."""
    inner = http_library().HTTPTransport(verify=tls_context(), limits=_limits())
    return SyncDeadlineTransport(inner, DEADLINE_TIMES_TIMEOUT * timeout)


def _too_late(request, seconds: float):
    return http_library().ReadTimeout(f"no complete answer within {seconds:g} s", request=request)


class DeadlineTransport:
    """Wraps an async transport: the answer, body included, within `seconds` or ReadTimeout."""

    def __init__(self, inner, seconds: float):
        self.inner = inner
        self.seconds = seconds

    async def handle_async_request(self, request):
        try:
            async with asyncio.timeout(self.seconds):
                response = await self.inner.handle_async_request(request)
                try:
                    await response.aread()  # answers are not streamed: the whole body, in time
                except BaseException:
                    await response.aclose()
                    raise
        except TimeoutError:
            raise _too_late(request, self.seconds) from None
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()

    async def __aenter__(self):
        await self.inner.__aenter__()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.inner.__aexit__(*exc)


class SyncDeadlineTransport:
    """Wraps a sync transport: the answer's body is read through a deadline stream. `clock`
    is there for tests, which step it instead of waiting."""

    def __init__(self, inner, seconds: float, clock=time.monotonic):
        self.inner = inner
        self.seconds = seconds
        self.clock = clock

    def handle_request(self, request):
        started = self.clock()
        response = self.inner.handle_request(request)
        if self.clock() - started > self.seconds:
            response.close()
            raise _too_late(request, self.seconds)
        response.stream = _deadline_stream(response.stream, request, started + self.seconds, self.seconds, self.clock)
        return response

    def close(self) -> None:
        self.inner.close()

    def __enter__(self):
        self.inner.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.inner.__exit__(*exc)


def _deadline_stream(inner, request, deadline: float, seconds: float, clock):
    """The answer's body, raising ReadTimeout at the first piece that arrives after `deadline`."""

    class DeadlineStream(http_library().SyncByteStream):  # the client checks the stream's type
        def __iter__(self):
            for piece in inner:
                if clock() > deadline:
                    raise _too_late(request, seconds)
                yield piece

        def close(self) -> None:
            inner.close()

    return DeadlineStream()
