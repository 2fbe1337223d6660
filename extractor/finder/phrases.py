"""Fixed attribution phrases that are not a subject and a verb.

'According to X, A.' / 'A, according to X.'   the source follows the cue
'It was announced that A.'                    passive: no source at all (PolNeAR leaves it empty)
'When pressed by X on whether A, ...'         a question put by X
"""

from __future__ import annotations

import re
from bisect import bisect_left

from extractor.finder.cues import Raw, content_end

_ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
_PASSIVE = re.compile(
    r"\b[Ii]t\s+(?:is|was|has\s+been|had\s+been|will\s+be)\s+(?:\w+ly\s+)?"
    r"(?:said|announced|reported|believed|expected|claimed|alleged|understood|thought|rumou?red|known|"
    r"argued|suggested|feared|hoped|estimated|assumed|agreed|decided|confirmed)\b"
)
_ASKED_BY = re.compile(
    r"\b(?:pressed|asked|questioned|challenged)\s+by\s+(?P<src>[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,3})"
    r"\s+(?:on|about|over|as\s+to)\s+(?=whether|if|what|how|why|when|who)"
)
# 'Mark Cuban: I'd consider a run.'  'Poll: Trump leads.'  A name (or poll, report) and a colon
# opening a sentence; single letters are interview Q: and A: markers, not speakers.
_COLON = re.compile(
    r"(?P<src>(?:[A-Z][\w'’.\-]*|of|the|and)(?:[ \t]+(?:[A-Z][\w'’.\-]*|of|the|and)){0,4}|[A-Z][a-z]+[ \t]+(?:poll|survey|report|study))"
    r"[ \t]*(?P<cue>:)[ \t]*(?=[\"“'‘A-Z])"
)
# 'Asked about the plan, Trump said ...', 'Asked whether he would run, he demurred.'
_ASKED = re.compile(r"(?P<cue>Asked(?:\s+(?:about|by\s+\w+\s+(?:about|whether|if)))?)\s+(?=\S)")
# Nouns of saying or wanting owned by their source: 'his support for Clinton', 'Trump's claim that ...'
_NOUN_CUE = re.compile(
    r"(?P<src>\b(?:[Hh]is|[Hh]er|[Tt]heir|[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,2}(?:'s|’s))(?=\s))"
    r"\s+(?:(?:repeated|latest|new|public|strong|early|own|continued|previous|recent|full)\s+)?"
    r"(?P<cue>support\s+for|opposition\s+to|criticism\s+of|claims?\s+that|argument\s+that|view\s+that|"
    r"belief\s+that|calls?\s+for|promise\s+to|pledges?\s+to|vows?\s+to|proposals?\s+to|"
    r"comments\s+(?:about|on)|remarks\s+(?:about|on)|attacks?\s+on|praise\s+for|endorsement\s+of|"
    r"insistence\s+that|assertion\s+that|warnings?\s+that|suggestion\s+that|contention\s+that)\s+"
)
_SOURCE_STOP = re.compile(r"[,;:]|\s(?:[–—-]|that|who|which)\s")
_NOUN_CUE_STOP = re.compile(r"[,;:()—–]|\.(?=\s|$)")


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1] in " ,;":
        e -= 1
    return s, e


_LONGEST_SOURCE = 120  # characters: longer is not a source ('according to' starting a clause)
# How far past 'according to' its source's end is looked for. Searching to the sentence end
# from every match made a sentence of repeated cues quadratic; a stop further than this
# would give a source over _LONGEST_SOURCE (unless a run of spaces comes before it).
_SOURCE_WINDOW = _LONGEST_SOURCE + 16


def according_to(text: str, sent: tuple[int, int]) -> list[Raw]:
    out = []
    for m in _ACCORDING.finditer(text, sent[0], sent[1]):
        window = min(sent[1], m.end() + _SOURCE_WINDOW)
        stop = _SOURCE_STOP.search(text, m.end(), window)
        if stop is None and window < sent[1]:
            continue  # no stop near: the source would be too long
        src_end = stop.start() if stop else content_end(text, m.end(), sent[1])
        src = _trim(text, m.end(), src_end)
        if src[1] <= src[0] or src[1] - src[0] > _LONGEST_SOURCE:
            continue
        cue = (m.start(), m.end() - len(m.group()) + len(m.group().rstrip()))
        before = _trim(text, sent[0], m.start())
        parts = []
        if before[1] - before[0] >= 3:
            parts.append(before)
        if stop is not None and text[stop.start()] == ",":
            after = _trim(text, stop.end(), content_end(text, stop.end(), sent[1]))
            if after[1] - after[0] >= 3:
                parts.append(after)
        if parts:
            kind = "direct" if text[parts[0][0]] in '"“' else "indirect"
            out.append(Raw(parts, cue, src, kind, sent, verb="according to"))
    return out


def passive(text: str, sent: tuple[int, int]) -> list[Raw]:
    out = []
    for m in _PASSIVE.finditer(text, sent[0], sent[1]):
        start = m.end()
        while start < sent[1] and text[start].isspace():
            start += 1
        end = content_end(text, start, sent[1])
        if end - start >= 3:
            cue = (m.start() + len(m.group().split()[0]) + 1, m.end())
            out.append(Raw([(start, end)], cue, None, "indirect", sent, verb="passive"))
    return out


def asked_by(text: str, sent: tuple[int, int]) -> list[Raw]:
    out = []
    for m in _ASKED_BY.finditer(text, sent[0], sent[1]):
        comma = text.find(",", m.end(), sent[1])
        end = comma if comma >= 0 else content_end(text, m.end(), sent[1])
        if end - m.end() >= 3:
            cue = (m.start(), m.start() + len(m.group().split()[0]))
            out.append(Raw([(m.end(), end)], cue, m.span("src"), "indirect", sent, verb="asked"))
    return out


def colon_lead(text: str, sent: tuple[int, int]) -> list[Raw]:
    m = _COLON.match(text, sent[0], sent[1])
    if (
        m is None
        or len(m.group("src")) < 3
        or m.group("src").split()[0] in {"The", "A", "Q", "Update", "Note", "Editor"}
        # 'UPDATE:', 'WATCH:', 'FACTBOX:' are labels; a transcript's 'PENCE:' is transcript.py's
        or m.group("src").replace(" ", "").replace(".", "").isupper()
    ):
        return []
    start = m.end()
    end = content_end(text, start, sent[1])
    if end - start < 3:
        return []
    kind = "direct" if text[start] in "\"“'‘" else "indirect"
    return [Raw([(start, end)], m.span("cue"), m.span("src"), kind, sent, verb=":")]


def asked(text: str, sent: tuple[int, int]) -> list[Raw]:
    m = _ASKED.match(text, sent[0], sent[1])
    if m is None:
        return []
    comma = text.find(",", m.end(), sent[1])
    if comma < 0 or comma - m.end() < 3:
        return []
    return [Raw([(m.end(), comma)], m.span("cue"), None, "indirect", sent, verb="asked")]


def noun_cues(text: str, sent: tuple[int, int]) -> list[Raw]:
    out = []
    stops: list[int] | None = None
    for m in _NOUN_CUE.finditer(text, sent[0], sent[1]):
        start = m.end()
        if stops is None:
            # where the contents can stop, found once: searched from every cue, a sentence of
            # repeated cues ('his claim that his claim that ...') cost its length each time.
            # A stop is one character, whether it is one does not depend on where a search starts.
            stops = [s.start() for s in _NOUN_CUE_STOP.finditer(text, sent[0], sent[1])]
        i = bisect_left(stops, start)
        end = stops[i] if i < len(stops) else content_end(text, start, sent[1])
        cue_end = m.end("cue")
        if text[cue_end - 4 : cue_end] in {"that"} or text[m.start("cue") : cue_end].split()[-1] == "to":
            # 'claim that X', 'vow to X': the complementizer belongs to the content (guidelines)
            cue_end = m.start("cue") + len(text[m.start("cue") : cue_end].split()[0])
            start = cue_end + 1
        if end - start >= 3:
            out.append(
                Raw([(start, end)], (m.start("cue"), cue_end), m.span("src"), "indirect", sent, verb="noun")
            )
    return out


def phrase_attributions(text: str, sent: tuple[int, int]) -> list[Raw]:
    found = (
        according_to(text, sent)
        + passive(text, sent)
        + asked_by(text, sent)
        + asked(text, sent)
        + noun_cues(text, sent)
    )
    return found or colon_lead(text, sent)
