"""The real-page set (tests/pages/): web pages of our own around articles of our own, scored
by speaker name and content, rules only. Floors a little below the figures when they were set
(`python benchmarks/pages_eval.py --errors` prints them and every error)."""

from __future__ import annotations

import pytest

from extractor.evaluate.pages import load_pages, score_page, summarize
from extractor.ingest import document_from_bytes, read_document
from extractor.pipeline import extract
from extractor.settings import Settings
from tests.conftest import ROOT

PAGES = ROOT / "tests" / "pages"


@pytest.fixture(scope="module")
def scores():
    settings = Settings(model="none")
    out = []
    for page in load_pages(PAGES):
        result = extract(read_document(str(page.path)), settings, None)
        assert not result.check_spans()
        out.append(score_page(page, result))
    return out


def test_page_set_floors(scores):
    summary = summarize(scores)
    errors = [f"{s.name}: {e}" for s in scores for e in s.errors]
    assert summary["pages"] == 7
    assert summary["wrong_speaker"] == 0, errors  # unsure is unresolved, never a guess
    assert summary["furniture_reported"] == 0, errors
    assert summary["right_speaker_on_found"] >= 0.95, errors
    assert summary["claim_precision"] >= 0.88, errors
    assert summary["claim_recall"] >= 0.85, errors
    assert summary["speaker_precision"] >= 0.85, errors
    assert summary["kinds_right"] >= 0.95, errors


def test_no_page_label_or_author_becomes_a_speaker(scores):
    junk = {name for s in scores for name in s.junk_speakers}
    for label in ("Author", "Factbox", "Feedback", "Our Standards", "Left Image", "Julia Hitz", "Anna Keller"):
        assert not any(label in name for name in junk), junk


def test_an_ambiguous_he_and_company_are_left_unresolved_with_why():
    """'he' after two men, 'the company' after two companies: no speaker, and the claim says why."""
    [page] = [p for p in load_pages(PAGES) if p.name == "velde-port-takeover.html"]
    result = extract(read_document(str(page.path)), Settings(model="none"), None)
    by_content = {c.evidence.text: c for c in result.claims}
    he = next(c for t, c in by_content.items() if "We are not there yet" in t)
    company = next(c for t, c in by_content.items() if "no agreement had been reached" in t)
    for claim, who in ((he, {"Arno Velde", "Piet Maas"}), (company, {"Dalmark Holdings", "Nordwave Corp"})):
        assert claim.speaker_id is None and claim.speaker_status == "unresolved"
        assert claim.unresolved.reason == "ambiguous" and set(claim.unresolved.candidates) == who
        assert claim.speaker_mention is not None  # the mention ('he', 'The company') is kept
    names = {s.name for s in result.speakers}
    # descriptions and titles are no names: 'the shipping group' is Dalmark, 'Fisherman' a role
    assert {"Dalmark Holdings", "Ilse Brandt", "Tom Reilly"} <= names
    assert not names & {"company", "shipping group", "Fisherman Tom Reilly", "Harbourmaster Ilse Brandt"}
    reilly = next(s for s in result.speakers if s.name == "Tom Reilly")
    assert reilly.role == "fisherman"


def test_the_scorer_counts_a_wrong_speaker_and_furniture():
    """The figures mean what they say: a result with a wrong name and a byline claim scores so."""
    from extractor.schema import Claim, Document, ExtractionResult, RunInfo, Span, Speaker

    [page] = [p for p in load_pages(PAGES) if p.name == "harbour-ferry-fares.html"]
    text = "Author: Anna Keller\nWójcik said the terminal could be repaired in stages for far less money."
    at = text.index("the terminal")
    result = ExtractionResult(
        document=Document.from_text(text),
        speakers=[Speaker(id="s1", name="Helen Marsh"), Speaker(id="s2", name="Author")],
        claims=[
            Claim(id="c1", speaker_id="s1", text="x", evidence=Span.at(text, at, len(text) - 1), attribution="indirect"),
            Claim(id="c2", speaker_id="s2", text="x", evidence=Span.at(text, 8, 19), attribution="indirect"),
        ],
        run=RunInfo(model="none", prompt_version="-"),
    )
    score = score_page(page, result)
    assert (score.claims, score.right, score.right_speaker) == (2, 1, 0)
    assert score.furniture == ["Anna Keller"]
    assert score.junk_speakers == ["Author"]


def test_a_page_built_by_scripts_is_warned_about(capsys):
    body = "<p>Loading the story. Please enable JavaScript to read it here.</p>"
    html = "<!doctype html><html><head>" + "<script>var x = 1;</script>" * 2000 + "</head><body>" + body + "</body></html>"
    doc = document_from_bytes(html.encode(), "page.html", html=True)
    assert len(doc.warnings) == 1 and "may need JavaScript" in doc.warnings[0]
    result = extract(doc, Settings(model="none"), None)
    assert result.run.warnings == list(doc.warnings)
    assert "warnings" not in result.to_json_dict()["document"]  # the document's JSON is unchanged


def test_a_short_page_of_its_own_size_is_not_warned_about():
    html = "<!doctype html><html><body><p>The union said on Friday that its members voted to accept.</p></body></html>"
    assert document_from_bytes(html.encode(), "page.html", html=True).warnings == ()
