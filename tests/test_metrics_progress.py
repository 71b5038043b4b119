"""Tests for outturn.metrics.progress: 序时进度 and monthly spending progress."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from outturn.metrics import MissingColumnsError, monthly_progress, time_progress


def make_budget(rows: list[tuple[int, str, int, int, int]]) -> pd.DataFrame:
    """rows: (year, unit, carryover, original_budget, adjusted_budget)."""
    frame = pd.DataFrame(rows, columns=["year", "unit_code", "carryover", "original_budget",
                                        "adjusted_budget"])
    return frame.astype({c: np.int64 for c in ("carryover", "original_budget",
                                               "adjusted_budget")})


def make_payments(rows: list[tuple[int, str, int, int]]) -> pd.DataFrame:
    """rows: (year, unit, month, amount)."""
    frame = pd.DataFrame(rows, columns=["year", "unit_code", "month", "amount"])
    return frame.astype({"amount": np.int64})


# U1: available = 200 + 1,000 = 1,200 (adjusted 1,000, original 800); U2: nothing budgeted.
BUDGET = make_budget([(2022, "U1", 200, 800, 1_000)])
PAYMENTS = make_payments([
    (2022, "U1", 1, 100),
    (2022, "U1", 3, 500),
    (2022, "U1", 3, -50),  # refund
    (2022, "U1", 7, 150),
    (2022, "U2", 2, 30),  # spending with no budget
])


# --- time_progress ---------------------------------------------------------------------

def test_month_basis() -> None:
    assert time_progress(7) == 7 / 12
    assert time_progress(12) == 1.0
    assert time_progress(3) == 0.25


def test_places_rounding_half_up() -> None:
    assert time_progress(7, places=0) == 0.58  # 58.333…% → 58%
    assert time_progress(7, places=2) == 0.5833  # 58.333…% → 58.33%
    assert time_progress(11, places=0) == 0.92  # 91.666…% → 92%
    assert time_progress(1, places=1) == 0.083  # 8.333…% → 8.3%


def test_day_basis() -> None:
    assert time_progress(2, basis="day", year=2022) == 59 / 365  # 31 + 28 days
    assert time_progress(2, basis="day", year=2024) == 60 / 366  # leap year
    assert time_progress(12, basis="day", year=2022) == 1.0
    # July 2022: 212/365 = 58.082…% against 58.333… on the month basis
    assert time_progress(7, basis="day", year=2022) == 212 / 365
    assert time_progress(7, basis="day", year=2022, places=2) == 0.5808


def test_time_progress_errors() -> None:
    for bad in (0, 13, 2.5):
        with pytest.raises(ValueError, match="month"):
            time_progress(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="year"):
        time_progress(2, basis="day")
    with pytest.raises(ValueError, match="basis"):
        time_progress(2, basis="week")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="places"):
        time_progress(2, places=-1)


# --- monthly_progress ------------------------------------------------------------------

def test_all_months_cumulative_and_status() -> None:
    out = monthly_progress(BUDGET, PAYMENTS[PAYMENTS["unit_code"] == "U1"])
    assert out["month"].tolist() == list(range(1, 13))
    assert out["actual"].tolist() == [100, 0, 450, 0, 0, 0, 150, 0, 0, 0, 0, 0]
    # cumulative: 100, 100, 100 + 500 − 50 = 550, …, 550 + 150 = 700
    assert out["cumulative_actual"].tolist() == [100, 100, 550, 550, 550, 550, 700, 700, 700,
                                                 700, 700, 700]
    assert out["denominator"].eq("available").all()
    assert out["denominator_amount"].eq(1_200).all()
    assert out["cumulative_rate"].iloc[2] == 550 / 1_200
    assert out["benchmark"].tolist() == [m / 12 for m in range(1, 13)]
    # month 3: 45.833…% − 25% = +20.83 points → 正常
    assert out["gap_pp"].iloc[2] == pytest.approx(100 * (550 / 1_200 - 0.25))
    # month 7: 700/1200 = 58.333…% = 7/12 exactly → gap 0 → 正常
    assert out["gap_pp"].iloc[6] == 0.0 and out["status"].iloc[6] == "正常"
    # month 8: 58.33% − 66.67% = −8.33 points → 滞后; month 9: −16.67 → 严重滞后
    assert out["status"].tolist()[7:] == ["滞后", "严重滞后", "严重滞后", "严重滞后", "严重滞后"]
    assert out["cumulative_rate_note"].eq("").all()
    assert out.attrs["denominator"] == "available"


def test_exactly_lag_points_behind_is_behind_not_far_behind() -> None:
    # July: benchmark 7/12; 2,900 / 6,000 = 29/60 = 7/12 − 1/10: exactly 10 points behind
    budget = make_budget([(2022, "U1", 0, 6_000, 6_000)])
    payments = make_payments([(2022, "U1", 7, 2_900)])
    out = monthly_progress(budget, payments)
    july = out.iloc[6]
    assert july["gap_pp"] == pytest.approx(-10.0)
    assert july["status"] == "滞后"
    assert monthly_progress(budget, payments, lag_points=9.99).iloc[6]["status"] == "严重滞后"


def test_group_by_unit_with_unbudgeted_group() -> None:
    out = monthly_progress(BUDGET, PAYMENTS, by="unit_code")
    assert len(out) == 24 and out["unit_code"].tolist() == ["U1"] * 12 + ["U2"] * 12
    u2 = out[out["unit_code"] == "U2"]
    assert u2["cumulative_actual"].tolist() == [0] + [30] * 11
    assert u2["cumulative_rate"].isna().all()
    assert u2["status"].eq("不适用").all() and u2["gap_pp"].isna().all()
    reason = "可用预算（上年结转+调整后预算）为0，支出进度不适用"
    assert u2["cumulative_rate_note"].eq(reason).all()


def test_denominator_options() -> None:
    one = PAYMENTS[PAYMENTS["unit_code"] == "U1"]
    adjusted = monthly_progress(BUDGET, one, denominator="adjusted")
    assert adjusted["denominator_amount"].eq(1_000).all()
    assert adjusted["cumulative_rate"].iloc[-1] == 0.7  # 700 / 1,000
    original = monthly_progress(BUDGET, one, denominator="original")
    assert original["cumulative_rate"].iloc[-1] == 0.875  # 700 / 800
    with pytest.raises(ValueError, match="denominator"):
        monthly_progress(BUDGET, one, denominator="received")  # type: ignore[arg-type]


def test_day_basis_and_places() -> None:
    one = PAYMENTS[PAYMENTS["unit_code"] == "U1"]
    out = monthly_progress(BUDGET, one, basis="day")  # the year comes from the frames
    assert out["benchmark"].iloc[1] == 59 / 365
    out = monthly_progress(BUDGET, one, places=0)
    assert out["benchmark"].iloc[6] == 0.58
    # month 7 at 58.333…% against a rounded 58%: ahead by 0.333… points
    assert out["gap_pp"].iloc[6] == pytest.approx(100 * (7 / 12 - 0.58))


def test_years_in_frames() -> None:
    budget = pd.concat([BUDGET, make_budget([(2023, "U1", 0, 1_000, 1_000)])])
    payments = pd.concat([PAYMENTS, make_payments([(2023, "U1", 2, 500)])])
    with pytest.raises(ValueError, match="several years"):
        monthly_progress(budget, payments)
    out = monthly_progress(budget, payments, by=("year", "unit_code"), basis="day")
    feb = out[(out["month"] == 2) & (out["unit_code"] == "U1")]
    assert feb["year"].tolist() == [2022, 2023]
    assert feb["cumulative_actual"].tolist() == [100, 500]
    assert feb["benchmark"].tolist() == [59 / 365, 59 / 365]


def test_month_from_date_and_missing_columns() -> None:
    payments = PAYMENTS.drop(columns="month").assign(
        date=pd.to_datetime(["2022-01-05", "2022-03-01", "2022-03-02", "2022-07-31",
                             "2022-02-01"]))
    a = monthly_progress(BUDGET, payments, by="unit_code")
    b = monthly_progress(BUDGET, PAYMENTS, by="unit_code")
    assert a["cumulative_actual"].tolist() == b["cumulative_actual"].tolist()
    with pytest.raises(MissingColumnsError, match="'month'"):
        monthly_progress(BUDGET, PAYMENTS.drop(columns="month"))
    with pytest.raises(MissingColumnsError, match="'carryover'"):
        monthly_progress(BUDGET.drop(columns="carryover"), PAYMENTS)
    with pytest.raises(ValueError, match="between 1 and 12"):
        monthly_progress(BUDGET, PAYMENTS.assign(month=13))


def test_no_payments_at_all() -> None:
    out = monthly_progress(BUDGET, PAYMENTS.iloc[:0])
    assert out["actual"].eq(0).all() and len(out) == 12
    assert out["status"].tolist() == ["滞后"] + ["严重滞后"] * 11  # 0% against 8.33%, …
