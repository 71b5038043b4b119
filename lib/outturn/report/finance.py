"""Sections 二 to 五: the four budget books.

Each book (一般公共预算, 政府性基金预算, 国有资本经营预算, 社会保险基金预算) gets the same
treatment: basic expenditure with its personnel and operating parts (and, for the
general budget, the 三公 items), then project expenditure by unit and project, with a
table and a chart of budget against actual. A book with no budget and no spending says 无.

Every figure a sentence states is a cell of a table of the report, written through
:class:`~outturn.report.claims.Sentence`, so the sentence cannot say another number than
the table prints; the charts draw the printed cells.
"""

from __future__ import annotations

import pandas as pd

from outturn import metrics
from outturn.metrics.budget import DENOMINATORS, Denominator
from outturn.report.breakdowns import operating_sentence, operating_table
from outturn.report.claims import Sentence
from outturn.report.figures import (
    BASIC,
    GENERAL,
    PROJECT,
    SUBTOTAL,
    TOTAL,
    UNIT_NOTE,
    Group,
    figure_value,
    figures_table,
    grouped_table,
    share_cells,
    total_row,
    wan,
)
from outturn.report.model import Chart, Paragraph, Section, Table
from outturn.report.overall import book_row
from outturn.report.sangong import sangong_blocks
from outturn.report.style import self_name
from outturn.report.tables import RowSum, tail_note
from outturn.store.model import DeptYear
from outturn.vocabulary import BOOKS, UNCLASSIFIED
from outturn.vocabulary import COST_TYPES as BASIC_COST_TYPES

BOOK_NUMBERS = ("二", "三", "四", "五")
SUB_NUMBERS = ("（一）", "（二）", "（三）", "（四）", "（五）")
UNBUDGETED = "（预算外项目）"
COST_TYPES = (*BASIC_COST_TYPES, UNCLASSIFIED)
#: a book's key in table and file names
SLUGS = dict(zip(BOOKS, ("general", "fund", "capital", "insurance"), strict=True))


def book_sections(dy: DeptYear, previous: DeptYear | None, denominator: Denominator,
                  overview: Table) -> list[Section]:
    """Sections 二–五, one per budget book, in the order of the reference report;
    ``overview`` is 一（四）'s table, whose rows state each book's totals."""
    out = []
    for number, fund in zip(BOOK_NUMBERS, BOOKS, strict=True):
        budget = dy.budget[dy.budget["fund_type"] == fund]
        payments = dy.payments[dy.payments["fund_type"] == fund]
        section = Section(number, f"{fund}支出情况")
        if len(budget) == 0 and len(payments) == 0:
            section.blocks.append(Paragraph("无。"))
        else:
            _fill_book(section, dy, fund, budget, payments, previous, denominator, overview)
        out.append(section)
    return out


def _fill_book(section: Section, dy: DeptYear, fund: str, budget: pd.DataFrame,
               payments: pd.DataFrame, previous: DeptYear | None, denominator: Denominator,
               overview: Table) -> None:
    kinds = {k: (budget[budget["expense_kind"] == k], payments[payments["expense_kind"] == k])
             for k in (BASIC, PROJECT)}
    present = [k for k, (b, p) in kinds.items() if len(b) or len(p)]
    if len(present) == 1:  # one kind: its own account is the book's, said once, no lone heading
        b, p = kinds[present[0]]
        only = (_basic("", dy, fund, b, p, previous, denominator, overview) if present[0] == BASIC
                else _projects("", dy, fund, b, p, denominator, whole_book=True))
        section.blocks += only.blocks
        section.subsections += only.subsections
        return
    shown = set(overview.frame.loc[overview.frame["预算类型"] == fund, "支出类型"])
    row = book_row(overview, fund)
    s = Sentence().say(f"{dy.year}年度{fund}支出")
    s.cell(overview, row, "实际支出")
    listed = [k for k in present if k in shown]
    if len(listed) > 1:
        s.say("万元（")
        for i, kind in enumerate(listed):
            s.say(("，" if i else "") + kind)
            s.cell(overview, book_row(overview, fund, kind), "实际支出")
            s.say("万元")
        s.say("）")
    elif listed:
        s.say(f"万元，全部为{listed[0]}")
    else:
        s.say("万元")
    s.say("，调整后预算")
    s.cell(overview, row, "调整后预算")
    s.say("万元，预算执行率")
    s.cell(overview, row, "执行率")
    s.say(f"（按{DENOMINATORS[denominator][1]}计算）。")
    section.blocks.append(s.paragraph())
    for number, kind in zip(SUB_NUMBERS, present, strict=False):
        b, p = kinds[kind]
        if kind == BASIC:
            section.subsections.append(_basic(number, dy, fund, b, p, previous, denominator, overview))
        else:
            section.subsections.append(_projects(number, dy, fund, b, p, denominator))


def _basic(number: str, dy: DeptYear, fund: str, budget: pd.DataFrame, payments: pd.DataFrame,
           previous: DeptYear | None, denominator: Denominator, overview: Table) -> Section:
    sub = Section(number, "基本支出情况")
    by_unit = metrics.budget_vs_actual(budget, payments, by=["unit_code", "unit_name"],
                                       denominator=denominator)
    units = figures_table(by_unit, [("unit_name", "单位")], key=f"{SLUGS.get(fund, 'other')}_basic_by_unit",
                          title=f"{fund}基本支出预算执行情况")
    parts = composition_table(fund, payments)
    spending = by_unit[by_unit["actual"] != 0]
    s = Sentence().say(f"{dy.year}年度")
    if len(spending) == 1:  # a name, not a figure, even when it holds digits (单位1)
        s.source(str(spending.iloc[0]["unit_name"]), "departments: 单位名称")
    else:
        s.say(self_name(dy.profile))
    s.say("基本支出")
    s.cell(parts, TOTAL, "实际支出")
    named = [n for n in parts.frame["构成"] if n != TOTAL]
    s.say("万元，其中" if named else "万元")
    for i, name in enumerate(n for n in named if n != COST_TYPES[2]):
        s.say(("、" if i else "") + name)
        s.cell(parts, name, "实际支出")
        s.say("万元")
    if COST_TYPES[2] in named:
        s.say("，另有未能按经济分类归入人员或公用经费的支出")
        s.cell(parts, COST_TYPES[2], "实际支出")
        s.say("万元")
    if len(spending) > 1:
        s.say("；分单位看，")
        for i, r in enumerate(spending.itertuples()):
            s.say(("、" if i else "") + str(r.unit_name))
            s.cell(units, str(r.unit_name), "实际支出")
            s.say("万元")
    # one unit: its one-row table would repeat 一（四）'s row of the book's 基本支出; say it
    one_row = len(by_unit) == 1 and BASIC in set(overview.frame.loc[overview.frame["预算类型"] == fund,
                                                                  "支出类型"])
    if one_row:
        row = book_row(overview, fund, BASIC)
        s.say("；基本支出调整后预算")
        s.cell(overview, row, "调整后预算")
        s.say("万元，执行率")
        s.cell(overview, row, "执行率")
    sub.blocks += [s.say("。").paragraph(), *([] if one_row else [units]), parts]
    items = operating_table(f"{SLUGS.get(fund, 'other')}_operating_items", fund, payments)
    if items is not None:
        sub.blocks += [operating_sentence(items), items]
    if fund == GENERAL:
        sub.blocks += sangong_blocks(dy, previous)
    return sub


def composition_table(fund: str, payments: pd.DataFrame) -> Table:
    """表: basic spending by 人员经费 / 公用经费 (/ 未分类), shares adding to 100.00%."""
    split = metrics.personnel_operating(payments).set_index("cost_type")["actual"]
    names = [n for n in COST_TYPES if n != COST_TYPES[2] or split.get(n, 0)]
    amounts = [int(split.get(n, 0)) for n in names]
    total = int(payments["amount"].sum())
    ok = total > 0 and all(a >= 0 for a in amounts)
    shares = share_cells(amounts) if ok else ["—"] * len(names)
    rows = [[n, wan(a), sh] for n, a, sh in zip(names, amounts, shares, strict=True)]
    rows.append([TOTAL, wan(total), "100.00%" if ok else "—"])
    frame = pd.DataFrame(rows, columns=["构成", "实际支出", "占比"])
    relations = (RowSum(tuple(range(len(names))), len(names), ("实际支出", "占比")),)
    return Table(f"{SLUGS.get(fund, 'other')}_basic_composition", f"{fund}基本支出构成", frame,
                 tail_note(frame, relations, UNIT_NOTE), relations=relations, sources=("payments",))


def _projects(number: str, dy: DeptYear, fund: str, budget: pd.DataFrame, payments: pd.DataFrame,
              denominator: Denominator, *, whole_book: bool = False) -> Section:
    """项目支出情况; with ``whole_book`` (the book has no 基本支出) its first sentence speaks
    for the book: ``…政府性基金预算支出967.08万元，全部为项目支出，其中…``."""
    sub = Section(number, "项目支出情况")
    table, units = projects_table(fund, budget, payments, denominator)
    whole = total_row(table)
    s = Sentence().say(f"{dy.year}年度{fund}{'' if whole_book else '项目'}支出")
    s.cell(table, whole, "实际支出")
    s.say("万元，全部为项目支出" if whole_book else "万元")
    if len(units) > 1:
        s.say("，其中")
        for i, (unit, names) in enumerate(units):
            s.say(("；" if i else "") + unit + (names[0] if len(names) == 1 else ""))
            s.cell(table, _unit_row(table, unit, names), "实际支出")
            s.say("万元")
            spent = [n for n in names if table.cell({"单位": unit, "项目": n}, "实际支出") != "0.00"]
            if len(names) > 1 and spent:
                _list_projects(s.say("（"), table, unit, spent)
                s.say("）")
    elif units:
        spent = [n for n in units[0][1]
                 if table.cell({"单位": units[0][0], "项目": n}, "实际支出") != "0.00"]
        if spent:
            _list_projects(s.say("，用于"), table, units[0][0], spent)
    sub.blocks.append(s.say("。").paragraph())
    t = Sentence().say("项目支出调整后预算")
    t.cell(table, whole, "调整后预算")
    t.say("万元（年初预算")
    t.cell(table, whole, "年初预算")
    t.say("万元")
    for column in ("年中追加", "调减"):
        if column in table.frame.columns:
            t.say(f"，{column}")
            t.cell(table, whole, column)
            t.say("万元")
    t.say("），项目支出预算执行率")
    t.cell(table, whole, "执行率")
    if denominator != "adjusted":  # the rate's base, when it is not the 调整后预算 just named
        t.say(f"（按{DENOMINATORS[denominator][1]}计算）")
    sub.blocks += [t.say("。").paragraph(), table]
    projects = table.frame[~table.frame["项目"].isin([SUBTOTAL, ""]) & (table.frame["单位"] != TOTAL)]
    data = pd.DataFrame({"项目": [f"{p}（{u}）" if len(units) > 1 else p
                                  for u, p in zip(projects["单位"], projects["项目"], strict=True)],
                         "调整后预算": [figure_value(v) for v in projects["调整后预算"]],
                         "实际支出": [figure_value(v) for v in projects["实际支出"]]})
    sub.blocks.append(Chart(f"{SLUGS.get(fund, 'other')}_projects_chart",
                            f"{fund}项目预算与实际支出（万元）", "budget_vs_actual", data,
                            {"label": "项目", "budget": "调整后预算", "actual": "实际支出"}))
    return sub


def _list_projects(s: Sentence, table: Table, unit: str, names: list[str]) -> None:
    for i, name in enumerate(names):
        s.say(("、" if i else "") + name)
        s.cell(table, {"单位": unit, "项目": name}, "实际支出")
        s.say("万元")


def _unit_row(table: Table, unit: str, names: list[str]) -> dict[str, str]:
    return {"单位": unit, "项目": SUBTOTAL if len(names) > 1 else names[0]}


def projects_table(fund: str, budget: pd.DataFrame, payments: pd.DataFrame,
                   denominator: Denominator) -> tuple[Table, list[tuple[str, list[str]]]]:
    """表: every project by unit, a 小计 per unit with several projects when there are
    several units, and 合计; with the units and the project names as printed."""
    keys = ["unit_code", "unit_name", "project_code", "project_name"]
    pay = payments.assign(project_name=payments["project_name"].replace("", UNBUDGETED))
    projects = metrics.budget_vs_actual(budget, pay, by=keys, denominator=denominator)
    projects = projects.assign(project_name=_unique_names(projects))
    per_unit = metrics.budget_vs_actual(budget, payments, by=["unit_code", "unit_name"],
                                        denominator=denominator)
    several = len(per_unit) > 1
    groups, units = [], []
    for u in per_unit.itertuples():
        rows = projects[projects["unit_code"] == u.unit_code]
        subtotal = per_unit[per_unit["unit_code"] == u.unit_code].assign(project_name=SUBTOTAL) \
            if several and len(rows) > 1 else None
        groups.append(Group(rows, subtotal))
        units.append((str(u.unit_name), [str(n) for n in rows["project_name"]]))
    total = metrics.budget_vs_actual(budget, payments, by=[], denominator=denominator) \
        .assign(unit_name=TOTAL, project_name="")
    table = grouped_table(groups, total, [("unit_name", "单位"), ("project_name", "项目")],
                          key=f"{SLUGS.get(fund, 'other')}_projects",
                          title=f"{fund}项目支出预算执行情况", changes=True)
    return table, units


def _unique_names(projects: pd.DataFrame) -> pd.Series:
    """Project names, with the code added where a unit has two projects of one name."""
    names = projects["project_name"].astype(str)
    clash = names.groupby(projects["unit_code"]).transform(lambda s: s.duplicated(keep=False))
    return names.where(~clash, names + "（" + projects["project_code"].astype(str) + "）")
