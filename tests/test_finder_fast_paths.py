"""The finder's shortcuts on dense text (issue 15, item 4) give exactly what the plain ways
give: each is checked against the plain way on many random texts built from the characters
that matter to it. (The tagger's long-paragraph Viterbi is checked in test_tagger.py.)"""

from __future__ import annotations

import gc
import random

from extractor.finder import antecedents, find_attributions, phrases
from extractor.finder.lexicon import ABBREVIATIONS

_PIECES = [".", "!", "?", "\n", " ", "\t", '"', "”", "’", "'", "“", "‘", "A", "Z", "a", "x", "\u00a0", "\r",
           ". ", '." ', ".\n\n", "He said", " A", ", ", ";", "(", "—", ". Yes", ".\n \n\n", "\n\n\n",
           "Mr. ", "J. ", " Dr. Kim", "U.S. "]  # fmt: skip


def _texts(seed: int, count: int, longest: int):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, longest)))


def _plain_sentence_starts(text: str, pos: int, back: int) -> list[int]:
    """antecedents.sentence_starts as it was: one scan of the whole lookback."""
    base = max(0, pos - antecedents._LOOKBACK * (back + 1))
    starts = [base]
    for m in antecedents._BOUNDARY.finditer(text, base, pos):
        if text[m.start()] == ".":
            word = antecedents._LAST_WORD.search(text, max(base, m.start() - 12), m.start())
            if word is not None and (len(word.group()) == 1 or word.group().lower() in ABBREVIATIONS):
                continue
        starts.append(m.end())
    return starts[::-1][: back + 1]


def test_the_sentence_starts_before_a_pronoun_are_those_a_scan_of_the_whole_lookback_finds():
    # the lookback's tail opening inside one boundary: a '.' and the line breaks after it
    text = "a" * 300 + "." + "\n" * 200 + "Ab"
    for back in range(3):
        assert antecedents.sentence_starts(text, len(text), back) == _plain_sentence_starts(text, len(text), back)
    rng = random.Random(5)
    for text in _texts(1, 300, 900):
        for _ in range(20):
            pos, back = rng.randint(0, len(text)), rng.randint(0, 3)
            assert antecedents.sentence_starts(text, pos, back) == _plain_sentence_starts(text, pos, back), (text, pos)


def test_a_noun_cue_content_stops_where_a_search_from_the_cue_stops():
    for text in _texts(2, 1500, 60):
        text = "Trump's claim that " + text.replace("\n", " ") + " his claim that the bridge fell" + text[:20]
        sentence = (0, len(text))
        found = phrases.noun_cues(text, sentence)
        for m, raw in zip(phrases._NOUN_CUE.finditer(text, *sentence), found):
            stop = phrases._NOUN_CUE_STOP.search(text, m.end(), sentence[1])
            end = stop.start() if stop else phrases.content_end(text, m.end(), sentence[1])
            assert raw.parts[0][1] == end, (text, m.end())


def test_the_finder_turns_the_collector_back_on_even_when_it_fails(monkeypatch):
    from extractor.finder import assemble

    assert gc.isenabled()
    find_attributions('"We are ready," the minister said.')
    assert gc.isenabled()

    def broken(text):
        raise RuntimeError("a bug")

    monkeypatch.setattr(assemble, "assemble", broken)
    try:
        find_attributions("The mayor said so.")
    except RuntimeError:
        pass
    assert gc.isenabled()
    monkeypatch.undo()
    gc.disable()  # a caller that turned it off keeps it off
    try:
        find_attributions('"We are ready," the minister said.')
        assert not gc.isenabled()
    finally:
        gc.enable()
