"""Department-years of varied shape for property tests of the report (hypothesis).

A strategy draws the *shape* of a department-year — how many units, which books, how
many projects, which months hold spending, refunds, zero and negative budgets, 三公 items,
unbudgeted payments, indicators met and missed, a previous year or none — and builds the
frames :func:`outturn.store.read.load` would return, without an ingest, so hundreds of
department-years can be built and reported in a test run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st
from outturn.aliases import EXPENSE_KINDS, FUND_TYPES
from outturn.store.read import DeptYear

BASIC, PROJECT = EXPENSE_KINDS[0], EXPENSE_KINDS[1]
SANGONG = ("", "", "", "公务接待费", "公务用车运行维护费", "因公出国（境）费用", "公务用车购置")
COST_TYPES = ("人员经费", "公用经费", "")
DIRECTIONS = (">=", "<=", "=", "qualitative")


@dataclass(frozen=True)
class Line:
    """One budget line: unit, book, kind, project, amounts in 分, and its payments."""

    unit: int
    fund: str
    kind: str
    project: int
    original: int
    supplementary: int
    reduction: int
    payments: tuple[tuple[int, int, str, str, bool], ...]  # month, 分, cost type, 三公, budgeted


amounts = st.one_of(st.just(0), st.integers(1, 5_000_000_00), st.integers(1, 999))
#: a month at random, or January (nothing behind 序时进度) or December (every month behind)
months = st.one_of(st.integers(1, 12), st.just(1), st.just(12))
payment = st.tuples(months, st.one_of(st.integers(-50_000_00, 2_000_000_00), st.just(0)),
                    st.sampled_from(COST_TYPES), st.sampled_from(SANGONG),
                    st.sampled_from((True, True, True, False)))


@st.composite
def lines(draw: Any) -> list[Line]:
    units = draw(st.integers(1, 3))
    funds = draw(st.lists(st.sampled_from(FUND_TYPES), min_size=1, max_size=3, unique=True))
    out = []
    for unit in range(units):
        for fund in funds:
            kinds = draw(st.lists(st.sampled_from((BASIC, PROJECT)), min_size=1, max_size=2,
                                  unique=True))
            for kind in kinds:
                for project in range(draw(st.integers(1, 3)) if kind == PROJECT else 1):
                    original = draw(amounts)
                    supplementary = draw(st.one_of(st.just(0), amounts))
                    reduction = draw(st.one_of(st.just(0), st.integers(0, original)))
                    pays = tuple(draw(st.lists(payment, max_size=5)))
                    out.append(Line(unit, fund, kind, project if kind == PROJECT else -1,
                                    original, supplementary, reduction, pays))
    return out


@st.composite
def indicators(draw: Any) -> list[dict[str, Any]]:
    out = []
    for i in range(draw(st.integers(0, 8))):
        direction = draw(st.sampled_from(DIRECTIONS))
        target = draw(st.integers(1, 20000))
        actual = draw(st.integers(0, 30000))
        out.append({
            "scope": draw(st.sampled_from(("部门", "部门", "P0001"))),
            "level1": draw(st.sampled_from(("产出指标", "效益指标", "满意度指标"))),
            "level2": "数量指标", "level3": f"指标{i}",
            "target": "完成" if direction == "qualitative" else str(target),
            "actual": draw(st.sampled_from(("达成年度指标", "部分达成并具有一定效果")))
            if direction == "qualitative" else str(actual),
            "measure_unit": draw(st.sampled_from(("", "件", "%"))), "direction": direction,
            "weight": float(draw(st.integers(1, 10))),
            "target_value": np.nan if direction == "qualitative" else float(target),
            "actual_value": np.nan if direction == "qualitative" else float(actual),
            "deviation_reason": draw(st.sampled_from(("", "受天气影响工期延后"))),
        })
    return out


def department_year(shape: list[Line], inds: list[dict[str, Any]], year: int = 2022,
                    scale: int = 1) -> DeptYear:
    """The frames of one department-year of ``shape`` (amounts divided by ``scale``)."""
    budget, payments = [], []
    for n, line in enumerate(shape):
        unit = f"90{line.unit + 1}"
        project = f"P{line.unit}{line.project:03d}" if line.kind == PROJECT else ""
        common = {"year": year, "dept_code": "900", "unit_code": unit, "fund_type": line.fund,
                  "expense_kind": line.kind, "project_code": project, "func_code": "2120101",
                  "dept_name": "测试局", "unit_name": f"单位{line.unit + 1}",
                  "project_name": f"项目{line.unit}-{line.project}" if project else ""}
        original = line.original // scale
        adjusted = original + line.supplementary // scale - line.reduction // scale
        budget.append({**common, "econ_code": "30201", "carryover": 0, "original_budget": original,
                       "supplementary": line.supplementary // scale,
                       "reduction": line.reduction // scale, "adjusted_budget": adjusted,
                       "funds_received": adjusted, "cost_type": "公用经费", "sangong": ""})
        for k, (month, fen, cost, sangong, budgeted) in enumerate(line.payments):
            payments.append({**common, "voucher_id": f"V{n}-{k}", "econ_code": "30201",
                             "date": pd.Timestamp(year, month, 15), "month": month,
                             "amount": fen // scale, "memo": "", "budgeted": budgeted,
                             "cost_type": cost if line.kind == BASIC else "",
                             "sangong": sangong if line.fund == FUND_TYPES[0] else ""})
    ind = pd.DataFrame(inds, columns=["scope", "level1", "level2", "level3", "target", "actual",
                                      "measure_unit", "direction", "weight", "target_value",
                                      "actual_value", "deviation_reason"])
    ind.insert(0, "dept_code", "900")
    ind.insert(0, "year", year)
    return DeptYear("900", "测试局", year, _frame(budget, BUDGET_COLUMNS),
                    _frame(payments, PAYMENT_COLUMNS), ind.assign(dept_name="测试局"),
                    {}, "test")


BUDGET_COLUMNS = ["year", "dept_code", "unit_code", "fund_type", "expense_kind", "project_code",
                  "func_code", "project_name", "econ_code", "carryover", "original_budget",
                  "supplementary", "reduction", "adjusted_budget", "funds_received", "dept_name",
                  "unit_name", "cost_type", "sangong"]
PAYMENT_COLUMNS = ["year", "dept_code", "voucher_id", "date", "unit_code", "fund_type",
                   "expense_kind", "project_code", "func_code", "econ_code", "amount", "memo",
                   "budgeted", "dept_name", "unit_name", "month", "project_name", "cost_type",
                   "sangong"]


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for col in columns:
        if col in ("year", "carryover", "original_budget", "supplementary", "reduction",
                   "adjusted_budget", "funds_received", "amount"):
            frame[col] = frame[col].astype("int64")
        elif col == "month":
            frame[col] = frame[col].astype("int8")
        elif col == "budgeted":
            frame[col] = frame[col].astype(bool)
        elif col == "date":
            frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ms]")
        else:
            frame[col] = frame[col].astype("str")
    return frame


@st.composite
def department_years(draw: Any) -> tuple[DeptYear, DeptYear | None]:
    """A department-year and, half the time, its previous year (same shape, other sums)."""
    shape = draw(lines())
    current = department_year(shape, draw(indicators()))
    previous = department_year(shape, [], 2021, scale=draw(st.sampled_from((1, 2, 3)))) \
        if draw(st.booleans()) else None
    return current, previous
