"""Prompt templates live in `prompts/` as files; this module loads and fills them.

Templates use `$name` placeholders (string.Template). A missing variable is an error, not an
empty string. `prompt_version()` is a content hash of every template plus the answer schemas,
stamped on every result so that outputs from different prompts are never mixed up.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path
from string import Template

from extractor.errors import PromptError

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


def _prompts_dir() -> Path:
    # Installed without the source tree (a wheel), the templates ship as package data.
    packaged = Path(__file__).resolve().parent / "prompts"
    return PROMPTS_DIR if PROMPTS_DIR.is_dir() else packaged


@cache
def load(name: str) -> Template:
    path = _prompts_dir() / f"{name}.md"
    try:
        return Template(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise PromptError(f"prompt template {path} is missing", "reinstall the package") from e


def render(name: str, **values: str) -> str:
    """The template with its values. Every value is article-derived or may be (a passage, a
    speaker's name, a candidate's quote, a topic), so each goes through `as_data`: only the
    template itself can open or close <article>."""
    template = load(name)
    try:
        # no trailing newline: instructor's template rendering would drop it from one path
        # (live questions) and not from the other (plain and Batch API requests)
        return template.substitute({k: as_data(v) if isinstance(v, str) else v for k, v in values.items()}).strip()
    except KeyError as e:
        raise PromptError(f"prompt template {name}.md needs a value for ${e.args[0]}") from e
    except ValueError as e:
        raise PromptError(f"prompt template {name}.md has a bad placeholder: {e}") from e


def language_block(article: str | None, claim: str | None = None) -> str:
    """The line that names the article's language and the one to write claims in (`claim`,
    from --claim-language, else the article's). Empty when both are English or unknown: English
    requests stay the bytes they were before the line existed, and so do their recordings."""
    from extractor.iso639 import language_name

    wanted = claim or article
    if wanted in (None, "en") and article in (None, "en"):
        return ""
    return render("language_block", language=language_name(article) or "unidentified", claim_language=language_name(wanted) or "")


# Whatever a reader (or a model) could take for an <article> tag: '</article foo=1>',
# '</article/>', '</ article>', '<ARTICLE >', or one left unclosed at a line's end.
_DELIMITER = re.compile(r"(?i)<(\s*/?\s*article\b[^<>\n]*)(>?)")


def as_data(text: str) -> str:
    """Article text for a prompt: it cannot close or open the <article> delimiters around it,
    so instructions inside it stay inside the data. (Grounding uses the real text.)"""
    return _DELIMITER.sub(lambda m: "‹" + m.group(1) + ("›" if m.group(2) else ""), text)


@cache
def prompt_version() -> str:
    from extractor import answers

    digest = hashlib.sha256()
    for path in sorted(_prompts_dir().glob("*.md")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for model in answers.SCHEMAS:
        digest.update(json.dumps(model.model_json_schema(), sort_keys=True).encode())
    # The trained layers answer what the model is not asked: new parameters, new results.
    for path in sorted((Path(__file__).parent / "trained" / "params").glob("*.json")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return "p-" + digest.hexdigest()[:12]
