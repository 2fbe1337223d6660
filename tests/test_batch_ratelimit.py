"""The shared rate limiter: steady budgets per minute, and a 429 that slows the whole run."""

from __future__ import annotations

import asyncio

import pytest

from extractor.ratelimit import RateLimiter
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


def _recording(monkeypatch) -> list[tuple[str, float]]:
    """What the run's limiter decided, in order, each at the reading of its own clock it
    decided on: when it let a request go, and when a 429 slowed it. The limiter lets a request
    go only once that reading has passed the pause and the budget, so these, unlike arrival
    times at the server or a clock read afterwards, do not depend on how busy the machine is."""
    events: list[tuple[str, float]] = []
    init, acquire, slow_down = RateLimiter.__init__, RateLimiter.acquire, RateLimiter.slow_down
    last: dict = {}  # the latest reading of the limiter's clock, by task

    def recorded_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        clock = self._clock

        def reading() -> float:
            last[asyncio.current_task()] = value = clock()
            return value

        self._clock = reading

    async def recorded_acquire(self, tokens: int = 0) -> None:
        await acquire(self, tokens)
        events.append(("granted", last[asyncio.current_task()]))

    def recorded_slow_down(self, retry_after):
        slow_down(self, retry_after)
        events.append(("slowed", last[asyncio.current_task()]))

    monkeypatch.setattr(RateLimiter, "__init__", recorded_init)
    monkeypatch.setattr(RateLimiter, "acquire", recorded_acquire)
    monkeypatch.setattr(RateLimiter, "slow_down", recorded_slow_down)
    return events


def test_a_429_slows_the_whole_run_not_just_its_request(tmp_path, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_BACKOFF_SECONDS", "0")
    events = _recording(monkeypatch)
    write_corpus(tmp_path / "in", 12)
    db = tmp_path / "r.sqlite"
    with StandIn(latency=0.05) as server:
        server.rate_limited = 1
        server.retry_after = 0.6
        result = cli("batch", tmp_path / "in", "--db", db, "--model", "stand-in", "--base-url", server.base_url,
                     "--strategy", "full", "--concurrency", "4")
        statuses = [status for _, status in server.chat_requests]
    assert result.exit_code == 0, result.output
    assert "rate limited 1 times" in result.stdout
    assert sorted(statuses) == [200] * 12 + [429]
    (slowed,) = [n for n, (what, _) in enumerate(events) if what == "slowed"]
    after = [at for what, at in events[slowed + 1 :] if what == "granted"]
    assert after, "the refused question, at least, was asked again"
    assert all(at >= events[slowed][1] + 0.6 for at in after), "every later request waited out Retry-After"
    assert len([e for e in events if e[0] == "granted"]) == 13


def test_rpm_option_paces_a_run(tmp_path, monkeypatch):
    # When the limiter let each request go, by its own clock. (The server's arrival times are
    # not the measure: the first requests open connections and arrive later than the paced
    # ones that reuse them, which shortened the span on a busy machine.)
    events = _recording(monkeypatch)
    write_corpus(tmp_path / "in", 7)
    with StandIn() as server:
        result = cli("batch", tmp_path / "in", "--db", tmp_path / "r.sqlite", "--model", "stand-in", "--base-url",
                     server.base_url, "--strategy", "full", "--concurrency", "7", "--rpm", "240")
    assert result.exit_code == 0
    granted = [at for what, at in events if what == "granted"]
    assert len(granted) == 7
    # 240/min: one second's worth (4) at once, then one every 0.25 s of the limiter's clock
    assert all(at - granted[0] >= 0.25 * k - 0.75 - 1e-9 for k, at in enumerate(granted)), granted
    assert granted[-1] - granted[0] >= 0.75 - 1e-9
