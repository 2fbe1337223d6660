"""Decomposed accents (NFD) find what composed ones (NFC) find, with spans into the original
text (issue 15: the NFD form of an article gave no claims where the NFC form gave two)."""

from __future__ import annotations

import unicodedata

from extractor import extract_text
from extractor.finder import find_attributions
from extractor.finder.composed import Composed
from tests.conftest import assert_spans_grounded

ARTICLE = (
    "José Martínez, the mayor of Cádiz, said on Monday that the new tram would cut traffic.\n\n"
    "\u201cWe kept every promise,\u201d Martínez told reporters outside the Ayuntamiento.\n\n"
    "Hélène Durand said the plan would bankrupt the city, according to Le Monde.\n"
)


def _shape(finding) -> list[tuple[str, str, str]]:
    def nfc(span):
        return unicodedata.normalize("NFC", span.text) if span else ""

    return [(nfc(a.content), nfc(a.cue), nfc(a.source)) for a in finding.attributions]


def test_decomposed_accents_find_what_composed_ones_find():
    nfd = unicodedata.normalize("NFD", ARTICLE)
    assert nfd != ARTICLE
    composed, decomposed = find_attributions(ARTICLE), find_attributions(nfd)
    assert len(composed.attributions) >= 3
    assert _shape(decomposed) == _shape(composed)
    assert [s.name for s in decomposed.speakers] == [s.name for s in composed.speakers]
    for a in decomposed.attributions:
        for span in (a.content, a.cue, a.source, a.sentence, *a.parts):
            if span is not None:
                assert nfd[span.start : span.end] == span.text


def test_extract_on_nfd_text_gives_the_same_claims_grounded_in_the_original():
    nfd = unicodedata.normalize("NFD", ARTICLE)
    composed, decomposed = extract_text(ARTICLE, model="none"), extract_text(nfd, model="none")
    assert len(decomposed.claims) == len(composed.claims) >= 3
    assert decomposed.document.text == nfd
    assert_spans_grounded(decomposed)


def test_offsets_map_back_across_every_composed_piece():
    original = "ab\u0301c d\u0323\u0307e f"  # 'b́' does not compose; 'ḍ̇' composes to one character
    composed = Composed(original)
    assert composed.text == unicodedata.normalize("NFC", original)
    for start in range(len(composed.text) + 1):
        for end in range(start, len(composed.text) + 1):
            s, e = composed.to_original(start, False), composed.to_original(end, True)
            # exact at the pieces' edges; a span ending inside a composed piece takes all of it
            assert composed.text[start:end] in unicodedata.normalize("NFC", original[s:e])
            assert 0 <= s <= e <= len(original)


def test_composed_text_costs_nothing_extra():
    assert find_attributions(ARTICLE) == find_attributions(ARTICLE)  # NFC: found as it is, no mapping
