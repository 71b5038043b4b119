"""The summary of a department-year as text for the terminal (``outturn summary``).

It prints the mapping :func:`outturn.metrics.summary.summarise` returns and computes
nothing: every figure is the ``wan`` or ``percent`` string already in that mapping.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from outturn.balances import DIFFERENCE, DIFFERENCE_ZH, TERMS
from outturn.metrics.procurement import ACTUAL_ZH, BUDGET_ZH, PROCUREMENT_RATE_ZH
from outturn.money import format_wan
from outturn.vocabulary import NON_FISCAL, NOT_APPLICABLE, TOTAL_LABEL


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def _table(header: list[str], rows: list[list[str]], indent: str = "  ",
           first: int | None = None) -> list[str]:
    """Rows under a header; the figure columns (from ``first``, by default from 年初预算 or
    上年结转 on) right-aligned. A 上年结转 column is dropped when every row has none."""
    if first is None:
        first = header.index(CARRY_HEADER) if CARRY_HEADER in header else header.index(FIG_HEADER[0])
    if CARRY_HEADER in header and all(r[first] == ZERO_WAN for r in rows):
        header, rows = header[:first] + header[first + 1:], [r[:first] + r[first + 1:] for r in rows]
    widths = [max(_width(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    lines = []
    for row in [header, *rows]:
        cells = [_pad(str(c), w, right=j >= first)
                 for j, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append(indent + "  ".join(cells).rstrip())
    return lines


def _pct(r: dict[str, Any]) -> str:
    return r["percent"] or NOT_APPLICABLE


def _fig_cells(f: dict[str, Any]) -> list[str]:
    return [f["carryover"]["wan"], f["original"]["wan"], f["adjusted"]["wan"], f["actual"]["wan"],
            _pct(f["execution_rate"])]


#: the figure columns of every table: 上年结转 (printed only where a row has some), then the four
CARRY_HEADER = "上年结转"
FIG_HEADER = ["年初预算", "调整后预算", "实际支出", "执行率"]
ZERO_WAN = format_wan(0)
BOOK_NUMERALS = ("二", "三", "四", "五")


def format_summary(s: dict[str, Any]) -> str:
    """The summary as text: overview table, then each of the four books."""
    out = [f"{s['dept_name']}（{s['dept_code']}）{s['year']}年度支出情况摘要",
           f"金额单位：万元；执行率 = 实际支出 / {s['denominator']}；数据版本 {s['data_version']}",
           "", "一、总体情况"]
    out += _table(["预算类型", "支出类型", CARRY_HEADER, *FIG_HEADER],
                  [[o["fund_type"], "" if o["expense_kind"] == TOTAL_LABEL else o["expense_kind"],
                    *_fig_cells(o)] for o in s["overview"]])
    if any(r["source_group"] == NON_FISCAL for r in s["by_source"]):
        out += ["", "按资金来源："]
        out += _table(["资金来源", "", CARRY_HEADER, *FIG_HEADER],
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
            out += _table(["单位", CARRY_HEADER, *FIG_HEADER],
                          [[u["unit_name"], *_fig_cells(u)] for u in basic["by_unit"]], "    ")
        if projects:
            label = "（二）" if basic else "（一）"
            out.append(f"  {label}项目支出 {projects['actual']['wan']}")
            for unit in projects["by_unit"]:
                out.append(f"    {unit['unit_name']} {unit['actual']['wan']}")
                out += _table(["项目", CARRY_HEADER, *FIG_HEADER],
                              [[p["project_name"], *_fig_cells(p)] for p in unit["projects"]],
                              "      ")
    out += _finances(s)
    out += _breakdowns(s)
    out += ["", "“三公”经费（一般公共预算）："]
    budgets = {b["item"]: b for b in s["sangong_budget"]}
    with_prev = any(item["previous"] for item in s["sangong"])
    with_prev_budget = any(b["previous_budget"] for b in s["sangong_budget"])
    header = ["项目", "预算数", "实际支出", "控制率", *(["上年支出"] if with_prev else []),
              *(["上年预算"] if with_prev_budget else [])]
    rows = []
    for item in s["sangong"]:
        b = budgets[item["item"]]
        rows.append([item["item"], b["budget"]["wan"], item["actual"]["wan"], _pct(b["control_rate"]),
                     *([item["previous"]["wan"]] if with_prev else []),
                     *([b["previous_budget"]["wan"]] if with_prev_budget else [])])
    out += _table(header, rows, first=1)
    if s["unbudgeted"]["fen"]:
        out += ["", f"无预算支出（未匹配预算指标）：{s['unbudgeted']['wan']}"]
    return "\n".join(out)


def _source_label(r: dict[str, Any]) -> list[str]:
    return [r["source_group"], "" if r["fund_type"] == TOTAL_LABEL else r["fund_type"]]


def _finances(s: dict[str, Any]) -> list[str]:
    """收入 by source against last year, then the balance statement (or why it is missing)."""
    out = ["", "收入：" + s["income_note"] if s["income"] is None else "收入："]
    if s["income"] is not None:
        out += _table(["资金来源", "", "本年收入", "上年收入", "增减额", "增减率"],
                      [[*_source_label(r), r["current"]["wan"],
                        r["previous"]["wan"] if r["previous"] else NOT_APPLICABLE,
                        r["change"]["wan"] if r["change"] else NOT_APPLICABLE,
                        _pct(r["change_rate"]) if r["change_rate"] else NOT_APPLICABLE]
                       for r in s["income"]], first=2)
    out += ["", "结转结余：" + s["balance_note"] if s["balance"] is None else "结转结余："]
    if s["balance"] is not None:
        out += _table(["资金来源", "", *TERMS.values(), DIFFERENCE_ZH],
                      [[*_source_label(r), *(r[c]["wan"] for c in (*TERMS, DIFFERENCE))]
                       for r in s["balance"]], first=2)
    return out


def _breakdowns(s: dict[str, Any]) -> list[str]:
    """支出 by 功能分类 类, 公用经费 by sub-item, 实际到位 and 在职人员控制率."""
    out = []
    for level in ("类", "款"):
        out += ["", f"按功能分类（{level}）："]
        out += _table(["科目编码", "科目名称", "调整后预算", "实际支出"],
                      [[r["code"], r["name"], r["adjusted"]["wan"], r["actual"]["wan"]]
                       for r in s["by_function"][level]], first=2)
    out += ["", "公用经费明细（基本支出）："]
    out += _table(["科目编码", "科目名称", "实际支出"],
                  [[r["code"], r["name"], r["actual"]["wan"]] for r in s["operating_items"]], first=2)
    received = s["funds_received"]
    if received["received"] is None:
        out += ["", "实际到位资金：预算指标未提供实际到位资金"]
    else:
        partial = (f"（{received['lines_without']}条预算指标未提供，未计入）"
                   if received["lines_without"] else "")
        out += ["", f"实际到位资金：{received['received']['wan']}，对应调整后预算 "
                    f"{received['adjusted']['wan']}，到位率 {_pct(received['rate'])}{partial}"]
    out += ["", f"{PROCUREMENT_RATE_ZH}：" + s["procurement_note"] if s["procurement"] is None
            else f"{PROCUREMENT_RATE_ZH}："]
    if s["procurement"] is not None:
        out += _table(["采购类别", "采购项目数", BUDGET_ZH, ACTUAL_ZH, PROCUREMENT_RATE_ZH],
                      [[r["category"], str(r["lines"]), r["budget"]["wan"], r["actual"]["wan"],
                        _pct(r["rate"])] for r in s["procurement"]], first=1)
    staff = s["staffing"]
    rate = staff["control_rate"]
    out += ["", "在职人员控制率：" + (f"{rate['percent']}（在职 {staff['in_post']} 人 / 编制 "
                                   f"{staff['authorised']} 人）" if rate["percent"] else rate["note"])]
    return out
