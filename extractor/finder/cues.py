"""Attributions inside one sentence: a cue verb, the speaker next to it, and what was said.

Three shapes cover most news attributions:
  quote or clause first:  '"A," he said.'   'A, Peskov told CNN.'   '"A," he said, "B."'
  cue first:              'Peskov said (that) A.'   'He told CNN's Fareed Zakaria that A.'
  fixed phrases:          'According to X, A.'   'It was announced that A.'  (see phrases.py)
Cue-last shapes are tried first: in 'A thinks B, his aide said' the outer attribution is the aide's,
and PolNeAR (like most attribution schemes) annotates only the outermost one.
"""

from __future__ import annotations

import re

from extractor.finder.cue_last import cue_last
from extractor.finder.lexicon import (
    ADDRESSEE,
    ARTIFACT_ONLY,
    ARTIFACTS,
    CUE_WORDS,
    NEEDS_PARTICLE,
    NOUNISH,
    SPEECH,
)
from extractor.finder.raw import OPEN_QUOTES, Raw, content_end, verb_group_start
from extractor.finder.text import Layout
from extractor.finder.tokens import (
    QUOTE_CHARS,
    Tok,
    left_subject,
    sentence_subject,
    tokenize,
)

_PARTICLES = frozenset("out for about of".split())
_SUBORDINATE = frozenset("while although though because if as when since whereas unless after before".split())
_OBJECT_WORDS = frozenset("its their his her our my your".split())
_NAMED_AGAIN_WITHIN = 20_000  # characters around a headline: more than a news article's length
_CUE_PREPOSITIONS = frozenset(
    """in on at during to with after before last this earlier later monday tuesday wednesday thursday
    friday saturday sunday yesterday today""".split()
)


_WORDS = re.compile(r"\w+")


def _lower_words(text: str, sent: tuple[int, int]) -> list[str]:
    return _WORDS.findall(text[sent[0] : sent[1]].lower())


def _is_titlecase(toks: list[Tok]) -> bool:
    words = [t for t in toks if t.word and len(t.text) > 3]
    return len(words) >= 3 and sum(t.cap for t in words) >= 0.7 * len(words)


def _headline_source_ok(text: str, sent: tuple[int, int], source: tuple[int, int] | None) -> bool:
    """In a title-case headline every word is capitalised, so 'Elm Street Bike Lane Plan Splits'
    looks like a name and a verb. Keep 'Peskov Tells CNN', 'Blinken, Borrell Vow': a short
    subject, or a list of names, whose last word the article names again outside the headline."""
    if source is None:
        return False
    words = text[source[0] : source[1]].replace(",", " ").split()
    if "," not in text[source[0] : source[1]] and len(words) > 3:
        return False
    if "," in text[source[0] : source[1]]:
        return True
    # the name again, and not as the first word of a longer one ('Merchants' in 'Merchants Association'),
    # looked for near the headline only: a text of many title-case lines is not searched whole for each
    again = re.compile(rf"\b{re.escape(words[-1])}\b(?![ \t]+[A-Z])")
    after, before = min(len(text), sent[1] + _NAMED_AGAIN_WITHIN), max(0, sent[0] - _NAMED_AGAIN_WITHIN)
    return again.search(text, sent[1], after) is not None or again.search(text, before, sent[0]) is not None


def _content_start(toks: list[Tok], k: int) -> tuple[int, int]:
    """(index of the first content token, index just after the cue's last token)."""
    j = k + 1
    verb = toks[k].low
    if j < len(toks) and (
        toks[j].low in _PARTICLES
        or (toks[j].low == "on" and verb.startswith("call"))
        or (toks[j].low == "to" and verb.startswith("refer"))
    ):
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
        if j < len(toks) and toks[j].text in {":", ","}:
            return j + 1, j + 1  # 'told reporters: "..."'
        return j, j
    if j < len(toks) and toks[j].text in {":", ","}:
        return j + 1, j + 1
    return j, j


def cue_first(
    text: str, toks: list[Tok], k: int, sent: tuple[int, int], subject: tuple[int, int] | None
) -> Raw | None:
    vg = verb_group_start(toks, k)
    if subject is None:
        subj = left_subject(toks, vg, strict=toks[k].low not in SPEECH)
        if subj is None:
            return None
        if toks[k].low in NOUNISH and (
            toks[subj[1] - 1].text.endswith(("'s", "’s")) or toks[subj[1] - 1].low in _OBJECT_WORDS
        ):
            return None  # 'Trump's plans', 'the campaign's support': nouns, not verbs
        s0 = subj[0]
        if toks[k].low in ARTIFACT_ONLY and s0 >= 2 and toks[s0 - 1].low == "by" and toks[s0 - 2].low in ARTIFACTS:
            # 'A report by the Cloud Industry Forum found': the report finds; who made it is its source
            a = s0 - 2
            while a > 0 and toks[a - 1].low in {"a", "an", "the", "new", "latest", "recent"}:
                a -= 1
            subj = (a, subj[1])
        elif toks[k].low in ARTIFACT_ONLY and toks[subj[1] - 1].low not in ARTIFACTS:
            return None
        subject = (toks[subj[0]].start, toks[subj[1] - 1].end)
        subordinate = subj[0] > 0 and toks[subj[0] - 1].low in _SUBORDINATE
    else:
        subordinate = False
    if toks[k].low in ADDRESSEE and k > 0 and toks[k - 1].low in _BE:
        return None  # 'she was told to read out notes': the subject was spoken to, not speaking
    if toks[k].low in NEEDS_PARTICLE and (
        k + 1 >= len(toks) or toks[k + 1].low not in NEEDS_PARTICLE[toks[k].low]
    ):
        return None
    c, cue_stop = _content_start(toks, k)
    if c >= len(toks):
        return None
    start = toks[c].start
    end = content_end(text, start, sent[1])
    if subordinate:  # 'While Comey said X, he said Y': the first content ends with its clause
        comma = next((t for t in toks[c:] if t.text == ","), None)
        if comma is not None:
            end = comma.start
    if end - start < 3:
        return None
    cue_end = toks[cue_stop - 1].end if cue_stop > k + 1 else toks[k].end
    if toks[cue_stop - 1].text in {":", ","} and cue_stop - 1 == k + 1:
        cue_end = toks[k + 1].end if toks[k + 1].text == ":" else toks[k].end
    kind = "direct" if text[start] in OPEN_QUOTES else "indirect"
    if toks[k].low == "referring" and kind != "direct":
        return None  # '..., referring to the musician who ...': the reporter describing, no claim
    return Raw([(start, end)], (toks[vg].start, cue_end), subject, kind, sent, verb=toks[k].low)


_BE = frozenset("is are was were be been being".split())
_COORDINATORS = frozenset("and but while whereas".split())


def _coordinate_clause(toks: list[Tok], k: int) -> int | None:
    """'..., and she argued the lanes would ...': the index of the 'and' that opens a clause with
    its own subject and cue; the first content ends before it."""
    subj = left_subject(toks, verb_group_start(toks, k), strict=toks[k].low not in SPEECH)
    if subj is None or subj[0] < 2 or toks[subj[0] - 1].low not in _COORDINATORS:
        return None
    return subj[0] - 1


def _after_comma(toks: list[Tok], k: int) -> bool:
    """'..., adding' or '...,” adding' (the comma inside the closing quote)."""
    if k > 0 and toks[k - 1].text == ",":
        return True
    return k > 1 and toks[k - 1].text in QUOTE_CHARS and toks[k - 2].text == ","


def sentence_attributions(
    text: str, layout: Layout, sent: tuple[int, int], taken: list[tuple[int, int]]
) -> list[Raw]:
    """Attributions whose cue is a verb, avoiding the character ranges already `taken`."""
    if CUE_WORDS.isdisjoint(_lower_words(text, sent)):
        return []  # no cue word at all: no tokens needed (a cue token is always one whole \w+ run)
    toks = layout.tokens(text, sent[0], sent[1])
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
        if title and text[raw.cue[0]].isupper() and not _headline_source_ok(text, sent, raw.source):
            return
        found.append(raw)
        taken.extend(raw.parts)
        taken.append(raw.cue)

    for k in cands:
        if free(k) and toks[k].low in SPEECH and not toks[k].low.endswith("ing"):
            raw = cue_last(text, layout, toks, k, sent)
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
            elif (
                toks[m].start > s
                and toks[m].low in SPEECH
                and toks[m - 1].low in {"and", "but"}
                and not toks[m].low.endswith("ing")
            ):
                e = min(e, toks[m - 1].start)
            elif toks[m].start > s and not toks[m].low.endswith("ing"):
                conj = _coordinate_clause(toks, m)
                if conj is not None and toks[conj].start > s:
                    e = min(e, toks[conj].start)
        for ts, te in taken:
            if s < ts < e:
                e = ts
        while e > s and text[e - 1] in " ,;":
            e -= 1
        if e - s >= 3:
            raw.parts = [(s, e)]
            take(raw)
    return found


def lead_in(text: str, sent: tuple[int, int], following: tuple[int, int]) -> Raw | None:
    """'Reporter Jomana Karadsheh says:' ending a paragraph or sentence, and the quotation it
    announces opening the next: the speaker and cue here, the content there."""
    end = sent[1]
    while end > sent[0] and text[end - 1].isspace():
        end -= 1
    if end <= sent[0] or text[end - 1] != ":" or text[following[0]] not in OPEN_QUOTES:
        return None
    toks = tokenize(text, sent[0], end - 1)
    # the cue is one of the last words: 'says:', 'told reporters:', 'said in a statement:'
    k = next((k for k in range(len(toks) - 1, max(-1, len(toks) - 6), -1) if toks[k].low in SPEECH), None)
    if k is None or k == 0 or any(not t.word or t.low in SPEECH for t in toks[k + 1 :]):
        return None
    subj = left_subject(toks, verb_group_start(toks, k))
    if subj is None:
        return None
    start, stop = following[0], content_end(text, following[0], following[1])
    if stop - start < 3:
        return None
    source = (toks[subj[0]].start, toks[subj[1] - 1].end)
    return Raw([(start, stop)], (toks[k].start, toks[-1].end), source, "direct", sent, verb=toks[k].low)


__all__ = ["Raw", "content_end", "lead_in", "sentence_attributions"]
