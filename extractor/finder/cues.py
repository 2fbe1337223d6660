"""Attributions inside one sentence: a cue verb, the speaker next to it, and what was said.

Three shapes cover most news attributions:
  quote or clause first:  '"A," he said.'   'A, Peskov told CNN.'   '"A," he said, "B."'
  cue first:              'Peskov said (that) A.'   'He told CNN's Fareed Zakaria that A.'
  fixed phrases:          'According to X, A.'   'It was announced that A.'  (see phrases.py)
Cue-last shapes are tried first: in 'A thinks B, his aide said' the outer attribution is the aide's,
and PolNeAR (like most attribution schemes) annotates only the outermost one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.finder.lexicon import (
    ADDRESSEE,
    ARTIFACT_ONLY,
    ARTIFACTS,
    CUE_WORDS,
    INVERTING,
    NEEDS_PARTICLE,
    NOUNISH,
    PRONOUNS,
    SPEECH,
    VERB_GROUP,
)
from extractor.finder.text import Layout
from extractor.finder.tokens import QUOTE_CHARS, Tok, left_subject, right_subject, sentence_subject, tokenize

_COMPLEMENTIZERS = frozenset("that how whether what why when where who if to".split())
_OPEN_QUOTES = frozenset("\"“„«'‘`")
_PARTICLES = frozenset("out for about of".split())
_OBJECT_WORDS = frozenset("its their his her our my your".split())
_CUE_PREPOSITIONS = frozenset(
    """in on at during to with after before last this earlier later monday tuesday wednesday thursday
    friday saturday sunday yesterday today""".split()
)


@dataclass
class Raw:
    """An attribution before speakers are resolved; offsets into the article text."""

    parts: list[tuple[int, int]]
    cue: tuple[int, int]
    source: tuple[int, int] | None
    kind: str
    sentence: tuple[int, int]
    verb: str = ""
    extra_sources: list[tuple[int, int]] = field(default_factory=list)


def content_end(text: str, start: int, end: int) -> int:
    """End of a sentence's content: the final period goes unless a quotation closes after it."""
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and text[end - 1] in ".;:":
        end -= 1
    return end


def _is_titlecase(toks: list[Tok]) -> bool:
    words = [t for t in toks if t.word and len(t.text) > 3]
    return len(words) >= 3 and sum(t.cap for t in words) >= 0.7 * len(words)


def _verb_group_start(toks: list[Tok], k: int) -> int:
    i = k
    while i > 0 and (toks[i - 1].low in VERB_GROUP or (toks[i - 1].low.endswith("ly") and not toks[i - 1].cap and len(toks[i - 1].text) > 4)):
        i -= 1
    return i


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
        if t.low in _COMPLEMENTIZERS or t.low in PRONOUNS or t.low in VERB_GROUP or t.low.endswith(("ed", "s")):
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


def _cue_last(text: str, layout: Layout, toks: list[Tok], k: int, sent: tuple[int, int]) -> Raw | None:
    vg = _verb_group_start(toks, k)
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
        tail = next((j for j in range(after, len(toks) - 1) if toks[j].text == "," and toks[j + 1].text in _OPEN_QUOTES), None)
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
    kind = "direct" if text[first_start] in _OPEN_QUOTES else "indirect"
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


def _content_start(toks: list[Tok], k: int) -> tuple[int, int]:
    """(index of the first content token, index just after the cue's last token)."""
    j = k + 1
    verb = toks[k].low
    if j < len(toks) and (toks[j].low in _PARTICLES or (toks[j].low == "on" and verb.startswith("call"))):
        j += 1  # 'pointed out', 'called for', 'called on', 'talked about'
        if j < len(toks) and toks[j].text in {":", ","}:
            return j + 1, j + 1
        return j, j
    # 'said in a statement that ...', 'said on Sunday that ...': the cue runs to the complementizer
    if j < len(toks) and toks[j].low in _CUE_PREPOSITIONS:
        for m in range(j + 1, min(len(toks), j + 8)):
            t = toks[m]
            if t.low in {"that", "whether", "how"}:
                return m, m
            if not t.word and t.text not in {"'", "’", "."}:
                break
    if verb in ADDRESSEE and j < len(toks):
        m = j
        if toks[m].low in {"me", "us", "him", "her", "them", "reporters", "voters", "supporters"}:
            j = m + 1
        else:
            while m < len(toks) and m - j < 5 and (toks[m].cap or toks[m].text in {".", "'s"}):
                m += 1
            j = m
        for m in range(j, min(len(toks), j + 6)):  # 'told CNN on Sunday that'
            if toks[m].low in {"that", "whether", "how", "what", "why"}:
                return m, m
            if not toks[m].word:
                break
        return j, j
    if j < len(toks) and toks[j].text in {":", ","}:
        return j + 1, j + 1
    return j, j


def cue_first(text: str, toks: list[Tok], k: int, sent: tuple[int, int], subject: tuple[int, int] | None) -> Raw | None:
    vg = _verb_group_start(toks, k)
    if subject is None:
        subj = left_subject(toks, vg, strict=toks[k].low not in SPEECH)
        if subj is None:
            return None
        if toks[k].low in NOUNISH and (toks[subj[1] - 1].text.endswith(("'s", "’s")) or toks[subj[1] - 1].low in _OBJECT_WORDS):
            return None  # 'Trump's plans', 'the campaign's support': nouns, not verbs
        if toks[k].low in ARTIFACT_ONLY and toks[subj[1] - 1].low not in ARTIFACTS:
            return None
        subject = (toks[subj[0]].start, toks[subj[1] - 1].end)
    if toks[k].low in NEEDS_PARTICLE and (k + 1 >= len(toks) or toks[k + 1].low not in {"about", "of"}):
        return None
    c, cue_stop = _content_start(toks, k)
    if c >= len(toks):
        return None
    start = toks[c].start
    end = content_end(text, start, sent[1])
    if end - start < 3:
        return None
    cue_end = toks[cue_stop - 1].end if cue_stop > k + 1 else toks[k].end
    if toks[cue_stop - 1].text in {":", ","} and cue_stop - 1 == k + 1:
        cue_end = toks[k + 1].end if toks[k + 1].text == ":" else toks[k].end
    kind = "direct" if text[start] in _OPEN_QUOTES else "indirect"
    return Raw([(start, end)], (toks[vg].start, cue_end), subject, kind, sent, verb=toks[k].low)


def _after_comma(toks: list[Tok], k: int) -> bool:
    """'..., adding' or '...,” adding' (the comma inside the closing quote)."""
    if k > 0 and toks[k - 1].text == ",":
        return True
    return k > 1 and toks[k - 1].text in QUOTE_CHARS and toks[k - 2].text == ","


def sentence_attributions(text: str, layout: Layout, sent: tuple[int, int], taken: list[tuple[int, int]]) -> list[Raw]:
    """Attributions whose cue is a verb, avoiding the character ranges already `taken`."""
    toks = tokenize(text, sent[0], sent[1])
    if not toks:
        return []
    title = _is_titlecase(toks)
    cands = [
        k
        for k, t in enumerate(toks)
        if t.low in CUE_WORDS and (not t.cap or (title and k > 0)) and layout.quote_at(t.start) is None
    ]
    found: list[Raw] = []
    taken = list(taken)

    def free(k: int) -> bool:
        return not any(s <= toks[k].start < e for s, e in taken)

    def take(raw: Raw) -> None:
        found.append(raw)
        taken.extend(raw.parts)
        taken.append(raw.cue)

    for k in cands:
        if free(k) and toks[k].low in SPEECH and not toks[k].low.endswith("ing"):
            raw = _cue_last(text, layout, toks, k, sent)
            if raw is not None:
                take(raw)
    for k in cands:
        if not free(k):
            continue
        inherited = None
        if toks[k].low.endswith("ing") and _after_comma(toks, k):
            # '..., adding that ...': the same speaker goes on, else the sentence's subject speaks
            if found and found[-1].source:
                inherited = found[-1].source
            else:
                subj = sentence_subject(toks, k)
                if subj is None:
                    continue
                inherited = (toks[subj[0]].start, toks[subj[1] - 1].end)
        elif toks[k].low.endswith("ing"):
            continue
        elif k > 0 and toks[k - 1].low in {"and", "but"} and found and found[-1].source:
            inherited = found[-1].source  # 'says she respects X but argues that ...'
        raw = cue_first(text, toks, k, sent, inherited)
        if raw is None:
            continue
        # stop before content already attributed, or before a participle that takes over
        s, e = raw.parts[0]
        for m in cands:
            if toks[m].start > s and toks[m].low.endswith("ing") and _after_comma(toks, m):
                e = min(e, toks[m - 1].start if toks[m - 1].text == "," else toks[m - 1].end)
            elif toks[m].start > s and toks[m].low in SPEECH and toks[m - 1].low in {"and", "but"} and not toks[m].low.endswith("ing"):
                e = min(e, toks[m - 1].start)
        for ts, te in taken:
            if s < ts < e:
                e = ts
        while e > s and text[e - 1] in " ,;":
            e -= 1
        if e - s >= 3:
            raw.parts = [(s, e)]
            take(raw)
    return found


__all__ = ["Raw", "sentence_attributions", "content_end", "PRONOUNS"]
