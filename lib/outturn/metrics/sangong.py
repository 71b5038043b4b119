"""“三公”经费: the three public expenses, their change on last year and their control rate.

The categories (domain.md §1) are 因公出国（境）费用 (econ 30212), 公务接待费 (30217),
公务用车运行维护费 (30231) and 公务用车购置 (31013); 运行维护 + 购置 = 公务用车费.
Ingest tags each payment and budget line with its category in the ``sangong`` column
(``""`` for everything else); values other than the four categories are ignored here.

Scope. Statutory 三公 figures cover fiscal appropriations (财政拨款) only, so by default
only lines of the 一般公共预算 fund type are counted (:data:`DEFAULT_FUND_TYPES`). Pass
``fund_types=None`` to count every fund type, or another tuple to choose.

Basis (domain.md §3, "三公"经费变动率). MOF compares actual expenditure (总额), the
default ``basis="actual"``: the frames are payments and the amount column is ``amount``.
The Hunan template compares budgets, ``basis="budget"``: the frames are budget frames and
the amount column is ``adjusted_budget`` by default, or ``original_budget`` with
``budget_column="original_budget"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from outturn.metrics.ratios import add_rate, money_array, require_columns
from outturn.vocabulary import TOTAL_LABEL

Basis = Literal["actual", "budget"]
BudgetColumn = Literal["adjusted_budget", "original_budget"]

#: The four categories, in report order.
CATEGORIES: tuple[str, ...] = (
    "因公出国（境）费用", "公务接待费", "公务用车运行维护费", "公务用车购置",
)
#: Subtotal of the two vehicle categories.
VEHICLE_SUBTOTAL = "公务用车费"
#: Grand total of the four categories.
#: Every output row, in order, with its kind.
ROWS: tuple[tuple[str, str], ...] = (
    *((c, "category") for c in CATEGORIES),
    (VEHICLE_SUBTOTAL, "subtotal"),
    (TOTAL_LABEL, "total"),
)
#: Statutory scope: fiscal appropriations only.
DEFAULT_FUND_TYPES: tuple[str, ...] = ("一般公共预算",)

_VEHICLE = ("公务用车运行维护费", "公务用车购置")


def _amount_column(basis: Basis, budget_column: BudgetColumn) -> str:
    if basis == "actual":
        return "amount"
    if basis == "budget":
        if budget_column not in ("adjusted_budget", "original_budget"):
            raise ValueError("budget_column must be 'adjusted_budget' or 'original_budget', "
                             f"not {budget_column!r}")
        return budget_column
    raise ValueError(f"basis must be 'actual' or 'budget', not {basis!r}")


def sangong_totals(
    frame: pd.DataFrame,
    *,
    basis: Basis = "actual",
    fund_types: Sequence[str] | None = DEFAULT_FUND_TYPES,
    budget_column: BudgetColumn = "adjusted_budget",
    frame_name: str = "frame",
) -> pd.Series:
    """Exact 三公 amounts (int64 分) of one frame, indexed by the :data:`ROWS` labels.

    ``frame`` is a payments frame (``basis="actual"``) or a budget frame
    (``basis="budget"``) for one year; it needs ``sangong``, the amount column and, unless
    ``fund_types`` is ``None``, ``fund_type``. Raises ``ValueError`` when it holds more
    than one year, which would silently add years together.
    """
    column = _amount_column(basis, budget_column)
    needed = ["sangong", column] + (["fund_type"] if fund_types is not None else [])
    require_columns(frame, needed, frame_name=frame_name, needed_by="sangong")
    if "year" in frame.columns and frame["year"].dropna().nunique() > 1:
        years = sorted(frame["year"].dropna().unique().tolist())
        raise ValueError(f"{frame_name} holds several years {years}; pass one year per frame")
    keep = frame["sangong"].isin(CATEGORIES)
    if fund_types is not None:
        keep &= frame["fund_type"].isin(list(fund_types))
    subset = frame.loc[keep.fillna(False).to_numpy(dtype=bool)]
    amounts = money_array(subset, column, frame_name=frame_name)
    categories = subset["sangong"].to_numpy(dtype=object)
    sums = {c: int(amounts[categories == c].sum()) for c in CATEGORIES}
    sums[VEHICLE_SUBTOTAL] = sum(sums[c] for c in _VEHICLE)
    sums[TOTAL_LABEL] = sum(sums[c] for c in CATEGORIES)
    labels = [label for label, _ in ROWS]
    return pd.Series([sums[label] for label in labels], index=labels, dtype=np.int64)


def _frame_of_rows() -> pd.DataFrame:
    return pd.DataFrame({"item": [r[0] for r in ROWS], "kind": [r[1] for r in ROWS]},
                        dtype="str")


def sangong_summary(
    current: pd.DataFrame,
    previous: pd.DataFrame | None = None,
    basis: Basis = "actual",
    *,
    fund_types: Sequence[str] | None = DEFAULT_FUND_TYPES,
    budget_column: BudgetColumn = "adjusted_budget",
) -> pd.DataFrame:
    """三公 this year against last year, one row per category plus subtotal and total.

    Rows, in order: 因公出国（境）费用, 公务接待费, 公务用车运行维护费, 公务用车购置
    (kind ``"category"``), 公务用车费 = 运行维护 + 购置 (``"subtotal"``) and 合计 of the
    four (``"total"``). Columns: item, kind, current (int64 分), previous and change
    (Int64; NA without a previous frame), change_rate 变动率 = change / previous and
    change_rate_note. Without a previous frame, or where the previous amount is 0, the
    rate is not applicable with the reason in the note.

    ``attrs`` records basis, amount_column, fund_types and rate_parts.
    """
    column = _amount_column(basis, budget_column)
    cur = sangong_totals(current, basis=basis, fund_types=fund_types,
                         budget_column=budget_column, frame_name="current")
    out = _frame_of_rows()
    out["current"] = cur.to_numpy()
    if previous is None:
        prev = pd.array([pd.NA] * len(out), dtype="Int64")
        missing_reason = "无上年数据，变动率不适用"
    else:
        prev = pd.array(sangong_totals(previous, basis=basis, fund_types=fund_types,
                                       budget_column=budget_column, frame_name="previous"),
                        dtype="Int64")
        missing_reason = "上年数缺失，变动率不适用"
    out["previous"] = prev
    out["change"] = out["current"].astype("Int64") - out["previous"]
    out = add_rate(out, "change_rate", "change", "previous", zero_reason="上年数为0，变动率不适用",
                   missing_reason=missing_reason, negative_reason="上年数为负数，变动率不适用")
    out.attrs = {
        "basis": basis,
        "amount_column": column,
        "fund_types": None if fund_types is None else tuple(fund_types),
        "rate_parts": {"change_rate": ("change", "previous")},
    }
    return out


def sangong_control_rate(
    actual_frame: pd.DataFrame,
    budget_frame: pd.DataFrame,
    *,
    fund_types: Sequence[str] | None = DEFAULT_FUND_TYPES,
    budget_column: BudgetColumn = "adjusted_budget",
) -> pd.DataFrame:
    """“三公”经费控制率 = 三公实际支出 / 三公预算安排, per row of :data:`ROWS`.

    ``actual_frame`` is payments, ``budget_frame`` the budget of the same year (amount
    column ``budget_column``, adjusted by default). Columns: item, kind, actual, budget
    (int64 分), control_rate and control_rate_note (not applicable where the budget is 0).
    """
    out = _frame_of_rows()
    out["actual"] = sangong_totals(actual_frame, basis="actual", fund_types=fund_types,
                                   frame_name="actual_frame").to_numpy()
    out["budget"] = sangong_totals(budget_frame, basis="budget", fund_types=fund_types,
                                   budget_column=budget_column,
                                   frame_name="budget_frame").to_numpy()
    out = add_rate(out, "control_rate", "actual", "budget",
                   zero_reason="预算数为0，“三公”经费控制率不适用",
                   missing_reason="预算数缺失，“三公”经费控制率不适用",
                   negative_reason="预算数为负数，“三公”经费控制率不适用")
    out.attrs = {
        "amount_column": budget_column,
        "fund_types": None if fund_types is None else tuple(fund_types),
        "rate_parts": {"control_rate": ("actual", "budget")},
    }
    return out
