"""Score the rules (--model none) on the real-page set: web pages with gold by speaker name.

    python benchmarks/pages_eval.py [FOLDER] [--errors]

FOLDER holds the HTML pages and their gold.json (default tests/pages, the English pages;
tests/pages_de_fr holds German and French ones; the format is in extractor/evaluate/pages.py).
Prints the figures the tests hold floors on (claim precision, right speaker on found claims,
furniture reported, quote coverage) and, with --errors, every wrong speaker, missed or
spurious claim, junk speaker, piece of furniture and quotation no claim covers, page by page.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.evaluate.pages import load_pages, score_page, summarize  # noqa: E402
from extractor.ingest import read_document  # noqa: E402
from extractor.pipeline import extract  # noqa: E402
from extractor.settings import Settings  # noqa: E402


def main(argv: list[str]) -> int:
    show_errors = "--errors" in argv
    args = [a for a in argv if a != "--errors"]
    folder = Path(args[0]) if args else ROOT / "tests" / "pages"
    settings = Settings(model="none")
    scores = []
    for page in load_pages(folder):
        document = read_document(str(page.path))
        result = extract(document, settings, None)
        score = score_page(page, result)
        scores.append(score)
        print(
            f"{page.name:36} claims {score.claims:3}  right {score.right:3}  speaker right {score.right_speaker:3}"
            f"  recall {score.recalled}/{score.required}  furniture {len(score.furniture)}  junk speakers {len(score.junk_speakers)}"
            f"  quotes {score.quotes_covered}/{score.quotes}"
        )
        if show_errors:
            for line in score.errors:
                print("    " + line)
    summary = summarize(scores)
    print()
    for key, value in summary.items():
        print(f"{key:24} {value:.3f}" if isinstance(value, float) else f"{key:24} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
