"""Sections 二 to 五: the four budget books, and the overall execution picture.

Each book (一般公共预算, 政府性基金预算, 国有资本经营预算, 社会保险基金预算) gets the same
treatment: basic expenditure with its personnel and operating parts (and, for the
general budget, the 三公 items), then project expenditure by unit and project, with a
table and a chart of budget against actual. A book with no budget and no spending says 无.
"""

from __future__ import annotations

import pandas as pd

from outturn import metrics
from outturn.aliases import FUND_TYPES
from outturn.metrics.budget import DENOMINATORS, Denominator
from outturn.money import round_half_up
from outturn.report.figures import (
    change_text,
    execution,
    figures_table,
    listing,
    pct,
    pct_number,
    wan,
    wan_number,
)
from outturn.report.model import Chart, Paragraph, Section, Table
from outturn.store import DeptYear

BASIC, PROJECT = "基本支出", "项目支出"
GENERAL = FUND_TYPES[0]
BOOK_NUMBERS = ("二", "三", "四", "五")
SUB_NUMBERS = ("（一）", "（二）", "（三）", "（四）", "（五）")
UNBUDGETED = "（预算外项目）"


def book_sections(dy: DeptYear, previous: DeptYear | None,
                  denominator: Denominator) -> list[Section]:
    """Sections 二–五, one per budget book, in the order of the reference report."""
    out = []
    for number, fund in zip(BOOK_NUMBERS, FUND_TYPES, strict=True):
        budget = dy.budget[dy.budget["fund_type"] == fund]
        payments = dy.payments[dy.payments["fund_type"] == fund]
        section = Section(number, f"{fund}支出情况")
        if len(budget) == 0 and len(payments) == 0:
            section.blocks.append(Paragraph("无。"))
        else:
            _fill_book(section, dy, fund, budget, payments, previous, denominator)
        out.append(section)
    return out


def _fill_book(section: Section, dy: DeptYear, fund: str, budget: pd.DataFrame,
               payments: pd.DataFrame, previous: DeptYear | None, denominator: Denominator) -> None:
    total = metrics.budget_vs_actual(budget, payments, by=[], denominator=denominator).iloc[0]
    kinds = {k: (budget[budget["expense_kind"] == k], payments[payments["expense_kind"] == k])
             for k in (BASIC, PROJECT)}
    present = [k for k, (b, p) in kinds.items() if len(b) or len(p)]
    parts = "，".join(f"{k}{wan(kinds[k][1]['amount'].sum())}万元" for k in present)
    section.blocks.append(Paragraph(
        f"{dy.year}年度{fund}支出{wan(total['actual'])}万元（{parts}），调整后预算"
        f"{wan(total['adjusted_budget'])}万元，预算执行率{execution(total)}"
        f"（按{DENOMINATORS[denominator][1]}计算）。"))
    for number, kind in zip(SUB_NUMBERS, present, strict=False):
        b, p = kinds[kind]
        if kind == BASIC:
            section.subsections.append(_basic(number, dy, fund, b, p, previous, denominator))
        else:
            section.subsections.append(_projects(number, dy, fund, b, p, denominator))


def _basic(number: str, dy: DeptYear, fund: str, budget: pd.DataFrame, payments: pd.DataFrame,
           previous: DeptYear | None, denominator: Denominator) -> Section:
    sub = Section(number, "基本支出情况")
    split = metrics.personnel_operating(payments).set_index("cost_type")["actual"]
    by_unit = metrics.budget_vs_actual(budget, payments, by=["unit_code", "unit_name"],
                                       denominator=denominator)
    spending = by_unit[by_unit["actual"] != 0]
    who = spending.iloc[0]["unit_name"] if len(spending) == 1 else "全部门"
    total = int(payments["amount"].sum())
    text = (f"{dy.year}年度{who}基本支出{wan(total)}万元，其中人员经费"
            f"{wan(split.get('人员经费', 0))}万元、公用经费{wan(split.get('公用经费', 0))}万元")
    if split.get("未分类", 0):
        text += f"，另有未能按经济分类归入人员或公用经费的支出{wan(split['未分类'])}万元"
    if len(spending) > 1:
        text += "；分单位看，" + listing([(r.unit_name, r.actual) for r in spending.itertuples()])
    sub.blocks.append(Paragraph(text + "。"))
    sub.blocks.append(figures_table(by_unit, [("unit_name", "单位")],
                                    key=f"{_slug(fund)}_basic_by_unit",
                                    title=f"{fund}基本支出预算执行情况"))
    rows = [[name, wan(split.get(name, 0)), pct(split.get(name, 0), total)]
            for name in ("人员经费", "公用经费", "未分类") if name != "未分类" or split.get(name, 0)]
    rows.append(["合计", wan(total), pct(total, total)])
    sub.blocks.append(Table(f"{_slug(fund)}_basic_composition", f"{fund}基本支出构成",
                            pd.DataFrame(rows, columns=["构成", "实际支出", "占比"]),
                            "金额单位：万元"))
    if fund == GENERAL:
        _sangong(sub, dy, previous)
    return sub


def _sangong(sub: Section, dy: DeptYear, previous: DeptYear | None) -> None:
    """The 三公 items of the year, against the year before when it is on file."""
    prev = previous.payments if previous is not None else None
    table = metrics.sangong_summary(dy.payments, prev)
    items = table[table["kind"] == "category"]
    spent = [(r.item, r.current) for r in items.itertuples() if r.current]
    none = [r.item for r in items.itertuples() if not r.current]
    total = table[table["kind"] == "total"].iloc[0]
    text = f"“三公”经费支出{wan(total['current'])}万元"
    if spent:
        text += "，其中" + listing(spent)
    if none:
        text += f"；{'、'.join(none)}无支出"
    if prev is not None:
        text += f"。“三公”经费合计{change_text(total['current'], total['previous'])}"
    sub.blocks.append(Paragraph(text + "。"))
    has_prev = prev is not None
    rows = []
    for r in table[table["kind"] != "subtotal"].itertuples():
        rows.append([r.item, wan(r.current)] + ([wan(r.previous), wan(r.change),
                                                 _change_rate(r)] if has_prev else []))
    header = ["项目", "本年支出"] + (["上年支出", "增减额", "增减率"] if has_prev else [])
    sub.blocks.append(Table("sangong", "“三公”经费支出情况", pd.DataFrame(rows, columns=header),
                            "金额单位：万元" + ("" if has_prev else "；上年数据未入库，不作比较")))
    if has_prev:
        data = pd.DataFrame({"项目": items["item"].to_numpy(),
                             "本年": [wan_number(v) for v in items["current"]],
                             "上年": [wan_number(v) for v in items["previous"]]})
        sub.blocks.append(Chart("sangong_chart", "“三公”经费与上年比较（万元）", "year_on_year", data,
                                {"label": "项目", "current": "本年", "previous": "上年"}))


def _change_rate(row: object) -> str:
    return pct(row.change, row.previous) if row.previous else "—"  # type: ignore[attr-defined]


def _projects(number: str, dy: DeptYear, fund: str, budget: pd.DataFrame, payments: pd.DataFrame,
              denominator: Denominator) -> Section:
    sub = Section(number, "项目支出情况")
    keys = ["unit_code", "unit_name", "project_code", "project_name"]
    pay = payments.assign(project_name=payments["project_name"].replace("", UNBUDGETED))
    projects = metrics.budget_vs_actual(budget, pay, by=keys, denominator=denominator)
    units = metrics.budget_vs_actual(budget, payments, by=["unit_code", "unit_name"],
                                     denominator=denominator)
    total = int(payments["amount"].sum())
    pieces = []
    for u in units.itertuples():
        rows = projects[(projects["unit_code"] == u.unit_code) & (projects["actual"] != 0)]
        detail = listing([(r.project_name, r.actual) for r in rows.itertuples()])
        pieces.append(f"{u.unit_name}{wan(u.actual)}万元" + (f"（{detail}）" if detail else ""))
    text = f"{dy.year}年度{fund}项目支出{wan(total)}万元"
    text += ("，其中" + "；".join(pieces)) if len(units) > 1 else f"，为{pieces[0]}" if pieces else ""
    sub.blocks.append(Paragraph(text + "。"))
    sub.blocks.append(Paragraph(
        f"项目支出调整后预算{wan(units['adjusted_budget'].sum())}万元，其中年初预算"
        f"{wan(units['original_budget'].sum())}万元、年中追加{wan(budget['supplementary'].sum())}万元、"
        f"调减{wan(budget['reduction'].sum())}万元；项目支出预算执行率"
        f"{pct(total, units['denominator_amount'].sum())}。"))
    slug = _slug(fund)
    sub.blocks.append(figures_table(projects, [("unit_name", "单位"), ("project_name", "项目")],
                                    key=f"{slug}_projects", title=f"{fund}项目支出预算执行情况"))
    data = pd.DataFrame({"项目": [f"{r.project_name}（{r.unit_name}）" if len(units) > 1
                                  else r.project_name for r in projects.itertuples()],
                         "调整后预算": [wan_number(v) for v in projects["adjusted_budget"]],
                         "实际支出": [wan_number(v) for v in projects["actual"]]})
    sub.blocks.append(Chart(f"{slug}_projects_chart", f"{fund}项目预算与实际支出（万元）",
                            "budget_vs_actual", data,
                            {"label": "项目", "budget": "调整后预算", "actual": "实际支出"}))
    return sub


def overall_section(dy: DeptYear, denominator: Denominator) -> Section:
    """（四）预算执行总体情况: every book at once, its composition, and 序时进度."""
    sub = Section("（四）", "预算执行总体情况")
    head = metrics.headline(dy.budget, dy.payments, denominator=denominator)
    total = head[head["fund_type"] == "合计"].iloc[0]
    sub.blocks.append(Paragraph(
        f"{dy.year}年度全部门各类预算支出合计{wan(total['actual'])}万元，调整后预算"
        f"{wan(total['adjusted_budget'])}万元，其中年初预算{wan(total['original_budget'])}万元；"
        f"整体预算执行率{execution(total)}。"))
    shown = head[(head["original_budget"] != 0) | (head["adjusted_budget"] != 0) | (head["actual"] != 0)]
    kind = shown["expense_kind"].astype(str).replace("合计", "小计")
    shown = shown.assign(expense_kind=kind.where(shown["fund_type"] != "合计", ""))
    table = figures_table(shown, [("fund_type", "预算类型"), ("expense_kind", "支出类型")],
                          key="overview", title="各类预算执行情况")
    sub.blocks.append(Table(table.key, table.title, table.frame.iloc[:-1] if len(shown) > 1
                            else table.frame, table.note, table.numeric))
    sub.blocks.append(_composition(dy))
    sub.blocks += _progress(dy, denominator)
    return sub


def _composition(dy: DeptYear) -> Chart:
    pay = dy.payments
    parts: list[tuple[str, int]] = []
    general = pay[pay["fund_type"] == GENERAL]
    basic = general[general["expense_kind"] == BASIC]
    split = metrics.personnel_operating(basic).set_index("cost_type")["actual"]
    for name in ("人员经费", "公用经费", "未分类"):
        parts.append((f"基本支出·{name}", int(split.get(name, 0))))
    parts.append(("一般公共预算项目支出", int(general.loc[general["expense_kind"] == PROJECT,
                                                 "amount"].sum())))
    for fund in FUND_TYPES[1:]:
        parts.append((f"{fund}支出", int(pay.loc[pay["fund_type"] == fund, "amount"].sum())))
    data = pd.DataFrame({"构成": [p[0] for p in parts if p[1]],
                         "支出（万元）": [wan_number(p[1]) for p in parts if p[1]]})
    return Chart("composition_chart", "支出构成", "composition", data,
                 {"label": "构成", "value": "支出（万元）"})


def progress_denominator(denominator: Denominator) -> str:
    """The 序时进度 denominator matching the report's execution-rate denominator."""
    return denominator if denominator in metrics.PROGRESS_DENOMINATORS else "available"


def _progress(dy: DeptYear, denominator: Denominator) -> list[Paragraph | Table | Chart]:
    """Monthly cumulative execution against 序时进度 (whole department)."""
    basis = progress_denominator(denominator)
    prog = metrics.monthly_progress(dy.budget, dy.payments, year=dy.year,
                                    denominator=basis)  # type: ignore[arg-type]
    if prog.empty or prog["denominator_amount"].iloc[0] == 0:
        return [Paragraph("本年度无可比较的预算数，不计算序时进度。")]
    denom = int(prog["denominator_amount"].iloc[0])
    rows, data = [], []
    for r in prog.itertuples():
        bench = r.benchmark * 100
        gap = round_half_up(r.gap_pp, 2)
        rows.append([f"{r.month}月", wan(r.cumulative_actual), pct(r.cumulative_actual, denom),
                     f"{round_half_up(bench, 2)}%", f"+{gap}" if gap > 0 else str(gap), r.status])
        data.append({"月份": r.month, "累计执行率": pct_number(r.cumulative_actual, denom),
                     "序时进度": float(bench)})
    mid = prog[prog["month"] == 6]
    text = "按月累计支出与序时进度比较："
    if len(mid):
        m = mid.iloc[0]
        text += (f"截至6月末累计支出{wan(m['cumulative_actual'])}万元，累计执行率"
                 f"{pct(m['cumulative_actual'], denom)}，序时进度50.00%；")
    lagging = prog[prog["status"] == "滞后"]["month"].tolist()
    text += (f"全年有{len(lagging)}个月累计执行率落后于序时进度。" if lagging
             else "各月累计执行率均未落后于序时进度。")
    return [Paragraph(text),
            Table("progress", "按月累计执行与序时进度",
                  pd.DataFrame(rows, columns=["月份", "累计支出", "累计执行率", "序时进度",
                                              "差距（百分点）", "状态"]),
                  f"金额单位：万元；累计执行率 = 累计支出 / {metrics.PROGRESS_DENOMINATORS[basis][0]}"),
            Chart("progress_chart", "累计执行率与序时进度", "progress", pd.DataFrame(data),
                  {"month": "月份", "actual_rate": "累计执行率", "benchmark_rate": "序时进度"})]


def _slug(fund: str) -> str:
    return {"一般公共预算": "general", "政府性基金预算": "fund", "国有资本经营预算": "capital",
            "社会保险基金预算": "insurance"}.get(fund, "other")
