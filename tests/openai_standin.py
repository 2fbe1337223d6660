"""A loopback stand-in for the parts of the OpenAI API that batch runs use, for tests and the
batch benchmark. It is not a model: it answers every tool call with schema-valid JSON built
from the request itself, deterministically, so recordings of it are stable.

    POST /v1/chat/completions     answers the forced tool call (see `answer_for`), after `latency`
    POST /v1/files                stores an uploaded file (multipart, purpose "batch")
    GET  /v1/files/{id}           the file object;  GET /v1/files/{id}/content: its bytes
    POST /v1/batches              creates a batch over an uploaded JSONL file of chat requests
    GET  /v1/batches/{id}         "in_progress" for `polls_before_done` polls, then "completed"
                                  with an output file answering every line

`hold()` keeps every chat answer back (after its latency) until `release()`: a test can act
while requests are surely in flight, and let them finish after.

Faults on demand: `rate_limited` answers the next N chat requests with 429 and Retry-After;
`fail_next(method, path, status)` answers the next request to that endpoint (a path prefix)
with that HTTP status (429s with Retry-After 0);
while `failing` is set, passages containing FAIL_MARK are answered with HTTP 500.
Passages containing SPOIL_MARK get a quote that is not in the article in batch output (live
answers stay good), so tests can see a bad batch answer re-asked live; passages containing
ERROR_MARK get a per-line error in batch output.

Run it alone (the benchmark does): `python -m tests.openai_standin --latency 0.2 --port 0`
prints its base URL on the first line and serves until killed. Binds 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import email.parser
import hashlib
import json
import re
import sys
import threading
import time
import zlib
from http import HTTPStatus

SPOIL_MARK = "[[spoil-batch-answer]]"
FAIL_MARK = "[[server-error]]"
ERROR_MARK = "[[fail-batch-line]]"
_PASSAGE = re.compile(r"<article>\n(.*?)\n</article>", re.S)
_SENTENCE = re.compile(r"[^.!?\n]{12,}?[.!?]")
_MARK = re.compile(r"\[/?\d*\]")
_CANDIDATE = re.compile(r"\[(\d+)\](.*?)\[/\1?\]", re.S)


class StandIn:
    def __init__(self, latency: float = 0.0, polls_before_done: int = 1, port: int = 0, rich: bool = False):
        self.latency = latency
        self.rich = rich  # answers like a capable model's: many claims, imperfect copies (see rich_answer)
        self.polls_before_done = polls_before_done
        self.rate_limited = 0  # answer this many chat requests with 429 next
        self.retry_after = 1.0
        self.failing = True  # answer passages with FAIL_MARK with a 500
        self.endpoint_faults: list[tuple[str, str, int]] = []  # (method, path prefix, status), see fail_next
        self.requests: list[tuple[str, str, int]] = []  # (method, path, status) of every request
        self.in_flight = 0  # chat requests being answered now
        self.most_in_flight = 0
        self.chat_requests: list[tuple[float, int]] = []  # (arrival time, status), for rate tests
        self.chat_bodies: list[dict] = []  # every chat request's JSON body, for prompt tests
        self.prompt_chars: list[int] = []  # prompt_chars() of every chat request, as received
        self.files: dict[str, dict] = {}
        self.contents: dict[str, bytes] = {}
        self.batches: dict[str, dict] = {}
        self.polls: dict[str, int] = {}
        self.lock = threading.RLock()  # completing a batch uploads its output under the lock
        # One asyncio loop in its own thread: many slow answers at once cost no thread each.
        self._loop = asyncio.new_event_loop()
        self._released = asyncio.Event()  # chat answers wait for it while held
        self._released.set()
        self._connections: set[asyncio.Task] = set()
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._connection, "127.0.0.1", port, backlog=512)
        )
        self.thread = threading.Thread(target=self._loop.run_forever, name="openai-standin", daemon=True)

    def start(self) -> StandIn:
        self.thread.start()
        return self

    def stop(self) -> None:
        async def shut() -> None:
            self._server.close()
            for task in self._connections:  # idle keep-alive connections end here
                task.cancel()
            await asyncio.gather(*self._connections, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shut(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self.thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}/v1"

    # HTTP/1.1 with keep-alive, as much of it as the OpenAI client uses

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._connections.add(task)
        try:
            while True:
                request_line = await reader.readline()
                if not request_line.strip():
                    break
                method, target = request_line.decode("latin-1").split(" ")[:2]
                headers = {}
                while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length") or 0))
                status, data, content_type, extra = await self._route(method, target.split("?", 1)[0].rstrip("/"), headers, body)
                head = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}", f"content-type: {content_type}", f"content-length: {len(data)}"]
                head += [f"{k}: {v}" for k, v in extra.items()]
                writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + data)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
            self._connections.discard(task)

    def hold(self) -> StandIn:
        """Keep chat answers back until `release()`."""
        self._loop.call_soon_threadsafe(self._released.clear)
        return self

    def release(self) -> None:
        self._loop.call_soon_threadsafe(self._released.set)

    def fail_next(self, method: str, path: str, status: int) -> StandIn:
        """Answer the next `method` request to a path starting with `path` with HTTP `status`."""
        with self.lock:
            self.endpoint_faults.append((method, path, status))
        return self

    async def _route(self, method: str, path: str, headers: dict, body: bytes):
        answer = await self._answer(method, path, headers, body)
        with self.lock:
            self.requests.append((method, path, answer[0]))
        return answer

    async def _answer(self, method: str, path: str, headers: dict, body: bytes):
        def js(status, payload, extra=None):
            return status, json.dumps(payload, ensure_ascii=False).encode(), "application/json", extra or {}

        with self.lock:
            fault = next((f for f in self.endpoint_faults if f[0] == method and path.startswith(f[1])), None)
            if fault is not None:
                self.endpoint_faults.remove(fault)
        if fault is not None:
            extra = {"retry-after": "0"} if fault[2] == 429 else {}
            return js(fault[2], {"error": {"message": f"the stand-in fails this request on purpose ({fault[2]})"}}, extra)

        if method == "POST" and path.endswith("/chat/completions"):
            arrived = time.monotonic()
            with self.lock:
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
            try:
                status, payload, extra = self.chat(json.loads(body))
                if status == 200 and self.latency:
                    # the fixed latency counts from the request's arrival: our own work is part of it
                    await asyncio.sleep(max(0.0, arrived + self.latency - time.monotonic()))
                await self._released.wait()
            finally:
                with self.lock:
                    self.in_flight -= 1
            return js(status, payload, extra)
        if method == "POST" and path == "/v1/files":
            parts = _multipart(headers["content-type"], body)
            filename, content = parts["file"]
            purpose = parts.get("purpose", (None, b"batch"))[1].decode()
            return js(200, self.upload(filename or "upload.jsonl", purpose, content))
        if method == "POST" and path == "/v1/batches":
            return js(*self.create_batch(json.loads(body)))
        if method == "GET" and (m := re.fullmatch(r"/v1/batches/([\w-]+)", path)):
            return js(*self.poll_batch(m.group(1)))
        if method == "GET" and (m := re.fullmatch(r"/v1/files/([\w-]+)/content", path)):
            data = self.contents.get(m.group(1))
            if data is None:
                return js(404, {"error": {"message": "no such file"}})
            return 200, data, "application/octet-stream", {}
        if method == "GET" and (m := re.fullmatch(r"/v1/files/([\w-]+)", path)):
            info = self.files.get(m.group(1))
            return js(200, info) if info else js(404, {"error": {"message": "no such file"}})
        if method == "GET" and path.endswith("/models"):
            return js(200, {"object": "list", "data": [{"id": "stand-in", "object": "model"}]})
        return js(404, {"error": {"message": "not found"}})

    # chat

    def chat(self, body: dict) -> tuple[int, dict, dict]:
        with self.lock:
            arrived = time.monotonic()
            self.chat_bodies.append(body)
            self.prompt_chars.append(prompt_chars(body))
            if self.rate_limited > 0:
                self.rate_limited -= 1
                self.chat_requests.append((arrived, 429))
                error = {"error": {"message": "rate limited (stand-in)", "type": "requests", "code": "rate_limit_exceeded"}}
                return 429, error, {"retry-after": f"{self.retry_after:g}"}
            if self.failing and FAIL_MARK in _passage(body):
                self.chat_requests.append((arrived, 500))
                return 500, {"error": {"message": "the stand-in fails this passage on purpose"}}, {}
            self.chat_requests.append((arrived, 200))
        return 200, completion_for(body, spoil=False, rich=self.rich), {}  # the caller waits `latency`

    # files and batches

    def upload(self, filename: str, purpose: str, data: bytes) -> dict:
        file_id = "file-" + hashlib.sha256(data).hexdigest()[:24]
        info = {
            "id": file_id,
            "object": "file",
            "bytes": len(data),
            "created_at": 1700000000,
            "filename": filename,
            "purpose": purpose,
            "status": "processed",
        }
        with self.lock:
            self.files[file_id] = info
            self.contents[file_id] = data
        return info

    def create_batch(self, body: dict) -> tuple[int, dict]:
        input_id = body.get("input_file_id")
        if input_id not in self.contents:
            return 400, {"error": {"message": f"no such file: {input_id}"}}
        batch_id = "batch_" + hashlib.sha256(input_id.encode()).hexdigest()[:24]
        lines = [ln for ln in self.contents[input_id].decode().splitlines() if ln.strip()]
        batch = {
            "id": batch_id,
            "object": "batch",
            "endpoint": body.get("endpoint", "/v1/chat/completions"),
            "input_file_id": input_id,
            "completion_window": body.get("completion_window", "24h"),
            "status": "validating",
            "created_at": 1700000000,
            "metadata": body.get("metadata"),
            "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
        }
        with self.lock:
            self.batches[batch_id] = batch
            self.polls[batch_id] = 0
        return 200, batch

    def poll_batch(self, batch_id: str) -> tuple[int, dict]:
        with self.lock:
            batch = self.batches.get(batch_id)
            if batch is None:
                return 404, {"error": {"message": f"no such batch: {batch_id}"}}
            self.polls[batch_id] += 1
            if batch["status"] != "completed":
                if self.polls[batch_id] <= self.polls_before_done:
                    batch["status"] = "in_progress"
                else:
                    self._complete(batch)
            return 200, dict(batch)

    def _complete(self, batch: dict) -> None:
        out, failed = [], 0
        for n, line in enumerate(self.contents[batch["input_file_id"]].decode().splitlines()):
            if not line.strip():
                continue
            request = json.loads(line)
            body = request["body"]
            record = {"id": f"batch_req_{n}", "custom_id": request["custom_id"], "response": None, "error": None}
            if ERROR_MARK in _passage(body):
                failed += 1
                record["error"] = {"code": "server_error", "message": "the stand-in failed this line on purpose"}
            else:
                record["response"] = {"status_code": 200, "request_id": f"req_{n}", "body": completion_for(body, spoil=True)}
            out.append(json.dumps(record, ensure_ascii=False))
        data = ("\n".join(out) + "\n").encode()
        info = self.upload("batch_output.jsonl", "batch_output", data)
        total = batch["request_counts"]["total"]
        batch.update(
            status="completed",
            output_file_id=info["id"],
            completed_at=1700000100,
            request_counts={"total": total, "completed": total - failed, "failed": failed},
        )


def prompt_chars(body: dict) -> int:
    """What a request asks the model to read, in characters: every message's content plus the
    tool definitions as compact JSON (what a provider bills as prompt tokens)."""
    tools = json.dumps(body.get("tools") or [], ensure_ascii=False, separators=(",", ":"))
    return sum(len(m.get("content") or "") for m in body["messages"]) + (len(tools) if body.get("tools") else 0)


def completion_for(body: dict, spoil: bool, rich: bool = False) -> dict:
    tool = body["tools"][0]["function"]
    arguments = json.dumps(answer_for(tool["name"], tool["parameters"], body, spoil, rich), ensure_ascii=False)
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
    prompt = sum(len(m.get("content") or "") for m in body["messages"])
    return {
        "id": f"chatcmpl-{digest}",
        "object": "chat.completion",
        "created": 1700000000,
        "model": body.get("model", "stand-in"),
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {"id": f"call_{digest}", "type": "function", "function": {"name": tool["name"], "arguments": arguments}}
                    ],
                },
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt // 4,
            "completion_tokens": len(arguments) // 4,
            "total_tokens": prompt // 4 + len(arguments) // 4,
        },
    }


def answer_for(name: str, schema: dict, body: dict, spoil: bool = False, rich: bool = False) -> dict:
    """A schema-valid answer. For a passage (the `full` strategy's "answer" tool) it reports
    the passage's first sentence as a new claim in the outlet's own voice, so grounding has
    real work to do; `rich` answers as a capable model would (`rich_answer`)."""
    if name == "answer":
        passage, candidates = _passage_and_candidates(body)
        if rich:
            return rich_answer(passage, candidates, reasked=len(body["messages"]) > 2)
        match = _SENTENCE.search(passage)
        if match is None:
            return {"claims": []}
        quote = match.group(0).strip()
        if spoil and SPOIL_MARK in passage:
            quote = "words that the article never said."
        return {"claims": [{"n": len(candidates) + 1, "claim": quote, "type": "factual", "quote": quote}]}
    return _instance(schema, schema)


RICH_CLAIMS = 20


def rich_answer(passage: str, candidates: dict[int, str], reasked: bool = False) -> dict:
    """About RICH_CLAIMS claims, the way a capable model answers: every marked candidate
    confirmed by its number with a restatement (one in five with a corrected quote, copied
    with a small error), and new claims from the other sentences to make up the number: one
    in four copied with a small error (straight quotes for curly ones, a changed case, a
    doubled space, a dropped letter), and in one answer in four a last one that is not in the
    text at all (left out when asked again, as a capable model told of it would). A stance for
    every other claim."""
    claims = []
    for n, content in candidates.items():
        claim = {"n": n, "claim": f"Someone said that {content[:80]}", "type": "opinion" if n % 2 else "factual"}
        if n % 5 == 0 and len(content) > 20:
            claim["quote"] = _miscopied(content, n)
        claims.append(claim)
    taken = list(candidates.values())
    sentences = [m.group(0).strip() for m in _SENTENCE.finditer(passage)]
    fresh = [t for t in sentences if not any(t in c or c in t for c in taken)]
    speakers = ["Dmitry Peskov", "Jens Stoltenberg", None]
    number = len(candidates)
    fresh = fresh[: max(RICH_CLAIMS - len(candidates), 5)]
    for k, sentence in enumerate(fresh):
        quote = sentence
        if k == len(fresh) - 1 and zlib.crc32(passage.encode()) % 4 == 0:
            if reasked:
                continue
            quote = f"Officials denied that claim number {k} was ever made in public."
        elif k % 4 == 1:
            quote = _miscopied(sentence, k)
        number += 1
        speaker = speakers[k % len(speakers)]
        claim = {"n": number, "claim": f"{speaker or 'The outlet'} said: {sentence}", "type": "factual", "quote": quote}
        if speaker:
            claim["speaker"] = speaker
        claims.append(claim)
    for claim in claims[::2]:  # the speaker's stance, for every other claim
        claim |= {"target": "NATO expansion", "stance": "against"}
    return {"claims": claims, "rejected": []}


def _miscopied(sentence: str, n: int) -> str:
    kind = (n // 4) % 4
    if kind == 0 and any(q in sentence for q in "\u201c\u201d\u2019"):
        return sentence.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    if kind <= 1:
        return sentence[:1].swapcase() + sentence[1:]
    if kind == 2:
        return sentence.replace(" ", "  ", 1)
    middle = len(sentence) // 2
    return sentence[:middle] + sentence[middle + 1 :]


def _instance(schema: dict, root: dict):
    if "$ref" in schema:
        return _instance(root["$defs"][schema["$ref"].rsplit("/", 1)[-1]], root)
    if "enum" in schema:
        return schema["enum"][-1] if "neutral" not in schema["enum"] else "neutral"
    if "anyOf" in schema:
        return _instance(schema["anyOf"][0], root)
    kind = schema.get("type") or ("object" if "properties" in schema else "array" if "items" in schema else None)
    if kind == "object":
        return {k: _instance(v, root) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return []
    return {"string": "stand-in", "integer": 0, "number": 0, "boolean": False, "null": None}.get(kind, None)


def _passage_and_candidates(body: dict) -> tuple[str, dict[int, str]]:
    """The passage without its candidate markers, and each marked candidate's text."""
    marked = _passage(body)
    candidates = {int(m.group(1)): _MARK.sub("", m.group(2)) for m in _CANDIDATE.finditer(marked)}
    return _MARK.sub("", marked), dict(sorted(candidates.items()))


def _passage(body: dict) -> str:
    # the question's user message (a re-ask appends the answer and its error after it)
    user = next((m["content"] for m in reversed(body["messages"])
                 if m.get("role") == "user" and "<article>" in (m.get("content") or "")), "")
    match = _PASSAGE.search(user)
    return match.group(1) if match else ""


def _multipart(content_type: str, data: bytes) -> dict[str, tuple[str | None, bytes]]:
    message = email.parser.BytesParser().parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + data)
    parts = {}
    for part in message.get_payload():
        name = part.get_param("name", header="content-disposition")
        parts[name] = (part.get_filename(), part.get_payload(decode=True))
    return parts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="A loopback OpenAI stand-in (chat, files, batches).")
    ap.add_argument("--latency", type=float, default=0.0, help="seconds each chat answer takes")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--rich", action="store_true", help="answer passages with many imperfectly copied claims")
    args = ap.parse_args(argv)
    standin = StandIn(latency=args.latency, port=args.port, rich=args.rich).start()
    print(standin.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        standin.stop()
    print("stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
