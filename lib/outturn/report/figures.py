"""Figures as the report prints them: 万元 and percentages, 四舍五入, and the tables of
budget against actual that several sections share.

Every printed number of the report goes through :func:`wan` or :func:`pct`, which use
the integer half-up rounding of :mod:`outturn.money`; floats never decide a printed digit.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pandas as pd

from outturn.money import fen_to_wan, format_percent, format_wan, round_half_up
from outturn.report.model import Table

NOT_APPLICABLE = "—"
FIGURE_HEADER = ["年初预算", "调整后预算", "实际支出", "执行率"]


def wan(fen: object) -> str:
    """分 → ``"2909.79"`` (万元, two decimals, half-up)."""
    return format_wan(int(fen))  # type: ignore[call-overload]


def wan_number(fen: object) -> float:
    """分 → 万元 as a float, for plotting only (labels are printed with :func:`wan`)."""
    return float(fen_to_wan(int(fen)))  # type: ignore[call-overload]


def pct(numerator: object, denominator: object) -> str:
    """``"85.15%"``, or ``"—"`` when the denominator is zero or missing."""
    if denominator is None or pd.isna(denominator) or int(denominator) == 0:  # type: ignore[call-overload]
        return NOT_APPLICABLE
    return format_percent(int(numerator), int(denominator))  # type: ignore[call-overload]


def pct_number(numerator: object, denominator: object) -> float:
    """A percentage as a float rounded half-up to two decimals, for plotting and CSV."""
    if denominator is None or pd.isna(denominator) or int(denominator) == 0:  # type: ignore[call-overload]
        return float("nan")
    return float(round_half_up(Decimal(int(numerator)) * 100 / Decimal(int(denominator)), 2))  # type: ignore[call-overload]


def execution(row: pd.Series) -> str:
    """The execution rate of a ``budget_vs_actual`` row as printed."""
    if row.get("execution_rate_note"):
        return NOT_APPLICABLE
    return pct(row["actual"], row["denominator_amount"])


def change_text(current: int, previous: int, unit: str = "万元") -> str:
    """``"比上年减少0.71万元（下降9.77%）"`` — a year-on-year change in words."""
    diff = int(current) - int(previous)
    if diff == 0:
        return "与上年持平"
    verb, move = ("增加", "增长") if diff > 0 else ("减少", "下降")
    rate = f"（{move}{pct(abs(diff), previous)}）" if previous else ""
    return f"比上年{verb}{wan(abs(diff))}{unit}{rate}"


def figures_table(frame: pd.DataFrame, labels: Sequence[tuple[str, str]], *, key: str, title: str,
                  note: str = "金额单位：万元") -> Table:
    """A ``budget_vs_actual`` frame as a printed table: label columns, then 年初预算,
    调整后预算, 实际支出 and 执行率, with a 合计 row when there is more than one row."""
    rows = [[str(r[col]) for col, _ in labels] + _cells(r) for _, r in frame.iterrows()]
    if len(frame) > 1:
        sums = frame[["original_budget", "adjusted_budget", "actual", "denominator_amount"]].sum()
        total = pd.Series({**sums.to_dict(), "execution_rate_note": ""}, dtype=object)
        rows.append(["合计"] + [""] * (len(labels) - 1) + _cells(total))
    header = [name for _, name in labels] + FIGURE_HEADER
    return Table(key, title, pd.DataFrame(rows, columns=header), note,
                 numeric=tuple(range(len(labels), len(header))))


def _cells(row: pd.Series) -> list[str]:
    return [wan(row["original_budget"]), wan(row["adjusted_budget"]), wan(row["actual"]),
            execution(row)]


def listing(parts: Sequence[tuple[str, int]]) -> str:
    """``"甲25.70万元、乙16.30万元"`` — named amounts in one run of text."""
    return "、".join(f"{name}{wan(fen)}万元" for name, fen in parts)
