"""Stances the words state outright: "X opposes Y", "X would vote against Y", "X urged the
council to approve Y", "we support Y" in X's own quote.

Rules where rules are precise: a stance verb or phrase, a holder that is a resolved speaker
mention right before it (or "I"/"we" inside that speaker's quote), and a topic phrase right
after it. Anything less certain is left to the trained classifier or to nobody: a negated
verb ("did not support"), a holder that is no known speaker ("Nobody is against safety"), a
bare preposition ("sanctions against Russia" states no one's stance).

    stated_stances(text, speakers, claims, targets) -> [Stance]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.schema import Claim, Speaker, Stance
from extractor.topics import phrases_in, topic_key

# On the five seed articles and the six test pages (which these rules were written against,
# so an optimistic figure) all 11 rule stances are right; too few for a calibration, so one
# constant (docs/metrics.md). The classifier's confidences are calibrated; this one is not.
RULE_CONFIDENCE = 0.9

_FAVOR = (
    r"support(?:s|ed|ing)?|back(?:s|ed|ing)?|endorse[sd]?|endorsing|welcome[sd]?|welcoming|praise[sd]?|praising"
    r"|champion(?:s|ed|ing)?|approve[sd]?|approving|(?:is|are|was|were|be) in favou?r of|vote[sd]? for|voting for"
    r"|call(?:s|ed|ing)? for|push(?:es|ed|ing)? for|advocate[sd]? for|argue[sd]? for|campaign(?:s|ed|ing)? for"
    r"|(?:stress(?:es|ed)?|underline[sd]?|emphasi[sz]e[sd]?|stated|repeated) the need for|insist(?:s|ed)? on"
    r"|(?:is|are|was|were) ready to continue|voiced readiness for|(?:is|are|was|were) committed to"
)
_AGAINST = (
    r"oppose[sd]?|opposing|reject(?:s|ed|ing)?|condemn(?:s|ed|ing)?|critici[sz]e[sd]?|critici[sz]ing|denounce[sd]?"
    r"|denouncing|dismiss(?:es|ed|ing)?|(?:is|are|was|were|be|remain(?:s|ed)?) (?:firmly |strongly )?against"
    r"|vote[sd]? against|voting against|(?:come|comes|came) out against|warn(?:s|ed|ing)? against"
    r"|campaign(?:s|ed|ing)? against|object(?:s|ed|ing)? to|vow(?:s|ed)? to (?:fight|block|stop)"
    r"|(?:would|will|to) (?:block|scrap|stop|halt)|(?:cannot|can't|could not|couldn't|will not|won't) (?:put up with|tolerate|accept)"
)
_TRIGGER = re.compile(rf"\b(?:(?P<favor>{_FAVOR})|(?P<against>{_AGAINST}))\b", re.IGNORECASE)
# 'urged the council to approve', 'called on the city to build': the holder favors the thing
_URGE = re.compile(r"\b(?:urge[sd]?|urging|call(?:s|ed)? on|ask(?:s|ed)?|press(?:es|ed)?)\b[^.;:]{0,60}?\bto (?P<verb>approve|adopt|pass|build|back|support|sign|extend|renew|keep)\b", re.IGNORECASE)
# 'was endorsed by X', 'is backed by': the holder is after the verb, not before it
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being|get|got)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
# 'declined to say whom he would support', 'whether to back': the words report no stance
_UNDECIDED = re.compile(r"\b(?:whom|whether|who|which|if)\b[^.;]{0,40}$", re.IGNORECASE)
# 'had voted for Brandt four years ago but switched': a stance given up is no stance
_LAPSED = re.compile(r"\b(?:ago|formerly|until|but (?:switched|changed|now|later|no longer|has since))\b", re.IGNORECASE)
_PREPOSITIONS = frozenset("in on at by with from into during after before over under about as".split())
_NEGATION = re.compile(r"\b(?:not|never|no longer|n't|cannot|hardly)\W+(?:\w+\W+){0,2}$", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’']?|\n|$)")
_HOLDER_GAP = 100  # characters between the holder's mention and the verb
# What may stand between the holder and the stance words: auxiliaries, adverbs, a time
# ('Whitfield on Monday urged', 'she would vote against'). Anything else is another subject
# ('She said the students' union supported the staff': the union supports them, not she).
_GAP_WORDS = frozenset(
    """would will has have had is was are were did does do also again still repeatedly long previously
    already now then later on monday tuesday wednesday thursday friday saturday sunday yesterday today
    tonight last week earlier reportedly publicly openly firmly strongly""".split()
)
# 'buy back shares', 'back up', 'came back': 'back' as a particle, not as 'support'
_PHRASAL_BEFORE = frozenset("buy buying bought bring brought come came go went get got pay paid cut scale step sit look roll give take move hold fight push call write".split())
_PARTICLES_AFTER = frozenset("up down off out to at in from away into on".split())
_FIRST_PERSON = re.compile(r"\b(?:I|we|We)\b")
# Objects that point at something said elsewhere ('rejected the idea', 'opposed it'): the
# stance is real, but its topic is not in these words, and a vague target compares with nothing.
_VAGUE = frozenset(
    """it this that them these those idea notion suggestion characterisation characterization claim claims
    allegation allegations report reports remark remarks comment comments criticism argument arguments
    move decision view position approach""".split()
)


@dataclass(frozen=True)
class _Trigger:
    polarity: str
    start: int  # where the stance words begin
    end: int  # where the object may begin


def stated_stances(text: str, speakers: list[Speaker], claims: list[Claim], targets: tuple[str, ...] = ()) -> list[Stance]:
    mentions = sorted(((m.start, m.end, s.id) for s in speakers for m in s.mentions), key=lambda m: m[0])
    quotes = [(c.evidence.start, c.evidence.end, c.speaker_id, c.id) for c in claims if c.evidence and c.speaker_id]
    found: list[Stance] = []
    for sentence in _SENTENCE.finditer(text):
        for trigger in _triggers(text, sentence.start(), sentence.end()):
            before = text[max(sentence.start(), trigger.start - 40) : trigger.start]
            if _NEGATION.search(before) or _PASSIVE.search(before) or _UNDECIDED.search(before):
                continue
            holder = _holder(text, trigger.start, sentence.start(), mentions, quotes)
            if holder is None:
                continue
            target = _object(text, trigger.end, sentence.end(), targets)
            if target is None or _LAPSED.search(text[trigger.end : min(sentence.end(), trigger.end + 70)]):
                continue
            claim_ids = [cid for lo, hi, _, cid in quotes if lo <= trigger.start < hi or (lo >= sentence.start() and hi <= sentence.end())]
            found.append(
                Stance(holder_id=holder, target=target, polarity=trigger.polarity, confidence=RULE_CONFIDENCE, claim_ids=claim_ids)
            )
    return found


def _triggers(text: str, start: int, end: int) -> list[_Trigger]:
    found = []
    for m in _URGE.finditer(text, start, end):
        found.append(_Trigger("favor", m.start(), m.end()))
    for m in _TRIGGER.finditer(text, start, end):
        if any(t.start <= m.start() < t.end for t in found):
            continue
        if m.group(0).lower().startswith("back") and _phrasal(text, m.start(), m.end()):
            continue
        found.append(_Trigger("favor" if m.group("favor") else "against", m.start(), m.end()))
    return found


def _holder(text: str, at: int, floor: int, mentions, quotes) -> str | None:
    """The speaker whose mention ends closest before the stance words, within the sentence
    and a short gap with no other clause in between; or, for 'I'/'we' inside a quote, the
    quote's speaker."""
    best = None
    for start, end, speaker_id in mentions:
        if start >= at:
            break
        if start >= floor and at - end <= _HOLDER_GAP and _only_gap_words(text[end:at]):
            best = speaker_id
    if best is not None:
        return best
    before = text[max(floor, at - 30) : at]
    if _FIRST_PERSON.search(before):
        for lo, hi, speaker_id, _ in quotes:
            if lo <= at < hi:
                return speaker_id
    return None


# 'Denise Alvarez, who represents the district, said she would vote against': an aside and a
# report of the holder's own words lead to the stance words, and the holder is still the subject
_ASIDE = re.compile(r"^\s*,[^,;:“”\"]{0,70},")
_OWN_WORDS = re.compile(r"^\s*(?:said|says|added|argued|insisted|made clear)\s+(?:that\s+)?(?:she|he|they|it|we|I)\b", re.IGNORECASE)


def _only_gap_words(between: str) -> bool:
    between = _ASIDE.sub("", between)
    between = _OWN_WORDS.sub("", between)
    if re.search(r"[;:“”\"()]", between):
        return False
    return all(w.lower() in _GAP_WORDS for w in re.findall(r"[\w'’]+", between))


def _phrasal(text: str, start: int, end: int) -> bool:
    before = re.findall(r"\w+", text[max(0, start - 20) : start])
    after = re.findall(r"\w+", text[end : end + 12])
    return bool(before and before[-1].lower() in _PHRASAL_BEFORE) or bool(after and after[0].lower() in _PARTICLES_AFTER)


def _object(text: str, start: int, limit: int, targets: tuple[str, ...]) -> str | None:
    """The topic right after the stance words: a --target named there, else the first
    topic phrase within a few words."""
    window = text[start : min(limit, start + 80)]
    for target in targets:
        if re.search(r"(?<!\w)" + re.escape(target) + r"(?!\w)", window, re.IGNORECASE):
            return target
    head = text[start : min(limit, start + 50)]
    words = re.findall(r"[\w'’-]+", head)
    if not words or words[0].lower() in _VAGUE or words[0].lower() in _PREPOSITIONS:
        return None  # 'support in a runoff': no object follows the verb
    phrases = phrases_in(head)
    if not phrases:
        return None
    first = phrases[0]
    between = head[: first.start]
    if len(between.split()) > 3 or re.search(r"[,;:]", between):
        return None  # too far from the verb, or past a clause boundary: not its object
    if any(w.lower() in _VAGUE for w in first.text.split()):
        return None
    return first.text if topic_key(first.text) else None
