"""The prompts name the article's language and the one claim text is written in (the article's,
or `--claim-language`), only when that is not English: English requests stay byte for byte
what the recorded cassettes hold. A bad code is a one-line configuration error."""

from __future__ import annotations

import pytest

from extractor import prompts
from tests.batch_helpers import cli, query
from tests.openai_standin import StandIn

GERMAN = (
    "Die Bundesregierung will die Hilfen für Landwirte verlängern. "
    "„Wir lassen die Betriebe in dieser Lage nicht allein“, sagte Ministerin Katrin Albers am Montag.\n"
)
ENGLISH = "\u201cWe will not leave the farms alone,\u201d Minister Katrin Albers said on Monday. The aid costs 2 billion.\n"


def test_the_language_line_is_left_out_for_english_and_names_both_languages_otherwise():
    assert prompts.language_block("en") == prompts.language_block(None) == prompts.language_block("en", "en") == ""
    assert prompts.language_block("de") == "Language: the article's is German; write each claim in German (quotes stay verbatim)."
    assert "the article's is German; write each claim in English" in prompts.language_block("de", "en")
    assert "the article's is English; write each claim in French" in prompts.language_block("en", "fr")
    assert "the article's is unidentified; write each claim in Russian" in prompts.language_block(None, "ru")


def _user_prompts(tmp_path, text: str, *options: str) -> list[str]:
    article = tmp_path / "article.txt"
    article.write_text(text, encoding="utf-8")
    with StandIn() as server:
        result = cli("extract", article, "--model", "stand-in", "--base-url", server.base_url, "--strategy", "full",
                     *options, env={"OPENAI_API_KEY": None})
        bodies = list(server.chat_bodies)
    assert result.exit_code == 0, result.output
    assert bodies
    return [m["content"] for body in bodies for m in body["messages"] if m["role"] == "user"]


def test_a_german_article_is_named_in_the_request_before_the_article(tmp_path):
    [user] = _user_prompts(tmp_path, GERMAN)
    line = "Language: the article's is German; write each claim in German (quotes stay verbatim)."
    assert line in user and user.index(line) < user.index("<article>")
    [user] = _user_prompts(tmp_path, GERMAN, "--claim-language", "en")
    assert "the article's is German; write each claim in English" in user


def test_an_english_request_has_no_language_line_unless_another_claim_language_is_asked(tmp_path):
    [user] = _user_prompts(tmp_path, ENGLISH)
    assert "Language:" not in user and user.split("\n")[2].startswith("rejected: non-claims.")
    assert user.split("\n")[3] == "<article>"  # nothing added between the instructions and the data
    [user] = _user_prompts(tmp_path, ENGLISH, "--claim-language", "FR")
    assert "the article's is English; write each claim in French" in user


@pytest.mark.parametrize("value", ["xx", "german", "deu", ""])
def test_a_bad_claim_language_is_a_one_line_config_error(tmp_path, value):
    article = tmp_path / "a.txt"
    article.write_text(ENGLISH, encoding="utf-8")
    result = cli("extract", article, "--model", "none", "--claim-language", value)
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "claim_language" in line and repr(value) in line and "ISO 639-1" in line


def test_the_setting_also_comes_from_the_environment_and_is_checked_there(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ENGLISH, encoding="utf-8")
    result = cli("extract", article, "--model", "none", env={"EXTRACTOR_CLAIM_LANGUAGE": "zz"})
    assert result.exit_code == 2 and "from EXTRACTOR_CLAIM_LANGUAGE" in result.stderr


def test_the_narrow_strategy_uses_the_claim_language_templates_where_it_has_them():
    """Rule restatements: the quote stays as written, the frame is the claim language's where
    it has templates (English and the lexicon languages), else the article's."""
    from extractor.api import Extractor
    from extractor.finder import find_attributions
    from extractor.pipeline import draft_from_finding
    from extractor.schema import Document
    from extractor.strategies.narrow import narrow_steps

    document = Document.from_text(GERMAN).model_copy(update={"language": "de"})
    finding = find_attributions(GERMAN, "de")
    for language, start in ((None, "Katrin Albers: „Wir lassen"), ("fr", "Katrin Albers : « Wir lassen"),
                            ("en", "Katrin Albers said: “Wir lassen"), ("it", "Katrin Albers: „Wir lassen")):
        draft = draft_from_finding(document, finding)
        for _ in narrow_steps(document, draft, (), language):
            pass
        assert draft.claims[0].text.startswith(start), (language, draft.claims[0].text)
    assert Extractor(model="none", claim_language="ES").settings.claim_language == "es"


def test_a_batch_keys_results_by_claim_language_when_a_model_restates_them(tmp_path):
    from extractor.batch.keys import result_key
    from extractor.settings import Settings

    def key(**options):
        return result_key(Settings(**options), ())[0]

    assert key(model="openai/gpt-4o-mini") == key(model="openai/gpt-4o-mini", claim_language=None)
    assert key(model="openai/gpt-4o-mini", claim_language="de") != key(model="openai/gpt-4o-mini")
    assert key(model="none", claim_language="de") == key(model="none")  # no model: claims are the content as written
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GERMAN, encoding="utf-8")
    db = tmp_path / "r.sqlite"
    assert cli("batch", folder, "--db", db, "--model", "none").exit_code == 0
    assert cli("batch", folder, "--db", db, "--model", "none", "--claim-language", "en").exit_code == 0
    assert query(db, "SELECT COUNT(*) FROM extractions") == [(1,)]
