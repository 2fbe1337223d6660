"""CLEF-2019 CheckThat! task 1 as cases: each transcript file is one document.

A file has one sentence a line: `line number<TAB>SPEAKER<TAB>sentence<TAB>0|1` (CRLF). The
document is the transcript as a reader would see it: consecutive sentences of one speaker make
one paragraph, `SPEAKER: sentence sentence ...`; stage directions (speaker SYSTEM, e.g.
"(APPLAUSE)") stand alone without a label. Every sentence keeps its character span, so a claim
is mapped back to the sentences its evidence covers (see `metrics.check_worthy_counts`).

Gold: the check-worthiness label of every sentence, and the transcript's speakers by name
(labels that name no one, such as QUESTION or AUDIENCE, left out). Splits: `test`
(data/test_annotated) and `train` (data/training); PATH may also be one .tsv file.
"""

from __future__ import annotations

import re
from pathlib import Path

from extractor.errors import ConfigError, InputError
from extractor.evaluate.cases import Case, Gold, SpeakerName, Unit
from extractor.evaluate.names import same_person

SPLITS = {"test": "test_annotated", "train": "training"}
STAGE = "SYSTEM"
NOT_A_NAME = re.compile(r"^(SYSTEM|QUESTION|AUDIENCE|MODERATOR|UNIDENTIFIED\b.*|UNKNOWN\b.*|\(.*\))$", re.I)


def load(path: Path, split: str) -> list[Case]:
    return [load_transcript(f) for f in transcript_files(path, split)]


def transcript_files(path: Path, split: str) -> list[Path]:
    if path.is_file():
        return [path]
    folder = SPLITS.get(split, split)
    for base in (path / "data" / folder, path / folder):
        if base.is_dir():
            files = sorted(base.glob("*.tsv"))
            if not files:
                raise InputError(f"{base}: no .tsv transcripts in it")
            return files
    raise ConfigError(f"{path}: no clef2019 split {split!r}", f"expected data/{folder}; splits: {', '.join(SPLITS)}")


def load_transcript(path: Path) -> Case:
    pieces: list[str] = []
    units: list[Unit] = []
    speakers: dict[str, SpeakerName] = {}
    at, previous = 0, None
    for speaker, sentence, label in _lines(path):
        if speaker == STAGE or speaker != previous:
            opener = ("\n" if pieces else "") + ("" if speaker == STAGE else f"{speaker}: ")
        else:
            opener = " "
        pieces.append(opener)
        at += len(opener)
        units.append(Unit(at, at + len(sentence), label))
        pieces.append(sentence)
        at += len(sentence)
        previous = speaker
        if not NOT_A_NAME.match(speaker) and speaker not in speakers:
            person = person_of(speaker)
            if not any(same_person(person, known.name) for known in speakers.values()):
                speakers[speaker] = SpeakerName(person)
    if not units:
        raise InputError(f"{path}: no sentences in it")
    gold = Gold(speakers=tuple(speakers.values()), check_worthy=tuple(units))
    return Case(name=path.stem, text="".join(pieces) + "\n", golds={"clef2019": gold})


def person_of(label: str) -> str:
    """'SEN. BERNIE SANDERS (D-VT), PRESIDENTIAL CANDIDATE' -> 'SEN. BERNIE SANDERS'."""
    return re.sub(r"\s*\(.*?\)", "", label).split(",")[0].strip()


def _lines(path: Path):
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start})") from e
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from e
    previous = STAGE
    for lineno, line in enumerate(raw.split("\n"), 1):  # not splitlines(): it also splits on \x1c, \u2028
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 4:
            raise InputError(f"{path}:{lineno}: expected 4 tab-separated fields (line, speaker, sentence, label), found {len(fields)}")
        _, speaker, sentence, label = (f.strip() for f in fields)
        if label not in ("0", "1"):
            raise InputError(f"{path}:{lineno}: label {label!r} is not 0 or 1")
        if not speaker or not sentence:
            raise InputError(f"{path}:{lineno}: empty speaker or sentence")
        if any(c.islower() for c in speaker):
            # Two lines in the data lost their speaker and have a tab inside the sentence instead
            # (labels are upper case): one sentence, said by whoever was speaking.
            speaker, sentence = previous, f"{speaker} {sentence}"
        previous = speaker
        yield speaker, sentence, label == "1"
