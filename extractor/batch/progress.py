"""What a running batch shows: a rich progress bar on a terminal (documents/s, tokens, estimated
cost, failures); plain log lines every few seconds when stderr is a file or a pipe (cron).
"""

from __future__ import annotations

import sys
import time

from extractor.cost import add_costs, dollars
from extractor.schema import Usage


class Tally:
    """Counts for the progress display and the closing summary."""

    def __init__(self):
        self.inputs = 0  # items read from the inputs
        self.unchanged = 0  # already done under the same key: skipped, no request
        self.duplicates = 0  # the same text twice in one run
        self.left_failed = 0  # failed earlier, not retried (no --retry-failed)
        self.not_failed = 0  # --retry-failed: inputs that had not failed
        self.pending_remote = 0  # waiting for an OpenAI batch
        self.queued = 0  # to be extracted in this run
        self.done = 0
        self.degraded = 0  # done, with warnings: the model's part failed for some passage
        self.left_degraded = 0  # done with warnings before, not asked again (no --retry-failed)
        self.failed = 0
        self.usage = Usage()
        self.cost: float | None = 0.0
        self.started = time.perf_counter()

    def add(self, outcome: str, usage: Usage, cost: float | None) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.usage.add(usage)
        self.cost = add_costs(self.cost, cost)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    @property
    def tokens(self) -> int:
        return self.usage.prompt_tokens + self.usage.completion_tokens

    def rate(self) -> float:
        return (self.done + self.failed) / max(self.seconds, 1e-9)


class Progress:
    def __init__(self, tally: Tally, stream=None, interactive: bool | None = None, every: float = 10.0):
        self.tally = tally
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.every = every
        self._last = time.perf_counter()
        self._bar = None
        self._task = None

    def __enter__(self) -> Progress:
        if self.interactive:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn

            self._bar = Bar(
                TextColumn("[bold]batch"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[line]}"),
                TimeElapsedColumn(),
                console=Console(file=self.stream),
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task("batch", total=None, line="")
        return self

    def __exit__(self, *exc) -> None:
        self.update(force=True)
        if self._bar is not None:
            self._bar.stop()

    def update(self, force: bool = False) -> None:
        t = self.tally
        if self._bar is not None:
            self._bar.update(self._task, total=t.queued or None, completed=t.done + t.failed, line=self.line())
            return
        now = time.perf_counter()
        if (force or now - self._last >= self.every) and (t.done + t.failed):
            self._last = now
            print(f"batch: {t.done + t.failed}/{t.queued} documents, {self.line()}", file=self.stream, flush=True)

    def failure(self, label: str, reason: str) -> None:
        message = f"failed: {reason if reason.startswith(label) else f'{label}: {reason}'}"
        if self._bar is not None:
            from rich.text import Text

            self._bar.console.print(Text(message, style="red"))
        else:
            print(f"batch: {message}", file=self.stream, flush=True)

    def note(self, message: str) -> None:
        if self._bar is not None:
            from rich.text import Text

            self._bar.console.print(Text(message))
        else:
            print(f"batch: {message}", file=self.stream, flush=True)

    def line(self) -> str:
        t = self.tally
        return (
            f"{t.rate():.1f} documents/s, {t.tokens:,} tokens, ~{dollars(t.cost)}, "
            f"{t.failed} failed"
        )
