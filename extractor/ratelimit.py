"""One rate limiter shared by every request of a batch run, so the run as a whole stays
inside the provider's limits instead of each request finding them out alone.

    slot()               one question in flight; after a 429 fewer may be at once (halved),
                         growing back by one each time as many answers have come back
    acquire(tokens)      wait for: a pause after a 429, the requests-per-minute budget,
                         the tokens-per-minute budget; then go
    slow_down(after)     a 429: every request pauses for Retry-After, and questions in flight
                         are halved (additive increase, multiplicative decrease, as TCP does)
    before_request /     httpx event hooks: LanguageModel(limiter=...) installs them on its
    after_response       HTTP client, so every attempt is counted, re-asks and retries too

Budgets are spread evenly (generic cell rate algorithm): at most about one second's worth goes
out at once, never a whole minute's burst. Tokens are counted as the provider counts them for
its limit: the request's prompt (about 4 characters a token) plus its max_tokens.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from email.utils import parsedate_to_datetime

MAX_PAUSE = 60.0  # the longest a Retry-After is honoured: here, and by the transport retry
DEFAULT_PAUSE = 2.0  # a 429 without Retry-After
BURST_SECONDS = 1.0
POLL = 0.05  # how often a question waiting for a slot looks again


class _Budget:
    """A steady rate per minute, with at most BURST_SECONDS' worth sent ahead of it (GCRA)."""

    def __init__(self, per_minute: float):
        self.per_minute = per_minute
        self.ready_at = 0.0  # when everything taken so far has been paid for

    def wait(self, now: float, amount: float) -> float:
        if self.ready_at <= now:
            return 0.0  # even one request bigger than a burst may go when nothing is owed
        ahead = self.ready_at - now + self._cost(amount)
        return 0.0 if ahead <= BURST_SECONDS else min(self.ready_at - now, ahead - BURST_SECONDS)

    def take(self, now: float, amount: float) -> None:
        self.ready_at = max(self.ready_at, now) + self._cost(amount)

    def _cost(self, amount: float) -> float:
        return amount * 60.0 / self.per_minute


class RateLimiter:
    def __init__(
        self,
        rpm: float | None = None,
        tpm: float | None = None,
        completion_tokens: int = 0,
        shared_pause=None,
        clock=time.monotonic,
        sleep=asyncio.sleep,
    ):
        """`shared_pause` (a multiprocessing.Value of a monotonic time) carries a 429's pause
        to the limiters of other worker processes of the same run."""
        self.rpm = rpm
        self.tpm = tpm
        self.completion_tokens = completion_tokens  # max_tokens: counted by providers up front
        self._clock = clock
        self._sleep = sleep
        self._requests = _Budget(rpm) if rpm else None
        self._tokens = _Budget(tpm) if tpm else None
        self.paused_until = 0.0
        self._shared_pause = shared_pause
        self.slots: int | None = None  # questions allowed in flight; None: as many as asked
        self.in_flight = 0
        self._answers = 0  # since the last change of `slots`
        self.rate_limited = 0  # 429 answers seen
        self.waited = 0.0  # seconds requests spent waiting here

    @asynccontextmanager
    async def slot(self):
        while self.slots is not None and self.in_flight >= self.slots:
            await self._sleep(POLL)
        self.in_flight += 1
        try:
            yield
        finally:
            self.in_flight -= 1

    async def acquire(self, tokens: int = 0) -> None:
        started = self._clock()
        while True:
            now = self._clock()
            if self._shared_pause is not None:
                self.paused_until = max(self.paused_until, self._shared_pause.value)
            wait = max(self.paused_until - now, self._wait(now, tokens))
            if wait <= 0:
                break
            await self._sleep(wait)
        if self._requests is not None:
            self._requests.take(now, 1)
        if self._tokens is not None and tokens:
            self._tokens.take(now, tokens)
        self.waited += now - started

    def _wait(self, now: float, tokens: int) -> float:
        wait = 0.0
        if self._requests is not None:
            wait = self._requests.wait(now, 1)
        if self._tokens is not None and tokens:
            wait = max(wait, self._tokens.wait(now, tokens))
        return wait

    def slow_down(self, retry_after: float | None) -> None:
        """A 429: pause every request for Retry-After, and halve the questions in flight."""
        now = self._clock()
        self.rate_limited += 1
        if now >= self.paused_until:  # the 429s of one burst halve once, not once each
            current = self.in_flight if self.slots is None else min(self.slots, self.in_flight)
            self.slots = max(1, current // 2)
            self._answers = 0
        pause = min(retry_after if retry_after is not None else DEFAULT_PAUSE, MAX_PAUSE)
        self.paused_until = max(self.paused_until, now + pause)
        if self._shared_pause is not None:
            self._shared_pause.value = max(self._shared_pause.value, self.paused_until)

    def succeeded(self) -> None:
        if self.slots is None:
            return
        self._answers += 1
        if self._answers >= self.slots:  # a whole round came back without a 429: one more
            self.slots += 1
            self._answers = 0

    # httpx event hooks

    async def before_request(self, request) -> None:
        tokens = 0
        if self._tokens is not None:
            try:
                tokens = len(request.content) // 4 + self.completion_tokens
            except Exception:  # a streamed body has no length; count the reserve alone
                tokens = self.completion_tokens
        await self.acquire(tokens)

    async def after_response(self, response) -> None:
        if response.status_code == 429:
            self.slow_down(retry_after(response.headers))
        elif response.status_code < 400:
            self.succeeded()


def retry_after(headers, now=time.time) -> float | None:
    """Seconds to wait from `retry-after-ms` or `retry-after` (seconds or an HTTP date, counted
    from `now()`, a wall clock: the date is one). The one parser of these headers: the
    run-wide limiter and the model layer's transport retry (llm/failures.py) both read them here."""
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return max(0.0, float(value) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now())
    except (TypeError, ValueError):
        return None
