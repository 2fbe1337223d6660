"""Attribution finder: a deterministic, model-free pass over an article's text.

Proposes who said what: for every attribution a Source span (the speaker mention next to
the cue), a Cue span ("said", "told CNN", "according to"), and a Content span (the direct or
indirect quote), all grounded character spans into the text; and the speakers behind them,
with pronouns, descriptions and surnames resolved to the fullest name in the article.

Public interface (the pipeline depends only on this):

    find_attributions(text: str, language: str = "en") -> Finding

English runs the full rules and the learned tagger; a language with a lexicon file in
extractor/finder/lexicons/ runs the smaller finder of extractor/finder/local/; any other
language (or None) falls back to the English rules, which find little in it.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from extractor.schema import Span, SpeakerKind, Unresolved

# Quote-only sentences that can carry on a quotation after its attribution, in both finders:
# long enough for a multi-paragraph quote, short of a runaway.
MAX_CONTINUATION = 6


@dataclass(frozen=True)
class FoundSpeaker:
    key: str  # stable within one Finding, e.g. "s1"
    name: str  # the fullest form of the name in the article
    role: str | None
    affiliation: str | None
    kind: SpeakerKind
    mentions: tuple[Span, ...]  # every mention found: names, surnames, descriptions, pronouns


@dataclass(frozen=True)
class Attribution:
    content: Span  # from the first to the last character of the content
    parts: tuple[Span, ...]  # the content's pieces without an interrupting cue ("..., he said, ...")
    cue: Span | None
    source: Span | None  # the mention next to the cue; None for passive or implicit sources
    speaker_key: str | None  # FoundSpeaker.key, or None when no speaker could be resolved
    kind: Literal["direct", "indirect"]
    sentence: Span  # the sentence(s) holding the attribution, for prompts
    # every speaker of a compound source ("Blinken, Borrell"); the first one is speaker_key
    speaker_keys: tuple[str, ...] = ()
    # why there is no speaker (speaker_key None): ambiguous, fits no one named, no source
    unresolved: Unresolved | None = None


@dataclass(frozen=True)
class Finding:
    attributions: tuple[Attribution, ...]
    speakers: tuple[FoundSpeaker, ...]

    def speaker(self, key: str | None) -> FoundSpeaker | None:
        return next((s for s in self.speakers if s.key == key), None)


def find_attributions(text: str, language: str | None = "en") -> Finding:
    """Every attribution in `text` with its speaker; deterministic, no model, no downloads.
    Decomposed accents are read composed; spans still index into `text` (see composed.py)."""
    # late imports: assemble needs the types above
    from extractor.finder.assemble import assemble
    from extractor.finder.composed import find_composed

    with _no_collections():
        if language and language != "en":
            from extractor.finder.local.lexicon import languages

            if language in languages():
                from extractor.finder.local import local_assemble

                return find_composed(text, lambda t: local_assemble(t, language))
        return find_composed(text, assemble)


@contextmanager
def _no_collections():
    """The finder makes objects by the hundred thousand on a long text (tokens, spans, speakers),
    keeps most of them to the end and makes no cycles worth collecting midway. Python's
    collector, counting those objects, would go through everything alive again and again:
    half the finder's time on a dense 1 MB text. It runs again once the finder is done. (When
    two threads run the finder at once, the first to finish turns it back on: harmless.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
