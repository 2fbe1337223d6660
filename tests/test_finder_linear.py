"""The finder's work grows in proportion to the text, whatever the text (issue 15: 'according
to' repeated 100,000 times took over 300 s). No clock here: the work is measured as the
characters the finder's spans hold and the characters its searches scan, which grow with the
square of the text when a cue's search or content runs to the end of an unbroken 'sentence'.
The time itself is in benchmarks/finder_adversarial.py."""

from __future__ import annotations

import pytest

from extractor.finder import find_attributions, phrases
from extractor.finder.text import MAX_SENTENCE, layout

CUES = [
    "according to ",
    "according to officials, ",
    "it was said that ",
    "his claim that ",
    '"Yes," he said. ',
    "pressed by Smith on whether ",
    "Smith told CNN that ",
]


def _repeated(cue: str, size: int) -> str:
    return (cue * (size // len(cue) + 1))[:size]


def _span_chars(text: str) -> int:
    finding = find_attributions(text)
    return sum(len(a.content.text) + len(a.sentence.text) + sum(len(p.text) for p in a.parts) for a in finding.attributions)


@pytest.mark.parametrize("cue", CUES)
def test_the_text_the_finder_cuts_grows_linearly_with_repeated_cues(cue):
    small = _span_chars(_repeated(cue, 20_000))
    big = _span_chars(_repeated(cue, 80_000))
    assert big <= 5 * small + MAX_SENTENCE, (small, big)  # 4x the text: about 4x the work, not 16x


class _CountingPattern:
    def __init__(self, pattern):
        self.pattern = pattern
        self.scanned = 0

    def search(self, text, pos=0, endpos=None):
        end = len(text) if endpos is None else endpos
        self.scanned += max(0, end - pos)
        return self.pattern.search(text, pos, end)


def test_according_to_looks_for_its_source_near_the_cue_only(monkeypatch):
    counting = _CountingPattern(phrases._SOURCE_STOP)
    monkeypatch.setattr(phrases, "_SOURCE_STOP", counting)
    text = _repeated("according to ", 100_000)
    sentence = (0, len(text))  # one unbroken sentence, as a text without full stops is
    phrases.according_to(text, sentence)
    matches = text.count("according to")
    assert counting.scanned <= matches * (phrases._SOURCE_WINDOW + 1)


def test_no_sentence_is_longer_than_the_bound_and_sentences_still_cover_the_text():
    text = _repeated("according to ", 50_000) + "\n\nPeskov said the talks would go on. He left."
    sentences = layout(text).sentences
    assert max(e - s for s, e in sentences) <= MAX_SENTENCE
    covered = "".join(text[s:e] for s, e in sentences)
    assert covered.replace(" ", "") == text.replace(" ", "").replace("\n", "")
    assert text[sentences[-2][0] : sentences[-2][1]] == "Peskov said the talks would go on."
