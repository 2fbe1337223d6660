"""A transcript's turns: 'PENCE: Well, look, ...' or '"WALLACE: Let's start with ...'. A
paragraph that opens with a name in capitals and a colon is what that person said; PolNeAR
marks the colon as the cue. Only a name the article gives a person elsewhere ('Gov. Mike
Pence') qualifies, so a label ('UPDATE:', 'WATCH:', 'FACTBOX:') never does."""

from __future__ import annotations

import re

from extractor.finder.names import full_name, name_index
from extractor.finder.raw import Raw, content_end
from extractor.finder.text import Layout

_TURN = re.compile(r"[\"“]?(?P<name>[A-Z][A-Z'’\-]+(?:[ \t][A-Z][A-Z'’\-]+){0,2})(?P<colon>:)[ \t]+(?=\S)")


def transcript_attributions(text: str, lay: Layout) -> list[Raw]:
    found = []
    index = None
    for ps, pe in lay.paragraphs:
        m = _TURN.match(text, ps, pe)
        if m is None:
            continue
        surname = m.group("name").split()[-1].title()
        if index is None:
            index = name_index(text)
        full = full_name(index, surname)
        if full is None or full.split()[-1] != surname:
            continue  # no person of that name in the article: a label, not a speaker
        end = content_end(text, m.end(), pe)
        if end - m.end() < 3:
            continue
        found.append(Raw([(m.end(), end)], m.span("colon"), m.span("name"), "direct", (ps, pe), verb=":"))
    return found
