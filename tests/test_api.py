"""The Python API: one model opened per `Extractor` (and per settings for `extract_text`),
keyword arguments checked by name, targets as given, and the CLI's document ids."""

from __future__ import annotations

import pytest

from extractor import ConfigError, Extractor, extract_text
from extractor.api import close_shared
from extractor.errors import ExtractorError
from extractor.ingest import read_document
from extractor.settings import Settings, load_settings
from tests.conftest import FakeModel

NO_ATTRIBUTION = "Ticket prices rose 4% last year.\n"  # the narrow strategy asks nothing about it


class Opened:
    """Stands in for extractor.llm.LanguageModel and counts how often a model is opened."""

    def __init__(self):
        self.models: list[FakeModel] = []

    def __call__(self, settings):
        model = FakeModel(settings.model)
        model.closed = 0

        def close():
            model.closed += 1

        model.close = close
        self.models.append(model)
        return model


@pytest.fixture
def opened(monkeypatch):
    counter = Opened()
    monkeypatch.setattr("extractor.llm.LanguageModel", counter)
    close_shared()
    yield counter
    close_shared()


def test_an_extractor_opens_its_model_once_and_closes_it(opened):
    with Extractor(model="fake/model", strategy="narrow") as ex:
        first = ex.extract(NO_ATTRIBUTION)
        more = ex.extract_many([NO_ATTRIBUTION, "Bus fares fell.\n"])
    assert len(opened.models) == 1 and opened.models[0].closed == 1
    assert first.run.model == "fake/model" and [r.run.model for r in more] == ["fake/model"] * 2
    with pytest.raises(ExtractorError, match="closed"):
        ex.extract(NO_ATTRIBUTION)


def test_extract_text_reuses_one_model_per_settings(opened):
    for _ in range(3):
        extract_text(NO_ATTRIBUTION, model="fake/model", strategy="narrow")
    assert len(opened.models) == 1 and opened.models[0].closed == 0
    extract_text(NO_ATTRIBUTION, model="fake/model", strategy="narrow", chunk_chars=4000)
    assert len(opened.models) == 2
    close_shared()  # what happens at interpreter exit
    assert [m.closed for m in opened.models] == [1, 1]


def test_an_injected_model_is_used_and_left_open():
    model = FakeModel("fake/injected")
    model.close = lambda: pytest.fail("the caller's model was closed")
    with Extractor(model="fake/injected", strategy="narrow", language_model=model) as ex:
        assert ex.extract(NO_ATTRIBUTION).run.model == "fake/injected"


def test_unknown_keywords_are_errors_that_name_them():
    with pytest.raises(ConfigError) as caught:
        extract_text("Some text.", model="none", chunk_charz=10)
    assert caught.value.message == "unknown setting 'chunk_charz'" and caught.value.hint == "did you mean chunk_chars?"
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        Extractor(model="none", colour="blue")


@pytest.mark.parametrize(
    "values, named",
    [({"chunk_chars": 10}, "chunk_chars=10"), ({"strategy": "wide"}, "strategy='wide'"), ({"timeout": "soon"}, "timeout='soon'")],
)
def test_bad_setting_values_are_refused_by_name(values, named):
    with pytest.raises(ConfigError) as caught:
        Extractor(model="none", **values)
    assert caught.value.message.startswith(f"bad setting {named} (given): ")
    with pytest.raises(ConfigError):
        Settings().with_overrides(**values)  # the command line's path validates too


def test_a_bad_environment_variable_names_itself(monkeypatch):
    monkeypatch.setenv("EXTRACTOR_CHUNK_CHARS", "lots")
    with pytest.raises(ConfigError) as caught:
        load_settings(model="none")
    assert "chunk_chars='lots' (from EXTRACTOR_CHUNK_CHARS)" in caught.value.message


def test_overrides_keep_what_was_not_given():
    settings = load_settings(model="none", chunk_chars=None, fuzzy_threshold=80)
    assert settings.chunk_chars == Settings().chunk_chars and settings.fuzzy_threshold == 80.0


def test_a_string_target_is_one_target():
    result = extract_text("NATO expanded east, Peskov said.\n", model="none", targets="NATO")
    assert [t.target for t in result.targets] == ["NATO"]
    result = extract_text("NATO expanded east, Peskov said.\n", model="none", targets=["NATO", "Russia"])
    assert [t.target for t in result.targets] == ["NATO", "Russia"]
    with pytest.raises(ConfigError, match="not a non-empty string"):
        extract_text("Text.", model="none", targets=["NATO", ""])


def test_the_same_text_gets_the_cli_document_id(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfThe mayor said no.\r\nThat was all.\r\n")
    from_file = read_document(str(path))
    from_api = extract_text("\ufeffThe mayor said no.\r\nThat was all.\r\n", model="none")
    assert from_api.document.id == from_file.id and from_api.document.text == from_file.text


def test_text_must_be_text():
    with pytest.raises(ExtractorError, match="text must be a str, not bytes"):
        extract_text(b"bytes", model="none")
