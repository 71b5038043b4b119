"""Headline figures of one department-year, as a report's sections 二–五 present them.

:func:`summarise` is pure: a loaded :class:`~outturn.store.read.DeptYear` in, a plain,
JSON-ready mapping out, with every amount both exact (``fen``) and as printed (``wan``:
万元, two decimals, 四舍五入) and every rate as printed (two decimals) with its
not-applicable reason. :func:`format_summary` renders that mapping as text for the
terminal (``outturn summary``).
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pandas as pd

from outturn.metrics import budget_vs_actual, headline, personnel_operating, sangong_summary
from outturn.metrics.budget import DENOMINATORS, Denominator
from outturn.metrics.sources import by_source
from outturn.money import format_percent, format_wan
from outturn.store.model import DeptYear
from outturn.vocabulary import (
    BASIC,
    BOOKS,
    NON_FISCAL,
    NOT_APPLICABLE,
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


def summarise(dy: DeptYear, denominator: Denominator = "adjusted",
              previous_payments: pd.DataFrame | None = None) -> dict[str, Any]:
    """The headline figures of a department-year (see the module docstring)."""
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
        "sangong": [{"item": r["item"], "actual": amount(r.current),
                     "previous": None if previous_payments is None else amount(r.previous)}
                    for _, r in sangong.iterrows()],
        "unbudgeted": amount(int(payments.loc[~payments["budgeted"], "amount"].sum())
                             if len(payments) else 0),
    }


# --- text rendering -------------------------------------------------------------------

def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def _table(header: list[str], rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(_width(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    lines = []
    for row in [header, *rows]:
        # the last four columns are figures: right-aligned
        cells = [_pad(str(c), w, right=j >= len(row) - 4)
                 for j, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append(indent + "  ".join(cells).rstrip())
    return lines


def _pct(r: dict[str, Any]) -> str:
    return r["percent"] or NOT_APPLICABLE


def _fig_cells(f: dict[str, Any]) -> list[str]:
    return [f["original"]["wan"], f["adjusted"]["wan"], f["actual"]["wan"],
            _pct(f["execution_rate"])]


FIG_HEADER = ["年初预算", "调整后预算", "实际支出", "执行率"]
BOOK_NUMERALS = ("二", "三", "四", "五")


def format_summary(s: dict[str, Any]) -> str:
    """The summary as text: overview table, then each of the four books."""
    out = [f"{s['dept_name']}（{s['dept_code']}）{s['year']}年度支出情况摘要",
           f"金额单位：万元；执行率 = 实际支出 / {s['denominator']}；数据版本 {s['data_version']}",
           "", "一、总体情况"]
    out += _table(["预算类型", "支出类型", *FIG_HEADER],
                  [[o["fund_type"], "" if o["expense_kind"] == TOTAL_LABEL else o["expense_kind"],
                    *_fig_cells(o)] for o in s["overview"]])
    if any(r["source_group"] == NON_FISCAL for r in s["by_source"]):
        out += ["", "按资金来源："]
        out += _table(["资金来源", "", *FIG_HEADER],
                      [[r["source_group"], "" if r["fund_type"] == TOTAL_LABEL else r["fund_type"],
                        *_fig_cells(r)] for r in s["by_source"]])
    for numeral, book in zip(BOOK_NUMERALS, s["books"], strict=True):
        out += ["", f"{numeral}、{book['fund_type']}支出：" +
                ("无" if book["empty"] else f"{book['actual']['wan']}")]
        basic, projects = book["basic"], book["projects"]
        if basic:
            out.append(f"  （一）基本支出 {basic['actual']['wan']}：人员经费 "
                       f"{basic['personnel']['wan']}，公用经费 {basic['operating']['wan']}"
                       + (f"，未分类 {basic['unclassified']['wan']}"
                          if basic["unclassified"]["fen"] else ""))
            out += _table(["单位", *FIG_HEADER],
                          [[u["unit_name"], *_fig_cells(u)] for u in basic["by_unit"]], "    ")
        if projects:
            label = "（二）" if basic else "（一）"
            out.append(f"  {label}项目支出 {projects['actual']['wan']}")
            for unit in projects["by_unit"]:
                out.append(f"    {unit['unit_name']} {unit['actual']['wan']}")
                out += _table(["项目", *FIG_HEADER],
                              [[p["project_name"], *_fig_cells(p)] for p in unit["projects"]],
                              "      ")
    out += ["", "“三公”经费（一般公共预算）："]
    for item in s["sangong"]:
        prev = f"（上年 {item['previous']['wan']}）" if item["previous"] else ""
        out.append(f"  {_pad(item['item'], 22)}{_pad(item['actual']['wan'], 12, True)}{prev}")
    if s["unbudgeted"]["fen"]:
        out += ["", f"无预算支出（未匹配预算指标）：{s['unbudgeted']['wan']}"]
    return "\n".join(out)
