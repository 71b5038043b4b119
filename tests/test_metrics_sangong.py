"""Tests for outturn.metrics.sangong: “三公”经费 change and control rate."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from outturn.metrics import MissingColumnsError, sangong_control_rate, sangong_summary
from outturn.metrics.sangong import sangong_totals

GPB, GOV = "一般公共预算", "政府性基金预算"
TRIP, RECEPTION = "因公出国（境）费用", "公务接待费"
CAR_RUN, CAR_BUY = "公务用车运行维护费", "公务用车购置"
ITEMS = [TRIP, RECEPTION, CAR_RUN, CAR_BUY, "公务用车费", "合计"]


def payments(year: int, rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    """rows: (fund_type, sangong, amount)."""
    frame = pd.DataFrame(rows, columns=["fund_type", "sangong", "amount"])
    frame.insert(0, "year", year)
    frame["amount"] = frame["amount"].astype(np.int64)
    return frame


def budget(year: int, rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """rows: (fund_type, sangong, original_budget, adjusted_budget)."""
    frame = pd.DataFrame(rows, columns=["fund_type", "sangong", "original_budget",
                                        "adjusted_budget"])
    frame.insert(0, "year", year)
    return frame.astype({"original_budget": np.int64, "adjusted_budget": np.int64})


# 2022 mirrors the reference report: 公务接待费 3.7 万元, 公务用车运行维护费 2.86 万元, no trips.
CURRENT = payments(2022, [
    (GPB, RECEPTION, 2_000_000),
    (GPB, RECEPTION, 1_700_000),  # 2,000,000 + 1,700,000 = 3,700,000 分 = 3.70 万元
    (GPB, CAR_RUN, 2_900_000),
    (GPB, CAR_RUN, -40_000),  # refund: 2,900,000 − 40,000 = 2,860,000 分 = 2.86 万元
    (GOV, RECEPTION, 500_000),  # not a fiscal appropriation: excluded by default
    (GPB, "", 9_999_999),  # not 三公
    (GPB, "会议费", 123),  # related expense, not one of the four
])
PREVIOUS = payments(2021, [
    (GPB, RECEPTION, 4_000_000),
    (GPB, CAR_RUN, 2_600_000),
    (GPB, CAR_BUY, 0),
])


def test_summary_actual_basis() -> None:
    out = sangong_summary(CURRENT, PREVIOUS)
    assert out["item"].tolist() == ITEMS
    assert out["kind"].tolist() == ["category"] * 4 + ["subtotal", "total"]
    assert out["current"].tolist() == [0, 3_700_000, 2_860_000, 0, 2_860_000, 6_560_000]
    assert out["previous"].tolist() == [0, 4_000_000, 2_600_000, 0, 2_600_000, 6_600_000]
    # change = current − previous
    assert out["change"].tolist() == [0, -300_000, 260_000, 0, 260_000, -40_000]
    rates = dict(zip(out["item"], out["change_rate"], strict=True))
    assert rates[RECEPTION] == pytest.approx(-0.075)  # −300,000 / 4,000,000
    assert rates[CAR_RUN] == pytest.approx(0.1)  # 260,000 / 2,600,000
    assert rates["合计"] == pytest.approx(-40_000 / 6_600_000)
    notes = dict(zip(out["item"], out["change_rate_note"], strict=True))
    assert np.isnan(rates[TRIP]) and notes[TRIP] == "上年数为0，变动率不适用"
    assert notes[CAR_BUY] == "上年数为0，变动率不适用"
    assert notes[RECEPTION] == ""
    assert out.attrs["basis"] == "actual" and out.attrs["fund_types"] == (GPB,)
    assert out["current"].dtype == np.int64 and out["previous"].dtype == "Int64"


def test_summary_without_previous_year() -> None:
    out = sangong_summary(CURRENT)
    assert out["previous"].isna().all() and out["change"].isna().all()
    assert out["change_rate"].isna().all()
    assert out["change_rate_note"].eq("无上年数据，变动率不适用").all()


def test_fund_types_parameter() -> None:
    everything = sangong_summary(CURRENT, fund_types=None)
    assert everything.loc[everything["item"] == RECEPTION, "current"].item() == 4_200_000
    only_gov = sangong_summary(CURRENT, fund_types=[GOV])
    assert only_gov["current"].tolist() == [0, 500_000, 0, 0, 0, 500_000]


def test_summary_budget_basis() -> None:
    cur = budget(2022, [(GPB, RECEPTION, 3_000_000, 4_000_000), (GPB, CAR_BUY, 0, 200_000)])
    prev = budget(2021, [(GPB, RECEPTION, 5_000_000, 5_000_000)])
    out = sangong_summary(cur, prev, basis="budget")
    assert out.attrs["amount_column"] == "adjusted_budget"
    assert out["current"].tolist() == [0, 4_000_000, 0, 200_000, 200_000, 4_200_000]
    total = out.iloc[-1]
    assert total["change_rate"] == pytest.approx(-0.16)  # (4,200,000 − 5,000,000) / 5,000,000
    out = sangong_summary(cur, prev, basis="budget", budget_column="original_budget")
    assert out["current"].tolist() == [0, 3_000_000, 0, 0, 0, 3_000_000]
    assert out.iloc[-1]["change_rate"] == pytest.approx(-0.4)  # −2,000,000 / 5,000,000


def test_control_rate() -> None:
    plan = budget(2022, [(GPB, RECEPTION, 4_000_000, 4_000_000),
                         (GPB, CAR_RUN, 2_600_000, 2_600_000)])
    out = sangong_control_rate(CURRENT, plan)
    assert out["actual"].tolist() == [0, 3_700_000, 2_860_000, 0, 2_860_000, 6_560_000]
    assert out["budget"].tolist() == [0, 4_000_000, 2_600_000, 0, 2_600_000, 6_600_000]
    rates = dict(zip(out["item"], out["control_rate"], strict=True))
    assert rates[RECEPTION] == pytest.approx(0.925)  # 3,700,000 / 4,000,000
    assert rates[CAR_RUN] == pytest.approx(1.1)  # over budget
    notes = dict(zip(out["item"], out["control_rate_note"], strict=True))
    assert notes[TRIP] == "预算数为0，“三公”经费控制率不适用"


def test_errors() -> None:
    with pytest.raises(MissingColumnsError, match="'sangong'"):
        sangong_summary(CURRENT.drop(columns="sangong"))
    with pytest.raises(KeyError, match="'fund_type'"):
        sangong_summary(CURRENT.drop(columns="fund_type"))
    assert sangong_totals(CURRENT.drop(columns="fund_type"), fund_types=None).iloc[-1] == 7_060_000
    with pytest.raises(KeyError, match="'adjusted_budget'"):
        sangong_summary(CURRENT, basis="budget")  # payments are not budget frames
    with pytest.raises(ValueError, match="several years"):
        sangong_summary(pd.concat([CURRENT, PREVIOUS]))
    with pytest.raises(ValueError, match="basis"):
        sangong_summary(CURRENT, basis="plan")  # type: ignore[arg-type]
