"""Headline figures of one department-year, as a report's sections 二–五 present them.

:func:`summarise` is pure: a loaded :class:`~outturn.store.read.DeptYear` in, a plain,
JSON-ready mapping out, with every amount both exact (``fen``) and as printed (``wan``:
万元, two decimals, 四舍五入) and every rate as printed (two decimals) with its
not-applicable reason. :func:`~outturn.metrics.summary_text.format_summary` renders that
mapping as text for the terminal (``outturn summary``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from outturn.metrics import (
    budget_vs_actual,
    headline,
    personnel_operating,
    sangong_control_rate,
    sangong_summary,
    staffing_control_rate,
)
from outturn.metrics.breakdowns import by_function, funds_received, operating_items
from outturn.metrics.budget import DENOMINATORS, Denominator
from outturn.metrics.income import (
    BALANCE_COLUMNS,
    MISSING,
    balance_by_source,
    balance_gap,
    income_by_source,
)
from outturn.metrics.procurement import MISSING as PROCUREMENT_MISSING
from outturn.metrics.procurement import procurement_by_category
from outturn.metrics.sources import by_source
from outturn.money import format_percent, format_wan
from outturn.store.model import DeptYear
from outturn.vocabulary import (
    BASIC,
    BOOKS,
    OPERATING,
    PERSONNEL,
    PROJECT,
    TOTAL_LABEL,
    UNCLASSIFIED,
)


def amount(fen: int) -> dict[str, Any]:
    """An amount as exact 分 and as printed in 万元."""
    return {"fen": int(fen), "wan": format_wan(int(fen))}


def rate(numerator: object, denominator: object, note: str = "") -> dict[str, Any]:
    """A rate as printed (``99.79%``), or ``None`` with the reason it does not apply."""
    if note or pd.isna(denominator) or int(denominator) == 0:  # type: ignore[call-overload]
        return {"percent": None, "note": note or "分母为0，不适用"}
    return {"percent": format_percent(int(numerator), int(denominator)), "note": ""}  # type: ignore[call-overload]


def _execution(row: pd.Series) -> dict[str, Any]:
    return rate(row["actual"], row["denominator_amount"], str(row["execution_rate_note"]))


def _figures(row: pd.Series) -> dict[str, Any]:
    return {
        "carryover": amount(row["carryover"]),
        "original": amount(row["original_budget"]),
        "adjusted": amount(row["adjusted_budget"]),
        "actual": amount(row["actual"]),
        "execution_rate": _execution(row),
    }


def _basic_section(budget: pd.DataFrame, payments: pd.DataFrame,
                   denominator: Denominator) -> dict[str, Any]:
    by_unit = budget_vs_actual(budget, payments, by=["unit_code", "unit_name"],
                               denominator=denominator)
    split = personnel_operating(payments).set_index("cost_type")["actual"]
    total = int(payments["amount"].sum())
    return {
        "actual": amount(total),
        "personnel": amount(split.get(PERSONNEL, 0)),
        "operating": amount(split.get(OPERATING, 0)),
        "unclassified": amount(split.get(UNCLASSIFIED, 0)),
        "by_unit": [{"unit_code": r.unit_code, "unit_name": r.unit_name, **_figures(r)}
                    for _, r in by_unit.iterrows()],
    }


def _project_section(budget: pd.DataFrame, payments: pd.DataFrame,
                     denominator: Denominator) -> dict[str, Any]:
    keys = ["unit_code", "unit_name", "project_code", "project_name"]
    pay = payments.assign(project_name=payments["project_name"].replace("", "（预算外项目）"))
    projects = budget_vs_actual(budget, pay, by=keys, denominator=denominator)
    units = budget_vs_actual(budget, payments, by=["unit_code", "unit_name"],
                             denominator=denominator)
    out_units = []
    for _, u in units.iterrows():
        rows = projects[projects["unit_code"] == u["unit_code"]]
        out_units.append({
            "unit_code": u["unit_code"], "unit_name": u["unit_name"], **_figures(u),
            "projects": [{"project_code": r.project_code, "project_name": r.project_name,
                          **_figures(r), "unbudgeted": amount(r["unbudgeted"])}
                         for _, r in rows.iterrows()],
        })
    return {"actual": amount(int(payments["amount"].sum())), "by_unit": out_units}


def _optional(value: int | None) -> dict[str, Any] | None:
    return None if value is None or pd.isna(value) else amount(int(value))


def _income(dy: DeptYear, previous_income: pd.DataFrame | None) -> list[dict[str, Any]] | None:
    """本年收入 by source with last year's and the change; ``None`` when none is given."""
    if dy.income is None:
        return None
    known = previous_income is not None
    return [{"source_group": r.source_group, "fund_type": r.fund_type, "current": amount(r.current),
             "previous": _optional(r.previous), "change": _optional(r.change),
             "change_rate": rate(r.change, r.previous) if known else None}
            for r in income_by_source(dy.income, previous_income).itertuples()]


def _balance(dy: DeptYear) -> list[dict[str, Any]] | None:
    """The balance statement by source; ``None`` unless both income and balances are given."""
    if balance_gap(dy.income, dy.balances):
        return None
    return [{"source_group": r["source_group"], "fund_type": r["fund_type"],
             **{c: amount(r[c]) for c in BALANCE_COLUMNS}}
            for _, r in balance_by_source(dy.income, dy.balances, dy.payments).iterrows()]


def _procurement(dy: DeptYear) -> list[dict[str, Any]] | None:
    """政府采购 per 采购类别 then the 合计; ``None`` when no procurement ledger is given."""
    if dy.procurement is None:
        return None
    return [{"category": r.category, "lines": int(r.lines), "budget": amount(r.budget),
             "actual": amount(r.actual), "rate": rate(r.actual, r.budget, r.rate_note)}
            for r in procurement_by_category(dy.procurement).itertuples()]


def _breakdowns(dy: DeptYear, previous_budget: pd.DataFrame | None) -> dict[str, Any]:
    """功能分类 类/款, 公用经费 by sub-item, 实际到位, 三公 budget and 在职人员控制率."""
    budget, payments = dy.budget, dy.payments
    funcs = {level: [{"code": r.code, "name": r.name, "adjusted": amount(r.adjusted_budget),
                      "actual": amount(r.actual)}
                     for r in by_function(budget, payments, level).itertuples()]
             for level in ("类", "款")}
    received = funds_received(budget)
    control = sangong_control_rate(payments, budget)
    budget_change = sangong_summary(budget, previous_budget, basis="budget")
    staff = staffing_control_rate(dy.profile)
    return {
        "by_function": funcs,
        "operating_items": [{"code": r.code, "name": r.name, "actual": amount(r.actual)}
                            for r in operating_items(payments[payments["expense_kind"] == BASIC])
                            .itertuples()],
        "funds_received": {
            "received": amount(received.received) if received.given else None,
            "adjusted": amount(received.adjusted_budget) if received.given else None,
            "rate": rate(received.received, received.adjusted_budget) if received.given else None,
            "lines_without": received.lines_without, "lines": received.lines},
        "sangong_budget": [
            {"item": c["item"], "budget": amount(c["budget"]), "actual": amount(c["actual"]),
             "control_rate": rate(c["actual"], c["budget"], str(c["control_rate_note"])),
             "previous_budget": None if previous_budget is None else amount(b["previous"])}
            for (_, c), (_, b) in zip(control.iterrows(), budget_change.iterrows(), strict=True)],
        "staffing": {"in_post": staff.in_post, "authorised": staff.authorised,
                     "control_rate": rate(staff.in_post or 0, staff.authorised or 0, staff.note)},
        "procurement": _procurement(dy),
        "procurement_note": PROCUREMENT_MISSING if dy.procurement is None else "",
    }


def summarise(dy: DeptYear, denominator: Denominator = "adjusted",
              previous_payments: pd.DataFrame | None = None,
              previous_income: pd.DataFrame | None = None,
              previous_budget: pd.DataFrame | None = None) -> dict[str, Any]:
    """The headline figures of a department-year (see the module docstring); last year's
    payments, income and budget, where given, are what the changes are measured against."""
    budget, payments = dy.budget, dy.payments
    head = headline(budget, payments, denominator=denominator)
    overview = [{"fund_type": r.fund_type, "expense_kind": r.expense_kind, **_figures(r),
                 "unbudgeted": amount(r["unbudgeted"])}
                for _, r in head.iterrows()
                if r.fund_type == TOTAL_LABEL or r.original_budget or r.adjusted_budget or r.actual]
    books = []
    for fund in BOOKS:
        b_fund = budget[budget["fund_type"] == fund]
        p_fund = payments[payments["fund_type"] == fund]
        book: dict[str, Any] = {"fund_type": fund,
                                "empty": len(b_fund) == 0 and len(p_fund) == 0,
                                "actual": amount(int(p_fund["amount"].sum()))}
        for kind, key, section in ((BASIC, "basic", _basic_section),
                                   (PROJECT, "projects", _project_section)):
            b_kind = b_fund[b_fund["expense_kind"] == kind]
            p_kind = p_fund[p_fund["expense_kind"] == kind]
            book[key] = section(b_kind, p_kind, denominator) \
                if len(b_kind) or len(p_kind) else None
        books.append(book)
    sangong = sangong_summary(payments, previous_payments)
    return {
        "dept_code": dy.dept_code, "dept_name": dy.dept_name, "year": dy.year,
        "data_version": dy.data_version, "unit": "万元",
        "denominator": DENOMINATORS[denominator][1],
        "overview": overview,
        "by_source": [{"source_group": r.source_group, "fund_type": r.fund_type, **_figures(r)}
                      for _, r in by_source(budget, payments, denominator).iterrows()],
        "books": books,
        "income": _income(dy, previous_income),
        "income_note": MISSING["income"] if dy.income is None else "",
        "balance": _balance(dy),
        "balance_note": balance_gap(dy.income, dy.balances),
        "sangong": [{"item": r["item"], "actual": amount(r.current),
                     "previous": None if previous_payments is None else amount(r.previous)}
                    for _, r in sangong.iterrows()],
        "unbudgeted": amount(int(payments.loc[~payments["budgeted"], "amount"].sum())
                             if len(payments) else 0),
        **_breakdowns(dy, previous_budget),
    }


# the text form lives beside it; re-exported so ``summary.format_summary`` keeps working
from outturn.metrics.summary_text import format_summary  # noqa: E402

__all__ = ["amount", "format_summary", "rate", "summarise"]
