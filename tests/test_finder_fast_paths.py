"""The finder's shortcuts on dense text (issue 15, item 4) give exactly what the plain ways
give: each is checked against the plain way on many random texts built from the characters
that matter to it. (The tagger's long-paragraph Viterbi is checked in test_tagger.py.)"""

from __future__ import annotations

import gc
import random

from extractor.finder import find_attributions, phrases

_PIECES = [".", "!", "?", "\n", " ", "\t", '"', "”", "’", "'", "“", "‘", "A", "Z", "a", "x", "\u00a0", "\r",
           ". ", '." ', ".\n\n", "He said", " A", ", ", ";", "(", "—", ". Yes", ".\n \n\n", "\n\n\n"]  # fmt: skip


def _texts(seed: int, count: int, longest: int):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, longest)))


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
