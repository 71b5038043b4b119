"""Tests for outturn.metrics.multiyear: several years with year-on-year change."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from outturn.metrics import MissingColumnsError, budget_vs_actual, multi_year
from outturn.metrics.budget import BUDGET_AMOUNTS


def make_budget(rows: list[tuple[int, str, int, int]]) -> pd.DataFrame:
    """rows: (year, project, original_budget, adjusted_budget); no carryover or reduction."""
    frame = pd.DataFrame(rows, columns=["year", "project_code", "original_budget",
                                        "adjusted_budget"])
    frame["carryover"] = 0
    frame["reduction"] = 0
    frame["supplementary"] = frame["adjusted_budget"] - frame["original_budget"]
    return frame.astype({c: np.int64 for c in BUDGET_AMOUNTS})


def make_payments(rows: list[tuple[int, str, int]]) -> pd.DataFrame:
    """rows: (year, project, amount)."""
    frame = pd.DataFrame(rows, columns=["year", "project_code", "amount"])
    frame["budgeted"] = True
    return frame.astype({"amount": np.int64})


BUDGET = make_budget([
    (2020, "P1", 1_000, 1_000),
    (2021, "P1", 1_000, 1_200),
    (2021, "P2", 0, 300),
    (2022, "P2", 500, 500),
])
PAYMENTS = make_payments([
    (2020, "P1", 900),
    (2021, "P1", 1_100),
    (2021, "P2", 300),
    (2022, "P2", 450),
    (2022, "P2", -50),  # refund
])


def test_department_years() -> None:
    out = multi_year(BUDGET, PAYMENTS)
    assert out["year"].tolist() == [2020, 2021, 2022]
    assert out["actual"].tolist() == [900, 1_400, 400]  # 1,100 + 300; 450 − 50
    assert out["adjusted_budget"].tolist() == [1_000, 1_500, 500]
    first = out.iloc[0]
    assert pd.isna(first["actual_previous"]) and pd.isna(first["actual_change"])
    assert first["actual_change_rate_note"] == "无上年数据，同比变动率不适用"
    assert first["adjusted_budget_change_rate_note"] == "无上年数据，同比变动率不适用"
    r2021 = out.iloc[1]
    assert r2021["actual_previous"] == 900 and r2021["actual_change"] == 500
    assert r2021["actual_change_rate"] == pytest.approx(500 / 900)
    assert r2021["adjusted_budget_change_rate"] == pytest.approx(0.5)  # (1,500 − 1,000) / 1,000
    r2022 = out.iloc[2]
    assert r2022["actual_change"] == -1_000  # 400 − 1,400
    assert r2022["actual_change_rate"] == pytest.approx(-1_000 / 1_400)
    # balance 2021 = 1,500 − 1,400 = 100; 2022 = 500 − 400 = 100 → 结转结余变动率 0
    assert r2022["balance_previous"] == 100 and r2022["balance_change_rate"] == 0.0
    # the per-year columns are those of budget_vs_actual
    single = budget_vs_actual(BUDGET[BUDGET["year"] == 2022], PAYMENTS[PAYMENTS["year"] == 2022],
                              by=())
    assert r2022["execution_rate"] == single["execution_rate"].iloc[0]
    assert out.attrs["rate_parts"]["actual_change_rate"] == ("actual_change", "actual_previous")


def test_by_project_fills_every_year() -> None:
    out = multi_year(BUDGET, PAYMENTS, by="project_code")
    assert list(zip(out["year"], out["project_code"], strict=True)) == [
        (2020, "P1"), (2020, "P2"), (2021, "P1"), (2021, "P2"), (2022, "P1"), (2022, "P2"),
    ]
    p1_2022 = out.iloc[4]  # P1 ended: zero row, fall of 100%
    assert p1_2022["actual"] == 0 and p1_2022["adjusted_budget"] == 0
    assert p1_2022["actual_change_rate"] == -1.0  # (0 − 1,100) / 1,100
    assert p1_2022["execution_rate_note"] == "调整后预算为0，执行率不适用"
    p2_2021 = out.iloc[3]  # P2 started in 2021: previous is 0, not missing
    assert p2_2021["actual_previous"] == 0
    assert np.isnan(p2_2021["actual_change_rate"])
    assert p2_2021["actual_change_rate_note"] == "上年执行数为0，同比变动率不适用"
    assert p2_2021["adjusted_budget_change_rate_note"] == "上年调整后预算为0，同比变动率不适用"
    for rate in ("actual_change_rate", "adjusted_budget_change_rate", "balance_change_rate"):
        assert (out[rate].isna() == (out[f"{rate}_note"] != "")).all()


def test_years_filter_uses_earlier_year_as_previous() -> None:
    out = multi_year(BUDGET, PAYMENTS, years=[2021, 2022])
    assert out["year"].tolist() == [2021, 2022]
    assert out["actual_previous"].tolist() == [900, 1_400]  # 2020 loaded, so 2021 has one
    with pytest.raises(ValueError, match=r"year\(s\) \[2019\]"):
        multi_year(BUDGET, PAYMENTS, years=[2019, 2020])


def test_gap_year_has_no_previous() -> None:
    budget = BUDGET[BUDGET["year"] != 2021]
    payments = PAYMENTS[PAYMENTS["year"] != 2021]
    out = multi_year(budget, payments)
    assert out["year"].tolist() == [2020, 2022]
    assert out["actual_change_rate_note"].tolist() == ["无上年数据，同比变动率不适用"] * 2


def test_errors() -> None:
    with pytest.raises(ValueError, match="year"):
        multi_year(BUDGET, PAYMENTS, by=("year",))
    with pytest.raises(MissingColumnsError, match="'year'"):
        multi_year(BUDGET.drop(columns="year"), PAYMENTS)
