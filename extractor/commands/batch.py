"""`extractor batch`: many documents into one SQLite database, resumably.

    extractor batch INPUT... --db results.sqlite             extract live, concurrently
    extractor batch INPUT... --db results.sqlite --batch-api submit to the OpenAI Batch API
    extractor batch --db results.sqlite --collect            collect what was submitted
    extractor batch [INPUT...] --db results.sqlite --retry-failed

Progress goes to stderr, the closing summary line to stdout. Exit status: 0 when every input
is done, 1 when any is failed (now or before, and not retried), 2 on usage or setup errors,
130 when interrupted (the same command then carries on where it stopped).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sqlite3
import sys

from extractor.console import boundary
from extractor.errors import ConfigError, ExtractorError
from extractor.settings import load_settings


def run_batch(inputs, db, overrides, targets, force, retry_failed, batch_api, collect, wait, debug) -> int:
    return boundary(lambda: _batch(inputs, db, overrides, targets, force, retry_failed, batch_api, collect, wait), debug)


def _batch(inputs, db, overrides, targets, force, retry_failed, batch_api, collect, wait) -> int:
    """Errors found before or during the run (a bad setting, a rejected key, an unknown model,
    the disk) are the boundary's: no document is blamed for them."""
    from extractor.redact import also_hide, redact_command, url_secrets

    # stored in runs.command: a key inside --base-url must not be
    command = redact_command(" ".join(["extractor", "batch", *sys.argv[2:]]))[:2000]
    if collect and (inputs or batch_api or force or retry_failed):
        raise ConfigError("--collect takes only --db (and --model / --base-url)", "see extractor batch --help")
    if not inputs and not collect and not retry_failed:
        raise ConfigError("no inputs", "give files, directories, globs, JSONL files or - for JSONL on stdin")
    settings = load_settings(**overrides)
    also_hide(url_secrets(settings.base_url))
    from extractor.store import Store, storage_errors

    with Store.open(db) as store, storage_errors(store.path):  # a damaged file or a full disk found mid-run: one line
        if collect:
            return _collect(store, overrides, wait, command)
        return _run(store, settings, tuple(targets), inputs, force, retry_failed, batch_api, command)


def _run(store, settings, targets, inputs, force, retry_failed, batch_api, command) -> int:
    from extractor.batch.keys import result_key
    from extractor.batch.live import BatchRun
    from extractor.batch.process import GracefulStop, fewer_collections
    from extractor.batch.progress import Progress, Tally
    from extractor.sources import expand

    key, options = result_key(settings, targets)
    if batch_api and key.model == "none":
        raise ConfigError("--batch-api needs a model", "give --model openai/<name>")
    mode = "batch-api-submit" if batch_api else "live"
    run_id = store.start_run(key, options, mode, command)
    tally = Tally()
    limiter = _limiter(settings)
    status, code, created = "finished", 0, []
    progress = Progress(tally)
    run = BatchRun(store, run_id, key, settings, targets, tally, progress, _opener(settings, key, limiter))
    items = expand(inputs, max_chars=settings.max_input_chars) if inputs else run.stored_failures()
    selected = run.select(items, force, retry_failed, pending=frozenset() if force else store.pending_remote(key))
    pool = None
    try:
        with GracefulStop() as stop:
            first = next(selected, None)  # an unchanged corpus ends here, and no worker is started
            selected = itertools.chain([first], selected) if first is not None else iter(())
            model_name = None if key.model == "none" else key.model
            if first is not None and settings.engine == "ray" and not batch_api:
                from extractor.batch.ray_pool import RayPool

                pool = RayPool(settings, targets, model_name, settings.ray_address)
            elif first is not None and settings.workers > 1 and not batch_api:
                from extractor.batch.workers import WorkerPool  # forked before the progress bar starts a thread

                pool = WorkerPool(settings, targets, model_name, settings.workers)
            with progress, fewer_collections():
                if pool is not None:
                    stop.deferred = True
                    pool.run(run, selected, stop.check)
                elif batch_api:
                    from extractor.batch.remote import submit

                    remote_options = {**options, "model_setting": settings.model, **_stored_base_url(settings.base_url)}
                    created = asyncio.run(_closing(run, submit(run, selected, remote_options), stop)) or []
                    stop.check()
                    status = "submitted" if created else "finished"
                else:
                    asyncio.run(_closing(run, run.extract_items(selected, run.live_ask), stop))
                    stop.check()
    except KeyboardInterrupt:
        status, code = "interrupted", 130
    except (ExtractorError, sqlite3.Error):
        _stopped(store, run_id, tally)
        raise
    finally:
        run.close_model()
        if pool is not None:
            pool.close()
    store.finish_run(run_id, status, tally.inputs, tally.unchanged, tally.duplicates, tally.seconds)
    print(summary(run_id, tally, limiter, status))
    if created:
        print(f"batch: submitted {', '.join(created)}; collect with: extractor batch --db {store.path} --collect")
    if code:
        return code
    return 1 if tally.failed or tally.left_failed else 0


def _collect(store, overrides, wait, command) -> int:
    batches = store.open_remote_batches()
    if not batches:
        print("batch: no submitted batch is waiting to be collected")
        return 0
    code = 0
    for row in batches:
        code = max(code, _collect_one(store, row, overrides, wait, command))
        if code == 130:
            break
    return code


def _collect_one(store, row, overrides, wait, command) -> int:
    from extractor.batch.keys import result_key
    from extractor.batch.live import BatchRun, stored_items
    from extractor.batch.process import GracefulStop
    from extractor.batch.progress import Progress, Tally
    from extractor.batch.remote import ENDED, batch_asker, read_answers, wait_for

    options = json.loads(row["options_json"])
    given = {k: v for k, v in overrides.items() if v is not None}
    if options.get("base_url_redacted") and not given.get("base_url"):
        raise ConfigError(
            f"{row['id']} was submitted to a server whose URL held credentials, which were not stored",
            "give the same --base-url again to collect it",
        )
    settings = load_settings(**{**_settings_of(options), **given})
    targets = tuple(options.get("targets", ()))
    key, _ = result_key(settings, targets)
    if key.prompt_version != row["prompt_version"]:
        print(
            f"batch: {row['id']} was asked with prompt {row['prompt_version']}, now {key.prompt_version}:"
            " its answers do not fit, so its questions are asked again live",
            file=sys.stderr,
        )
    run_id = store.start_run(key, options, "batch-api-collect", command)
    tally = Tally()
    limiter = _limiter(settings)
    counts = {"answered": 0, "invalid": 0, "missing": 0}
    status, code = "collected", 0
    with Progress(tally) as progress:
        run = BatchRun(store, run_id, key, settings, targets, tally, progress, _opener(settings, key, limiter))
        try:
            with GracefulStop() as stop:
                remote = wait_for(run, row["id"], wait)
                if remote["status"] not in ENDED:
                    status = "waiting"
                else:
                    answers = read_answers(run, remote)
                    documents = stored_items(store.documents(store.remote_batch_documents(row["id"])))
                    selected = run.select(documents, force=False, retry_failed=False)
                    asyncio.run(_closing(run, run.extract_items(selected, batch_asker(run, answers, counts)), stop))
                    stop.check()
                    store.collected(row["id"])
        except KeyboardInterrupt:
            status, code = "interrupted", 130
        except (ExtractorError, sqlite3.Error):
            _stopped(store, run_id, tally)
            raise
        finally:
            run.close_model()
    store.finish_run(run_id, status, tally.inputs, tally.unchanged, tally.duplicates, tally.seconds)
    if status == "waiting":
        print(f"batch: {row['id']} is {remote['status']} ({remote['completed']}/{remote['total']} answered); collect again later")
        return 0
    print(summary(run_id, tally, limiter, status))
    print(
        f"batch: {row['id']}: {counts['answered']} answers used, {counts['invalid'] + counts['missing']} asked live"
        f" ({counts['invalid']} did not validate, {counts['missing']} missing)"
    )
    return code or (1 if tally.failed or tally.left_failed else 0)


def _stopped(store, run_id: int, tally) -> None:
    """Mark a run stopped by an error. When the error is the database's own (a full disk),
    this write may fail too: the error to tell is the first one, and the next run marks this
    one interrupted (its process is gone), so it is never left 'running'."""
    try:
        store.finish_run(run_id, "stopped", tally.inputs, tally.unchanged, tally.duplicates, tally.seconds)
    except (ExtractorError, sqlite3.Error):
        pass


def summary(run_id: int, t, limiter, status: str) -> str:
    from extractor.cost import dollars

    parts = [f"{t.done} done", f"{t.failed} failed"]
    for count, words in (
        (t.degraded, "done with warnings (the model failed on some passages: --retry-failed asks again)"),
        (t.left_degraded, "done with warnings before (--retry-failed asks again)"),
        (t.unchanged, "unchanged"),
        (t.duplicates, "duplicates"),
        (t.left_failed, "failed before (--retry-failed retries them)"),
        (t.not_failed, "not failed, skipped"),
        (t.pending_remote, "waiting for an OpenAI batch"),
    ):
        if count:
            parts.append(f"{count} {words}")
    u = t.usage
    spent = (
        f"{u.requests:,} requests, {u.prompt_tokens:,} prompt + {u.completion_tokens:,} completion tokens,"
        f" {u.retries:,} retries, ~{dollars(t.cost)}"
    )
    if limiter is not None and limiter.rate_limited:
        spent += f", rate limited {limiter.rate_limited} times"
    word = "" if status in ("finished", "collected") else f" {status}"
    return f"batch: run {run_id}{word}: {t.inputs} inputs: {', '.join(parts)}; {spent}; {t.seconds:.1f} s"


def _settings_of(options: dict) -> dict:
    """The settings a submitted batch was made with, from what its record kept."""
    from extractor.batch.keys import MODEL_OPTIONS, RESULT_OPTIONS

    values = {k: options[k] for k in (*RESULT_OPTIONS, *MODEL_OPTIONS) if k in options}
    values["model"] = options.get("model_setting")
    values["base_url"] = options.get("base_url")
    if options.get("strategy") in ("narrow", "full"):
        values["strategy"] = options["strategy"]
    return values


def _stored_base_url(url: str | None) -> dict:
    """The base URL as a submitted batch's record keeps it: without credentials."""
    from extractor.redact import redact_url

    redacted = redact_url(url)
    return {"base_url": redacted, "base_url_redacted": True} if redacted != url else {"base_url": url}


def _limiter(settings):
    if settings.uses_no_model:
        return None
    from extractor.ratelimit import RateLimiter

    return RateLimiter(settings.rpm, settings.tpm, completion_tokens=settings.max_tokens)


def _opener(settings, key, limiter):
    if key.model == "none":
        return None

    def open_model():
        from extractor.llm import LanguageModel

        model = LanguageModel(settings, limiter=limiter)
        if model.name != key.model:  # keys.model_name must name models as llm.resolve does
            raise ConfigError(f"internal error: model {model.name} stored as {key.model}", "please report this")
        return model

    return open_model


async def _closing(run, work, stop):
    try:
        return await stop.guard(work)
    finally:
        await run.close()
