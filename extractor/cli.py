"""The command line: a thin layer over the pipeline. Heavy imports happen inside commands,
so `extractor --help` stays instant. Errors from the tool become one line on stderr and an
exit code at the outer edge, in `console.boundary`, which every command runs in (a traceback
only with --debug). This module imports the commands; they never import it."""

from __future__ import annotations

import sys

import click

@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="extractor", message="extractor %(version)s")
def main() -> None:
    """Extract speakers, claims and stances from news articles, every quote grounded
    in the article's own text by character offsets.

    With no --model it runs a small bundled CPU model (no key, no network); choose
    openai/<name> or any OpenAI-compatible server with --base-url for real quality.
    """


def model_options(f):
    f = click.option(
        "--model",
        envvar="EXTRACTOR_MODEL",
        help="openai/<name>, local/smollm2-135m (default), local/<file.gguf>, or none (no language model: the finder and the trained layers still run).",
    )(f)
    f = click.option("--base-url", envvar="EXTRACTOR_BASE_URL", help="Any OpenAI-compatible server, e.g. http://localhost:11434/v1.")(f)
    f = click.option(
        "--strategy",
        type=click.Choice(["auto", "narrow", "full"]),
        help="narrow: trained layers judge the finder's claims, the model is asked nothing; full: the model reads whole chunks. Default auto (narrow for local models).",
    )(f)
    f = click.option("--target", "targets", multiple=True, metavar="TEXT", help="Also judge every stance toward TEXT (repeatable).")(f)
    f = click.option(
        "--claim-language",
        metavar="CODE",
        help="Write claim text in this language (ISO 639-1: en, de, fr, es, ru, ...). Default: the article's own, as detected.",
    )(f)
    f = click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")(f)
    return f


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH... | -")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "table"]), help="json (one document), jsonl (one line each) or table. Default: json for one input, jsonl for several.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file instead of stdout.")
@click.option("--keep-unaligned", is_flag=True, default=None, help="Keep claims whose evidence was not found, with evidence null.")
@click.option("--stance-threshold", type=click.FloatRange(0, 1), help="Report favor/against only at this confidence or above (default: the trained layer's calibrated threshold; 0.5 calls more, less often right).")
@model_options
def extract(paths, fmt, output, keep_unaligned, stance_threshold, model, base_url, strategy, targets, claim_language, debug):
    """Extract from article files (.txt, .md, .html) or '-' for stdin.

    Exit status: 0 when every document succeeded, 1 when any failed, 2 on usage errors.
    """
    from extractor.commands.extract import run_extract

    sys.exit(
        run_extract(
            paths=paths,
            fmt=fmt,
            output=output,
            overrides={
                "model": model, "base_url": base_url, "strategy": strategy, "keep_unaligned": keep_unaligned,
                "stance_threshold": stance_threshold, "claim_language": claim_language,
            },
            targets=tuple(targets),
            debug=debug,
        )
    )


@main.command()
@click.argument("result_file", required=False, type=click.Path(dir_okay=False))
@click.option("--db", type=click.Path(dir_okay=False), help="A batch database: write an index, a per-target view and one page per document.")
@click.option("-o", "--output", required=True, type=click.Path(), help="The HTML file (for RESULT.json) or the folder (for --db).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def report(result_file, db, output, debug):
    """Write HTML review pages: quotes highlighted by speaker, a stance map.

    From an `extract` output (RESULT.json, one object, or JSONL), or from a batch --db.
    """
    from extractor.commands.report import run_report

    sys.exit(run_report(result_file, db, output, debug))


@main.command("eval")
@click.argument("dataset", type=click.Choice(["polnear", "fnc1", "clef2019", "newsmtsc", "gold"]))
@click.argument("path", type=click.Path())
@click.option("--split", help="polnear: dev (default) or train; fnc1 and clef2019: test (default) or train.")
@click.option("--limit", type=click.IntRange(min=1), help="Score a seeded sample of N documents (pairs for fnc1, sentences for newsmtsc).")
@click.option("--sample-seed", "seed", type=int, default=0, show_default=True, help="Which sample --limit takes; stable across runs and machines.")
@click.option("--predictions", "predictions_path", type=click.Path(dir_okay=False), metavar="FILE", help="Score these `extract --format jsonl` results; no model is asked.")
@click.option("--save-predictions", "save_path", type=click.Path(dir_okay=False), metavar="FILE", help="Append each result to FILE as it is made; the same command resumes.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics and a per-document breakdown as JSON.")
@click.option("--model", envvar="EXTRACTOR_MODEL", help="As for extract: openai/<name>, local/smollm2-135m (default), local/<file.gguf>, or none.")
@click.option("--base-url", envvar="EXTRACTOR_BASE_URL", help="Any OpenAI-compatible server.")
@click.option("--strategy", type=click.Choice(["auto", "narrow", "full"]), help="As for extract. Default auto.")
@click.option("--stance-threshold", type=click.FloatRange(0, 1), help="Report favor/against only at this confidence or above (default: the trained layer's calibrated threshold; 0.5 calls more, less often right).")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
def eval_command(dataset, path, split, limit, seed, predictions_path, save_path, as_json, model, base_url, strategy, stance_threshold, debug):
    """Score extraction against a human-annotated DATASET at PATH (metrics: docs/metrics.md).

    polnear: attribution spans; fnc1: article stance toward a headline; clef2019:
    check-worthiness and speakers in debate transcripts; newsmtsc: polarity toward the people
    a sentence mentions (a NewsMTSC .jsonl file, e.g. devtest_mt.jsonl); gold: the project's
    JSONL gold format.
    """
    from extractor.commands.eval import run_eval

    sys.exit(
        run_eval(
            dataset=dataset,
            path=path,
            split=split,
            limit=limit,
            seed=seed,
            predictions_path=predictions_path,
            save_path=save_path,
            as_json=as_json,
            overrides={"model": model, "base_url": base_url, "strategy": strategy, "stance_threshold": stance_threshold},
            debug=debug,
        )
    )


@main.command()
@click.argument("inputs", nargs=-1, metavar="[INPUT]... | -")
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="The SQLite database results go to (created if new).")
@click.option("--concurrency", type=click.IntRange(1, 1024), help="Questions to the model in flight at once (more documents are under way, so the next questions are ready). Default 8 (EXTRACTOR_CONCURRENCY).")
@click.option("--workers", type=click.IntRange(1, 64), help="Processes to extract in (default 1); more when the CPU, not the model, is the bottleneck.")
@click.option("--engine", type=click.Choice(["local", "ray"]), help="Extract on this machine (default) or on a Ray cluster (pip install 'extractor[ray]'); either way this process is the one writer of --db.")
@click.option("--ray-address", help="With --engine ray: the cluster to join (ray://HEAD:10001, or auto); default: a local cluster started for the run.")
@click.option("--rpm", type=click.IntRange(min=1), help="At most this many model requests per minute (EXTRACTOR_RPM).")
@click.option("--tpm", type=click.IntRange(min=1), help="At most this many tokens per minute, prompt plus max_tokens (EXTRACTOR_TPM).")
@click.option("--force", is_flag=True, help="Extract every input again, even when a stored result fits.")
@click.option("--retry-failed", is_flag=True, help="Only retry the inputs that failed before, and documents done with warnings (the model failed on some passage); with no INPUT: every such stored document.")
@click.option("--batch-api", is_flag=True, help="Submit to the OpenAI Batch API (half price, within 24 h) instead of asking live.")
@click.option("--collect", is_flag=True, help="Collect submitted Batch API batches: wait for them, validate, store.")
@click.option("--wait/--no-wait", default=True, help="With --collect: poll until each batch ends (default), or look once.")
@click.option("--keep-unaligned", is_flag=True, default=None, help="Keep claims whose evidence was not found, with evidence null.")
@model_options
def batch(inputs, db, concurrency, workers, engine, ray_address, rpm, tpm, force, retry_failed, batch_api, collect, wait, keep_unaligned, model, base_url, strategy, targets, claim_language, debug):
    """Extract from many documents into a SQLite database; resumable, and a rerun of an
    unchanged corpus asks the model nothing.

    INPUT: files, directories (every .txt, .md, .html under them), globs, JSONL files (one
    {"id", "text" or "html", "url", "title", "published"} object a line), or - for JSONL on stdin.

    Exit status: 0 when every input is done, 1 when any failed, 2 on usage errors, 130 when
    interrupted (run the same command again to carry on).
    """
    from extractor.commands.batch import run_batch

    overrides = {
        "model": model, "base_url": base_url, "strategy": strategy, "keep_unaligned": keep_unaligned,
        "concurrency": concurrency, "workers": workers, "rpm": rpm, "tpm": tpm, "engine": engine,
        "ray_address": ray_address, "claim_language": claim_language,
    }
    sys.exit(run_batch(inputs, db, overrides, targets, force, retry_failed, batch_api, collect, wait, debug))


@main.command()
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="A database written by extractor batch.")
@click.option("--json", "as_json", is_flag=True, help="Print the runs as JSON.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def runs(db, as_json, debug):
    """List batch runs with their totals: documents, requests, tokens, retries, cost, time."""
    from extractor.commands.runs import run_runs

    sys.exit(run_runs(db, as_json, debug))


@main.command()
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="A database written by extractor batch.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True, help="jsonl: per document, the object extract --format json prints; csv: one row per --table item; parquet: all four tables (documents, speakers, claims, stances) as typed files in the folder -o names (needs pyarrow).")
@click.option("--table", type=click.Choice(["claims", "stances", "speakers", "documents"]), default="claims", show_default=True, help="With --format csv: what a row is.")
@click.option("--model", help="Only results from this model (default: the newest result of each document).")
@click.option("--all", "every", is_flag=True, help="Every stored result, not only the newest per document.")
@click.option("-o", "--output", type=click.Path(writable=True), help="Write to this file instead of stdout (with parquet: this folder).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def export(db, fmt, table, model, every, output, debug):
    """Write stored batch results as JSONL, CSV or Parquet."""
    from extractor.commands.export import run_export

    sys.exit(run_export(db, fmt, output, model, every, table, debug))


if __name__ == "__main__":  # pragma: no cover
    main()
