"""What a run spent, in dollars: tokens times a price table.

Prices are USD per million prompt and completion tokens. The built-in table holds a few
OpenAI models at their published list prices when this was written; EXTRACTOR_PRICES adds or
overrides entries (`{"openai/gpt-4o-mini": [0.15, 0.6]}`). A model with no price has an
unknown cost (shown as "?"), never a guessed one. Local models and rules only are free.
Requests answered through the OpenAI Batch API cost half.
"""

from __future__ import annotations

from extractor.schema import Usage
from extractor.settings import Settings

BUILT_IN: dict[str, tuple[float, float]] = {
    "openai/gpt-4o-mini": (0.15, 0.60),
    "openai/gpt-4o": (2.50, 10.00),
    "openai/gpt-4.1": (2.00, 8.00),
    "openai/gpt-4.1-mini": (0.40, 1.60),
    "openai/gpt-4.1-nano": (0.10, 0.40),
}
BATCH_API_DISCOUNT = 0.5


class Prices:
    def __init__(self, settings: Settings):
        self.table = {**BUILT_IN, **settings.prices}

    def per_million(self, model: str) -> tuple[float, float] | None:
        if model == "none" or model.startswith("local/"):
            return (0.0, 0.0)
        return self.table.get(model) or self.table.get(f"openai/{model}")

    def cost(self, model: str, usage: Usage, batch_api: bool = False) -> float | None:
        if usage.prompt_tokens == 0 and usage.completion_tokens == 0:
            return 0.0
        price = self.per_million(model)
        if price is None:
            return None
        dollars = (usage.prompt_tokens * price[0] + usage.completion_tokens * price[1]) / 1_000_000
        return dollars * (BATCH_API_DISCOUNT if batch_api else 1.0)


def add_costs(*costs: float | None) -> float | None:
    """A sum that stays unknown when any part is unknown."""
    if any(c is None for c in costs):
        return None
    return sum(costs)


def dollars(cost: float | None) -> str:
    if cost is None:
        return "$?"
    return f"${cost:,.4f}" if cost < 1 else f"${cost:,.2f}"
