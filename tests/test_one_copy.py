"""Rules and constants kept in one place, so that two copies cannot drift apart (issue 14).
Where a module keeps its old name for a shared one (a re-export, a private alias), the test
pins that it is the same object, not an equal copy."""

from __future__ import annotations

import pytest

from extractor import ingest, llm, sources
from extractor.batch import keys
from extractor.settings import BUNDLED_MODEL, DEFAULT_MODEL, Settings, uses_no_model


@pytest.mark.parametrize("model, none", [("none", True), (" None ", True), ("NONE", True), ("none-7b", False), ("openai/none", False), ("", False)])
def test_one_rule_says_whether_a_run_uses_no_model(model, none):
    assert uses_no_model(model) is none
    if model:
        assert Settings(model=model).uses_no_model is none
        assert (keys.model_name(Settings(model=model)) is None) is none


def test_the_bundled_model_has_one_name():
    assert DEFAULT_MODEL == BUNDLED_MODEL == keys.BUNDLED == llm.BUNDLED
    assert keys.model_name(Settings(model="local")) == BUNDLED_MODEL


def test_jsonl_files_are_known_by_one_set_of_suffixes():
    assert sources.JSONL_SUFFIXES is ingest.JSONL_SUFFIXES


def test_the_finders_share_their_constants():
    from extractor import finder
    from extractor.finder import article, lexicon, mentions, roles
    from extractor.finder import local as local_finder

    for name in ("WORD", "POSSESSIVE", "DETERMINERS"):
        assert getattr(roles, f"_{name}") is getattr(mentions, f"_{name}") is getattr(lexicon, name)
    assert article.MAX_CONTINUATION is local_finder.MAX_CONTINUATION is finder.MAX_CONTINUATION


def test_a_retry_after_is_capped_alike_by_the_limiter_and_the_transport_retry():
    from extractor import ratelimit
    from extractor.llm import failures

    assert failures.MAX_PAUSE is ratelimit.MAX_PAUSE
