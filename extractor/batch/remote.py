"""The OpenAI Batch API: the same questions as a live run, answered within 24 hours at half
the price.

    submit()    each selected document's questions (the sans-IO steps, walked without answers)
                become request lines; identical requests are sent once. The lines are
                uploaded, a batch is created, and its id and documents are recorded.
    collect()   polls each open batch until it ends, downloads its answers, and runs every
                document's steps again with them: each answer is validated and grounded
                exactly as a live answer is (`LanguageModel.parse_answer`). An answer that is
                missing, failed, or does not validate is asked live instead.

A request's custom_id is a hash of its body, so a document's answers are found by asking the
same questions again; nothing depends on the order of the output file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time

from extractor.batch.driver import Ask, Spend, all_questions
from extractor.batch.live import BatchRun
from extractor.errors import ValidationFailed
from extractor.pipeline import Question, extraction_steps
from extractor.schema import Usage

log = logging.getLogger(__name__)

MAX_REQUESTS = 50_000  # the Batch API's limits per batch file
MAX_BYTES = 190 * 1024 * 1024
ENDED = {"completed", "failed", "expired", "cancelled"}


def custom_id(body: dict) -> str:
    return "q-" + hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:40]


async def submit(run: BatchRun, items, options: dict) -> list[str]:
    """Submit the selected documents; returns the batch ids created."""
    model = run.model()
    lines: dict[str, bytes] = {}
    size = 0
    documents: list[str] = []
    created: list[str] = []

    def send() -> None:
        nonlocal lines, size, documents
        if not lines:
            return
        batch_id, file_id = model.submit_batch(
            b"".join(lines.values()), metadata={"extractor_run": str(run.run_id), "extractor_options": run.key.options_key}
        )
        run.store.save_remote_batch(batch_id, run.run_id, run.key, options, file_id, len(lines), documents)
        run.progress.note(f"submitted {batch_id}: {len(lines)} requests for {len(documents)} documents")
        created.append(batch_id)
        lines, size, documents = {}, 0, []

    for item in items:
        steps = extraction_steps(item.document, run.settings, run.model_name, run.targets, Usage())
        questions = all_questions(steps)
        if not questions:  # rules alone answer it: no reason to wait a day
            await run.extract_one(item, _no_questions)
            continue
        mine = {}
        for q in questions:
            body = model.request_body(q.system, q.user, q.response_model)
            cid = custom_id(body)
            if cid not in lines:
                mine[cid] = json.dumps(
                    {"custom_id": cid, "method": "POST", "url": "/v1/chat/completions", "body": body}, ensure_ascii=False
                ).encode() + b"\n"
        extra = sum(len(v) for v in mine.values())
        if lines and (len(lines) + len(mine) > MAX_REQUESTS or size + extra > MAX_BYTES):
            send()
        run.store.save_document(run.run_id, item.document, item.origin)
        lines.update(mine)
        size += extra
        documents.append(item.document.id)
        run.tally.pending_remote += 1
    send()
    return created


def wait_for(run: BatchRun, batch_id: str, wait: bool) -> dict:
    """Poll until the batch has ended (or once, without `wait`)."""
    model = run.model()
    while True:
        status = model.batch_status(batch_id)
        run.store.update_remote_batch(batch_id, status)
        if status["status"] in ENDED or not wait:
            return status
        run.progress.note(
            f"{batch_id}: {status['status']}, {status['completed']}/{status['total']} answered;"
            f" looking again in {run.settings.batch_poll_seconds:g} s"
        )
        time.sleep(run.settings.batch_poll_seconds)


def read_answers(run: BatchRun, status: dict) -> dict[str, dict]:
    """custom_id -> chat completion body, for the lines the batch answered."""
    if not status.get("output_file_id"):
        return {}
    answers = {}
    for line in run.model().batch_file(status["output_file_id"]).splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a broken line: its question is asked live
        response = record.get("response") or {}
        if record.get("error") is None and response.get("status_code") == 200 and isinstance(response.get("body"), dict):
            answers[record["custom_id"]] = response["body"]
    return answers


def batch_asker(run: BatchRun, answers: dict[str, dict], counts: dict[str, int]) -> Ask:
    model = run.model()

    async def ask(q: Question, spend: Spend):
        completion = answers.get(custom_id(model.request_body(q.system, q.user, q.response_model)))
        if completion is not None:
            used = completion.get("usage") or {}
            paid = Usage(
                requests=1,
                prompt_tokens=used.get("prompt_tokens") or 0,
                completion_tokens=used.get("completion_tokens") or 0,
            )
            spend.usage.add(paid)
            spend.batch_api.add(paid)
            try:
                answer = model.parse_answer(completion, q.response_model, q.context)
                counts["answered"] += 1
                return answer
            except ValidationFailed as e:
                log.debug("batch answer rejected: %s", e.__cause__)
                counts["invalid"] += 1
        else:
            counts["missing"] += 1
        return await run.live_ask(q, spend)

    return ask


async def _no_questions(q: Question, spend: Spend):  # pragma: no cover - never asked
    raise AssertionError("a document without questions asked one")
