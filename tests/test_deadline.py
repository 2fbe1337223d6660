"""The deadline on a whole request (extractor/http_client.py), with no clock of the test's
own: the sync transport reads a clock the test steps, and the async one is given an answer
that never comes, so what is checked is which request ended and how, never how long it took.
(The end-to-end runs against a trickling or hanging server are in test_limits.py.)"""

from __future__ import annotations

import asyncio

import pytest

from extractor.http_client import (
    DEADLINE_TIMES_TIMEOUT,
    DeadlineTransport,
    SyncDeadlineTransport,
    async_transport,
    http_library,
    sync_transport,
)

httpx = http_library()


class SteppedClock:
    """Time moves only when the test says so (in steps exact in binary, so sums are too)."""

    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _trickling(clock: SteppedClock, pieces: int, step: float):
    """A sync transport whose answer's pieces each arrive `step` seconds after the last."""

    class Pieces(httpx.SyncByteStream):
        def __iter__(self):
            for _ in range(pieces):
                clock.now += step
                yield b"x"

    return httpx.MockTransport(lambda request: httpx.Response(200, stream=Pieces()))


def _get(transport) -> bytes:
    with httpx.Client(transport=transport) as client:
        return client.get("http://model.invalid/v1/chat/completions").content


def test_a_whole_request_gets_four_times_the_read_timeout():
    assert DEADLINE_TIMES_TIMEOUT == 4
    assert sync_transport(0.5).seconds == 2.0
    assert async_transport(0.5).seconds == 2.0


def test_an_answer_within_its_deadline_is_read_whole():
    clock = SteppedClock()
    transport = SyncDeadlineTransport(_trickling(clock, pieces=8, step=0.25), seconds=2.0, clock=clock)
    assert _get(transport) == b"x" * 8  # the last piece arrives at the deadline itself: still in time


def test_a_trickling_answer_is_cut_at_the_first_piece_after_the_deadline():
    clock = SteppedClock()
    transport = SyncDeadlineTransport(_trickling(clock, pieces=60, step=0.25), seconds=2.0, clock=clock)
    with pytest.raises(httpx.ReadTimeout, match="no complete answer within 2 s"):
        _get(transport)
    assert clock.now == 100.0 + 9 * 0.25, "read up to the first piece past the deadline, no further"


def test_headers_that_arrive_after_the_deadline_end_the_request():
    clock = SteppedClock()

    def late(request):
        clock.now += 3.0
        return httpx.Response(200, content=b"{}")

    with pytest.raises(httpx.ReadTimeout):
        _get(SyncDeadlineTransport(httpx.MockTransport(late), seconds=2.0, clock=clock))


def test_the_async_transport_ends_an_answer_that_never_comes():
    never = asyncio.Event()

    async def hang(request):
        await never.wait()

    async def go():
        transport = DeadlineTransport(httpx.MockTransport(hang), seconds=0.01)
        async with httpx.AsyncClient(transport=transport) as client:
            await client.get("http://model.invalid/v1/chat/completions")

    with pytest.raises(httpx.ReadTimeout, match="no complete answer within 0.01 s"):
        asyncio.run(go())
    assert not never.is_set()
