"""The command line: a thin layer over the pipeline. Heavy imports happen inside commands,
so `extractor --help` stays instant. Errors from the tool become one line on stderr and an
exit code here, at the outer edge, and nowhere else (a traceback only with --debug)."""

from __future__ import annotations

import sys

import click

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def setup_logging(debug: bool) -> None:
    """Our warnings on stderr; the SDKs' own per-attempt error logs only with --debug (the
    outcome of every attempt is reported once, by us)."""
    import logging

    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    if not debug:
        for noisy in ("instructor", "openai", "httpx", "httpx2", "httpcore"):
            logging.getLogger(noisy).setLevel(logging.CRITICAL)


def _fail_line(source: str, message: str) -> None:
    click.echo(f"extractor: {source}: {message}" if source else f"extractor: {message}", err=True)


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
        help="openai/<name>, local/smollm2-135m (default), local/<file.gguf>, or none (rules only).",
    )(f)
    f = click.option("--base-url", envvar="EXTRACTOR_BASE_URL", help="Any OpenAI-compatible server, e.g. http://localhost:11434/v1.")(f)
    f = click.option(
        "--strategy",
        type=click.Choice(["auto", "narrow", "full"]),
        help="narrow: one small question per attribution; full: the model reads whole chunks. Default auto.",
    )(f)
    f = click.option("--target", "targets", multiple=True, metavar="TEXT", help="Also judge every stance toward TEXT (repeatable).")(f)
    f = click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")(f)
    return f


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH... | -")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "table"]), help="json (one document), jsonl (one line each) or table. Default: json for one input, jsonl for several.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file instead of stdout.")
@click.option("--keep-unaligned", is_flag=True, default=None, help="Keep claims whose evidence was not found, with evidence null.")
@model_options
def extract(paths, fmt, output, keep_unaligned, model, base_url, strategy, targets, debug):
    """Extract from article files (.txt, .md, .html) or '-' for stdin.

    Exit status: 0 when every document succeeded, 1 when any failed, 2 on usage errors.
    """
    from extractor.commands.extract import run_extract

    sys.exit(
        run_extract(
            paths=paths,
            fmt=fmt,
            output=output,
            overrides={"model": model, "base_url": base_url, "strategy": strategy, "keep_unaligned": keep_unaligned},
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


if __name__ == "__main__":  # pragma: no cover
    main()
