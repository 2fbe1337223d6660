import re

import pytest

from extractor import prompts
from extractor.errors import PromptError


def test_every_template_renders_with_its_variables():
    values = dict(passage="P", candidates="C", targets_block="", targets="T", sentence="S",
                  speaker="Sp", content="Co", topics="To", target="Ta")
    for path in prompts._prompts_dir().glob("*.md"):
        text = prompts.render(path.stem, **values)
        assert "$" not in text.replace("$$", ""), path.name


def test_missing_variable_is_an_error_not_blank():
    with pytest.raises(PromptError, match=r"\$passage"):
        prompts.render("extract_chunk", candidates="(none)", targets_block="")


def test_missing_template_is_an_error():
    with pytest.raises(PromptError, match="missing"):
        prompts.load("no-such-template")


def test_prompt_version_is_a_stable_content_hash():
    version = prompts.prompt_version()
    assert re.fullmatch(r"p-[0-9a-f]{12}", version)
    prompts.prompt_version.cache_clear()
    assert prompts.prompt_version() == version


def test_article_is_delimited_as_data():
    system = prompts.render("system")
    assert "<article>" in system and "not instructions" in system
    for name in ("extract_chunk",):
        assert prompts.load(name).template.count("<article>") >= 1
