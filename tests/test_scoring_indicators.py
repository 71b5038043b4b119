"""Indicator scoring (财预〔2020〕10号): worked examples, every boundary, properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from outturn.scoring import (
    ScoringError,
    check_blocks,
    execution_points,
    grade,
    score_indicator,
    score_qualitative,
    score_quantitative,
)


@pytest.mark.parametrize(("actual", "target", "weight", "direction", "points"), [
    # 正向: at or above target → full weight
    (99.79, 95, 5, ">=", 5.0),
    (95, 95, 5, ">=", 5.0),                 # exactly at target
    # 正向 below target: 5 × 80 / 100 = 4
    (80, 100, 5, ">=", 4.0),
    # 反向 at target → full; 150 vs 100: 5 × (1 − 50/100) = 2.5
    (100, 100, 5, "<=", 5.0),
    (150, 100, 5, "<=", 2.5),
    # 反向 just under twice the target: 5 × (1 − 99/100) = 0.05
    (199, 100, 5, "<=", 0.05),
    (200, 100, 5, "<=", 0.0),               # exactly 2× target → 0
    (250, 100, 5, "<=", 0.0),
    # 等于 with target 0: ≤ 0 full, else 0
    (0, 0, 3, "=", 3.0),
    (1, 0, 3, "=", 0.0),
    (100, 100, 3, "=", 3.0),
    (99, 100, 3, "=", 0.0),
])
def test_worked_examples(actual: float, target: float, weight: float, direction: str,
                         points: float) -> None:
    assert score_quantitative(actual, target, weight, direction) == pytest.approx(points)


def test_explanation_shows_the_arithmetic() -> None:
    score = score_indicator(80, 100, 5, ">=")
    assert score.explanation == "实际80，目标100，得分 = 5 × 80 / 100 = 4分"
    assert "2倍" in score_indicator(200, 100, 5, "<=").explanation


def test_overshoot_is_flagged_at_the_configured_ratio() -> None:
    assert not score_indicator(129.99, 100, 5, ">=").overshoot
    assert score_indicator(130, 100, 5, ">=").overshoot           # exactly 130 % → flagged
    assert "需说明" in score_indicator(130, 100, 5, ">=").explanation
    assert not score_indicator(130, 100, 5, ">=", overshoot_ratio=1.5).overshoot


def test_unknown_direction_and_negative_weight() -> None:
    with pytest.raises(ScoringError, match="direction"):
        score_quantitative(1, 1, 1, "~")  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="negative"):
        score_quantitative(1, 1, -1, ">=")


@pytest.mark.parametrize(("grade_text", "share", "points"), [
    ("达成", None, 4.5),         # middle of 80–100 % of 5
    ("达成", "80", 4.0),         # band edges are inside
    ("达成", 1.0, 5.0),
    ("部分达成", None, 3.5),
    ("部分达成", "60", 3.0),
    ("部分达成并具有一定效果", 0.75, 3.75),
    ("未达成", None, 1.5),
    ("未达成", 0, 0.0),
])
def test_qualitative_bands(grade_text: str, share: object, points: float) -> None:
    assert score_qualitative(grade_text, 5, share).points == pytest.approx(points)  # type: ignore[arg-type]


@pytest.mark.parametrize(("grade_text", "share"), [("达成", "79"), ("部分达成", "80"),
                                                   ("部分达成", "59.9"), ("未达成", "60")])
def test_share_outside_its_band_is_an_error(grade_text: str, share: str) -> None:
    with pytest.raises(ScoringError, match="outside the band"):
        score_qualitative(grade_text, 5, share)


def test_unknown_grade_is_an_error() -> None:
    with pytest.raises(ScoringError, match="unknown qualitative grade"):
        score_qualitative("优秀", 5)


def test_execution_points_and_rounding_policies() -> None:
    # 10 × 86.2 % = 8.62; whole points round half-up to 9; two decimals keep 8.62
    assert execution_points(0.862).points == pytest.approx(8.62)
    assert execution_points(0.862, rounding="two").points == pytest.approx(8.62)
    whole = execution_points(0.862, rounding="whole")
    assert whole.points == 9.0 and "四舍五入为9分" in whole.explanation
    # 10 × 84.5 % = 8.45 → whole 8 (half-up on .45 → 8), two decimals 8.45
    assert execution_points(0.845, rounding="whole").points == 8.0
    assert execution_points(0.8515, rounding="two").points == pytest.approx(8.52)  # 8.515 → 8.52
    capped = execution_points(1.2)
    assert capped.points == 10.0 and "按10分计" in capped.explanation


@pytest.mark.parametrize(("total", "label"), [(100, "优"), (90, "优"), (89.99, "良"),
                                             (80, "良"), (79.99, "中"), (60, "中"),
                                             (59.99, "差"), (0, "差"), (93, "优")])
def test_grade_bands(total: float, label: str) -> None:
    assert grade(total) == label


def test_grade_outside_range() -> None:
    with pytest.raises(ScoringError):
        grade(100.5)


def test_first_level_blocks_must_sum_to_100() -> None:
    check_blocks({"预算执行": 10, "产出": 50, "效益": 30, "满意度": 10})
    with pytest.raises(ScoringError, match="sum to 95"):
        check_blocks({"预算执行": 10, "产出": 45, "效益": 30, "满意度": 10})


numbers = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)


@given(numbers, numbers.filter(lambda t: t > 0), st.integers(0, 100),
       st.sampled_from([">=", "<=", "="]))
def test_a_score_never_exceeds_its_weight_nor_falls_below_zero(actual, target, weight,
                                                               direction) -> None:
    points = score_quantitative(actual, target, weight, direction)
    assert 0 <= points <= weight


@given(st.decimals(min_value=-1, max_value=3, places=4, allow_nan=False), st.integers(0, 20),
       st.sampled_from(["none", "two", "whole"]))
def test_execution_points_stay_within_the_weight(rate, weight, rounding) -> None:
    assert 0 <= execution_points(rate, weight, rounding).points <= weight
