"""The shared rate limiter: steady budgets per minute, and a 429 that slows the whole run."""

from __future__ import annotations

import asyncio

import pytest

from extractor.ratelimit import RateLimiter, retry_after
from tests.batch_helpers import cli, write_corpus
from tests.openai_standin import StandIn


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def _send(limiter: RateLimiter, clock: FakeClock, n: int, tokens: int = 0) -> list[float]:
    async def go():
        times = []
        for _ in range(n):
            await limiter.acquire(tokens)
            times.append(clock.now)
        return times

    return asyncio.run(go())


def test_requests_per_minute_are_spread_out():
    clock = FakeClock()
    limiter = RateLimiter(rpm=60, clock=clock, sleep=clock.sleep)
    assert _send(limiter, clock, 10) == pytest.approx([float(n) for n in range(10)])
    clock = FakeClock()
    limiter = RateLimiter(rpm=240, clock=clock, sleep=clock.sleep)
    # one second's worth (4) at once, then one every 0.25 s
    assert _send(limiter, clock, 7) == pytest.approx([0, 0, 0, 0, 0.25, 0.5, 0.75])


def test_tokens_per_minute_count_the_prompt_and_the_completion_reserve():
    clock = FakeClock()
    limiter = RateLimiter(tpm=6000, clock=clock, sleep=clock.sleep)
    times = _send(limiter, clock, 4, tokens=1000)  # 1000 tokens = 10 s of a 6000/min budget
    assert times == pytest.approx([0.0, 10.0, 20.0, 30.0])


def test_a_429_pauses_every_request_and_halves_the_questions_in_flight():
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)

    async def go():
        held = [limiter.slot() for _ in range(8)]
        for s in held:
            await s.__aenter__()
        assert limiter.in_flight == 8 and limiter.slots is None  # no limit until a 429
        limiter.slow_down(retry_after=3.0)
        assert limiter.rate_limited == 1 and limiter.slots == 4
        await limiter.acquire()
        assert clock.now == 3.0  # nobody sends before Retry-After
        for s in held[:5]:
            await s.__aexit__(None, None, None)
        started = clock.now
        async with limiter.slot():  # 3 in flight, 4 allowed: no wait
            assert clock.now == started
        for s in held[5:]:
            await s.__aexit__(None, None, None)
        for _ in range(4):
            limiter.succeeded()
        assert limiter.slots == 5  # a round of answers without a 429: one more

    asyncio.run(go())


def test_retry_after_headers():
    assert retry_after({"retry-after": "2"}) == 2.0
    assert retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert retry_after({}) is None
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0


def test_a_429_slows_the_whole_run_not_just_its_request(tmp_path, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_BACKOFF_SECONDS", "0")
    write_corpus(tmp_path / "in", 12)
    db = tmp_path / "r.sqlite"
    with StandIn(latency=0.05) as server:
        server.rate_limited = 1
        server.retry_after = 0.6
        result = cli("batch", tmp_path / "in", "--db", db, "--model", "stand-in", "--base-url", server.base_url,
                     "--strategy", "full", "--concurrency", "4")
        arrivals = server.chat_requests
    assert result.exit_code == 0, result.output
    assert "rate limited 1 times" in result.stdout
    arrivals = sorted(arrivals)
    refused = next(t for t, status in arrivals if status == 429)
    assert refused == arrivals[0][0]
    later = [t for t, _ in arrivals[4:]]  # the first 4 were sent together, before the 429 was known
    assert later and min(later) >= refused + 0.55, "every other request waited out Retry-After"
    assert len([s for _, s in arrivals if s == 200]) == 12


def test_rpm_option_paces_a_run(tmp_path, monkeypatch):
    from extractor.ratelimit import RateLimiter

    # When the limiter let each request go, by its own clock. (The server's arrival times are
    # not the measure: the first requests open connections and arrive later than the paced
    # ones that reuse them, which shortened the span on a busy machine.)
    granted: list[float] = []
    real = RateLimiter.acquire

    async def acquire(self, tokens: int = 0) -> None:
        await real(self, tokens)
        granted.append(self._clock())

    monkeypatch.setattr(RateLimiter, "acquire", acquire)
    write_corpus(tmp_path / "in", 7)
    with StandIn() as server:
        result = cli("batch", tmp_path / "in", "--db", tmp_path / "r.sqlite", "--model", "stand-in", "--base-url",
                     server.base_url, "--strategy", "full", "--concurrency", "7", "--rpm", "240")
    assert result.exit_code == 0
    assert len(granted) == 7
    # 240/min: one second's worth (4) at once, then one every 0.25 s; waits only ever run long
    assert granted[-1] - granted[0] >= 0.7
