"""Extraction on a Ray cluster (`extractor batch --engine ray`): the same pipeline in Ray
actors, for corpora and model fleets past one machine.

    driver    reads the inputs, selects, hands documents out, stores every outcome: still the
              one writer of the store, so reruns, --retry-failed, failures with reasons and
              `extractor runs` behave as with the local engine
    actors    each an asyncio event loop with its own model client and its share of
              --concurrency, --rpm and --tpm (a 429 pauses the actor that met it)

A killed actor is restarted by Ray and what it held is asked again on the new one (once): a
lost node loses no document. A document that kills its actor twice is recorded as failed
with the cause, and the run goes on. Ray is optional (`pip install 'extractor[ray]'`); with no
`--ray-address` a local cluster is started for the run and shut down after it.
"""

from __future__ import annotations

import logging
import math

from extractor.batch.driver import DOCUMENTS_PER_QUESTION, Spend, attempt, live_asker
from extractor.errors import ConfigError

POLL = 0.5  # seconds between checks for a stop while waiting on the actors


def _ray():
    try:
        import ray
    except ImportError:
        raise ConfigError("--engine ray needs Ray, which is not installed", "pip install 'extractor[ray]', or use --engine local") from None
    return ray


class Extractor:
    """One Ray actor: documents in, outcomes (or the run's ConfigError) out."""

    def __init__(self, settings, targets: tuple[str, ...], model_name: str | None, share: dict):
        self.settings, self.targets, self.model_name, self.share = settings, targets, model_name, share
        self.ask = None

    def _asker(self):
        if self.ask is None and self.model_name is not None:
            from extractor.llm import LanguageModel
            from extractor.ratelimit import RateLimiter

            limiter = RateLimiter(self.share["rpm"], self.share["tpm"], self.settings.max_tokens)
            self.ask = live_asker(LanguageModel(self.settings, limiter=limiter), in_flight=self.share["concurrency"])
        return self.ask

    async def extract(self, document):
        try:
            return await attempt(document, self.settings, self.model_name, self.targets, self._asker())
        except ConfigError as e:  # the run's problem: the driver stops the run with it
            return e


class RayPool:
    """The driver's side: hands documents to the actors, stores outcomes as they come back."""

    def __init__(self, settings, targets: tuple[str, ...], model_name: str | None, address: str | None = None):
        ray = self.ray = _ray()
        self.started = False
        if not ray.is_initialized():
            try:
                ray.init(address=address, include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
            except (ConnectionError, ValueError, RuntimeError) as e:
                where = address or "a local Ray cluster"
                raise ConfigError(f"{where}: cannot start or join it ({str(e).splitlines()[0][:200]})",
                                  "check --ray-address (or leave it out for a local cluster)") from e
            self.started = True
        cpus = max(1.0, ray.cluster_resources().get("CPU", 1.0))
        self.size = settings.workers if settings.workers > 1 else int(cpus)
        share = dict(
            concurrency=math.ceil(settings.concurrency / self.size),
            rpm=settings.rpm / self.size if settings.rpm else None,
            tpm=settings.tpm / self.size if settings.tpm else None,
        )
        actor = ray.remote(
            num_cpus=min(1.0, cpus / self.size),  # more workers than CPUs still all start
            max_restarts=-1, max_task_retries=1,  # a killed actor comes back, and what it held is asked again
            max_concurrency=2 * DOCUMENTS_PER_QUESTION * share["concurrency"],
        )(Extractor)
        self.actors = [actor.remote(settings, targets, model_name, share) for _ in range(self.size)]
        self.capacity = (DOCUMENTS_PER_QUESTION + 1) * settings.concurrency

    def run(self, run, items, check_stop=lambda: None) -> None:
        """Hand out `items`, to the least busy actor, and store each outcome as it comes back.
        `check_stop` is called between documents: it raises to end the run where no write is
        half done."""
        ray = self.ray
        given: dict = {}  # ObjectRef -> (item, actor number)
        load = [0] * len(self.actors)
        source = iter(items)
        exhausted = False
        while True:
            check_stop()
            while not exhausted and len(given) < self.capacity:
                item = next(source, None)
                if item is None:
                    exhausted = True
                    break
                n = min(range(len(load)), key=load.__getitem__)
                load[n] += 1
                given[self.actors[n].extract.remote(item.document)] = (item, n)
            if exhausted and not given:
                return
            refs = list(given)
            ready, _ = ray.wait(refs, num_returns=1, timeout=POLL)
            if ready:  # and every other one already back, without waiting for more
                ready, _ = ray.wait(refs, num_returns=len(refs), timeout=0)
            for ref in ready:
                item, n = given.pop(ref)
                load[n] -= 1
                self._receive(run, item, ref)

    def _receive(self, run, item, ref) -> None:
        ray = self.ray
        try:
            outcome = ray.get(ref)
        except ray.exceptions.RayActorError as e:
            cause = str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
            run.record_failure(item, "internal", f"the Ray worker extracting it died twice ({cause})", Spend(), 0.0)
            return
        except ray.exceptions.RayTaskError as e:  # attempt() returns failures; this is a bug in the actor
            run.record_failure(item, "internal", f"internal error in a Ray worker: {str(e).splitlines()[0][:200]}", Spend(), 0.0)
            return
        if isinstance(outcome, ConfigError):
            raise outcome
        run.record(item, outcome)

    def close(self) -> None:
        for actor in getattr(self, "actors", ()):
            self.ray.kill(actor)
        if self.started:
            self.ray.shutdown()
