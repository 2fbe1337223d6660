"""The held-out German and French pages (tests/pages_heldout/): four news pages of our own
(two German, one of them Swiss, two French) around articles of our own, with cookie banners,
menus, teasers with quotations, bylines, credits, 'Lesen Sie auch'/'Lire aussi' links and
newsletter boxes. Their gold was written before the tool first ran on them, and they were scored
once (`python benchmarks/pages_eval.py tests/pages_heldout --errors`) with no rule, lexicon,
furniture phrase or code changed afterwards: an honest measure, unlike tests/pages_de_fr whose
pages the rules were tuned on.

The floors sit a little under the figures of that first run, so that a regression fails; they
are not targets. First run: quote coverage 0.867 (de 0.938, fr 0.786; issue 13's target 0.8),
right speaker 0.867 (de 0.958, fr 0.762), precision 0.882, recall 0.710 (de 0.774, fr 0.645),
furniture 0, junk speakers 5 (de 1, fr 4). French is under the targets for quote coverage and
right speaker; its floors are set under the figures anyway. A change made *for* these pages
spends them: say so in gold.json's _about, and write new held-out pages.

Branch frfix fixed the error *categories* that run showed (from sentences of its own, not the
pages' text), so the pages are no longer a clean measure; scored once after those fixes: quote
coverage 0.933 (de 1.0, fr 0.857), right speaker 0.865 (de 0.96, fr 0.778), precision 0.945,
recall 0.823 (de 0.806, fr 0.839), junk speakers 4. New held-out pages are needed for a clean figure.
"""

from __future__ import annotations

import json

import pytest

from extractor.evaluate.pages import load_pages, score_page, summarize
from extractor.ingest import read_document
from extractor.pipeline import extract
from extractor.settings import Settings
from tests.conftest import ROOT

PAGES = ROOT / "tests" / "pages_heldout"

# language -> (quote coverage, right speaker, precision, recall) floors, most junk speakers,
# and the number of long quotations the first run counted
FLOORS = {
    "de": (0.90, 0.93, 0.86, 0.75, 1, 16),
    "fr": (0.75, 0.74, 0.85, 0.62, 4, 14),
    "all": (0.85, 0.85, 0.86, 0.69, 5, 30),
}


def _language(name: str) -> str:
    html = (PAGES / name).read_text(encoding="utf-8")
    return "de" if '<html lang="de' in html else "fr"


@pytest.fixture(scope="module")
def scores():
    settings = Settings(model="none")
    out = []
    for page in load_pages(PAGES):
        result = extract(read_document(str(page.path)), settings, None)
        assert not result.check_spans()
        assert result.document.language == _language(page.name), page.name
        out.append(score_page(page, result))
    return out


def test_every_page_is_held_out():
    gold = json.loads((PAGES / "gold.json").read_text(encoding="utf-8"))
    pages = {name: entry for name, entry in gold.items() if not name.startswith("_")}
    assert len(pages) == 4 and all(entry.get("held_out") for entry in pages.values())
    assert sorted(_language(name) for name in pages) == ["de", "de", "fr", "fr"]


@pytest.mark.parametrize("language", ["de", "fr", "all"])
def test_held_out_floors(scores, language):
    mine = [s for s in scores if language == "all" or _language(s.name) == language]
    summary = summarize(mine)
    errors = [f"{s.name}: {e}" for s in mine for e in s.errors]
    coverage, speaker, precision, recall, junk, quotes = FLOORS[language]
    assert summary["pages"] == (4 if language == "all" else 2)
    assert summary["quotes"] >= quotes, summary
    assert summary["furniture_reported"] == 0, errors
    assert summary["quote_coverage"] >= coverage, (summary, errors)
    assert summary["right_speaker_on_found"] >= speaker, (summary, errors)
    assert summary["claim_precision"] >= precision, (summary, errors)
    assert summary["claim_recall"] >= recall, (summary, errors)
    assert summary["junk_speakers"] <= junk, (summary, errors)
