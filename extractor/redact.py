"""Keep the API key out of log lines and tracebacks.

Our own messages never hold it, but a careless server (a proxy, a self-hosted gateway) may
repeat the key it was sent in an error body, and the SDKs put error bodies verbatim into log
lines and exception messages (seen with --debug). `Redactor` is a logging filter on the
stderr handler that blanks the key out of every line and logged traceback before it is
written; `install` also makes a traceback that ends the program (--debug) blank it out.

A key can also ride inside the server's URL (`https://user:KEY@host/v1`, `...?api-key=KEY`):
`redact_url` and `redact_command` take it out wherever a URL or a command line is stored
(runs.command, a submitted batch's options), and `also_hide` adds it to what log lines blank.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import traceback
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

HIDDEN = "[redacted]"
KEY_VARIABLES = ("OPENAI_API_KEY", "EXTRACTOR_API_KEY")
SHORTEST = 8  # a shorter value could blank out ordinary words; no real key is that short
# query parameters that carry credentials (Azure's api-key, signed URLs' sig, tokens)
_SECRET_PARAMETER = re.compile(r"(?i)(api[-_]?key|key|token|secret|password|passwd|auth|authorization|sig|signature|credential)s?$|.*(key|token|secret)$")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"]+")


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


def url_secrets(url: str | None) -> list[str]:
    """The credentials a URL carries: its userinfo's password (or lone user name) and the
    values of key-like query parameters."""
    if not url:
        return []
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    found = []
    if "@" in parts.netloc:
        userinfo = parts.netloc.rsplit("@", 1)[0]
        user, _, password = userinfo.partition(":")
        found += [password, unquote(password)] if password else [user, unquote(user)]
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if value and _SECRET_PARAMETER.match(name):
            found += [value, quote(value, safe="")]
    return [s for s in dict.fromkeys(found) if s]


def redact_url(url: str | None) -> str | None:
    """`url` with its credentials replaced by [redacted]; the host, path and other
    parameters stay, so the stored value still says which server was used."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return HIDDEN  # not a URL we can take apart: keep none of it
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user, colon, _ = userinfo.partition(":")
        netloc = f"{user}:{HIDDEN}@{host}" if colon else f"{HIDDEN}@{host}"
    query = "&".join(
        f"{name}={HIDDEN}" if value and _SECRET_PARAMETER.match(unquote(name)) else (f"{name}={value}" if sep else name)
        for name, sep, value in (pair.partition("=") for pair in parts.query.split("&") if pair)
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_command(command: str) -> str:
    """A command line with the credentials of every URL in it replaced."""
    return _URL.sub(lambda m: redact_url(m.group()) or "", command)


def also_hide(secrets: list[str]) -> None:
    """Blank `secrets` (say, a key inside --base-url) out of log lines from now on too."""
    secrets = [s for s in secrets if s and len(s) >= SHORTEST]
    if not secrets:
        return
    redactors = [f for h in logging.getLogger().handlers for f in h.filters if isinstance(f, Redactor)]
    if isinstance(sys.excepthook, _RedactedTraceback):
        redactors.append(sys.excepthook.redactor)
    for redactor in redactors:
        redactor.secrets += [s for s in secrets if s not in redactor.secrets]
