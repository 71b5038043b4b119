"""Spending broken down as published reports print it: by 功能分类 类/款, 公用经费 by
sub-item, and the funds actually received.

- :func:`by_function` — budget and spending per functional class (类) or item (款), the
  names from the code table of the year (:func:`outturn.classify.rollup`), so the rows add
  up to the department total to the 分.
- :func:`operating_items` — 公用经费 (basic spending classed as operating) per economic
  款: 办公费, 水费, 电费, 差旅费, 会议费, 培训费, the 三公 items and the rest.
- :func:`funds_received` — 实际到位资金 and 到位率 over the lines that state it; a line
  without it is counted and named, never read as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from outturn import classify
from outturn.vocabulary import OPERATING

__all__ = ["FundsReceived", "by_function", "funds_received", "operating_items"]

FunctionLevel = Literal["类", "款"]


def by_function(budget: pd.DataFrame, payments: pd.DataFrame,
                level: FunctionLevel = "类") -> pd.DataFrame:
    """调整后预算 and 实际支出 per 功能分类 ``level``, sorted by code.

    Columns: ``code``, ``name`` ("" for a code the table of the year does not know),
    ``adjusted_budget`` and ``actual`` (int64 分); a code present on either side is a row.
    """
    year = _year(budget, payments)
    bud = classify.rollup(budget.assign(adjusted_budget=budget["adjusted_budget"].astype("int64")),
                          "functional", level, ["adjusted_budget"], year=year)
    pay = classify.rollup(payments.assign(actual=payments["amount"].astype("int64")),
                          "functional", level, ["actual"], year=year)
    merged = pd.merge(bud, pay, on=["code", "name"], how="outer").fillna(
        {"adjusted_budget": 0, "actual": 0})
    merged[["adjusted_budget", "actual"]] = merged[["adjusted_budget", "actual"]].astype("int64")
    return merged.sort_values("code", kind="stable").reset_index(drop=True)


def operating_items(payments: pd.DataFrame) -> pd.DataFrame:
    """公用经费 per economic 款 (``code``, ``name``, ``actual`` int64 分), sorted by code;
    the rows add up to the 公用经费 of :func:`outturn.metrics.personnel_operating`."""
    operating = payments[payments["cost_type"] == OPERATING]
    rows = classify.rollup(operating.assign(actual=operating["amount"].astype("int64")),
                           "economic", "款", ["actual"], year=_year(operating))
    return rows[rows["actual"] != 0].reset_index(drop=True)


@dataclass(frozen=True)
class FundsReceived:
    """实际到位资金 over the budget lines that state it, against their 调整后预算.

    ``lines_without`` lines (of ``lines`` in all) do not state funds received; the rate
    covers the others only, and is ``None`` when none states it or their budget is 0.
    """

    received: int
    adjusted_budget: int
    lines: int
    lines_without: int

    @property
    def given(self) -> bool:
        return self.lines_without < self.lines

    @property
    def rate(self) -> float | None:
        if not self.given or self.adjusted_budget <= 0:
            return None
        return self.received / self.adjusted_budget


def funds_received(budget: pd.DataFrame) -> FundsReceived:
    """实际到位 summed over the lines that give it, with their adjusted budget."""
    stated = budget["funds_received"].notna().to_numpy(dtype=bool) if len(budget) else []
    mine = budget[stated] if len(budget) else budget
    return FundsReceived(int(mine["funds_received"].sum()) if len(mine) else 0,
                         int(mine["adjusted_budget"].sum()) if len(mine) else 0,
                         len(budget), len(budget) - len(mine))


def _year(*frames: pd.DataFrame) -> int | None:
    years = [int(y) for f in frames if "year" in f.columns for y in pd.unique(f["year"].dropna())]
    return max(years) if years else None
