"""The tagger's features as weight-row numbers, fast: what `tag_features.paragraph_values`
computes as strings, looked up once per distinct word instead of once per template and token.

Most templates are a function of one word (the token's own, or a neighbour's): those row
numbers are cached per word text, so a token costs one dictionary lookup for itself plus a few
for its word pairs. tests/test_tagger.py checks that both paths give the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from extractor.finder.lexicon import CUE_WORDS, PRONOUNS
from extractor.finder.tag_features import TEMPLATES, Paragraph, _bucket, _cue_distances, _shape, _stem
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
        self.words: dict[str, tuple[int, ...]] = {}
        self.pads = {p: self._entry(p, p, p) for p in _PADS}
        g = self.get
        self.pairs = tuple(rows[_T[name]] for name in ("pw", "wn", "sn1", "rpn"))
        # the rows of the templates with a handful of values, looked up once
        self.fixed = (
            {s: g("q", s) for s in "mio"},
            g("qw", "i"),
            [g("r", str(r)) for r in range(4)],
            g("rw", "0"),
            (g("sent", "0"), g("sent", "1")),
            [g("first", str(k)) for k in range(4)],
            [g("pos", str(k)) for k in range(5)],
            g("pos", "end"),
            {b: g("lcue", b) for b in "-01234"},
            {b: g("rcue", b) for b in "-01234"},
        )

    def get(self, template: str, value: str) -> int:
        return self.rows[_T[template]].get(value, self.unknown)

    def _entry(self, low: str, shape: str, lex: str) -> tuple[int, ...]:
        g = self.get
        return (
            g("w", low), g("p1", low), g("n1", low), g("p2", low), g("n2", low),
            g("suf", low[-3:]), g("shape", shape), g("lex", lex), g("stem", _stem(low)),
            g("qw", "o" + low), g("qw", "m" + low),
            g("rw", "1" + low), g("rw", "2" + low), g("rw", "3" + low),
        )  # fmt: skip

    def word(self, tok: Tok) -> tuple[int, ...]:
        found = self.words.get(tok.text)
        if found is None:
            w = tok.low
            lex = "cue" if w in CUE_WORDS else ("pron" if w in PRONOUNS else "-")
            found = self._entry(w, _shape(tok), lex)
            if len(self.words) >= _CACHE_LIMIT:
                self.words.clear()
            self.words[tok.text] = found
        return found

    def paragraph(self, para: Paragraph, rule: bytearray, inside: bytearray, sentence_has_rule: Sequence[bool]) -> list[int]:
        """Row numbers of every token's features, token after token, in TEMPLATES order."""
        toks = para.toks
        n = len(toks)
        pads = self.pads
        ents = [pads["<s2>"], pads["<s>"], *(self.word(t) for t in toks), pads["</s>"], pads["</s2>"]]
        lows = ["<s2>", "<s>", *(t.low for t in toks), "</s>", "</s2>"]
        rules = [rule[t.start] for t in toks]
        left, right = _cue_distances(toks, para.sentence_of, inside)
        rows_pw, rows_wn, rows_sn1, rows_rpn = self.pairs
        unk = self.unknown
        q_ids, qi, r_ids, rw0, sent_ids, first_ids, pos_ids, end_id, lcue, rcue = self.fixed
        out: list[int] = []
        prev_sent, since = -1, 0
        for i, t in enumerate(toks):
            e = ents[i + 2]
            w, p1, n1 = lows[i + 2], lows[i + 1], lows[i + 3]
            si = para.sentence_of[i]
            if si != prev_sent:
                prev_sent, since = si, 0
            else:
                since += 1
            q = "m" if t.text in QUOTE_CHARS else ("i" if inside[t.start] else "o")
            r = rules[i]
            rp = str(rules[i - 1]) if i else "-"
            rn = str(rules[i + 1]) if i + 1 < n else "-"
            out += (
                e[0], ents[i + 1][1], ents[i + 3][2], ents[i][3], ents[i + 4][4], e[5], e[6],
                rows_pw.get(p1 + "|" + w, unk), rows_wn.get(w + "|" + n1, unk),
                r_ids[r], rows_rpn.get(rp + str(r) + rn, unk),
                q_ids[q], e[9] if q == "o" else e[10] if q == "m" else qi,
                e[7], sent_ids[sentence_has_rule[si]], first_ids[min(since, 3)],
                e[10 + r] if r else rw0,
                end_id if i == n - 1 else pos_ids[min(i, 4)],
                e[8], rows_sn1.get(w[-2:] + "|" + n1, unk), lcue[_bucket(left[i])], rcue[_bucket(right[i])],
            )  # fmt: skip
        return out
