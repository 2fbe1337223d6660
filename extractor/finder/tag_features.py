"""Token features for the learned attribution tagger, shared by training and inference.

The tagger labels every token of a paragraph as O (outside), S (source), C (cue) or Q (content).
Its features are the finder's own view of the text: the word and its neighbours, its shape,
whether it sits inside a quotation, whether it is a lexicon cue word, and what the rules
already labelled it. The rules' labels make the tagger a second opinion on top of them: it
learns where they are right and where the long tail of cues outside the lexicon starts.

A feature is a (template, value) pair; `paragraph_values` gives, for each token, one value per
template in TEMPLATES order. Training turns them into strings for CRFsuite, inference into row
numbers of the weight matrix, so both read exactly the same values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extractor.finder.lexicon import CUE_WORDS, PRONOUNS
from extractor.finder.raw import Raw
from extractor.finder.text import Layout
from extractor.finder.tokens import QUOTE_CHARS, Tok

LABELS = ("O", "S", "C", "Q")  # outside, source, cue, content; codes 0..3 in the label arrays
O, S, C, Q = range(4)
TEMPLATES = (
    "w", "p1", "n1", "p2", "n2", "suf", "shape", "pw", "wn",
    "r", "rpn", "q", "qw", "lex", "sent", "first", "rw", "pos", "stem", "sn1", "lcue", "rcue",
)  # fmt: skip
_SUFFIXES = ("ing", "ed", "es", "s", "d")


@dataclass(frozen=True)
class Paragraph:
    span: tuple[int, int]
    toks: list[Tok]
    sentence_of: list[int]  # index into Layout.sentences for each token


def char_labels(size: int, raws: Sequence[Raw]) -> bytearray:
    """One label code per character of the text: what the given attributions cover."""
    lab = bytearray(size)
    for r in raws:
        for s, e in r.parts:
            lab[s:e] = bytes((Q,)) * (e - s)
        s, e = r.cue
        lab[s:e] = bytes((C,)) * (e - s)
        if r.source:
            s, e = r.source
            lab[s:e] = bytes((S,)) * (e - s)
    return lab


def quote_chars(size: int, lay: Layout) -> bytearray:
    inside = bytearray(size)
    for q in lay.quotes:
        inside[q.start : q.end] = b"\x01" * (q.end - q.start)
    return inside


def paragraphs(text: str, lay: Layout, skip: Sequence[bool] | None = None) -> list[Paragraph]:
    """The paragraphs' tokens, each with its sentence; without those whose sentences are all
    `skip` (when given)."""
    out = []
    sents = lay.sentences
    si = 0
    for ps, pe in lay.paragraphs:
        while si + 1 < len(sents) and sents[si][1] <= ps:
            si += 1
        last = si
        while last + 1 < len(sents) and sents[last + 1][0] < pe:
            last += 1
        if skip is not None and all(skip[si : last + 1]):
            continue
        # sentences tile their paragraph (only spaces between them), so its tokens are theirs
        toks = [t for k in range(si, last + 1) for t in lay.tokens(text, *sents[k])]
        if not toks:
            continue
        owner = []
        for t in toks:
            while si + 1 < len(sents) and sents[si][1] <= t.start:
                si += 1
            owner.append(si)
        out.append(Paragraph((ps, pe), toks, owner))
    return out


def _shape(t: Tok) -> str:
    if t.text in QUOTE_CHARS:
        return "quote"
    if not t.word:
        return t.text
    if t.text[0].isdigit():
        return "digit"
    if t.cap:
        return "CAPS" if t.text.isupper() and len(t.text) > 1 else "Cap"
    return "low"


def _stem(w: str) -> str:
    """A crude stem, so that 'bemoans' and 'bemoaned' share a weight."""
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


def _bucket(d: int) -> str:
    return "-" if d < 0 else "0" if d == 0 else "1" if d <= 2 else "2" if d <= 5 else "3" if d <= 12 else "4"


def _cue_distances(toks: list[Tok], owner: list[int], inside: bytearray) -> tuple[list[int], list[int]]:
    """Per token, tokens to the nearest lexicon cue word outside quotes on its left and on its
    right in the same sentence (-1: none)."""
    n = len(toks)
    is_cue = [t.low in CUE_WORDS and not inside[t.start] for t in toks]
    left, right = [-1] * n, [-1] * n
    last = -1
    for i in range(n):
        if i and owner[i] != owner[i - 1]:
            last = -1
        left[i] = i - last if last >= 0 else -1
        if is_cue[i]:
            last = i
    last = -1
    for i in range(n - 1, -1, -1):
        if i < n - 1 and owner[i] != owner[i + 1]:
            last = -1
        right[i] = last - i if last >= 0 else -1
        if is_cue[i]:
            last = i
    return left, right


def paragraph_values(
    para: Paragraph, rule: bytearray, inside: bytearray, sentence_has_rule: Sequence[bool]
) -> list[tuple[str, ...]]:
    """The feature values of each token of a paragraph, in TEMPLATES order."""
    toks = para.toks
    n = len(toks)
    lows = ["<s2>", "<s>"] + [t.low for t in toks] + ["</s>", "</s2>"]
    rules = [str(rule[t.start]) for t in toks]
    rpad = ["-"] + rules + ["-"]
    out = []
    prev_sent = -1
    since_sent = 0
    left, right = _cue_distances(toks, para.sentence_of, inside)
    for i, t in enumerate(toks):
        w = t.low
        p1, n1 = lows[i + 1], lows[i + 3]
        si = para.sentence_of[i]
        if si != prev_sent:
            prev_sent, since_sent = si, 0
        else:
            since_sent += 1
        in_q = "m" if t.text in QUOTE_CHARS else ("i" if inside[t.start] else "o")
        r = rules[i]
        out.append(
            (
                w,
                p1,
                n1,
                lows[i],
                lows[i + 4],
                w[-3:],
                _shape(t),
                p1 + "|" + w,
                w + "|" + n1,
                r,
                rpad[i] + r + rpad[i + 2],
                in_q,
                in_q + w if in_q != "i" else in_q,
                "cue" if w in CUE_WORDS else ("pron" if w in PRONOUNS else "-"),
                "1" if sentence_has_rule[si] else "0",
                str(min(since_sent, 3)),
                r + w if r != "0" else "0",
                "end" if i == n - 1 else str(min(i, 4)),
                _stem(w),
                w[-2:] + "|" + n1,
                _bucket(left[i]),
                _bucket(right[i]),
            )
        )
    return out


def document_inputs(text: str, lay: Layout, rule_raws: Sequence[Raw]) -> tuple[list[Paragraph], list[list[tuple[str, ...]]]]:
    """Paragraphs and their token feature values for one document."""
    rule = char_labels(len(text), rule_raws)
    inside = quote_chars(len(text), lay)
    has_rule = [rule.count(0, s, e) < e - s for s, e in lay.sentences]
    paras = paragraphs(text, lay)
    return paras, [paragraph_values(p, rule, inside, has_rule) for p in paras]
