"""Rules and constants kept in one place, so that two copies cannot drift apart (issue 14).
Where a second copy still exists in a module being rewritten elsewhere (llm.py), the test
pins that it agrees until it is replaced by the shared one."""

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
