"""The German and French page set (tests/pages_de_fr/): news pages of our own around articles of
our own, with menus, teasers, bylines, credits and newsletter boxes in their language, scored
by speaker name and content, rules only. Floors a little below the figures when they were set
(`python benchmarks/pages_eval.py tests/pages_de_fr --errors` prints them and every error).

Issue 13's measure is quote coverage: the direct quotations of four words or more in the
article body that a claim covers (target 0.8)."""

from __future__ import annotations

import json

import pytest

from extractor.evaluate.pages import load_pages, score_page, summarize
from extractor.finder import find_attributions
from extractor.furniture import drop_furniture, is_furniture_line
from extractor.ingest import read_document
from extractor.pipeline import extract
from extractor.settings import Settings
from tests.conftest import ROOT

PAGES = ROOT / "tests" / "pages_de_fr"
HELD_OUT = {name for name, entry in json.loads((PAGES / "gold.json").read_text(encoding="utf-8")).items() if isinstance(entry, dict) and entry.get("held_out")}


@pytest.fixture(scope="module")
def scores():
    settings = Settings(model="none")
    out = []
    for page in load_pages(PAGES):
        result = extract(read_document(str(page.path)), settings, None)
        assert not result.check_spans()
        assert result.document.language in ("de", "fr"), page.name
        out.append(score_page(page, result))
    return out


def test_page_set_floors(scores):
    summary = summarize(scores)
    errors = [f"{s.name}: {e}" for s in scores for e in s.errors]
    assert summary["pages"] == 8 and summary["quotes"] >= 60
    assert summary["furniture_reported"] == 0, errors
    assert summary["quote_coverage"] >= 0.9, errors
    assert summary["right_speaker_on_found"] >= 0.95, errors
    assert summary["claim_precision"] >= 0.95, errors
    assert summary["claim_recall"] >= 0.9, errors
    assert summary["speaker_precision"] >= 0.95, errors


@pytest.mark.parametrize("language", ["de", "fr"])
def test_each_language_meets_the_issue_targets(scores, language):
    """Quote coverage >= 0.8 and right speaker >= 0.9 in each language, not only together."""
    mine = [s for s in scores if _language(s.name) == language]
    summary = summarize(mine)
    assert summary["pages"] == 4
    assert summary["quote_coverage"] >= 0.8 and summary["right_speaker_on_found"] >= 0.9, summary


def _language(name: str) -> str:
    html = (PAGES / name).read_text(encoding="utf-8")
    return "de" if '<html lang="de' in html else "fr"


def test_held_out_pages_meet_the_targets_on_their_own(scores):
    """Written and first scored before the rules were changed for them (gold.json says when)."""
    held = [s for s in scores if s.name in HELD_OUT]
    assert len(held) == 4
    summary = summarize(held)
    assert summary["quote_coverage"] >= 0.8 and summary["right_speaker_on_found"] >= 0.9, summary


def test_quote_coverage_counts_long_quotations_and_skips_furniture():
    from extractor.schema import Claim, Document, ExtractionResult, RunInfo, Span, Speaker

    [page] = [p for p in load_pages(PAGES) if p.name == "assurance-chomage.html"]
    text = (
        "« Le cœur de la réforme ne bougera pas », a dit Hélène Garnier. Elle parle d'une « provocation ».\n"
        "Lire aussi : « On nous prend pour des variables d'ajustement »\n"
        "« Personne ne peut dire que le système fonctionne », a-t-il affirmé."
    )
    doc = Document.from_text(text).model_copy(update={"language": "fr"})
    at = text.index("«")
    result = ExtractionResult(
        document=doc,
        speakers=[Speaker(id="s1", name="Hélène Garnier")],
        claims=[Claim(id="c1", speaker_id="s1", text="x", evidence=Span.at(text, at, text.index("»") + 1), attribution="direct")],
        run=RunInfo(model="none", prompt_version="-"),
    )
    score = score_page(page, result)
    # one word is no quotation to cover; the teaser's quotation is furniture, scored as such
    assert (score.quotes, score.quotes_covered) == (2, 1)
    assert any("quote not covered: « Personne" in e for e in score.errors)


@pytest.mark.parametrize(
    "line",
    [
        "Lesen Sie auch: „Wir sind am Limit“: Bundespolizisten schieben Überstunden vor sich her",
        "Passend zum Thema: «Wir bleiben, bis man uns wegträgt»: Besetzer wollen nicht gehen",
        "Kommentare (34)",
        "Fehler gefunden? Jetzt melden.",
        "Eine Kamera am Hauptbahnhof. Bild: Michael Buholzer / Keystone",
        "À lire aussi : Nantes : « On a doublé le nombre de cyclistes », se félicite la Ville",
        "Lire aussi | Méga-bassines : « On nous vole l'eau », accusent les opposants",
        "Temps de lecture : 4 min",
        "Publié le 15 avril 2026 à 18h02, mis à jour à 19h15",
        "Le lac de Serre-Ponçon, le 9 avril 2026. JEAN-PIERRE CLATOT / AFP",
        "Abonnez-vous à notre newsletter",
    ],
)
def test_german_and_french_furniture_lines(line):
    assert is_furniture_line(line)


def test_story_lines_that_start_like_furniture_are_kept():
    story = (
        "Kommentare im Netz seien kein Maßstab, sagte sie.\n"
        "Par ailleurs, le ministre a dit que la réforme était juste.\n"
        "Quelle der Daten ist das Statistische Amt, sagte Müller."
    )
    assert drop_furniture(story) == story


@pytest.mark.parametrize(
    "language, text, content, speaker",
    [
        ("fr", "La députée Nathalie Roux a promis « une bataille amendement par amendement ».", "« une bataille amendement par amendement »", "Nathalie Roux"),
        ("fr", "Sandrine Huet tient une boutique. « Mes clients viennent en voiture », s'inquiète-t-elle.", "« Mes clients viennent en voiture »", "Sandrine Huet"),
        ("de", "Die SVP bezeichnete die Vorlage in einer Mitteilung als «Enteignung durch die Hintertür».", "«Enteignung durch die Hintertür»", "SVP"),
        ("de", "Die Vorsitzende Andrea Voss sagte dem Sender RBB, sie hoffe auf mehr Stellen.", "sie hoffe auf mehr Stellen", "Andrea Voss"),
        ("de", "Urs Baumgartner gibt sich zuversichtlich: «Die Leute haben schon mehrmals klar entschieden.»", "«Die Leute haben schon mehrmals klar entschieden.»", "Urs Baumgartner"),
    ],
)
def test_cues_the_pages_showed(language, text, content, speaker):
    found = find_attributions(text, language)
    got = {(a.content.text, found.speaker(a.speaker_key).name) for a in found.attributions if a.speaker_key}
    assert (content, speaker) in got, got


def test_a_capitalised_word_opening_a_sentence_is_no_speaker():
    """'Ganz anders …' (German capitalises nouns and sentence openers) is not someone 'sie' refers to."""
    text = (
        "Nadja Zürcher leitet die Genossenschaft. «Uns fehlt das Bauland», sagte Zürcher. "
        "Ganz anders sieht das die Stadt. Sie sagte, es gebe genug Reserven."
    )
    found = find_attributions(text, "de")
    assert "Ganz" not in {s.name for s in found.speakers}
