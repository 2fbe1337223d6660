"""A batch run over many documents: pick what needs work, extract it concurrently, and store
each document's outcome the moment it is known.

    select()          skip what is done under the same key (no request), what failed before
                      (unless --retry-failed), duplicates; record unreadable inputs as failed
    extract_items()   2 x `concurrency` workers, each: steps -> answers -> check spans -> store;
                      at most `concurrency` questions in flight (driver.live_asker)
    the store         one transaction per document, so a crash or kill -9 loses at most the
                      documents in flight, which the same command then does again

The model layer is opened only when a document actually needs it: a rerun with nothing to
do never imports openai. A ConfigError from the model (a bad key, an unknown model) stops the
run instead of failing every document in turn.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator

from extractor.cost import Prices, add_costs
from extractor.batch.driver import DOCUMENTS_PER_QUESTION, Ask, Outcome, Spend, attempt, live_asker
from extractor.batch.progress import Progress, Tally
from extractor.errors import ConfigError
from extractor.schema import Document
from extractor.settings import Settings
from extractor.sources import Item, Origin
from extractor.store import ResultKey, Store, retryable_warnings


class BatchRun:
    def __init__(
        self,
        store: Store,
        run_id: int,
        key: ResultKey,
        settings: Settings,
        targets: tuple[str, ...],
        tally: Tally,
        progress: Progress,
        open_model: Callable[[], object] | None,
    ):
        self.store = store
        self.run_id = run_id
        self.key = key
        self.settings = settings
        self.targets = targets
        self.tally = tally
        self.progress = progress
        self.prices = Prices(settings)
        self._open_model = open_model
        self._model = None
        self._ask: Ask | None = None

    @property
    def model_name(self) -> str | None:
        return None if self.key.model == "none" else self.key.model

    def model(self):
        """The model layer, opened on first use."""
        if self._model is None:
            if self._open_model is None:
                raise ConfigError("this run has no model", "give --model")
            self._model = self._open_model()
        return self._model

    async def live_ask(self, question, spend: Spend):
        """Ask the model live, opening it on the first question."""
        if self._ask is None:
            self._ask = live_asker(self.model(), in_flight=self.settings.concurrency)
        return await self._ask(question, spend)

    async def close(self) -> None:
        """Close the model's async client inside its event loop; the model stays usable."""
        if self._model is not None and hasattr(self._model, "aclose"):
            await self._model.aclose()
        self._ask = None

    def close_model(self) -> None:
        if self._model is not None and hasattr(self._model, "close"):
            self._model.close()

    # choosing work

    def select(self, items: Iterable[Item], force: bool, retry_failed: bool, pending: frozenset[str] = frozenset()) -> Iterator[Item]:
        done = set() if force else self.store.done_ids(self.key)
        failed = self.store.failed(self.key)
        degraded = self.store.degraded_ids(self.key)
        seen: set[str] = set()
        t = self.tally
        for item in items:
            t.inputs += 1
            for container in (item.given, item.holder):
                held_nothing = f"input:{container}"
                if container is not None and item.document is not None and held_nothing in failed:
                    # the folder, pattern or JSONL file that held nothing last time now holds documents
                    self.store.clear_failure(self.key, held_nothing)
                    del failed[held_nothing]
            subject = item.subject
            if subject in seen:
                t.duplicates += 1
                continue
            seen.add(subject)
            if retry_failed:
                if subject not in failed and subject not in degraded:
                    t.not_failed += 1
                    continue
            elif subject in failed and not force:
                t.left_failed += 1
                continue
            elif subject in done:
                t.unchanged += 1
                t.left_degraded += subject in degraded
                continue
            elif subject in pending and not force:
                t.pending_remote += 1
                continue
            t.queued += 1
            if item.error is not None:
                self.record_failure(item, "input", item.error.one_line(), Spend(), 0.0)
                continue
            yield item

    def stored_failures(self) -> Iterator[Item]:
        """--retry-failed with no inputs: the failed documents whose text the store holds."""
        ids = [row["document_id"] for row in self.store.failed_documents(self.key)]
        ids += sorted(self.store.degraded_ids(self.key) - set(ids))
        yield from stored_items(self.store.documents(ids))

    # extracting

    async def extract_items(self, items: Iterable[Item], ask: Ask) -> None:
        workers = DOCUMENTS_PER_QUESTION * max(1, self.settings.concurrency)  # see live_asker: questions are capped there
        queue: asyncio.Queue = asyncio.Queue(maxsize=2 * workers)

        async def produce() -> None:
            for item in items:  # reading an input is quick; the queue bounds memory
                if self._open_model is not None and self._model is None:
                    self.model()  # opened before the first document's clock starts
                await queue.put(item)
                # let the worker that took it get its request out before the next one starts
                # its CPU work: otherwise, at the start, every worker's request would wait for all
                await asyncio.sleep(0)
            for _ in range(workers):
                await queue.put(None)

        async def work() -> None:
            while (item := await queue.get()) is not None:
                await self.extract_one(item, ask)

        tasks = [asyncio.ensure_future(produce())] + [asyncio.ensure_future(work()) for _ in range(workers)]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise

    async def extract_one(self, item: Item, ask: Ask) -> None:
        spend = Spend()
        try:
            outcome = await attempt(item.document, self.settings, self.model_name, self.targets, ask, spend)
        except asyncio.CancelledError:  # a stop (SIGTERM, Ctrl-C) while its questions were out
            self.record_interrupted(item, spend)
            raise
        self.record(item, outcome)

    def record_interrupted(self, item: Item, spend: Spend) -> None:
        """What a document stopped midway had already spent: counted in the run's totals,
        though the document is neither done nor failed (the next run does it)."""
        if not spend.usage.requests:
            return
        cost = self.cost(spend)
        self.store.save_interrupted(self.run_id, self.key, item.subject, spend.usage, cost)
        self.tally.usage.add(spend.usage)
        self.tally.cost = add_costs(self.tally.cost, cost)

    def record(self, item: Item, outcome: Outcome) -> None:
        """Store one document's outcome (one transaction) and count it."""
        if outcome.result is None:
            self.record_failure(item, outcome.kind, outcome.reason, outcome.spend, outcome.seconds)
            return
        cost = self.cost(outcome.spend)
        try:
            self.store.save_result(self.run_id, self.key, outcome.result, item.origin, cost, clears=f"input:{item.label}")
        except (UnicodeError, ValueError, OverflowError) as e:
            # a value SQLite cannot take (the disk's own errors are StorageError, and stop the run):
            # this document's failure, not the run's
            reason = f"internal error: its result could not be stored ({type(e).__name__}: {str(e)[:200]})"
            self.record_failure(item, "internal", reason, outcome.spend, outcome.seconds)
            return
        self.tally.add("done", outcome.spend.usage, cost)
        self.tally.degraded += bool(retryable_warnings(outcome.result))
        self.progress.update()

    def record_failure(self, item: Item, kind: str, reason: str, spend: Spend, seconds: float) -> None:
        cost = self.cost(spend)
        attempts = self.store.save_failure(
            self.run_id, self.key, item.subject, item.document, item.origin, kind, reason, spend.usage, seconds, cost
        )
        self.tally.add("failed", spend.usage, cost)
        self.progress.failure(item.label, f"{reason} (attempt {attempts})")
        self.progress.update()

    def cost(self, spend: Spend) -> float | None:
        return add_costs(
            self.prices.cost(self.key.model, spend.live()),
            self.prices.cost(self.key.model, spend.batch_api, batch_api=True),
        )


def stored_items(rows) -> Iterator[Item]:
    """Items for documents whose text the store holds (retrying, collecting a batch)."""
    for row in rows:
        origin = Origin(row["source"], row["external_id"], row["url"], row["published"])
        document = Document(id=row["id"], source=row["source"], title=row["title"], text=row["text"])
        yield Item(row["source"], origin, document=document)
