"""`extractor extract`: read each input, extract, write results as they complete."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack

from extractor.console import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, boundary, fail_line, open_output
from extractor.errors import ConfigError, ExtractorError
from extractor.schema import ExtractionResult


def run_extract(paths, fmt, output, overrides, targets, debug) -> int:
    fmt = fmt or ("json" if len(paths) == 1 else "jsonl")
    return boundary(lambda: _extract_all(paths, fmt, output, overrides, targets, debug), debug)


def _extract_all(paths, fmt, output, overrides, targets, debug) -> int:
    """Each document's failure is its own line and the others go on; a failure of the whole
    run (a bad setting, a model that cannot start, a rejected key, no server at --base-url)
    is the boundary's, found at the first document that meets it."""
    settings, model = _open_model(overrides)
    failed = 0
    results: list[ExtractionResult] = []
    with ExitStack() as stack:
        if model is not None:
            stack.enter_context(model)
        out = stack.enter_context(open_output(output)) if output else sys.stdout
        for path in paths:
            try:
                result = _extract_one(path, settings, model, targets)
            except ConfigError:
                raise
            except ExtractorError as e:
                if debug:
                    raise
                failed += 1
                fail_line(path, e.one_line())
                continue
            except KeyboardInterrupt:
                fail_line(path, "interrupted; results written so far are kept")
                return EXIT_INTERRUPTED
            for warning in result.document.warnings:  # also in run.warnings; said here, where it is seen
                fail_line(path, f"warning: {warning}")
            if fmt == "jsonl":  # written as each document completes, so nothing done is lost
                out.write(json.dumps(result.to_json_dict(), ensure_ascii=False) + "\n")
                out.flush()
            else:
                results.append(result)
        if fmt == "json" and results:
            payload = results[0].to_json_dict() if len(results) == 1 else [r.to_json_dict() for r in results]
            # streamed: indented JSON is built in pieces, and joining them first doubled the peak memory
            json.dump(payload, out, ensure_ascii=False, indent=2)
            out.write("\n")
        elif fmt == "table":
            from extractor.cost import Prices, add_costs, dollars
            from extractor.render import print_table

            prices = Prices(settings)
            costs = [prices.cost(r.run.model, r.run.usage) for r in results]
            for result, cost in zip(results, costs):
                print_table(result, out, cost)
            if len(results) > 1:  # what the whole command spent, unknown if any part is
                out.write(f"{len(results)} documents · ~{dollars(add_costs(*costs))} in all\n")
    return EXIT_FAILED if failed else EXIT_OK


def _open_model(overrides):
    from extractor.settings import load_settings

    settings = load_settings(**overrides)
    if settings.uses_no_model:
        return settings, None
    from extractor.llm import LanguageModel

    return settings, LanguageModel(settings)


def _extract_one(path, settings, model, targets) -> ExtractionResult:
    from extractor.ingest import read_document
    from extractor.pipeline import extract

    document = read_document(path, max_chars=settings.max_input_chars)
    result = extract(document, settings, model, targets)
    broken = result.check_spans()
    if broken:  # the one promise: never report text that is not at its offsets
        raise ExtractorError(f"internal error: {len(broken)} span(s) do not match the text", "please report this")
    return result
