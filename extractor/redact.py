"""Keep the API key out of log lines and tracebacks.

Our own messages never hold it, but a careless server (a proxy, a self-hosted gateway) may
repeat the key it was sent in an error body, and the SDKs put error bodies verbatim into log
lines and exception messages (seen with --debug). `Redactor` is a logging filter on the
stderr handler that blanks the key out of every line and logged traceback before it is
written; `install` also makes a traceback that ends the program (--debug) blank it out.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback

HIDDEN = "[redacted]"
KEY_VARIABLES = ("OPENAI_API_KEY", "EXTRACTOR_API_KEY")
SHORTEST = 8  # a shorter value could blank out ordinary words; no real key is that short


class Redactor(logging.Filter):
    def __init__(self, secrets: list[str]):
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= SHORTEST]

    @classmethod
    def from_environment(cls) -> Redactor:
        return cls([os.environ.get(name, "").strip() for name in KEY_VARIABLES])

    def hide(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, HIDDEN)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        record.msg, record.args = self.hide(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.hide(record.exc_text)
        if record.stack_info:
            record.stack_info = self.hide(record.stack_info)
        return True


def install(logger: logging.Logger | None = None) -> None:
    """Put a Redactor for the key in the environment now on every handler of `logger` (the
    root logger), in place of an earlier one, and on the traceback of an exception that ends
    the program."""
    redactor = Redactor.from_environment()
    for handler in (logger or logging.getLogger()).handlers:
        for earlier in [f for f in handler.filters if isinstance(f, Redactor)]:
            handler.removeFilter(earlier)
        handler.addFilter(redactor)
    if isinstance(sys.excepthook, _RedactedTraceback):
        sys.excepthook.redactor = redactor
    elif redactor.secrets:
        sys.excepthook = _RedactedTraceback(redactor)


class _RedactedTraceback:
    def __init__(self, redactor: Redactor):
        self.redactor = redactor

    def __call__(self, kind, value, tb) -> None:
        sys.stderr.write(self.redactor.hide("".join(traceback.format_exception(kind, value, tb))))
