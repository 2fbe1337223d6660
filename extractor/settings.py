"""Typed, frozen settings. Options on the command line win over `EXTRACTOR_*` variables.

The API key is a `SecretStr`: it is never printed, logged or written with a result.
"""

from __future__ import annotations

import difflib
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from extractor.errors import ConfigError
from extractor.iso639 import NAMES

BUNDLED_MODEL = "local/smollm2-135m"
"""The name results record for the model that ships with the package (`--model local` too)."""
DEFAULT_MODEL = BUNDLED_MODEL


def uses_no_model(model: str) -> bool:
    """`--model none` (any case, any spaces around it): the finder and trained layers only."""
    return model.strip().lower() == "none"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EXTRACTOR_", frozen=True, extra="forbid")

    model: str = DEFAULT_MODEL
    """`openai/<name>`, `local/smollm2-135m`, `local/<path.gguf>`, `none` (rules only), or any
    name the server at `base_url` knows."""
    base_url: str | None = None
    api_key: SecretStr | None = None
    strategy: Literal["auto", "narrow", "full"] = "auto"
    """narrow: the finder's claims judged by the trained layers, the model asked nothing (the
    default for the bundled model, whose answers measured worse than those layers); full: the
    model reads each chunk and extracts everything; auto: narrow for local models."""
    chunk_chars: int = Field(default=16000, ge=500)
    """the longest passage one `full` request carries: 16,000 characters puts 99% of news
    articles (PolNeAR's 928) in one request. Less when the model's context window is smaller."""
    context_window: int | None = Field(default=None, ge=1024)
    """tokens the model reads at most (prompt and answer); None: `local_context` for local
    models, 32,768 for others. Passages are cut so that one fits with its answer."""
    chunk_overlap: int = Field(default=400, ge=0)
    max_input_chars: int = Field(default=2_000_000, ge=1)
    timeout: float = Field(default=120.0, gt=0)
    """Seconds to wait for the model server's next bytes; a whole request gets at most 4 times
    this (a server trickling its answer cannot hold a request longer)."""
    transport_retries: int = Field(default=4, ge=0)
    backoff_seconds: float = Field(default=1.0, ge=0)
    """First wait before a transport retry; doubled each time (with jitter), at most 30 s."""
    validation_retries: int = Field(default=2, ge=0)
    temperature: float = 0.0
    max_tokens: int = Field(default=4096, ge=16)
    """the longest answer: a whole article's answer (about 20 claims, each restated) needs
    1,500 tokens and more. Passages leave room for it, up to a quarter of the context window."""
    seed: int = 0
    local_context: int = Field(default=4096, ge=512)
    local_threads: int | None = None
    keep_unaligned: bool = False
    fuzzy_threshold: float = Field(default=90.0, ge=50, le=100)
    claim_language: str | None = None
    """ISO 639-1 code of the language claim text is written in (a capable model's restatement,
    the narrow strategy's templates where there is one); None: the article's own language."""
    stance_threshold: float | None = Field(default=None, ge=0, le=1)
    """The trained stance layer reports favor/against only at this confidence or above; None
    takes the calibrated threshold shipped with it (favor/against right about 9 times in 10
    on NewsMTSC devtest_mt, few calls); 0.5 calls far more, right about 6 times in 10."""
    # batch runs (extractor batch)
    concurrency: int = Field(default=8, ge=1, le=1024)
    """documents extracted at once; each waits on the model most of the time."""
    rpm: int | None = Field(default=None, ge=1)
    """client-side ceiling on model requests per minute (the provider's limit, or less)."""
    tpm: int | None = Field(default=None, ge=1)
    """client-side ceiling on tokens per minute, counting each request's prompt and max_tokens."""
    prices: dict[str, tuple[float, float]] = Field(default_factory=dict)
    """USD per million prompt and completion tokens, by model name, over the built-in table:
    EXTRACTOR_PRICES='{"openai/gpt-4o-mini": [0.15, 0.60]}'."""
    batch_poll_seconds: float = Field(default=30.0, ge=0)
    """how often `batch --collect` asks whether an OpenAI batch has finished."""
    workers: int = Field(default=1, ge=1, le=64)
    """processes a batch run extracts in; more than one when the CPU, not the model, is slow.
    With engine "ray": Ray workers (1, the default, means one per CPU of the cluster)."""
    engine: Literal["local", "ray"] = "local"
    """where a batch run extracts: this machine, or a Ray cluster (pip install 'extractor[ray]')."""
    ray_address: str | None = None
    """the Ray cluster to join ("ray://head:10001", "auto"); None starts a local one for the run."""

    @field_validator("claim_language")
    @classmethod
    def _iso_639_1(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.strip().lower()
        if code not in NAMES:
            raise ValueError("not an ISO 639-1 language code (two letters: en, de, fr, es, ru, ...)")
        return code

    def with_overrides(self, **values) -> Settings:
        """A copy with the given non-None values replaced (command-line options, API keywords),
        validated like the values it was made from: `model_copy(update=...)` would accept
        `chunk_chars=10` or a misspelt name without a word. A bad value is a `ConfigError`
        naming the setting."""
        given = {k: v for k, v in values.items() if v is not None}
        if not given:
            return self
        try:
            return type(self).model_validate({**self.model_dump(), **given})
        except ValidationError as e:
            raise _config_error(e, given) from e

    @property
    def uses_no_model(self) -> bool:
        return uses_no_model(self.model)


def load_settings(**overrides) -> Settings:
    """The settings from `EXTRACTOR_*` variables with `overrides` on top (None: not given).
    Every way a setting can be wrong ends here, as one `ConfigError` that names it."""
    try:
        base = Settings()
    except ValidationError as e:
        raise _config_error(e, {}) from e
    return base.with_overrides(**overrides)


def _config_error(error: ValidationError, given: dict) -> ConfigError:
    """The first bad setting of `error`, by name, and where its value came from."""
    first = error.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else "settings"
    if first["type"] == "extra_forbidden":
        close = difflib.get_close_matches(name, Settings.model_fields, n=1)
        hint = f"did you mean {close[0]}?" if close else f"known settings: {', '.join(Settings.model_fields)}"
        return ConfigError(f"unknown setting {name!r}", hint)
    where = "given" if name in given else f"from EXTRACTOR_{name.upper()}"
    value = given.get(name, first.get("input"))
    shown = "(hidden)" if name == "api_key" else repr(value)
    return ConfigError(f"bad setting {name}={shown} ({where}): {first['msg']}", f"see {name} in extractor/settings.py")
