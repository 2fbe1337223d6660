"""The learned pass: attributions the rules missed, proposed by a tagger trained on PolNeAR.

Runs after the rules, over the whole article, paragraph by paragraph. The tagger (a CRF, see
extractor/trained/tagger.py) labels each token source, cue, content or outside, reading the
rules' own labels as features; its runs of labels become attributions here. The rules stay
where they are: a proposal that touches anything the rules attributed is dropped, so the
tagger only adds attributions in text the rules left alone (mostly cues outside the lexicon:
'bemoaned', 'took issue with', 'is demanding'). A paragraph is tagged only when one of its
sentences has no attribution from the rules and holds a word that can open a cue (the
lexicon's, or one whose learned weight favours a cue): that halves the pass's cost, and on
PolNeAR dev it changes no score.

A proposal also has to look like something said: a few words of content, a cue the lexicon
opens when no source was found or when the content is an infinitive, and a source that names
someone ('Not everyone is convinced that ...' is the reporter's summary). Those guards were set on PolNeAR dev, the seed articles
and the real-page set, where the rules alone are already precise.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

import numpy as np

from extractor.finder.lexicon import CUE_WORDS
from extractor.finder.raw import OPEN_QUOTES, Raw
from extractor.finder.tag_features import C, O, Q, S, Paragraph, char_labels, paragraphs, quote_chars
from extractor.finder.tag_ids import RowLookup
from extractor.finder.text import Layout
from extractor.trained.tagger import CrfModel, load

_MIN_CONTENT_CHARS = 6  # shorter runs are stray tokens ('it', 'this'), not something said
_MIN_CONTENT_TOKENS = 3  # 'dismissed that idea': a two-word object is rarely a claim of its own
_NOBODY = frozenset({"not", "no", "nobody", "none"})  # a source opening so names no one
_MAX_LINK_TOKENS = 40  # a cue further than this from a content run does not introduce it

Run = tuple[int, int, int]  # label, first token, token after the last


def runs(labels: Sequence[int]) -> list[Run]:
    """Maximal stretches of one label other than O."""
    out: list[Run] = []
    i, n = 0, len(labels)
    while i < n:
        j = i + 1
        while j < n and labels[j] == labels[i]:
            j += 1
        if labels[i] != O:
            out.append((labels[i], i, j))
        i = j
    return out


def _gap(a: Run, b: Run) -> int:
    """Tokens between two runs (0 when they touch)."""
    return max(a[1] - b[2], b[1] - a[2], 0)


def link(found: list[Run]) -> list[tuple[Run, list[Run], Run | None]]:
    """Group content runs under their nearest cue, and give each cue its nearest source."""
    cues = [r for r in found if r[0] == C]
    sources = [r for r in found if r[0] == S]
    groups: dict[Run, list[Run]] = {}
    for content in (r for r in found if r[0] == Q):
        near = min(cues, key=lambda c: _gap(c, content), default=None)
        if near is not None and _gap(near, content) <= _MAX_LINK_TOKENS:
            groups.setdefault(near, []).append(content)
    out = []
    for cue, contents in groups.items():
        source = min(sources, key=lambda s: _gap(s, cue), default=None)
        if source is not None and _gap(source, cue) > _MAX_LINK_TOKENS // 4:
            source = None
        out.append((cue, contents, source))
    return out


def _free(taken: bytearray, start: int, end: int) -> bool:
    return taken.count(0, start, end) == end - start


def _sourceless_cue_ok(text: str, head: str, content_start: int) -> bool:
    """Without a source, a cue outside the lexicon is mostly the reporter's own phrasing ('in a
    dispute over plans to cut jobs'): on PolNeAR dev fewer than half such proposals are right.
    'referring to' a description is the reporter's too, as in the rules (cues.cue_first)."""
    if head not in CUE_WORDS:
        return False
    return head != "referring" or text[content_start] in OPEN_QUOTES


def paragraph_attributions(
    text: str, lay: Layout, para: Paragraph, labels: Sequence[int], taken: bytearray, starts: Sequence[int]
) -> list[Raw]:
    """The attributions of one tagged paragraph; `taken` marks the rules' characters and
    `starts` are the layout's sentence starts."""
    toks = para.toks
    out = []
    for cue, contents, source in link(runs(labels)):
        parts = [(toks[c[1]].start, toks[c[2] - 1].end) for c in contents]
        cue_span = (toks[cue[1]].start, toks[cue[2] - 1].end)
        src = (toks[source[1]].start, toks[source[2] - 1].end) if source else None
        spans = [*parts, cue_span, *([src] if src else [])]
        if sum(e - s for s, e in parts) < _MIN_CONTENT_CHARS or not all(_free(taken, s, e) for s, e in spans):
            continue
        if sum(c[2] - c[1] for c in contents) < _MIN_CONTENT_TOKENS:
            continue
        if src is None and not _sourceless_cue_ok(text, toks[cue[1]].low, parts[0][0]):
            continue
        if source is not None and toks[source[1]].low in _NOBODY:
            continue
        # 'began refusing to mark exams': an infinitive after a cue the lexicon does not open is
        # more often something done than something said ('vowed to', 'refused to' are kept)
        if toks[contents[0][1]].low == "to" and toks[cue[1]].low not in CUE_WORDS:
            continue
        first = min(s for s, _ in spans)
        last = max(e for _, e in spans)
        sents = lay.sentences
        i = max(0, bisect_right(starts, first) - 1)
        j = max(i, bisect_right(starts, last - 1) - 1)
        kind = "direct" if text[parts[0][0]] in OPEN_QUOTES else "indirect"
        out.append(
            Raw(parts, cue_span, src, kind, (sents[i][0], max(sents[j][1], last)), verb=toks[cue[2] - 1].low)
        )
    return out


_WORDS = re.compile(r"\w+(?:[’'\-.&]\w+)*")
_vocabularies: dict[int, tuple[CrfModel, frozenset[str]]] = {}


def _cue_vocabulary(model: CrfModel) -> frozenset[str]:
    """Words that can open a cue: the lexicon's, and those whose word or stem weight favours C."""
    found = _vocabularies.get(id(model))
    if found is None:
        words = set(CUE_WORDS)
        for name in ("w", "stem"):
            if name in model.templates:
                rows = model.rows[model.templates.index(name)]
                words |= {v for v, r in rows.items() if model.weights[r, C] > model.weights[r, O]}
        found = _vocabularies[id(model)] = (model, frozenset(words))
    return found[1]


_lookups: dict[int, tuple[CrfModel, RowLookup]] = {}  # the model is kept too, so its id stays its own


def learned_attributions(text: str, lay: Layout, rule_raws: Sequence[Raw], model: CrfModel | None = None) -> list[Raw]:
    """Attributions the tagger finds where the rules found none (none without parameters)."""
    model = model or load()
    if model is None:
        return []
    lookup = _lookups.get(id(model))
    if lookup is None:
        lookup = _lookups[id(model)] = (model, RowLookup(model.rows, model.unknown_row()))
    taken = char_labels(len(text), rule_raws)
    has_rule = [taken.count(0, s, e) < e - s for s, e in lay.sentences]
    # A paragraph is tagged when one of its sentences has no attribution from the rules yet and
    # a word the tagger has seen open a cue (its word or stem weighs more for cue than outside).
    vocab = _cue_vocabulary(model)
    idle = [
        rule or vocab.isdisjoint(_WORDS.findall(text[s:e].lower())) for rule, (s, e) in zip(has_rule, lay.sentences)
    ]
    paras = paragraphs(text, lay, skip=idle)
    if not paras:
        return []
    rule = np.frombuffer(taken, dtype=np.uint8)
    inside = np.frombuffer(quote_chars(len(text), lay), dtype=np.uint8)
    flags = np.array(has_rule, dtype=bool)
    ids = lookup[1].rows_of(paras, rule, inside, flags)
    starts = [s for s, _ in lay.sentences]
    out: list[Raw] = []
    for para, labels in zip(paras, model.decode_ids(ids, [len(p.toks) for p in paras])):
        out.extend(paragraph_attributions(text, lay, para, labels, taken, starts))
    return out
