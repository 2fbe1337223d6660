"""A --base-url where no server listens is a configuration error on the first attempt: one
line naming the URL (without its credentials), exit status 2, no retries, and a batch run
stops instead of failing its documents one by one. A server that has answered once and then
refuses, times out or fails is retried as before.

The closed port is a loopback socket that is bound but never listens: connecting to it is
refused, and no other process can take the port while the test holds it.
"""

from __future__ import annotations

import asyncio
import socket

import openai
import pytest
from pydantic import BaseModel

from extractor.errors import ConfigError, TransportError
from extractor.http_client import http_library
from extractor.llm import LanguageModel
from extractor.llm.failures import is_transient, unreachable
from extractor.schema import Usage
from extractor.settings import Settings
from tests.batch_helpers import cli, count, write_corpus
from tests.scripted_server import ScriptedServer, tool_reply

httpx = http_library()
FAST = {
    "EXTRACTOR_BACKOFF_SECONDS": "0.01",
    "EXTRACTOR_TRANSPORT_RETRIES": "3",
    "OPENAI_API_KEY": None,
    "EXTRACTOR_API_KEY": None,
}


class Answer(BaseModel):
    answer: str


@pytest.fixture
def closed_url():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{held.getsockname()[1]}/v1"


def model_at(url: str, **options) -> LanguageModel:
    return LanguageModel(Settings(model="openai/scripted", base_url=url, api_key="sk-test-not-real",
                                  backoff_seconds=0.01, transport_retries=3, **options))


def test_a_closed_port_is_a_config_error_on_the_first_attempt(closed_url):
    usage = Usage()
    with model_at(closed_url) as model, pytest.raises(ConfigError) as info:
        model.ask("sys", "user", Answer, usage=usage)
    assert (usage.requests, usage.retries) == (1, 0), "the retry schedule was not spent on it"
    assert info.value.exit_code == 2
    assert info.value.one_line() == f"no model server answers at {closed_url} (check --base-url, and that the server is running)"


def test_the_async_paths_stop_at_once_too(closed_url):
    """The batch path: the plain first request, then `ask_async`; neither retries."""
    usage = Usage()

    async def both():
        model = model_at(closed_url)
        try:
            for ask in (model.ask_once_async, model.ask_async):
                with pytest.raises(ConfigError, match="no model server answers at"):
                    await ask("sys", "user", Answer, usage=usage)
        finally:
            await model.aclose()

    asyncio.run(both())
    assert (usage.requests, usage.retries) == (2, 0)


def test_the_url_is_named_without_its_credentials(closed_url):
    with_password = closed_url.replace("http://", "http://someone:hunter2-secret@")
    with model_at(with_password) as model, pytest.raises(ConfigError) as info:
        model.ask("sys", "user", Answer)
    said = info.value.one_line()
    assert "hunter2-secret" not in said and closed_url.removeprefix("http://") in said


def test_a_server_that_answered_and_then_went_away_is_retried():
    """A restart mid-run is a blip, not a wrong address: the retries run, and the error says so."""
    with ScriptedServer([(200, tool_reply({"answer": "yes"}), {"connection": "close"})]) as server:
        model = model_at(server.base_url)
        assert model.ask("sys", "user", Answer).answer == "yes"
    usage = Usage()  # the server is gone: its port now refuses
    with pytest.raises(TransportError, match="could not reach the model server") as info:
        model.ask("sys", "user", Answer, usage=usage)
    assert (usage.requests, usage.retries) == (4, 3)
    assert "try again later" in info.value.one_line()


def _connection_error(cause: BaseException) -> openai.APIConnectionError:
    request = httpx.Request("POST", "http://model.invalid/v1/chat/completions")
    try:
        try:
            raise cause
        except BaseException as e:
            raise httpx.ConnectError(str(e), request=request) from e
    except httpx.ConnectError as e:
        try:
            raise openai.APIConnectionError(request=request) from e
        except openai.APIConnectionError as wrapped:
            return wrapped


@pytest.mark.parametrize(
    "cause, nobody_there",
    [
        (ConnectionRefusedError(111, "Connection refused"), True),
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), True),
        (ExceptionGroup("every address", [ConnectionRefusedError(111, "refused"), ConnectionRefusedError(111, "refused")]), True),
        (OSError("All connection attempts failed"), False),  # nothing says what failed: retried
        (TimeoutError("timed out"), False),
        (ConnectionResetError(104, "Connection reset by peer"), False),
    ],
)
def test_refused_and_unknown_hosts_are_told_apart_from_what_a_retry_can_mend(cause, nobody_there):
    error = _connection_error(cause)
    assert unreachable(error) is nobody_there
    assert is_transient(error)


def test_timeouts_and_5xx_are_never_unreachable():
    request = httpx.Request("POST", "http://model.invalid/v1/chat/completions")
    timeout = openai.APITimeoutError(request=request)
    timeout.__cause__ = httpx.ConnectTimeout("connect timed out", request=request)
    busy = openai.InternalServerError("busy", response=httpx.Response(503, request=request), body=None)
    for error in (timeout, busy):
        assert is_transient(error) and not unreachable(error)


def test_extract_says_it_in_one_line_and_exits_2(tmp_path, closed_url):
    paths = write_corpus(tmp_path / "in", 2)
    run = cli("extract", *paths, "--model", "x", "--base-url", closed_url, "--strategy", "full", "--format", "jsonl", env=FAST)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == f"extractor: no model server answers at {closed_url} (check --base-url, and that the server is running)\n"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_batch_run_stops_instead_of_failing_every_document(tmp_path, closed_url, workers):
    write_corpus(tmp_path / "in", 6)
    db = tmp_path / "r.sqlite"
    run = cli("batch", tmp_path / "in", "--db", db, "--model", "x", "--base-url", closed_url, "--strategy", "full",
              "--workers", workers, env=FAST)
    assert run.exit_code == 2, run.output
    assert run.stderr.strip().splitlines()[-1].endswith(f"no model server answers at {closed_url} (check --base-url, and that the server is running)")
    assert count(db, "failures") == 0 and count(db, "extractions") == 0
