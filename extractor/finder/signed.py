"""A quotation signed with a dash: '“He represents our greatest shame.” ― Sonya Herridge', the
form of reader comments, epigraphs and lists of reactions. No verb says who spoke: the dash
does (PolNeAR marks it as the cue). The whole quotation is the content, the name the source.
Only a paragraph made of exactly that qualifies, so a dash inside running text never does."""

from __future__ import annotations

import re

from extractor.finder.raw import Raw
from extractor.finder.text import Layout

# the dash, then a name of up to five words (particles allowed) and nothing else in the paragraph
# (a no-break space may follow the dash, and a full stop the name: '” ―\xa0Julie A. Diaz Martinez.')
_SIGNATURE = re.compile(
    r"[ \t\xa0]*(?P<dash>[―—–]|--)[ \t\xa0]*(?P<name>[A-Z][\w.'’\-]*(?:[ \t\xa0]+(?:[A-Z][\w.'’\-]*|de|da|del|van|von|bin|al|la|le)){0,4}?)\.?[ \t\xa0]*"
)


def signed_attributions(text: str, lay: Layout) -> list[Raw]:
    found = []
    for ps, pe in lay.paragraphs:
        q = lay.quote_at(ps)
        if q is None or q.start != ps or not q.closed or q.end >= pe:
            continue
        m = _SIGNATURE.fullmatch(text, q.end, pe)
        if m is None:
            continue
        name_start, name_end = m.span("name")
        if text[name_end - 1] == "." and name_end - name_start > 2 and text[name_end - 3] not in " \t\xa0.":
            name_end -= 1  # 'Diaz Martinez.': the full stop ends the line, 'A.' keeps its own
        found.append(Raw([(q.start, q.end)], m.span("dash"), (name_start, name_end), "direct", (ps, pe), verb=m.group("dash")))
    return found
