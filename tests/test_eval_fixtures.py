"""Small datasets of every kind `eval` reads, written by the tests into a temporary folder (no
test needs the real data). The other test_eval modules import the writers from here."""

from __future__ import annotations

import json
from pathlib import Path

# ---------------------------------------------------------------- polnear

POLNEAR_TEXT = (
    '"We will win," said Jane Doe, "and soon." Sources said the deal was off.\n'
    "It was announced that the plant will close.\n"
)


def _at(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


WIN, SAID1, JANE, SOON = (_at(POLNEAR_TEXT, s) for s in ('"We will win,"', "said", "Jane Doe", '"and soon."'))
SOURCES, DEAL = _at(POLNEAR_TEXT, "Sources"), _at(POLNEAR_TEXT, "the deal was off")
SAID2 = _at(POLNEAR_TEXT, "said", SOURCES[1])
ANNOUNCED, PLANT = _at(POLNEAR_TEXT, "was announced"), _at(POLNEAR_TEXT, "that the plant will close")


def _t(n: int, kind: str, span: tuple[int, int]) -> str:
    return f"T{n}\t{kind} {span[0]} {span[1]}\t{POLNEAR_TEXT[span[0]:span[1]]}"


POLNEAR_ANN = "\n".join(
    [
        # the quote interrupted by its own attribution: two Content fragments
        f"T1\tContent {WIN[0]} {WIN[1]};{SOON[0]} {SOON[1]}\t{POLNEAR_TEXT[slice(*WIN)]} {POLNEAR_TEXT[slice(*SOON)]}",
        _t(2, "Cue", SAID1),
        _t(3, "Source", JANE),
        "E1\tAttribution:T2 Content:T1 Cue:T2 Source:T3",
        _t(4, "Content", DEAL),
        _t(5, "Cue", SAID2),
        _t(6, "Source", SOURCES),
        "E2\tAttribution:T5 Content:T4 Cue:T5 Source:T6",
        _t(7, "Content", PLANT),
        _t(8, "Cue", ANNOUNCED),
        "E3\tAttribution-no-source:T8 Content:T7 Cue:T8",
        "",
    ]
)
OTHER_TEXT = "Mary Major said the vote was close.\n"
OTHER_ANN = "T1\tSource 0 10\tMary Major\nT2\tCue 11 15\tsaid\nT3\tContent 16 34\tthe vote was close\nE1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n"


def write_polnear(root: Path) -> Path:
    """`root/data/dev` with two articles; the first annotated twice, identically."""
    base = root / "data" / "dev"
    (base / "text").mkdir(parents=True)
    (base / "attributions").mkdir()
    (base / "text" / "paper_2016-01-01_story.txt").write_text(POLNEAR_TEXT, encoding="utf-8")
    for annotator in ("4b22", "ef2d"):
        (base / "attributions" / f"paper_2016-01-01_story_{annotator}.ann").write_text(POLNEAR_ANN, encoding="utf-8")
    (base / "text" / "paper_2016-01-02_vote.txt").write_text(OTHER_TEXT, encoding="utf-8")
    (base / "attributions" / "paper_2016-01-02_vote_6b86.ann").write_text(OTHER_ANN, encoding="utf-8")
    return root


# ---------------------------------------------------------------- fnc1

FNC_BODIES = (
    "Body ID,articleBody\n"
    '1,"Officials said the bridge will reopen in May.\n\nThe mayor agreed."\n'
    "2,A cat was rescued from a tree by firefighters on Tuesday.\n"
)
FNC_STANCES = (
    "Headline,Body ID,Stance\n"
    "Bridge to reopen in May,1,agree\n"
    "Bridge will stay closed all year,1,disagree\n"
    '"Bridge reopening, officials say",1,discuss\n'
    "Bridge to reopen in May,2,unrelated\n"
)


def write_fnc1(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "competition_test_bodies.csv").write_text(FNC_BODIES, encoding="utf-8")
    (root / "competition_test_stances.csv").write_text(FNC_STANCES, encoding="utf-8")
    return root


# ---------------------------------------------------------------- clef2019

CLEF_LINES = [
    ("1", "MODERATOR", "Good evening and welcome.", "0"),
    ("2", "SMITH", "Unemployment fell to 4 percent last year.", "1"),
    ("3", "SMITH", "I am proud of that.", "0"),
    ("4", "SYSTEM", "(APPLAUSE)", "0"),
    ("5", "SEN. ANN JONES (D-VT), CANDIDATE", "We spent 2 billion dollars on roads.", "1"),
    ("6", "JONES", "That is a fact.", "0"),
]


def clef_tsv(lines=CLEF_LINES) -> bytes:
    return "\r\n".join("\t".join(fields) for fields in lines).encode("utf-8")


def write_clef(root: Path) -> Path:
    base = root / "data" / "test_annotated"
    base.mkdir(parents=True)
    (base / "20200101_debate.tsv").write_bytes(clef_tsv())
    (base / "20200102_speech.tsv").write_bytes(clef_tsv([("1", "SMITH", "Taxes went up by 3 percent.", "1"), ("2", "SMITH", "Thank you.", "0")]))
    return root


# ---------------------------------------------------------------- gold

GOLD_TEXT = (
    "Олександр Кубраков (Oleksandr Kubrakov) said the corridor moved 30 million tonnes of grain. "
    '"It must stay open," Kubrakov said. Prices fell 5% in May.\n'
)
GOLD_LINE = {
    "id": "grain",
    "text": GOLD_TEXT,
    "speakers": [{"name": "Oleksandr Kubrakov", "aliases": ["Олександр Кубраков"]}],
    "claims": [
        {
            "speaker": "Oleksandr Kubrakov",
            "evidence": "the corridor moved 30 million tonnes of grain",
            "cue": {"text": "said", "start": GOLD_TEXT.index("said")},
            "speaker_mention": "Олександр Кубраков",
            "check_worthy": True,
        },
        {
            "speaker": "Kubrakov",
            "evidence": '"It must stay open,"',
            "cue": {"text": "said", "start": GOLD_TEXT.index("said", GOLD_TEXT.index("open"))},
            "speaker_mention": {"text": "Kubrakov", "start": GOLD_TEXT.index("Kubrakov said")},
            "check_worthy": False,
        },
        {"speaker": None, "evidence": "Prices fell 5% in May.", "check_worthy": True},
    ],
    "stances": [{"holder": "Oleksandr Kubrakov", "target": ["the corridor", "grain corridor"], "polarity": "favor"}],
    "targets": [{"target": "keeping the grain corridor open", "polarity": "favor"}],
}
GOLD_LINE_2 = {
    "id": "quiet",
    "text": "Nothing anyone said was quoted.\n",
    "speakers": [],
    "claims": [],
    "targets": [{"target": "grain prices", "polarity": "unrelated"}],
}


def write_gold(path: Path, lines=(GOLD_LINE, GOLD_LINE_2)) -> Path:
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path


def test_fixture_offsets_are_right():
    t = POLNEAR_TEXT
    assert t[slice(*WIN)] == '"We will win,"' and t[slice(*SOON)] == '"and soon."'
    assert t[slice(*SAID1)] == t[slice(*SAID2)] == "said" and SAID2[0] > SOURCES[0]
    assert t[slice(*PLANT)] == "that the plant will close"
    assert OTHER_TEXT[0:10] == "Mary Major" and OTHER_TEXT[11:15] == "said" and OTHER_TEXT[16:34] == "the vote was close"
