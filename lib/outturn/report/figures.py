"""Figures as the report prints them: 万元 and percentages, 四舍五入, and the tables of
budget against actual that several sections share.

Every printed number of the report goes through :func:`wan` or :func:`pct`, which use
the integer half-up rounding of :mod:`outturn.money`; floats never decide a printed digit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from outturn.aliases import EXPENSE_KINDS, FUND_TYPES
from outturn.money import fen_to_wan, format_percent, format_wan, round_half_up
from outturn.report.model import AMOUNT_UNIT_NOTE, Table
from outturn.report.tables import RowSum, apportion, tail_note
from outturn.vocabulary import NO_FIGURE, SUBTOTAL_LABEL, TOTAL_LABEL

NOT_APPLICABLE = NO_FIGURE
FIGURE_HEADER = ["年初预算", "调整后预算", "实际支出", "执行率"]
BASIC, PROJECT = EXPENSE_KINDS[0], EXPENSE_KINDS[1]
GENERAL = FUND_TYPES[0]
#: the label of a total row and of a subtotal row
TOTAL, SUBTOTAL = TOTAL_LABEL, SUBTOTAL_LABEL
UNIT_NOTE = AMOUNT_UNIT_NOTE


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


#: last year's carry-over, shown before 年初预算 in any table where a row has some, so an
#: execution rate above 100 % (carry-over spent this year) can be read from the table
CARRYOVER_COLUMN = ("carryover", "上年结转")
#: the budget changes a table shows beside 年初预算 when any of its rows has one
CHANGE_COLUMNS = (("supplementary", "年中追加"), ("reduction", "调减"))


def figures_table(frame: pd.DataFrame, labels: Sequence[tuple[str, str]], *, key: str, title: str,
                  note: str = UNIT_NOTE, changes: bool = False, total: bool = True) -> Table:
    """A ``budget_vs_actual`` frame as a printed table: label columns, then 上年结转 (where
    any row has some), 年初预算, (with ``changes``, 年中追加 and 调减 where any row has
    one), 调整后预算, 实际支出 and 执行率, with a 合计 row when there is more than one row
    (and ``total``). The 合计 is the exact total rounded; when the printed rows do not add
    up to it, the note says so (尾差, :mod:`outturn.report.tables`)."""
    optional = (CARRYOVER_COLUMN, *(CHANGE_COLUMNS if changes else ()))
    shown = [(col, name) for col, name in optional if col in frame and (frame[col] != 0).any()]
    rows = [[str(r[col]) for col, _ in labels] + _cells(r, shown) for _, r in frame.iterrows()]
    with_total = total and len(frame) > 1
    if with_total:
        money = ["original_budget", "adjusted_budget", "actual", "denominator_amount",
                 *(col for col, _ in shown)]
        sums = pd.Series({**frame[money].sum().to_dict(), "execution_rate_note": ""}, dtype=object)
        rows.append([TOTAL] + [""] * (len(labels) - 1) + _cells(sums, shown))
    header = [name for _, name in labels] + _header(shown)
    relations: tuple[RowSum, ...] = ()
    if with_total:
        relations = (RowSum(tuple(range(len(frame))), len(frame),
                            tuple(h for h in header[len(labels):] if h != "执行率")),)
    table = pd.DataFrame(rows, columns=header)
    return Table(key, title, table, tail_note(table, relations, note),
                 numeric=tuple(range(len(labels), len(header))), relations=relations,
                 sources=("budget", "payments"))


@dataclass(frozen=True)
class Group:
    """Rows of a grouped table (``budget_vs_actual`` rows) and, when the group has more
    than one row, its 小计 row (one ``budget_vs_actual`` row)."""

    rows: pd.DataFrame
    subtotal: pd.DataFrame | None = None


def grouped_table(groups: Sequence[Group], total: pd.DataFrame | None,
                  labels: Sequence[tuple[str, str]], *, key: str, title: str,
                  changes: bool = False, note: str = UNIT_NOTE) -> Table:
    """A table of groups (units, books), each with its rows and its 小计, then a 合计
    (``total``, one row, printed when the table has more than one row above it). Each
    小计 and the 合计 are exact totals rounded; the relations record which printed rows
    add up to which, and the note carries the 尾差 sentence when they do not."""
    pieces: list[pd.DataFrame] = []
    spans: list[tuple[tuple[int, ...], int]] = []
    tops: list[int] = []
    at = 0
    for group in groups:
        pieces.append(group.rows)
        if group.subtotal is not None:
            pieces.append(group.subtotal)
            spans.append((tuple(range(at, at + len(group.rows))), at + len(group.rows)))
            tops.append(at + len(group.rows))
            at += len(group.rows) + 1
        else:
            tops += list(range(at, at + len(group.rows)))
            at += len(group.rows)
    if total is not None and at > 1:
        pieces.append(total)
        spans.append((tuple(tops), at))
    frame = pd.concat(pieces, ignore_index=True)
    table = figures_table(frame, labels, key=key, title=title, total=False, changes=changes)
    columns = tuple(h for h in table.frame.columns[len(labels):] if h != "执行率")
    relations = tuple(RowSum(parts, at_row, columns) for parts, at_row in spans)
    return Table(key, title, table.frame, tail_note(table.frame, relations, note), table.numeric,
                 relations, table.sources)


def total_row(table: Table) -> dict[str, str]:
    """The row key of a table's 合计 — or of its only row when it has one row."""
    if len(table.frame) == 1:
        labels = table.frame.columns[:min(table.numeric_columns())]
        return {str(c): str(table.frame[c].iloc[0]) for c in labels}
    return {str(table.frame.columns[0]): TOTAL}


def _header(shown: Sequence[tuple[str, str]]) -> list[str]:
    before = [name for col, name in shown if col == CARRYOVER_COLUMN[0]]
    changes = [name for col, name in shown if col != CARRYOVER_COLUMN[0]]
    return [*before, FIGURE_HEADER[0], *changes, *FIGURE_HEADER[1:]]


def _cells(row: pd.Series, shown: Sequence[tuple[str, str]] = ()) -> list[str]:
    before = [wan(row[col]) for col, _ in shown if col == CARRYOVER_COLUMN[0]]
    changes = [wan(row[col]) for col, _ in shown if col != CARRYOVER_COLUMN[0]]
    return [*before, wan(row["original_budget"]), *changes,
            wan(row["adjusted_budget"]), wan(row["actual"]), execution(row)]


def share_cells(amounts: Sequence[int]) -> list[str]:
    """Printed shares of ``amounts`` that add to exactly 100.00% (largest remainder)."""
    return [f"{share}%" for share in apportion([int(a) for a in amounts])]


def figure_value(printed: str) -> float:
    """A printed figure (``"2909.79"``, ``"85.15%"``) as a float, for charts only: a
    chart draws the very number the table prints, so the two cannot disagree."""
    return float(Decimal(printed.rstrip("%")))


def listing(parts: Sequence[tuple[str, int]]) -> str:
    """``"甲25.70万元、乙16.30万元"`` — named amounts in one run of text."""
    return "、".join(f"{name}{wan(fen)}万元" for name, fen in parts)
