"""Our CPU per answered document with the `full` strategy, no network (rich answers).

    python benchmarks/answer_cpu.py [--documents 200] [--profile]

For each of N distinct articles (the seed articles, each with its own closing line): the
steps' question, the request body, the stand-in's rich answer to it (about 20 claims, some
quotes miscopied, some not in the text: tests/openai_standin.rich_answer) as a chat
completion, the answer parsed and validated as a live answer is (`parse_answer`, grounding
context included; an answer with a quote not in the text is validated again, as the answer
to the re-ask), and the steps run to their result. The stand-in's own work is not counted.
Prints CPU milliseconds per document, split into finder-to-question, validation, and the rest
(grounding, merging, stances, check-worthiness). `--profile` prints the top of a cProfile.
Target (issue 11): under 10 ms per document with answers of about 20 claims.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEEDS = ["city-council-bike-lanes.txt", "central-bank-rates.txt", "peskov-nato-red-line.txt", "ukraine-grain-talks-cyrillic.txt"]


def run(documents: int) -> dict[str, float]:
    from extractor.errors import ValidationFailed
    from extractor.llm import LanguageModel
    from extractor.pipeline import extraction_steps
    from extractor.schema import Document, Usage
    from extractor.settings import Settings
    from tests.openai_standin import completion_for

    settings = Settings(model="stand-in", base_url="http://127.0.0.1:9/v1", strategy="full")
    model = LanguageModel(settings)
    texts = [(ROOT / "seeds" / name).read_text(encoding="utf-8") for name in SEEDS]
    spent = {"question": 0.0, "validation": 0.0, "rest": 0.0, "claims": 0, "reasked": 0}
    for n in range(documents):
        document = Document.from_text(f"{texts[n % len(texts)]}\nReported for edition {n}.\n")
        clock = time.process_time()
        steps = extraction_steps(document, settings, model.name, (), Usage())
        question = next(steps)
        body = model.request_body(question.system, question.user, question.response_model)
        spent["question"] += time.process_time() - clock
        completion = completion_for(body, spoil=False, rich=True)  # the server's work: not ours
        clock = time.process_time()
        try:
            answer, error = model.parse_answer(completion, question.response_model, question.context), None
        except ValidationFailed:  # a quote not in the text: a live run asks again, and is answered
            spent["reasked"] += 1
            body = dict(body, messages=[*body["messages"], {"role": "user", "content": "(the validation error)"}])
            completion = completion_for(body, spoil=False, rich=True)
            answer, error = model.parse_answer(completion, question.response_model, question.context), None
        spent["validation"] += time.process_time() - clock
        clock = time.process_time()
        try:
            while True:
                question = steps.throw(error) if error else steps.send(answer)
                answer, error = None, ValidationFailed("one question a document here")
        except StopIteration as done:
            spent["claims"] += len(done.value.claims)
        spent["rest"] += time.process_time() - clock
    model.close()
    return spent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--documents", type=int, default=200)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args(argv)
    run(4)  # imports and caches are not part of the figure
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    spent = run(args.documents)
    if args.profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    per = {k: v / args.documents * 1000 for k, v in spent.items() if k not in ("claims", "reasked")}
    print(f"{args.documents} documents, {spent['claims'] / args.documents:.1f} claims each, "
          f"{spent['reasked']} answers with a quote not in the text (validated twice): "
          f"{sum(per.values()):.1f} ms of CPU per document (question {per['question']:.1f}, "
          f"validation {per['validation']:.1f}, grounding/merge/stances {per['rest']:.1f}); target < 10 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
