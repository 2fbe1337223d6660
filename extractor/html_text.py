"""A fallback HTML-to-text converter: drops scripts, styles, navigation and page furniture
(elements whose class or id says byline, caption, related links, newsletter...), keeps
paragraphs. Used when trafilatura is not importable."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "form", "template", "svg", "figure", "figcaption", "button"}
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}
_VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "col", "embed", "param", "track"}
# Words in a class or id that mark furniture: 'byline', 'author-box', 'wp-caption', 'related-links'.
_FURNITURE = re.compile(
    r"byline|author|caption|credit|related|share|social|newsletter|signup|subscribe|fact-?box|box--fact|"
    r"cookie|consent|gdpr|banner|comment|tags|trending|most-read|sidebar|advert|ad-slot|promo|support-us|"
    r"standards|feedback|breadcrumb|meta|read-time|more-stories|compare-slider|kicker|dateline|date",
    re.IGNORECASE,
)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (tag, whether it starts a skipped stretch)
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag == "br" and not self.skipping:
                self.parts.append("\n")
            return
        marks = " ".join(v or "" for k, v in attrs if k in {"class", "id"})
        skip = tag in _SKIP or bool(marks and _FURNITURE.search(marks))
        self.open.append((tag, skip))
        self.skipping += skip
        if tag in _BLOCK and not self.skipping:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if not any(t == tag for t, _ in self.open):
            return  # a stray end tag
        while self.open:  # close what was left open inside it too
            t, skip = self.open.pop()
            self.skipping -= skip
            if t == tag:
                break
        if tag in _BLOCK and not self.skipping:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def strip_tags(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)
