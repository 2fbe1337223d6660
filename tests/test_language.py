"""Every document's language is identified, and a language the rules do not cover is said,
in run.warnings and on stderr, instead of returning what looks like an article with no quotes."""

from __future__ import annotations

from click.testing import CliRunner

from extractor import extract_text
from extractor.cli import main
from extractor.language import coverage_warning, detect_language
from tests.conftest import SEEDS

GERMAN = (
    "Die Bundesregierung will die Hilfen für Landwirte um ein weiteres Jahr verlängern. "
    "„Wir lassen die Betriebe in dieser Lage nicht allein“, sagte die Ministerin am Montag in Berlin.\n"
)
SPANISH = (
    "El Gobierno prorrogará un año más las ayudas a los agricultores afectados por la sequía. "
    "«No vamos a dejar solas a las explotaciones», dijo la ministra el lunes en Madrid.\n"
)
ITALIAN = (
    "Il governo prorogherà di un anno gli aiuti agli agricoltori colpiti dalla siccità. "
    "«Non lasceremo sole le aziende agricole», ha detto la ministra lunedì a Roma.\n"
)
RUSSIAN = "Правительство продлит помощь фермерам ещё на год. «Мы не оставим хозяйства одних», — сказала министр в понедельник.\n"
FRENCH = "Le porte-parole du gouvernement a déclaré mardi que la réforme des retraites serait maintenue malgré les grèves.\n"


def test_languages_are_identified():
    assert detect_language((SEEDS / "peskov-nato-red-line.txt").read_text(encoding="utf-8")) == "en"
    # English with names in Cyrillic is still English
    assert detect_language((SEEDS / "ukraine-grain-talks-cyrillic.txt").read_text(encoding="utf-8")) == "en"
    assert detect_language(GERMAN) == "de" and detect_language(FRENCH) == "fr" and detect_language(SPANISH) == "es"
    assert detect_language(RUSSIAN) == "ru" and detect_language(ITALIAN) == "it"
    assert detect_language("Hi.") is None  # too little to tell


def test_covered_languages_need_no_warning_and_others_say_what_still_works():
    assert coverage_warning("en") is None and coverage_warning(None) is None
    assert all(coverage_warning(code) is None for code in ("de", "fr", "es", "ru"))  # they have lexicon files
    warning = coverage_warning("it")
    assert "Italian" in warning and "cover English, French, German, Russian and Spanish only" in warning and "--model" in warning


def test_the_result_records_the_language_and_warns_for_an_uncovered_one():
    english = extract_text((SEEDS / "central-bank-rates.txt").read_text(encoding="utf-8"), model="none")
    assert english.document.language == "en" and not any("English only" in w for w in english.run.warnings)
    italian = extract_text(ITALIAN, model="none")
    assert italian.document.language == "it"
    assert any("Italian (it)" in w for w in italian.run.warnings)


def test_a_covered_language_runs_its_own_rules_without_a_coverage_warning():
    german = extract_text(GERMAN, model="none")
    assert german.document.language == "de" and not any("cover" in w for w in german.run.warnings)
    [claim] = german.claims
    assert claim.evidence.text == "„Wir lassen die Betriebe in dieser Lage nicht allein“"
    for text, quote in ((SPANISH, "«No vamos a dejar solas a las explotaciones»"), (RUSSIAN, "«Мы не оставим хозяйства одних»")):
        result = extract_text(text, model="none")
        assert not any("cover" in w for w in result.run.warnings)
        assert [c.evidence.text for c in result.claims] == [quote]


def test_the_warning_reaches_stderr(tmp_path):
    article = tmp_path / "articolo.txt"
    article.write_text(ITALIAN, encoding="utf-8")
    run = CliRunner().invoke(main, ["extract", str(article), "--model", "none", "--format", "json"])
    assert run.exit_code == 0
    assert "articolo.txt: warning: the article is in Italian" in run.stderr
    assert '"language": "it"' in run.stdout


def test_a_batch_does_not_count_a_language_warning_as_a_failed_passage(tmp_path):
    """An Italian article is stored with its warning, but it is not 'done with warnings': a
    retry could not change its language, so --retry-failed does not ask it again."""
    from tests.batch_helpers import cli, query

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "articolo.txt").write_text(ITALIAN, encoding="utf-8")
    (folder / "article.txt").write_text((SEEDS / "central-bank-rates.txt").read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "r.sqlite"
    first = cli("batch", folder, "--db", db, "--model", "none")
    assert first.exit_code == 0, first.output
    assert query(db, "SELECT COUNT(*), SUM(warnings) FROM extractions") == [(2, 0)]
    [(stored,)] = query(db, "SELECT result_json FROM extractions e JOIN documents d ON d.id = e.document_id WHERE d.source LIKE '%articolo.txt'")
    assert '"language": "it"' in stored and "Italian (it)" in stored
    again = cli("batch", folder, "--db", db, "--model", "none", "--retry-failed")
    assert again.exit_code == 0 and query(db, "SELECT COUNT(*) FROM extractions") == [(2,)]


def test_english_trained_layers_abstain_on_a_covered_foreign_language():
    """German quotes are found by the German finder, but the stance and check-worthiness
    layers were trained on English: they leave German claims unjudged, and the run says so."""
    text = (
        "Die Ministerin Anna Keller lehnt den Plan ab. „Wir unterstützen das Projekt nicht“, sagte Keller am Montag.\n"
        "Der Bürgermeister Jonas Brandt erklärte, die Stadt werde den Bau trotzdem fortsetzen.\n"
    )
    result = extract_text(text, model="none", targets="Plan")
    assert result.document.language == "de" and result.claims
    assert all(c.check_worthiness is None and c.check_worthy is None for c in result.claims)
    assert result.stances == [] and result.targets[0].confidence is None
    assert any("trained on English" in w for w in result.run.warnings)
    english = extract_text((SEEDS / "central-bank-rates.txt").read_text(encoding="utf-8"), model="none")
    assert any(c.check_worthiness is not None for c in english.claims)
