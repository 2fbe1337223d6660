"""The shapes the model answers in, validated by pydantic (and re-asked by instructor).

The `full` strategy shows the model the passage with the finder's candidate claims marked
`[n]...[/n]`. A claim in the answer that carries a candidate's number confirms it (and gives
only the model's judgements: the restated claim and its type), or corrects it (a quote, cue,
speaker or attribution where the finder was wrong); a claim with a higher number is new and
must quote the article. So the model never re-types a quote it confirms, and only quotes it
typed are grounded.

A quote the model gives must occur in the passage it was shown: the validators ground it
against the validation context (`{"text": ..., "start": ..., "end": ..., "index": TextIndex,
"candidates": k, "fuzzy_threshold": ...}`) and raise an error the model is told about when it
does not. Without a context (a final lenient parse of a last answer) the validators let it through, and grounding
decides later what survives.

The JSON schema the model is shown is compact (`compact_schema`): no titles, no defaults, no
descriptions (the prompt explains each field once), definitions inlined, optional fields as
their plain type. Its size is part of every request; `schema_chars()` measures it.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from extractor.grounding import ground
from extractor.schema import ArticlePolarity, ClaimType, Polarity


def _check_quote(value: str | None, info: ValidationInfo) -> str | None:
    context = info.context or {}
    if value is None or "text" not in context:
        return value
    found = ground(value, context["text"], context.get("start", 0), context.get("end"), index=context.get("index"),
                   fuzzy_threshold=context.get("fuzzy_threshold", 90.0))
    if found is None:
        raise ValueError(
            f"this quote does not occur in the article: {value[:120]!r}. "
            "Copy the words exactly from the article, or leave the item out."
        )
    return value


class _Compact(BaseModel):
    """A model whose JSON schema, as the model is shown it, is `compact_schema` of pydantic's."""

    model_config = ConfigDict(extra="ignore")

    @classmethod
    def model_json_schema(cls, *args, **kwargs) -> dict:
        full = super().model_json_schema(*args, **kwargs)
        compact = compact_schema(full)
        compact["title"] = full.get("title", cls.__name__)
        # the tool's description: none needed (the prompt says it all), and an empty one keeps
        # instructor from writing its own
        compact["description"] = ""
        return compact


class ModelClaim(_Compact):
    n: int
    claim: str
    type: ClaimType | None = None
    quote: str | None = None
    speaker: str | None = None
    target: str | None = None
    stance: Polarity | None = None

    _quote_in_text = field_validator("quote")(_check_quote)


class ModelTargetVerdict(_Compact):
    target: str
    polarity: ArticlePolarity


class ChunkAnswer(_Compact):

    model_config = ConfigDict(title="answer", extra="ignore")

    claims: list[ModelClaim] = Field(default_factory=list)
    rejected: list[int] = Field(default_factory=list)

    @model_validator(mode="after")
    def _new_claims_quote_the_article(self, info: ValidationInfo) -> ChunkAnswer:
        candidates = (info.context or {}).get("candidates")
        if candidates is None:
            return self
        for c in self.claims:
            if c.n > candidates and not (c.quote or "").strip():
                raise ValueError(
                    f"claim {c.n} is not a marked candidate (those are 1 to {candidates}): "
                    "give its quote, copied exactly from the article"
                )
        return self


class TargetsChunkAnswer(ChunkAnswer):

    model_config = ConfigDict(title="answer", extra="ignore")

    verdicts: list[ModelTargetVerdict] = Field(default_factory=list)


SCHEMAS = (ChunkAnswer, TargetsChunkAnswer)


def compact_schema(schema: dict) -> dict:
    """`schema` (pydantic's JSON schema) as small as it can be and still say the same shape:
    $defs inlined, titles, defaults and descriptions dropped, `X | None` as X, an enum, an
    object with properties or an array with items without its redundant "type" (the root
    keeps it), no "required" (validation says what is missing)."""
    defs = schema.get("$defs", {})

    def walk(node, root=False):
        if isinstance(node, list):
            return [walk(n) for n in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            return walk(defs[node["$ref"].rsplit("/", 1)[-1]])
        options = node.get("anyOf")
        if options is not None:
            kept = [o for o in options if o != {"type": "null"}]
            if len(kept) == 1:
                return walk(kept[0])
        out = {}
        for key, value in node.items():
            if key in ("title", "default", "description", "$defs", "required"):
                continue
            if key == "type" and "enum" in node:
                continue
            if key == "type" and not root and ("properties" in node or "items" in node):
                continue  # implied (JSON Schema, llama.cpp's and vLLM's grammars); the root keeps it
            if key == "properties":
                out[key] = {name: walk(v) for name, v in value.items()}
            else:
                out[key] = walk(value)
        return out

    return walk(schema, root=True)


def schema_chars(model: type[BaseModel] = ChunkAnswer) -> int:
    """The characters the model's tool definition adds to every request (compact JSON)."""
    return len(json.dumps(model.model_json_schema(), ensure_ascii=False, separators=(",", ":")))
