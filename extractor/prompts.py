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
    template = load(name)
    try:
        # no trailing newline: instructor's template rendering would drop it from one path
        # (live questions) and not from the other (plain and Batch API requests)
        return template.substitute(values).strip()
    except KeyError as e:
        raise PromptError(f"prompt template {name}.md needs a value for ${e.args[0]}") from e
    except ValueError as e:
        raise PromptError(f"prompt template {name}.md has a bad placeholder: {e}") from e


def as_data(text: str) -> str:
    """Article text for a prompt: it cannot close or open the <article> delimiters around it,
    so instructions inside it stay inside the data. (Grounding uses the real text.)"""
    return re.sub(r"(?i)<(/?)article\s*>", r"‹\1article›", text)


@cache
def prompt_version() -> str:
    from extractor import answers

    digest = hashlib.sha256()
    for path in sorted(_prompts_dir().glob("*.md")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for model in answers.SCHEMAS:
        digest.update(json.dumps(model.model_json_schema(), sort_keys=True).encode())
    return "p-" + digest.hexdigest()[:12]
