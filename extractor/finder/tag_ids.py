"""The tagger's features as weight-row numbers, fast: what `tag_features.paragraph_values`
computes as strings, looked up once per distinct word instead of once per template and token.

Most templates are a function of one word (the token's own, or a neighbour's): those row
numbers are cached per word text, so a token costs one dictionary lookup for itself plus a few
for its word pairs. tests/test_tagger.py checks that both paths give the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from extractor.finder.lexicon import CUE_WORDS, PRONOUNS
from extractor.finder.tag_features import TEMPLATES, Paragraph, _cue_distances, _shape, _stem
from extractor.finder.tokens import QUOTE_CHARS, Tok

_T = {name: i for i, name in enumerate(TEMPLATES)}
_PADS = ("<s2>", "<s>", "</s>", "</s2>")
_CACHE_LIMIT = 200_000  # distinct word texts kept; a long batch of odd text cannot grow it without end


class RowLookup:
    """Row numbers of one model's weights for the fixed TEMPLATES."""

    def __init__(self, rows: Sequence[dict[str, int]], unknown: int):
        if len(rows) != len(TEMPLATES):
            raise ValueError(f"tagger parameters have {len(rows)} templates, the features {len(TEMPLATES)}")
        self.rows = rows
        self.unknown = unknown
        # word text -> row of `table`, which holds the word's rows for the word-only templates
        self.index: dict[str, int] = {}
        self.table = np.zeros((1024, 14), dtype=np.int64)
        names = ("w", "p1", "n1", "p2", "n2", "suf", "shape", "lex", "stem", "qw", "rw")
        self._word_templates = tuple(rows[_T[name]] for name in names)
        self.pads = {p: self._entry(p, p, p) for p in _PADS}
        g = self.get
        # the rows of the templates with a handful of values, as arrays indexed by value code
        rule_codes = "01234"  # 4: no neighbour ('-')
        rpn = [[[g("rpn", (a if a != "4" else "-") + b + (c if c != "4" else "-")) for c in rule_codes] for b in "0123"] for a in rule_codes]
        self.fixed = {
            "r": np.array([g("r", str(r)) for r in range(4)]),
            "rpn": np.array(rpn),
            "q": np.array([g("q", s) for s in "omi"]),
            "qw_inside": g("qw", "i"),
            "sent": np.array([g("sent", "0"), g("sent", "1")]),
            "first": np.array([g("first", str(k)) for k in range(4)]),
            "pos": np.array([*(g("pos", str(k)) for k in range(5)), g("pos", "end")]),
            "rw_none": g("rw", "0"),
            "lcue": np.array([g("lcue", b) for b in "-01234"]),
            "rcue": np.array([g("rcue", b) for b in "-01234"]),
        }

    def get(self, template: str, value: str) -> int:
        return self.rows[_T[template]].get(value, self.unknown)

    def _entry(self, low: str, shape: str, lex: str) -> tuple[int, ...]:
        w, p1, n1, p2, n2, suf, shp, lx, stem, qw, rw = self._word_templates
        u = self.unknown
        return (
            w.get(low, u), p1.get(low, u), n1.get(low, u), p2.get(low, u), n2.get(low, u),
            suf.get(low[-3:], u), shp.get(shape, u), lx.get(lex, u), stem.get(_stem(low), u),
            qw.get("o" + low, u), qw.get("m" + low, u),
            rw.get("1" + low, u), rw.get("2" + low, u), rw.get("3" + low, u),
        )  # fmt: skip

    def word_rows(self, toks: Sequence[Tok]) -> np.ndarray:
        """The cached word entries of the tokens: an array (tokens, entry fields)."""
        index = self.index
        new = {t.text: t for t in toks if t.text not in index}
        if new:
            if len(index) + len(new) > _CACHE_LIMIT:
                index.clear()
                new = {t.text: t for t in toks}
            start = len(index)
            if start + len(new) > len(self.table):  # grown by doubling, so each word is copied O(1) times
                grown = np.zeros((2 * (start + len(new)), self.table.shape[1]), dtype=np.int64)
                grown[:start] = self.table[:start]
                self.table = grown
            for k, t in enumerate(new.values()):
                w = t.low
                lex = "cue" if w in CUE_WORDS else ("pron" if w in PRONOUNS else "-")
                index[t.text] = start + k
                self.table[start + k] = self._entry(w, _shape(t), lex)
        return self.table[[index[t.text] for t in toks]]

    def rows_of(self, paras: Sequence[Paragraph], rule: np.ndarray, inside: np.ndarray, sentence_has_rule: np.ndarray) -> np.ndarray:
        """Row numbers of the features of every token of the paragraphs, one paragraph after the
        other: an array (tokens, templates) in TEMPLATES order. `rule` and `inside` are the
        document's per-character label codes and quotation flags, `sentence_has_rule` one flag
        per sentence. Computed for all paragraphs at once: NumPy's cost is per call, and a
        paragraph is only a few dozen tokens."""
        toks = [t for p in paras for t in p.toks]
        n = len(toks)
        sizes = np.array([len(p.toks) for p in paras])
        # position in its paragraph, and a neighbour's entry unless the paragraph ends first
        index = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        rest = np.repeat(sizes, sizes) - index - 1
        own = self.word_rows(toks)
        pads = self.pads
        p2 = np.where(index >= 2, np.roll(own[:, 3], 2), np.where(index == 1, pads["<s>"][3], pads["<s2>"][3]))
        n2 = np.where(rest >= 2, np.roll(own[:, 4], -2), np.where(rest == 1, pads["</s>"][4], pads["</s2>"][4]))
        p1 = np.where(index >= 1, np.roll(own[:, 1], 1), pads["<s>"][1])
        n1 = np.where(rest >= 1, np.roll(own[:, 2], -1), pads["</s>"][2])
        starts = np.fromiter((t.start for t in toks), dtype=np.int64, count=n)
        r = rule[starts].astype(np.int64)
        # quotation state: 1 a quote mark, 2 inside a quotation, 0 outside
        q = np.where(np.fromiter((t.text in QUOTE_CHARS for t in toks), dtype=bool, count=n), 1, 2 * inside[starts])
        sentence_of = [i for p in paras for i in p.sentence_of]
        sent = np.array(sentence_of)
        first_of_sentence = np.flatnonzero(np.r_[True, sent[1:] != sent[:-1]])
        since = np.arange(n) - np.repeat(first_of_sentence, np.diff(np.r_[first_of_sentence, n]))
        # sentences never cross paragraphs, so the cue distances can run over all tokens at once
        left, right = _cue_distances(toks, sentence_of, inside)
        rp = np.where(index >= 1, np.roll(r, 1), 4)
        rn = np.where(rest >= 1, np.roll(r, -1), 4)
        pos = np.where(rest == 0, 5, np.minimum(index, 4))
        lows = [t.low for t in toks]
        before = ["<s>" if i == 0 else lows[k - 1] for k, i in enumerate(index.tolist())] if "pw" in _T else []
        after = ["</s>" if i == 0 else lows[k + 1] for k, i in enumerate(rest.tolist())] if "wn" in _T or "sn1" in _T else []
        unk = self.unknown
        f = self.fixed
        columns = {
            "w": own[:, 0], "p1": p1, "n1": n1, "p2": p2, "n2": n2, "suf": own[:, 5], "shape": own[:, 6],
            "r": f["r"][r], "rpn": f["rpn"][rp, r, rn], "q": f["q"][q],
            "qw": np.where(q == 0, own[:, 9], np.where(q == 1, own[:, 10], f["qw_inside"])),
            "lex": own[:, 7], "sent": f["sent"][sentence_has_rule[sent].astype(np.int64)],
            "first": f["first"][np.minimum(since, 3)],
            "rw": np.where(r == 0, f["rw_none"], own[np.arange(n), 10 + r]),
            "pos": f["pos"][pos], "stem": own[:, 8],
            "lcue": f["lcue"][_buckets(left)], "rcue": f["rcue"][_buckets(right)],
        }  # fmt: skip
        # word pairs: a string and a lookup per token, the dearest features, hence optional
        pairs = {
            "pw": lambda rows: [rows.get(a + "|" + b, unk) for a, b in zip(before, lows)],
            "wn": lambda rows: [rows.get(a + "|" + b, unk) for a, b in zip(lows, after)],
            "sn1": lambda rows: [rows.get(a[-2:] + "|" + b, unk) for a, b in zip(lows, after)],
        }
        out = np.empty((n, len(TEMPLATES)), dtype=np.int64)
        for k, name in enumerate(TEMPLATES):
            out[:, k] = columns[name] if name in columns else pairs[name](self.rows[k])
        return out


def _buckets(distances: list[int]) -> np.ndarray:
    """tag_features._bucket for many distances: -1 -> 0 ('-'), then '0'..'4' -> 1..5."""
    d = np.asarray(distances)
    return np.where(d < 0, 0, 1 + np.searchsorted(np.array([0, 2, 5, 12]), d, side="left"))
