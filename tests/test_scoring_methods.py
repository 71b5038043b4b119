"""Scoring methods of rule sets: worked examples (arithmetic in comments) and edges."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from outturn.scoring import ScoringError
from outturn.scoring.methods import bands, check_bands, deduction, full_if, manual, proportional

HUNAN_CONTROL = [(0, 8), (10, 6), (20, 4), (30, 2), (None, 0)]  # 预算控制率, weight 8


def test_proportional_is_weight_times_rate_capped() -> None:
    assert proportional(0.8515, 10).points == pytest.approx(8.515)
    assert proportional(0.8515, 10, rounding="two").points == pytest.approx(8.52)
    assert proportional(1.3, 10).points == 10.0


@pytest.mark.parametrize(("value", "points"), [
    (100, 5.0),      # exactly at the threshold: full marks
    (101, 4.5),      # 1 point over × 0.5
    (103.5, 3.25),   # 3.5 points over × 0.5 = 1.75
    (120, 0.0),      # 20 × 0.5 = 10 > weight: floor 0
])
def test_staffing_control_deduction(value: float, points: float) -> None:
    # 在职人员控制率: ≤ 100 % full; −0.5 per percentage point over; floor 0
    assert deduction(value, 5, threshold=100, per=0.5).points == pytest.approx(points)


def test_whole_steps_count_only_completed_steps() -> None:
    # 预算完成率: 100 % full; −2 per 5 % below. 91 % is 9 points below: one whole step → −2
    assert deduction(91, 8, threshold=100, per=2, step=5, side="below",
                     whole_steps=True).points == 6.0
    # proportionally: 9 / 5 × 2 = 3.6 → 4.4
    assert deduction(91, 8, threshold=100, per=2, step=5, side="below").points == \
        pytest.approx(4.4)
    assert deduction(95, 8, threshold=100, per=2, step=5, side="below",
                     whole_steps=True).points == 6.0   # exactly one step


def test_sangong_change_deduction_for_weight_8() -> None:
    # 三公经费变动率: ≤ 0 full; −0.8 per point over 0 (weight 8)
    assert deduction(-9.77, 8, threshold=0, per=0.8).points == 8.0
    assert deduction(0, 8, threshold=0, per=0.8).points == 8.0
    assert deduction(2.5, 8, threshold=0, per=0.8).points == pytest.approx(6.0)


@pytest.mark.parametrize(("value", "points"), [(0, 8), (0.01, 6), (10, 6), (10.01, 4),
                                              (20, 4), (30, 2), (30.01, 0), (58.6, 0)])
def test_hunan_control_rate_bands(value: float, points: int) -> None:
    # 预算控制率 = 追加 / 年初: 0 → 8; (0,10] → 6; (10,20] → 4; (20,30] → 2; > 30 → 0
    assert bands(value, 8, HUNAN_CONTROL).points == points


@pytest.mark.parametrize("table", [
    [(10, 6), (10, 4)],            # overlapping
    [(20, 6), (10, 4)],            # decreasing
    [(None, 6), (10, 4)],          # open band not last
    [],
])
def test_bad_band_tables_are_errors(table: list) -> None:
    with pytest.raises(ScoringError):
        check_bands(table)


def test_value_above_closed_bands_is_an_error() -> None:
    with pytest.raises(ScoringError, match="above every band"):
        bands(50, 8, [(0, 8), (10, 6)])


def test_full_if_and_manual() -> None:
    assert full_if(0, 5, op="<=", limit=100).points == 5.0
    assert full_if(101, 5, op="<=", limit=100).points == 0.0
    assert manual(4.5, 5, "目标明确").explanation == "评价人评分4.5分：目标明确"
    with pytest.raises(ScoringError, match="reason"):
        manual(4, 5, " ")
    with pytest.raises(ScoringError, match="outside"):
        manual(6, 5, "太多")


@given(st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False),
       st.integers(0, 20), st.decimals(min_value=0, max_value=5, places=1, allow_nan=False),
       st.sampled_from(["above", "below"]), st.booleans())
def test_deduction_stays_within_floor_and_weight(value, weight, per, side, whole) -> None:
    points = deduction(value, weight, threshold=100, per=per, side=side,
                       whole_steps=whole).points
    assert 0 <= points <= weight
