"""Scoring math: means rounded half up, bands, growth, and stored scores recomputable."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments import scoring

D = Decimal


def test_domain_score_is_the_mean_of_item_levels_rounded_half_up():
    scores = scoring.domain_scores({"a": [1, 2, 2], "b": [1, 2], "c": [4], "d": [None, 3]})
    assert scores == {"a": D("1.67"), "b": D("1.50"), "c": D("4.00"), "d": D("3.00")}


def test_a_domain_with_nothing_rated_has_no_score():
    assert scoring.domain_scores({"a": [None, None]}) == {}


def test_overall_counts_each_domain_once_however_many_items():
    scores = scoring.domain_scores({"a": [1, 1, 1, 1], "b": [4]})
    assert scoring.overall_score(scores) == D("2.50")


def test_rounding_is_half_up_not_bankers():
    assert scoring.mean([D("2.125"), D("2.125")]) == D("2.13")
    assert scoring.mean([1, 2, 2, 2, 2, 2, 2, 2]) == D("1.88")  # 1.875


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (D("1.00"), "Foundational"),
        (D("1.99"), "Foundational"),
        (D("2.00"), "Building"),
        (D("3.00"), "Building"),
        (D("3.01"), "Refining and scaling"),
        (None, ""),
    ],
)
def test_bands_follow_the_instrument(score, band):
    assert scoring.band(score) == band


def test_growth_only_for_domains_scored_both_times():
    assert scoring.growth({"a": D("2.50"), "b": D("3.00")}, {"a": D("1.75"), "c": D("1")}) == {
        "a": D("0.75")
    }


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(1, 12), st.lists(st.integers(1, 4), min_size=1), min_size=1))
def test_scores_stay_within_the_rubric_and_between_their_parts(levels):
    scores = scoring.domain_scores(levels)
    for key, score in scores.items():
        assert min(levels[key]) <= score <= max(levels[key])
    overall = scoring.overall_score(scores)
    assert min(scores.values()) <= overall <= max(scores.values())
    assert D(1) <= overall <= D(4)
