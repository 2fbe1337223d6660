"""What every command shares at the outer edge: exit codes, logging, the one-line failure
message, and the one error boundary. `cli.py` and `commands/` import this; it imports
neither (so the command line has no import cycle).

The boundary is the only place a command turns the tool's own errors into an exit code:

    ExtractorError     one line on stderr ("extractor: <what> (<hint>)"), its exit_code;
                       the traceback only with --debug
    KeyboardInterrupt  one line ("interrupted", or what the command says was kept), 130

Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from extractor.errors import ExtractorError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def setup_logging(debug: bool) -> None:
    """Our warnings on stderr; the SDKs' own per-attempt error logs only with --debug (the
    outcome of every attempt is reported once, by us). No line shows the API key."""
    import logging

    from extractor import redact

    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    redact.install()
    if not debug:
        for noisy in ("instructor", "openai", "httpx", "httpx2", "httpcore"):
            logging.getLogger(noisy).setLevel(logging.CRITICAL)


def fail_line(source: str, message: str) -> None:
    """One line on stderr: `extractor: [source: ]message`."""
    import click

    prefix = f"{source}: " if source and not message.startswith(source) else ""
    click.echo(f"extractor: {prefix}{message}", err=True)


def open_output(path, newline: str | None = None):
    """The file `-o` names, opened for writing before any work is done; its folder is made
    when missing. A place that cannot be written is one line naming it, not a traceback."""
    from pathlib import Path

    from extractor.errors import ConfigError

    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return open(target, "w", encoding="utf-8", newline=newline)
    except OSError as e:
        raise ConfigError(f"{path}: cannot write there ({e.strerror or e})", "choose another -o path") from e


def output_folder(path):
    """The folder `-o` names for pages, made when missing; one line if it cannot be."""
    from pathlib import Path

    from extractor.errors import ConfigError

    target = Path(path)
    try:
        (target.parent if target.suffix.lower() in (".html", ".htm") else target).mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ConfigError(f"{path}: cannot write there ({e.strerror or e})", "choose another -o path") from e
    return target


def boundary(work: Callable[[], int], debug: bool, interrupted: str = "interrupted") -> int:
    """Run a command's `work` (which returns its exit code), with logging set up, turning the
    tool's errors and Ctrl-C into one line and an exit code. `interrupted` is what the line
    says on Ctrl-C (what was kept, how to carry on)."""
    setup_logging(debug)
    try:
        return work()
    except ExtractorError as e:
        if debug:
            raise
        fail_line("", e.one_line())
        return e.exit_code
    except KeyboardInterrupt:
        fail_line("", interrupted)
        return EXIT_INTERRUPTED
