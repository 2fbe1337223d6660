"""The cue-last shape: the content comes first and the cue and speaker close it.

  '"A," he said.'   '"A," said Peskov, the Kremlin spokesman.'   'A, Peskov told CNN on Sunday.'
  '"A," he said, "B."'   'A, advisers say, B.'

What may stand between the cue and the end of the sentence is only an addressee and when or
where it was said; anything that looks like a clause means the content follows the cue instead.
"""

from __future__ import annotations

from extractor.finder.lexicon import ADDRESSEE, INVERTING, PRONOUNS, VERB_GROUP
from extractor.finder.raw import OPEN_QUOTES, Raw, content_end, verb_group_start
from extractor.finder.text import Layout
from extractor.finder.tokens import QUOTE_CHARS, Tok, left_subject, right_subject

_COMPLEMENTIZERS = frozenset("that how whether what why when where who if to".split())

# What may follow a cue-last verb before the sentence ends: an addressee and when or where it
# was said ('..., Peskov told CNN on Sunday.', '..., he said in an interview with the Times.').
_TAIL_WORDS = frozenset(
    """in on at during to with after before last this earlier later a an the his her their its
    interview interviews statement statements phone telephone conference call email emails
    reporters him her them me us of monday tuesday wednesday thursday friday saturday sunday week
    month year night morning afternoon evening today yesterday tonight recently then also again
    speech rally press briefing news told radio television tv show appearance recent new
    for by from supporters remarks comments audiences crowds viewers listeners students members
    voters people fans donors activists lawmakers journalists""".split()
)


def _clause_tail(toks: list[Tok], k: int) -> int | None:
    """After a cue-last verb (and its subject): index of the ',' that resumes content, len(toks)
    at the end of the sentence, or None when a clause follows (then the content is after the cue)."""
    for j in range(k, min(len(toks), k + 14)):
        t = toks[j]
        if t.text in QUOTE_CHARS or t.text == ":":
            return None
        if t.text == ",":
            return j
        if (t.text in {".", "!", "?"} and j == len(toks) - 1) or t.text == ";":
            return len(toks) if t.text != ";" else -j  # negative: content stops at the semicolon
        if t.cap or t.low in _TAIL_WORDS or t.text[:1].isdigit() or not t.word:
            continue
        # a clause follows: a subject pronoun, an auxiliary, a complementizer or a verb-like word
        if (
            t.low in _COMPLEMENTIZERS
            or t.low in PRONOUNS
            or t.low in VERB_GROUP
            or t.low.endswith(("ed", "s"))
        ):
            return None
    return len(toks) if len(toks) <= k + 14 else None


def _quote_before(layout: Layout, toks: list[Tok], i: int) -> int | None:
    """If token i-1 closes a quotation (possibly after ',' '?' '!'), the quotation's start."""
    j = i - 1
    if j >= 0 and toks[j].text in {",", "—", "–"}:
        j -= 1
    if j >= 0 and toks[j].text in QUOTE_CHARS:
        q = layout.quote_at(toks[j].start)
        if q is not None and q.closed and q.end == toks[j].end:
            return q.start
    return None


def cue_last(text: str, layout: Layout, toks: list[Tok], k: int, sent: tuple[int, int]) -> Raw | None:
    vg = verb_group_start(toks, k)
    subj = left_subject(toks, vg)
    if subj is not None:
        src, before, after = (toks[subj[0]].start, toks[subj[1] - 1].end), subj[0], k + 1
    elif toks[k].low in INVERTING:
        subj = right_subject(toks, k + 1, len(toks))
        if subj is None:
            return None
        src, before, after = (toks[subj[0]].start, toks[subj[1] - 1].end), vg, subj[1]
        if after < len(toks) and toks[after].text == "," and toks[after - 1].text != ",":
            tail = _apposition_tail(toks, after)  # 'said David Cohen, a professor at Akron.'
            if tail is not None:
                src, after = (src[0], toks[tail - 1].end), tail
    else:
        return None
    if before == 0:
        return None
    qstart = _quote_before(layout, toks, before)
    if qstart is None and toks[before - 1].text not in {",", "—", "–"}:
        return None
    if qstart is not None:  # the quote is the content; what follows the cue is not, up to ', "B'
        tail = next(
            (
                j
                for j in range(after, len(toks) - 1)
                if toks[j].text == "," and toks[j + 1].text in OPEN_QUOTES
            ),
            None,
        )
    else:
        tail = _clause_tail(toks, after)
        if tail is None:
            return None
    first_end = toks[before - 1].end if qstart is not None else toks[before - 1].start
    first_start = min(qstart, sent[0]) if qstart is not None else sent[0]
    first_start = _skip_space(text, first_start)
    if first_end - first_start < 2:
        return None
    parts = [(first_start, first_end)]
    if tail is not None and tail < 0:
        tail = None
    if tail is not None and tail < len(toks) - 1:  # ', he said, "B."': the content resumes after the cue
        parts.append((toks[tail + 1].start, content_end(text, toks[tail + 1].start, sent[1])))
    cue_end = _cue_end(toks, k, after, subj)
    kind = "direct" if text[first_start] in OPEN_QUOTES else "indirect"
    return Raw(parts, (toks[vg].start, cue_end), src, kind, sent, verb=toks[k].low)


def _apposition_tail(toks: list[Tok], comma: int) -> int | None:
    """An apposition after an inverted subject runs to the end of the sentence."""
    end = len(toks)
    while end > comma and toks[end - 1].text in {".", "!", "?"}:
        end -= 1
    if end - comma < 2 or any(t.text in QUOTE_CHARS for t in toks[comma:end]):
        return None
    return end


def _cue_end(toks: list[Tok], k: int, after: int, subj: tuple[int, int] | None) -> int:
    """The cue is the verb, plus a short named addressee of 'told' ('told CNN')."""
    if toks[k].low in ADDRESSEE and k + 1 < len(toks) and (subj is None or subj[0] < k):
        j = k + 1
        while j < len(toks) and j - k <= 3 and toks[j].cap:
            j += 1
        if j > k + 1:
            return toks[j - 1].end
    return toks[k].end


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i
