"""Scores from answers: plain arithmetic, kept apart so that finalizing, the pages, the heatmap and
the tests all compute them the same way.

A domain's score is the mean of the coach's levels for its items; the overall score is the mean
of the domain scores (each domain counts once, however many items it has). Both are rounded half
up to two decimals. Bands follow the instrument's convention: below 2.0 "foundational",
2.0 to 3.0 "building", above 3.0 "refining and scaling".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

Key = TypeVar("Key")

TWO_PLACES = Decimal("0.01")


def mean(values: Iterable[int | Decimal]) -> Decimal:
    values = [Decimal(value) for value in values]
    if not values:
        raise ValueError("mean of nothing")
    return (sum(values) / len(values)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def domain_scores(levels_by_domain: Mapping[Key, Iterable[int]]) -> dict[Key, Decimal]:
    """{domain: [item levels]} → {domain: score}; a domain with no rated item has no score."""
    scores = {}
    for domain, levels in levels_by_domain.items():
        rated = [level for level in levels if level is not None]
        if rated:
            scores[domain] = mean(rated)
    return scores


def overall_score(scores: Mapping[Key, Decimal]) -> Decimal:
    return mean(scores.values())


def band(score: Decimal | None) -> str:
    if score is None:
        return ""
    if score < 2:
        return "Foundational"
    if score <= 3:
        return "Building"
    return "Refining and scaling"


def growth(current: Mapping[Key, Decimal], earlier: Mapping[Key, Decimal]) -> dict[Key, Decimal]:
    """The change per domain since an earlier assessment, for the domains both scored."""
    return {key: current[key] - earlier[key] for key in current if key in earlier}
