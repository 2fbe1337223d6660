"""One rate limiter shared by every request of a batch run, so the run as a whole stays
inside the provider's limits instead of each request finding them out alone.

    acquire(tokens)      wait for: a pause after a 429, the requests-per-minute budget,
                         the tokens-per-minute budget; then go
    slow_down(after)     a 429: everyone pauses for Retry-After, and the request rate is
                         capped at 80% of what was being sent, recovering 1% per success
    before_request /     httpx event hooks: LanguageModel(limiter=...) installs them on its
    after_response       HTTP client, so every attempt is counted, re-asks and retries too

Budgets are spread evenly (generic cell rate algorithm): at most about one second's worth goes
out at once, never a whole minute's burst. Tokens are counted as the provider counts them for
its limit: the request's prompt (about 4 characters a token) plus its max_tokens.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from email.utils import parsedate_to_datetime

MAX_PAUSE = 60.0
DEFAULT_PAUSE = 2.0  # a 429 without Retry-After
BURST_SECONDS = 1.0
BACK_OFF = 0.8
RECOVER = 1.01


class _Budget:
    """A steady rate per minute with a burst of BURST_SECONDS' worth (GCRA)."""

    def __init__(self, per_minute: float):
        self.per_minute = per_minute
        self.ready_at = 0.0  # the theoretical time the budget is back to full

    def wait(self, now: float) -> float:
        return max(0.0, self.ready_at - now - BURST_SECONDS)

    def take(self, now: float, amount: float) -> None:
        self.ready_at = max(self.ready_at, now) + amount * 60.0 / self.per_minute


class RateLimiter:
    def __init__(self, rpm: int | None = None, tpm: int | None = None, completion_tokens: int = 0, clock=time.monotonic, sleep=asyncio.sleep):
        self.rpm = rpm
        self.tpm = tpm
        self.completion_tokens = completion_tokens  # max_tokens: counted by providers up front
        self._clock = clock
        self._sleep = sleep
        self._requests = _Budget(rpm) if rpm else None
        self._tokens = _Budget(tpm) if tpm else None
        self._sent: deque[float] = deque()  # send times within the last minute
        self.paused_until = 0.0
        self.ceiling: float | None = None  # requests per minute the server accepted, after a 429
        self.rate_limited = 0  # 429 answers seen
        self.waited = 0.0  # seconds requests spent waiting here

    async def acquire(self, tokens: int = 0) -> None:
        started = self._clock()
        while True:
            now = self._clock()
            wait = max(self.paused_until - now, self._wait(now, tokens))
            if wait <= 0:
                break
            await self._sleep(wait)
        if self._requests is not None:
            self._requests.take(now, 1)
        if self._tokens is not None and tokens:
            self._tokens.take(now, tokens)
        self._sent.append(now)
        while self._sent and self._sent[0] < now - 60.0:
            self._sent.popleft()
        self.waited += now - started

    def _wait(self, now: float, tokens: int) -> float:
        wait = 0.0
        if self._requests is not None:
            wait = self._requests.wait(now)
        if self._tokens is not None and tokens:
            wait = max(wait, self._tokens.wait(now))
        return wait

    def slow_down(self, retry_after: float | None) -> None:
        """A 429: pause every request, then send at most 80% of the rate that was refused."""
        now = self._clock()
        self.rate_limited += 1
        pause = min(retry_after if retry_after is not None else DEFAULT_PAUSE, MAX_PAUSE)
        self.paused_until = max(self.paused_until, now + pause)
        recent = sum(1 for t in self._sent if t >= now - 60.0)
        ceiling = max(1.0, BACK_OFF * recent)
        self.ceiling = min(self.ceiling, ceiling) if self.ceiling else ceiling
        self._apply_ceiling()

    def succeeded(self) -> None:
        if self.ceiling is None:
            return
        self.ceiling *= RECOVER
        if self.rpm and self.ceiling >= self.rpm:
            self.ceiling = None
        self._apply_ceiling()

    def _apply_ceiling(self) -> None:
        rate = min(x for x in (self.rpm, self.ceiling) if x) if (self.rpm or self.ceiling) else None
        if rate is None:
            self._requests = None
        elif self._requests is None:
            self._requests = _Budget(rate)
        else:
            self._requests.per_minute = rate

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


def retry_after(headers) -> float | None:
    """Seconds to wait from `retry-after-ms` or `retry-after` (seconds or an HTTP date)."""
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
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
