"""`extractor eval`: score the tool against a human-annotated dataset (docs/metrics.md).

With --predictions it scores stored results and never opens a model. Otherwise it extracts,
appending each result to --save-predictions as it is made; rerunning with the same file
resumes, reusing the results made by the same model, strategy and prompt version.
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from extractor.console import EXIT_OK, boundary
from extractor.errors import ConfigError


def run_eval(dataset, path, split, limit, seed, predictions_path, save_path, as_json, overrides, debug) -> int:
    kept = f"; the results made so far are in {save_path}, and the same command resumes" if save_path else ""

    def work() -> int:
        report = _evaluate(dataset, path, split, limit, seed, predictions_path, save_path, overrides)
        if as_json:
            print(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            from extractor.evaluate.report import render

            print(render(report))
        return EXIT_OK

    return boundary(work, debug, interrupted="interrupted" + kept)


def _evaluate(dataset, path, split, limit, seed, predictions_path, save_path, overrides) -> dict:
    from extractor.evaluate.evaluation import build_report, choose
    from extractor.evaluate.predictions import check_coverage, read_predictions
    from extractor.evaluate.run import RunStats, outcomes

    if predictions_path and save_path:
        raise ConfigError("--predictions and --save-predictions do not go together", "scoring stored results makes none")
    started = time.perf_counter()
    selection = choose(dataset, path, split, limit, seed)
    stats = RunStats()
    if predictions_path:
        stored = read_predictions(predictions_path)
        covered = check_coverage(stored, selection.cases, predictions_path)
        missing = len(selection.cases) - len(covered)
        if missing:
            _note(f"{predictions_path} has no results for {missing} of the {len(selection.cases)} documents chosen; scoring the other {len(covered)}")
        report = build_report(
            selection, outcomes(covered, stored, None, stats), stats, predictions=str(predictions_path), without_predictions=missing
        )
    else:
        report = _extract_and_score(selection, save_path, overrides, stats)
    report["seconds"] = round(time.perf_counter() - started, 2)
    return report


def _extract_and_score(selection, save_path, overrides, stats) -> dict:
    from extractor.evaluate.evaluation import build_report
    from extractor.evaluate.predictions import PredictionWriter, lookup, read_predictions
    from extractor.evaluate.run import extractor_for, outcomes, reusable
    from extractor.prompts import prompt_version

    settings = _settings(overrides)
    name, strategy = _describe(settings)
    version = prompt_version()
    stored = {}
    if save_path and Path(save_path).is_file():
        stored = reusable(read_predictions(save_path), name, strategy, version)
        done = sum(1 for c in selection.cases if lookup(stored, c) is not None)
        if done:
            _note(f"resuming: {done} of {len(selection.cases)} documents already have results in {save_path}")
    todo = any(lookup(stored, c) is None for c in selection.cases)
    with ExitStack() as stack:
        extract_one = progress = None
        if todo:
            from extractor.api import Extractor

            extractor = stack.enter_context(Extractor(config=settings))
            extract_one = extractor_for(extractor, selection.kind)
            if not extractor.uses_no_model:
                progress = _note  # only model runs are slow enough to need it
        writer = None
        if save_path:
            writer = PredictionWriter(save_path)
            stack.callback(writer.close)
        found = outcomes(selection.cases, stored, extract_one, stats, writer, progress)
        return build_report(selection, found, stats, model=name, strategy=strategy, prompt_version=version)


def _settings(overrides):
    from extractor.settings import load_settings

    return load_settings(**overrides)


def _describe(settings) -> tuple[str, str]:
    """The model name and strategy results will record, without starting the model."""
    if settings.uses_no_model:
        return "none", "none"
    from extractor.llm import resolve
    from extractor.pipeline import choose_strategy

    name = resolve(settings).name
    return name, choose_strategy(settings, name)


def _note(message: str) -> None:
    print(f"extractor eval: {message}", file=sys.stderr, flush=True)
