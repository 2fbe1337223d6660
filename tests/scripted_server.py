"""A loopback OpenAI-compatible server that plays a hand-written script of replies, for unit
tests of the model layer (retries, re-asks, usage). These replies are test fixtures written
by hand, not recordings: cassettes in tests/cassettes/ are the recordings."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def tool_reply(arguments: dict, finish_reason: str = "tool_calls", name: str = "Answer") -> dict:
    """A chat completion that calls one tool with the given arguments."""
    return {
        "id": "chatcmpl-script",
        "object": "chat.completion",
        "created": 0,
        "model": "scripted",
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {"id": "call_1", "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}
                    ],
                },
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


class ScriptedServer:
    """Each request takes the next step: (status, body, headers), or "hang" (sleep past the
    client's timeout), or "drop" (close the connection without answering)."""

    def __init__(self, steps: list):
        self.steps = list(steps)
        self.requests: list[dict] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
                server.requests.append({"body": body, "headers": dict(self.headers)})
                step = server.steps.pop(0) if server.steps else (500, {"error": {"message": "script ended"}}, {})
                if step == "hang":
                    time.sleep(3)
                    return
                if step == "drop":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                status, payload, headers = step
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler
