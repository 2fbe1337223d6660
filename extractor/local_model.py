"""The bundled CPU model, served over the OpenAI chat API on a loopback port.

llama-cpp-python runs the GGUF file; a small threaded HTTP server in this process answers
`POST /v1/chat/completions` and `GET /v1/models`, so a local model goes through exactly the
same openai + instructor code as a remote one (and tests can record it as a cassette).
Requests are served one at a time: one llama context is not safe to share between threads.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from extractor.errors import ConfigError
from extractor.settings import Settings

log = logging.getLogger(__name__)
_PASSED_THROUGH = (
    "messages", "tools", "tool_choice", "response_format", "temperature", "top_p",
    "max_tokens", "stop", "seed",
)


def load_llama(gguf_path: str, settings: Settings):
    try:
        from llama_cpp import Llama
    except ImportError as e:
        raise ConfigError(
            "llama-cpp-python is not installed, so local models cannot run",
            "install the local extra: CMAKE_ARGS=-DGGML_NATIVE=OFF pip install -e '.[local]'",
        ) from e
    threads = settings.local_threads or max(1, min(4, os.cpu_count() or 1))
    # llama.cpp prints its loading log on the C stderr; keep the CLI's output clean.
    with _quiet():
        return Llama(
            model_path=gguf_path,
            n_ctx=settings.local_context,
            n_threads=threads,
            seed=settings.seed,
            verbose=False,
        )


class LocalServer:
    def __init__(self, llama, model_name: str, host: str = "127.0.0.1", port: int = 0):
        self.llama = llama
        self.model_name = model_name
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer((host, port), _handler_for(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="local-model", daemon=True)

    @classmethod
    def start(cls, gguf_path: str, settings: Settings, port: int = 0) -> LocalServer:
        server = cls(load_llama(gguf_path, settings), os.path.basename(gguf_path), port=port)
        server.thread.start()
        return server

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def complete(self, body: dict) -> dict:
        kwargs = {k: body[k] for k in _PASSED_THROUGH if k in body and body[k] is not None}
        with self.lock:
            answer = self.llama.create_chat_completion(**kwargs)
        answer["model"] = body.get("model", self.model_name)
        return answer


def _handler_for(server: LocalServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            if self.path.rstrip("/").endswith("/models"):
                self._send(200, {"object": "list", "data": [{"id": server.model_name, "object": "model"}]})
            else:
                self._send(404, {"error": {"message": "not found"}})

        def do_POST(self):
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send(404, {"error": {"message": "not found"}})
                return
            try:
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length))
                self._send(200, server.complete(body))
            except (ValueError, TypeError, KeyError) as e:
                self._send(400, {"error": {"message": f"bad request: {type(e).__name__}"}})
            except Exception as e:  # the model failed: a 500 the client may retry
                log.exception("local model failed")
                self._send(500, {"error": {"message": f"local model error: {type(e).__name__}"}})

        def _send(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):  # keep stderr for the CLI's own messages
            log.debug("local model: " + format, *args)

    return Handler


@contextlib.contextmanager
def _quiet():
    """Silence C-level stderr (llama.cpp's loading log) for the duration."""
    try:
        fd = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "w") as devnull, contextlib.redirect_stderr(io.StringIO()):
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(fd, 2)
        os.close(fd)
