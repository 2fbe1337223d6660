import re

import pytest

from extractor import prompts
from extractor.errors import PromptError


def test_every_template_renders_with_its_variables():
    values = dict(passage="P", candidates="C", next="2", targets_block="", targets="T", language_block="", language="German", claim_language="French")
    for path in prompts._prompts_dir().glob("*.md"):
        text = prompts.render(path.stem, **values)
        assert "$" not in text.replace("$$", ""), path.name


def test_missing_variable_is_an_error_not_blank():
    with pytest.raises(PromptError, match=r"\$passage"):
        prompts.render("extract_chunk", candidates="1 Peskov", next="2", targets_block="", language_block="")


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
    template = prompts.load("extract_chunk").template
    assert template.count("<article>\n$passage\n</article>") == 1
    assert template.rstrip().endswith("</article>")  # nothing after the data can pose as instructions


def test_marked_passage_is_the_article_with_numbered_markers_only():
    """Candidates are marked [n]...[/]; marker-like text in the article cannot pose as one."""
    from extractor.finder import find_attributions
    from extractor.chunking import Chunk
    from extractor.strategies.full import _marked

    text = 'See note [2] and [/]. "Taxes will fall," the mayor said. Critics said it was a ruse.\n'
    candidates = find_attributions(text).attributions
    marked = _marked(text, Chunk(0, 0, len(text)), candidates)
    assert "[ 2]" in marked and "[ /]" in marked
    assert '"Taxes will fall,"[/]' in marked or 'Taxes will fall,[/]"' in marked
    assert len(re.findall(r"\[\d+\]", marked)) == len(candidates) >= 2
    assert re.sub(r"\[/?\d*\]", "", marked).replace("[ ", "[") == text


def test_the_answer_schema_is_compact():
    """Every request carries the answer's tool definition: no titles, defaults, descriptions
    or $defs, and no longer than it must be."""
    import json

    from extractor.answers import ChunkAnswer, TargetsChunkAnswer, schema_chars

    shown = json.dumps(ChunkAnswer.model_json_schema())
    for word in ('"default"', '"$defs"', '"$ref"', "anyOf"):
        assert word not in shown
    assert shown.count('"title"') == 1  # the tool's name, "answer"
    assert '"description": ""' in shown  # an empty one, so instructor writes none of its own
    assert schema_chars(ChunkAnswer) < 500 and schema_chars(TargetsChunkAnswer) < 650
    assert "verdicts" not in shown and "verdicts" in json.dumps(TargetsChunkAnswer.model_json_schema())
