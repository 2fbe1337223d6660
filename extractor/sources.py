"""Expand batch inputs into documents, one `Item` at a time, in a stable order.

    a file                  one document (.txt, .md, .html, ...; see ingest.read_document)
    a directory             every .txt, .md, .markdown, .html, .htm file under it, sorted
    a glob ("news/*.html")  the files it matches, sorted ("**" recurses)
    a .jsonl / .ndjson file one document per line: {"id"?, "text" | "html", "url"?, "title"?,
                            "published"?}
    -                       JSONL on standard input

An input that cannot be read (a corrupt file, a broken JSONL line, an empty article, a pipe
or a device, a line too deeply nested to parse) is an `Item` carrying its error instead of a
document: the run records it as that input's failure and goes on. Nothing here raises for bad
input, whatever the cause: one bad input must not stop a nightly run.

Names are shown (in messages and in the store) through `display_name`: a file name that is
not valid UTF-8 cannot be stored in SQLite, and one holding a newline could fake log lines.
"""

from __future__ import annotations

import glob
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from extractor.errors import ExtractorError, InputError
from extractor.ingest import (
    JSONL_SUFFIXES,
    article_text,
    byte_limit,
    guess_title,
    html_to_text,
    open_regular,
    read_document,
)
from extractor.schema import Document

DIRECTORY_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}


@dataclass(frozen=True)
class Origin:
    """Where a document came from, beyond its text; stored with the document."""

    source: str
    external_id: str | None = None
    url: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class Item:
    label: str  # how messages name this input: a path, or "file.jsonl:12"
    origin: Origin
    document: Document | None = None
    error: ExtractorError | None = None
    given: str | None = None  # the folder or pattern it was found through, if any
    holder: str | None = None  # the JSONL file ('-': stdin) a line came from, if any

    @property
    def subject(self) -> str:
        """What the store keys this input's outcome by: the text's hash, or the input's name
        when there is no text to hash."""
        return self.document.id if self.document is not None else "input:" + self.label


def expand(inputs: Iterable[str], stdin=None, max_chars: int = 2_000_000) -> Iterator[Item]:
    for given in inputs:
        if given == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _jsonl(stream, "-", max_chars)
            continue
        path = Path(given)
        shown = display_name(given)
        if path.is_dir():
            yield from _found_through(display_name(str(path)), _directory(path, max_chars))
        elif path.exists() or path.is_symlink() or not _is_glob(given):
            yield from _file(path, max_chars)
        else:
            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                yield _failed(shown, InputError(f"{shown}: no file matches", "check the pattern"))
            for match in matches:
                if Path(match).is_dir():
                    continue
                yield from _found_through(shown, _file(Path(match), max_chars))


def display_name(name: str) -> str:
    """A path as messages and the store show it: bytes that are not UTF-8 (kept by Python as
    lone surrogates, which SQLite cannot store) as \\xNN, control characters escaped."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _found_through(given: str, items: Iterator[Item]) -> Iterator[Item]:
    """Mark items found through a folder or a pattern, so that the failure recorded when it
    held nothing ("no file matches") can be cleared once it does."""
    for item in items:
        yield item if item.label == given else replace(item, given=given)


def _directory(root: Path, max_chars: int) -> Iterator[Item]:
    unreadable: list[OSError] = []
    found = []
    others = 0
    for folder, subfolders, files in os.walk(root, onerror=unreadable.append):  # symlinked folders are not followed
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        kept = [Path(folder, f) for f in files if not f.startswith(".") and Path(f).suffix.lower() in DIRECTORY_SUFFIXES]
        found += kept
        others += len(files) - len(kept)
    for error in unreadable:
        label = display_name(str(error.filename or root))
        yield _failed(label, InputError(f"{label}: cannot read the folder ({error.strerror})", "check its permissions"))
    if not found and not unreadable:  # a wrong path or a step that did not run: say so, do not finish quietly
        kinds = ", ".join(sorted(DIRECTORY_SUFFIXES))
        skipped = f" ({others} other file{'s' if others != 1 else ''} skipped)" if others else ""
        shown = display_name(str(root))
        yield _failed(shown, InputError(f"{shown}: no {kinds} files in this folder{skipped}", "check the path"))
    inside = root.resolve()
    for path in sorted(found):
        if path.is_symlink() and not _within(path, inside):
            # a folder is a corpus: a link out of it (to /etc/passwd, /dev/zero) is not an article
            label = display_name(str(path))
            yield _failed(label, InputError(f"{label}: a symbolic link to a file outside {display_name(str(root))}, not read",
                                            "copy the file into the folder, or pass it by name"))
            continue
        yield from _file(path, max_chars)


def _within(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder)
    except (OSError, RuntimeError):  # a loop of links
        return False


def _file(path: Path, max_chars: int) -> Iterator[Item]:
    label = display_name(str(path))
    try:
        if path.suffix.lower() in JSONL_SUFFIXES:
            # the longest line an article (as HTML, in JSON) may take; checked before parsing
            with open_regular(path, label, float("inf"), max_chars) as stream:
                yield from _jsonl(stream, label, max_chars)
            return
        document = read_document(label, max_chars=max_chars, path=path)
    except ExtractorError as e:
        yield _failed(label, e)
        return
    except Exception as e:  # whatever else reading meets (a recursion, an odd file system): this input's failure
        yield _failed(label, _unexpected(label, e))
        return
    yield Item(label, Origin(label), document=document)


def _jsonl(stream, name: str, max_chars: int) -> Iterator[Item]:
    longest = 2 * byte_limit(max_chars, html=True)  # an article as JSON: escapes take room
    number = 0
    lines = 0
    while True:
        raw = stream.readline(longest + 1)
        if not raw:
            if not lines:  # as for an empty folder: a feed that did not come should not look like a quiet night
                where = "on standard input" if name == "-" else "in this file"
                yield _failed(name, InputError(f"{name}: no JSON lines {where}", "check the step that writes it"))
            return
        number += 1
        label = f"{name}:{number}"
        if len(raw) > longest and not raw.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass  # the rest of an over-long line is skipped, not held
            lines += 1
            yield _failed(label, InputError(f"{label}: a line over {longest:,} bytes", "split the article, or raise EXTRACTOR_MAX_INPUT_CHARS"))
            continue
        if not raw.strip():
            continue
        lines += 1
        try:
            item = _jsonl_item(raw, label, max_chars)
        except InputError as e:
            item = _failed(label, e)
        except Exception as e:  # one line must never stop the lines after it
            item = _failed(label, _unexpected(label, e))
        yield replace(item, holder=name)


def _unexpected(label: str, e: Exception) -> InputError:
    return InputError(f"{label}: cannot be read ({type(e).__name__}: {_short(e)})", "check this input; if it looks fine, please report this")


def _jsonl_item(raw: bytes, label: str, max_chars: int) -> Item:
    try:
        record = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as e:
        raise InputError(f"{label}: not a JSON line ({_short(e)})", "each line must be one JSON object") from e
    except RecursionError as e:  # '[[[[...' 100,000 deep
        raise InputError(f"{label}: JSON nested too deeply to read", "each line must be one flat JSON object") from e
    if not isinstance(record, dict):
        raise InputError(f"{label}: a JSON {type(record).__name__}, not an object", "each line must be one JSON object")
    if isinstance(record.get("text"), str):
        text = record["text"]
    elif isinstance(record.get("html"), str):
        text = html_to_text(record["html"])
    else:
        raise InputError(f'{label}: no "text" or "html" string', 'give each line a "text" (or "html") field')
    for field in ("text", "html", "id", "url", "title", "published"):
        _valid_unicode(record.get(field), field, label)
    text = article_text(text, label, max_chars, 'give the line a non-empty "text"', "it")
    external_id = _text_or_none(record.get("id"))
    url = _text_or_none(record.get("url"))
    title = _text_or_none(record.get("title")) or guess_title(text)
    origin = Origin(external_id or url or label, external_id, url, _text_or_none(record.get("published")))
    return Item(label, origin, document=Document.from_text(text, source=origin.source, title=title))


def _valid_unicode(value, field: str, label: str) -> None:
    """JSON can spell a lone UTF-16 surrogate ("\\ud800"), which is no character at all: it can
    be neither hashed (the document id is a hash of UTF-8) nor stored, so the line is refused."""
    if not isinstance(value, str):
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise InputError(
            f'{label}: "{field}" holds a lone surrogate (\\u{ord(value[e.start]):04x}) at character {e.start}, not valid Unicode',
            "fix that escape sequence in the line",
        ) from None


def _failed(label: str, error: ExtractorError) -> Item:
    return Item(label, Origin(label), error=error)


def _is_glob(given: str) -> bool:
    return any(ch in given for ch in "*?[")


def _text_or_none(value) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else json.dumps(value)


def _short(e: Exception) -> str:
    return str(e).splitlines()[0][:80]
