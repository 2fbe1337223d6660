"""A loopback OpenAI-compatible chat server that misbehaves on purpose, for hardening tests.

Every request either meets a fault or gets a schema-valid tool call, built from the request
by tests/openai_standin.py's `completion_for` (it is not a model, and these are not
recordings). The faults, each what a flaky network or a weak model really does:

    429        HTTP 429 with Retry-After (`retry_after`, "0" by default so tests stay fast)
    500, 503   server errors
    hang       accept the request and answer nothing for `hang_seconds` (past the client's
               timeout), then close
    drop       send the headers and half of a good body, then close the connection
    trickle    a good answer sent a few bytes at a time, each within the client's read
               timeout (`trickle_seconds` apart), the whole taking far longer
    not_json   HTTP 200 whose body is half a completion (complete as its content-length says)
    truncated  HTTP 200, but the tool call's JSON arguments are cut off halfway
    invalid    HTTP 200 with well-formed JSON that does not fit the answer's schema
    length     HTTP 200 cut off by max_tokens: finish_reason "length", arguments cut off

Which fault a request meets: first whatever `next()` queued ("exactly this fault next", for
unit tests), else a draw at the configured `rates`. The draw is seeded by (seed, the article
passage in the request, how many requests that passage has had), not by arrival order, so a
document meets the same faults however a concurrent run interleaves its requests, and a
failing run can be reproduced. Requests without a queued fault to paths other than chat
completions get 404. Binds 127.0.0.1 only; `stop()` ends hanging answers too.

How a slow answer ended is recorded, so tests about timeouts assert on events, not on a
clock: `abandoned` lists each hang or trickle the client hung up on before the server was
done (a trickle with how many of its pieces were sent), `finished` each one that ran its
course; `wait_for_abandoned(n)` waits until the server has seen n of them (the client can
return before the server thread notices the closed connection).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import re
import threading
from collections import Counter
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

from tests.openai_standin import completion_for

FAULTS = ("429", "500", "503", "hang", "drop", "trickle", "not_json", "truncated", "invalid", "length")
TRANSPORT_FAULTS = ("429", "500", "503", "hang", "drop", "trickle")  # retried by the transport layer
ANSWER_FAULTS = ("not_json", "truncated", "invalid", "length")  # a 200 whose answer is unusable
REALISTIC = {"429": 0.10, "500": 0.025, "503": 0.025, "hang": 0.02, "truncated": 0.05, "invalid": 0.05}
_ARTICLE = re.compile(r"<article>\n(.*?)\n</article>", re.S)


@dataclass(frozen=True)
class Seen:
    """One request as the server saw it."""

    method: str
    path: str
    fault: str  # "ok" when answered well
    document: str | None  # a digest of the article passage it asked about
    authorization: str | None


class FaultServer:
    def __init__(
        self,
        rates: dict[str, float] | None = None,
        seed: int = 0,
        retry_after: str = "0",
        hang_seconds: float = 5.0,
        echo_key: bool = False,
        trickle_seconds: float = 0.2,
    ):
        """`echo_key`: error bodies repeat the Authorization header they were sent, as a
        careless proxy might, so tests can see a key is never passed on from an error."""
        unknown = set(rates or {}) - set(FAULTS)
        if unknown or sum((rates or {}).values()) > 1:
            raise ValueError(f"rates must name faults from {FAULTS} and add up to at most 1")
        self.rates = dict(rates or {})
        self.seed = seed
        self.retry_after = retry_after
        self.hang_seconds = hang_seconds
        self.trickle_seconds = trickle_seconds
        self.echo_key = echo_key
        self.queued: list[str] = []
        self.seen: list[Seen] = []
        self.abandoned: list[tuple[str, int]] = []  # (fault, pieces sent) the client hung up on
        self.finished: list[str] = []  # hangs and trickles that ran their whole course
        self._ended = threading.Condition()
        self._per_document: Counter[str] = Counter()
        self._loop = asyncio.new_event_loop()
        self._connections: set[asyncio.Task] = set()
        self._server = self._loop.run_until_complete(asyncio.start_server(self._connection, "127.0.0.1", 0, backlog=512))
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-server", daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}/v1"

    def next(self, *faults: str) -> FaultServer:
        """The next requests meet exactly these faults, in order ("ok" for a good answer)."""
        assert all(f in (*FAULTS, "ok") for f in faults), faults
        self.queued.extend(faults)
        return self

    def stop(self) -> None:
        async def shut() -> None:
            self._server.close()
            for task in self._connections:  # hanging answers and idle keep-alives end here
                task.cancel()
            await asyncio.gather(*self._connections, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shut(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> FaultServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # what happened

    def chat(self) -> list[Seen]:
        return [s for s in self.seen if s.path.endswith("/chat/completions")]

    def wait_for_abandoned(self, count: int, timeout: float = 60.0) -> list[tuple[str, int]]:
        """The abandoned answers once there are `count` (or whatever there is after `timeout`,
        which only a failing test reaches)."""
        with self._ended:
            self._ended.wait_for(lambda: len(self.abandoned) >= count or self.finished, timeout)
            return list(self.abandoned)

    def _ended_as(self, fault: str, abandoned: bool, pieces: int = 0) -> None:
        with self._ended:
            if abandoned:
                self.abandoned.append((fault, pieces))
            else:
                self.finished.append(fault)
            self._ended.notify_all()

    def faults(self) -> Counter[str]:
        return Counter(s.fault for s in self.chat())

    def requests_per_document(self) -> Counter[str]:
        return Counter(s.document for s in self.chat())

    # choosing

    def _choose(self, document: str | None) -> str:
        if self.queued:
            return self.queued.pop(0)
        nth = self._per_document[document]
        self._per_document[document] += 1
        draw = random.Random(f"{self.seed}/{document}/{nth}").random()
        for fault in FAULTS:  # a fixed order, so the same seed gives the same faults
            draw -= self.rates.get(fault, 0.0)
            if draw < 0:
                return fault
        return "ok"

    # HTTP/1.1 with keep-alive, as much as the OpenAI client uses

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._connections.add(task)
        try:
            while await self._one_request(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
            self._connections.discard(task)

    async def _one_request(self, reader, writer) -> bool:
        """Answer one request; False when the connection is to be closed."""
        request_line = await reader.readline()
        if not request_line.strip():
            return False
        method, target = request_line.decode("latin-1").split(" ")[:2]
        headers = {}
        while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length") or 0))
        path = target.split("?", 1)[0].rstrip("/")
        is_chat = method == "POST" and path.endswith("/chat/completions")
        request = json.loads(body) if is_chat else None
        document = _document_of(request) if is_chat else None
        fault = self._choose(document) if is_chat or self.queued else "ok"
        self.seen.append(Seen(method, path, fault, document, headers.get("authorization")))
        if fault == "hang":
            gone = asyncio.ensure_future(_hung_up(reader))
            done, _ = await asyncio.wait({gone}, timeout=self.hang_seconds)
            gone.cancel()
            self._ended_as("hang", abandoned=bool(done))
            return False
        if not is_chat and fault == "ok":
            await _send(writer, 404, {"error": {"message": f"the fault server has no {path}"}})
            return True
        if fault in ("429", "500", "503"):
            extra = {"retry-after": self.retry_after} if fault == "429" else {}
            await _send(writer, int(fault), self._error(fault, headers), extra)
            return True
        answer = completion_for(request, spoil=False) if is_chat else {"object": "unknown"}
        if fault == "drop":
            data = json.dumps(answer).encode()
            writer.write(_head(200, len(data)) + data[: len(data) // 2])
            await writer.drain()
            return False
        if fault == "trickle":
            data = json.dumps(answer).encode()
            writer.write(_head(200, len(data)))
            gone = asyncio.ensure_future(_hung_up(reader))
            try:
                for sent, at in enumerate(range(0, len(data), 16)):
                    await asyncio.wait({gone}, timeout=self.trickle_seconds)
                    if gone.done():
                        self._ended_as("trickle", abandoned=True, pieces=sent)
                        return False
                    if at + 16 >= len(data):  # stop watching before the client may send its next request
                        gone.cancel()
                    writer.write(data[at : at + 16])
                    await writer.drain()
            finally:
                gone.cancel()
            self._ended_as("trickle", abandoned=False)
            return True
        if fault == "not_json":
            data = json.dumps(answer).encode()
            data = data[: len(data) // 2]
            writer.write(_head(200, len(data)) + data)
            await writer.drain()
            return True
        await _send(writer, 200, _spoiled(answer, fault))
        return True

    def _error(self, fault: str, headers: dict) -> dict:
        message = f"the fault server answers {fault} on purpose"
        if self.echo_key:
            message += f" (you sent {headers.get('authorization')})"
        return {"error": {"message": message, "type": "server_error", "code": fault}}


async def _hung_up(reader: asyncio.StreamReader) -> None:
    """Returns when the client closes the connection (it sends nothing more while it waits)."""
    while await reader.read(4096):
        pass


def _spoiled(answer: dict, fault: str) -> dict:
    """A good completion turned into the given answer fault (unchanged for "ok")."""
    if fault not in ("truncated", "invalid", "length"):
        return answer
    choice = answer["choices"][0]
    function = choice["message"]["tool_calls"][0]["function"]
    arguments = function["arguments"]
    if fault == "invalid":
        valid = json.loads(arguments)
        function["arguments"] = json.dumps({k: "not a list" if isinstance(v, list) else ["not", v] for k, v in valid.items()})
    else:  # cut off halfway: not JSON any more
        function["arguments"] = arguments[: max(1, len(arguments) // 2)]
    if fault == "length":
        choice["finish_reason"] = "length"
    return answer


def _document_of(request: dict) -> str | None:
    """Which article a chat request is about: a digest of the passage in its first user
    message (re-asks add messages after it, and keep it)."""
    for message in request.get("messages", []):
        if message.get("role") == "user":
            found = _ARTICLE.search(message.get("content") or "")
            if found:
                return hashlib.sha256(found.group(1).encode()).hexdigest()[:16]
    return None


def _head(status: int, length: int, extra: dict | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}", "content-type: application/json", f"content-length: {length}"]
    lines += [f"{k}: {v}" for k, v in (extra or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _send(writer, status: int, payload: dict, extra: dict | None = None) -> None:
    data = json.dumps(payload).encode()
    writer.write(_head(status, len(data), extra) + data)
    await writer.drain()


def short_articles(folder: Path, count: int, tag: str = "") -> list[Path]:
    """`count` distinct two-sentence articles: one chunk each, so one question each with
    `--strategy full`, and quick for the finder, so a run's time is the faults' time."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"article-{n:04d}.txt"
        path.write_text(
            f"Mayor Ana Ruiz said the tram line {tag}{n} will cut traffic by a third.\n"
            f"\u201cWe kept promise number {n},\u201d Ruiz told reporters on Monday.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths
