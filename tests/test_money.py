"""Exact money display: half-up (四舍五入) on integers, never banker's rounding or floats."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from outturn.money import (
    div_half_up,
    fen_to_wan,
    format_percent,
    format_wan,
    percent,
    round_half_up,
)


@pytest.mark.parametrize(("fen", "shown"), [
    (2_909_790_000, "2909.79"),
    (5_000, "0.01"),       # 0.005 万元 rounds up, not to even
    (4_999, "0.00"),
    (15_000, "0.02"),      # 0.015 万元: a float would give 0.01
    (-5_000, "-0.01"),     # half away from zero
    (0, "0.00"),
])
def test_format_wan_half_up(fen: int, shown: str) -> None:
    assert format_wan(fen) == shown


@pytest.mark.parametrize(("num", "den", "shown"), [
    (6997, 7012, "99.79%"),
    (6962, 6997, "99.50%"),
    (3, 200, "1.50%"),
    (1, 8000, "0.01%"),    # 0.0125% → 0.01%
    (1, 6000, "0.02%"),    # 0.01666…%
    (5, 0, "不适用"),
])
def test_format_percent(num: int, den: int, shown: str) -> None:
    assert format_percent(num, den) == shown


def test_percent_none_on_zero_denominator() -> None:
    assert percent(1, 0) is None


def test_round_half_up_uses_decimal_text() -> None:
    assert round_half_up(0.015) == Decimal("0.02")
    assert round_half_up("2.675") == Decimal("2.68")


@given(st.integers(-10**15, 10**15), st.integers(1, 10**9))
def test_div_half_up_matches_decimal(num: int, den: int) -> None:
    expected = (Decimal(num) / Decimal(den)).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    assert div_half_up(num, den) == int(expected)


@given(st.integers(-10**15, 10**15))
def test_fen_to_wan_is_within_half_a_cent_of_wan(fen: int) -> None:
    assert abs(fen_to_wan(fen) * 1_000_000 - fen) <= 5_000
