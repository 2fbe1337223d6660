"""How long a 429 makes us wait, decided from its headers with no clock: the transport retry
policy (llm/failures.py) and the run-wide limiter (ratelimit.py) each read Retry-After. The policy is
called as tenacity calls it, so what is checked is the wait it asks for, not a measured pause.
"""

from __future__ import annotations

from types import SimpleNamespace

import openai
import pytest

from extractor.http_client import http_library
from extractor.llm import _waiting
from extractor.ratelimit import retry_after

httpx = http_library()


def _rate_limited(headers: dict) -> openai.RateLimitError:
    request = httpx.Request("POST", "http://model.invalid/v1/chat/completions")
    response = httpx.Response(429, headers=headers, request=request)
    return openai.RateLimitError("slow down", response=response, body=None)


def _wait_asked(error: BaseException, backoff: float = 0.0, attempt: int = 1) -> float:
    outcome = SimpleNamespace(exception=lambda: error, failed=True)
    state = SimpleNamespace(outcome=outcome, attempt_number=attempt, idle_for=0.0, seconds_since_start=0.0)
    return _waiting(backoff)(state)


def test_the_transport_retry_waits_what_retry_after_says():
    assert _wait_asked(_rate_limited({"retry-after": "0.3"}), backoff=5.0) == 0.3


def test_the_transport_retry_reads_milliseconds_and_dates_too():
    assert _wait_asked(_rate_limited({"retry-after-ms": "250"}), backoff=5.0) == 0.25
    assert _wait_asked(_rate_limited({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}), backoff=5.0) == 0.0  # a past date


def test_without_retry_after_the_transport_retry_backs_off():
    waited = _wait_asked(_rate_limited({}), backoff=1.0, attempt=1)
    assert 1.0 <= waited <= 2.0  # the first back-off (1 s) and at most 1 s of jitter


@pytest.mark.parametrize(
    "headers, seconds",
    [
        ({"retry-after": "2"}, 2.0),
        ({"retry-after": "0.6"}, 0.6),
        ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5),  # the finer one wins
        ({"retry-after-ms": "soon", "retry-after": "9"}, 9.0),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a date already past: go now
        ({"retry-after": "-3"}, 0.0),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_the_limiter_reads_every_form_of_retry_after(headers, seconds):
    assert retry_after(headers) == seconds


def test_a_retry_after_date_is_the_seconds_from_now_until_then():
    date = "Wed, 21 Oct 2015 07:28:00 GMT"
    then = 1445412480.0  # that date as a Unix time
    assert retry_after({"retry-after": date}, now=lambda: then - 90) == 90.0
