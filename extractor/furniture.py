"""Page furniture: the lines of a web page around an article that are not the article.

Bylines and author boxes ('By Anna Keller, Transport Correspondent', 'Author: Julia Hitz'),
photo credits and captions ('Photo: Jonas Berg/Courier', 'Left Image: ...'), related-link
lists ('Read more: ...'), fact box labels, standards notices ('Our Standards: ...'),
newsletter, feedback and sharing prompts. Read as text they look like 'X: Y' attributions and
put page labels among the speakers, so ingest drops these lines from an HTML page's text, and
the finder drops any attribution on such a line in text saved from a page.

A line is furniture by its label, or by naming the page's author; nothing else is guessed at.
English labels are patterns below; other languages' ('Lesen Sie auch:', 'Lire aussi :',
'Crédit photo :', '… / AFP') are phrases in furniture_phrases.json.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

# A label opening a line, with its colon ('Author: ...') or on its own ('Factbox', 'Related stories').
_LABEL = (
    r"(?:author|authors|by|words|pictures?|photos?|photograph|photography|images?|left image|right image|"
    r"top image|bottom image|video|graphic|illustration|credit|credits|source|sources|caption|"
    r"feedback|factbox|fact box|fact file|key facts|at a glance|read more|read also|see also|also read|"
    r"more on this|more from [\w ]{1,40}|more stories|related|related stories|related articles|related coverage|"
    r"related content|related links|recommended|most read|most popular|trending|popular now|"
    r"our standards|editorial standards|newsletter|sign up|subscribe|follow us|follow|share|share this|"
    r"share this article|tags|topics|filed under|advertisement|sponsored|reporting by|editing by|"
    r"additional reporting by|compiled by|written by|edited by|updated|published|last updated|"
    r"correction|listen|watch|comments?|about the author|contact)"
)
_LABEL_LINE = re.compile(rf"^\s*{_LABEL}\s*(?::|$|\|)", re.IGNORECASE)
# 'Reporting by X in Y; Editing by Z', 'By Anna Keller, Transport Correspondent', 'Words: A · Pictures: B'
_BYLINE = re.compile(
    r"^\s*(?i:by|words|reporting|written|editing|edited)\s+(?i:by\s+)?"
    r"[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3}(?:\s*(?:,|;|\||·|\band\b|&|\bin\b)\s*[^.!?\"“”]{0,80})?\s*$"
)
# A photo credit closing a caption: '... Photo: Jonas Berg/Coastline Courier', '(Ben Okafor/Valley Herald)',
# 'REUTERS/Lena Moss', 'Image: Pia Lorenz/Screen Weekly'
_CREDIT = re.compile(
    r"(?:(?:photo|photograph|image|picture|credit|foto)s?\s*:\s*[^\n]{0,80}|"
    r"\(\s*[A-Z][^()\n/]{1,60}/[^()\n]{1,60}\)|\b[A-Z]{3,}/[A-Z][\w .'\-]{1,40})\s*\.?\s*$",
    re.IGNORECASE,
)
_MAX_LINE = 200  # characters: furniture is short; a paragraph of the story is not dropped
_MAX_OPENER_LINE = 120  # characters: 'Publié le 15 avril 2026 à 18h02, mis à jour à 19h15'


def _other_languages() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """The patterns for the phrases of furniture_phrases.json (German, French...)."""
    data = json.loads((Path(__file__).with_name("furniture_phrases.json")).read_text(encoding="utf-8"))

    def alternatives(key: str) -> str:
        words = {w for ws in data[key].values() for w in ws} if isinstance(data[key], dict) else set(data[key])
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))

    label = re.compile(rf"^\s*(?:{alternatives('labels')})\s*(?::|$|\||\?|\(\d+\)\s*$)", re.IGNORECASE)
    opener = re.compile(rf"^\s*(?:{alternatives('openers')})", re.IGNORECASE)
    credit = re.compile(
        rf"(?:\b(?:{alternatives('credits')})\s*:\s*[^\n]{{0,80}}|/\s?(?:{alternatives('agencies')}))\s*\.?\s*$", re.IGNORECASE
    )
    return label, opener, credit


_LOCAL_LABEL, _LOCAL_OPENER, _LOCAL_CREDIT = _other_languages()


def is_furniture_line(line: str, authors: tuple[str, ...] = ()) -> bool:
    """Whether one line of a page's text is furniture (see the module docstring)."""
    line = line.strip()
    if not line or len(line) > _MAX_LINE:
        return False
    if _LABEL_LINE.match(line) or _BYLINE.match(line) or _CREDIT.search(line):
        return True
    if _LOCAL_LABEL.match(line) or _LOCAL_CREDIT.search(line) or (len(line) <= _MAX_OPENER_LINE and _LOCAL_OPENER.match(line)):
        return True
    # the page's own author, named on a short line of their own: a byline or an author box
    return any(a and a in line and len(line) <= len(a) + 80 and not _QUOTE.search(line) for a in authors)


_QUOTE = re.compile(r"[\"“”]|\b(?:said|says|told)\b")


def drop_furniture(text: str, authors: tuple[str, ...] = ()) -> str:
    """The text without its furniture lines."""
    return "\n".join(line for line in text.split("\n") if not is_furniture_line(line, authors))
