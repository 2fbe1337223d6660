"""What a stored result is keyed by: the document's text (its hash), the model, the prompt
version, and the options that change a result. The same key means the same answer, so a
rerun of an unchanged corpus asks the model nothing; anything else is extracted again.
"""

from __future__ import annotations

import hashlib
import json

from extractor.pipeline import choose_strategy
from extractor.prompts import prompt_version
from extractor.settings import BUNDLED_MODEL as BUNDLED
from extractor.settings import Settings, uses_no_model
from extractor.store import ResultKey

# Settings that change what a document's result is. Transport settings (timeouts, retries,
# concurrency, rate limits) and where the model is served (base_url) do not.
RESULT_OPTIONS = ("chunk_chars", "context_window", "chunk_overlap", "keep_unaligned", "fuzzy_threshold", "max_input_chars")
MODEL_OPTIONS = ("temperature", "max_tokens", "seed", "validation_retries")


def model_name(settings: Settings) -> str | None:
    """The name results record for `--model` (None for rules only), as `llm.resolve` names
    it, without importing the model layer: a rerun with nothing to do should not pay for it.
    tests/test_batch_keys.py checks the two agree."""
    if uses_no_model(settings.model):
        return None
    name = settings.model.strip()
    return BUNDLED if name == "local" else name


def result_key(settings: Settings, targets: tuple[str, ...]) -> tuple[ResultKey, dict]:
    name = model_name(settings)
    options: dict = {
        "strategy": choose_strategy(settings, name) if name else "none",
        "targets": list(targets),
        **{o: getattr(settings, o) for o in RESULT_OPTIONS},
    }
    if settings.stance_threshold is not None:  # only when set, so that older keys stay valid
        options["stance_threshold"] = settings.stance_threshold
    if name is not None:
        options.update({o: getattr(settings, o) for o in MODEL_OPTIONS})
        if settings.claim_language is not None:  # restated claims in another language (none: the content)
            options["claim_language"] = settings.claim_language
    digest = hashlib.sha256(json.dumps(options, sort_keys=True).encode()).hexdigest()
    return ResultKey(name or "none", prompt_version(), "o-" + digest[:12]), options
