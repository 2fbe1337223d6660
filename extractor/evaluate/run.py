"""Results for cases: a stored one when there is one, otherwise a fresh `extract()`, saved as
soon as it is made. A document whose extraction fails is scored as finding nothing (so a
failing model cannot look better by skipping hard documents) and the failure is reported."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from extractor.errors import ConfigError, ExtractorError
from extractor.evaluate.cases import Case
from extractor.evaluate.predictions import Key, PredictionWriter, lookup
from extractor.schema import Document, ExtractionResult

Extract = Callable[[Case], ExtractionResult]


@dataclass
class Outcome:
    case: Case
    result: ExtractionResult | None
    failure: str | None = None
    reused: bool = False


@dataclass
class RunStats:
    """What this run did, kept apart from what the stored results it reused had cost, so that
    scoring stored results reports zero requests and a resumed run does not count twice."""

    made: int = 0
    reused: int = 0
    failed: int = 0
    requests: int = 0  # made by this run
    extraction_seconds: float = 0.0
    reused_requests: int = 0  # recorded in the reused results, when they were made
    reused_extraction_seconds: float = 0.0
    models: set[str] = field(default_factory=set)

    def as_dict(self) -> dict:
        return {
            "made": self.made,
            "reused": self.reused,
            "failed": self.failed,
            "requests": self.requests,
            "extraction_seconds": round(self.extraction_seconds, 3),
            "reused_requests": self.reused_requests,
            "reused_extraction_seconds": round(self.reused_extraction_seconds, 3),
            "models": sorted(self.models),
        }


def extractor_for(extractor, source: str) -> Extract:
    """The public API (`extractor.Extractor`, opened once for the run) on a case's exact text:
    no newline changes, gold offsets index into it."""

    def extract_one(case: Case) -> ExtractionResult:
        document = Document.from_text(case.text, source=f"{source}:{case.name}")
        result = extractor.extract_document(document, case.targets)
        if result.check_spans():
            raise ExtractorError("internal error: a span does not match the text", "please report this")
        return result

    return extract_one


def outcomes(
    cases: Iterable[Case],
    stored: dict[Key, ExtractionResult],
    extract_one: Extract | None,
    stats: RunStats,
    writer: PredictionWriter | None = None,
    progress: Callable[[str], None] | None = None,
) -> Iterator[Outcome]:
    cases = list(cases)
    for n, case in enumerate(cases, 1):
        found = lookup(stored, case)
        if found is not None:
            stats.reused += 1
            stats.reused_requests += found.run.usage.requests
            stats.reused_extraction_seconds += found.run.seconds
            stats.models.add(found.run.model)
            yield Outcome(case, found, reused=True)
            continue
        if extract_one is None:
            continue  # scoring stored results only: the caller reports the uncovered cases
        started = time.perf_counter()
        try:
            result = extract_one(case)
        except ConfigError:  # the run's problem (a rejected key, no server at --base-url), not this case's
            raise
        except ExtractorError as e:
            stats.failed += 1
            if progress:
                progress(f"[{n}/{len(cases)}] {case.name}: failed: {e.one_line()}")
            yield Outcome(case, None, failure=e.one_line())
            continue
        stats.made += 1
        stats.requests += result.run.usage.requests
        stats.extraction_seconds += result.run.seconds
        stats.models.add(result.run.model)
        if writer is not None:
            writer.write(result)
        if progress:
            took = time.perf_counter() - started
            progress(f"[{n}/{len(cases)}] {case.name}: {len(result.claims)} claims, {result.run.usage.requests} requests, {took:.1f} s")
        yield Outcome(case, result)


def reusable(stored: dict[Key, ExtractionResult], model: str, strategy: str, prompt_version: str) -> dict[Key, ExtractionResult]:
    """Saved results made the same way, so a rerun resumes instead of mixing runs."""
    return {
        k: r
        for k, r in stored.items()
        if (r.run.model, r.run.strategy, r.run.prompt_version) == (model, strategy, prompt_version)
    }
