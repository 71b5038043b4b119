"""二（一）'s “三公”经费: spending by item against last year, and the budget it was held to.

The items and their sums come from :mod:`outturn.metrics.sangong` (the scoring engine's
三公经费变动率 and 三公经费控制率 read the same functions), so the report prints the figures
the score was computed from: spending this year and last, the adjusted budget per item,
the control rate (实际支出 / 调整后预算) and the budget's change against last year.
"""

from __future__ import annotations

import pandas as pd

from outturn import metrics
from outturn.report.claims import Sentence
from outturn.report.figures import NOT_APPLICABLE, TOTAL, UNIT_NOTE, figure_value, pct, wan
from outturn.report.model import Chart, Paragraph, Table
from outturn.report.tables import ColumnDiff, RowSum, tail_note
from outturn.report.wording import change_clause
from outturn.store.model import DeptYear

SANGONG, SANGONG_BUDGET = "sangong", "sangong_budget"


def sangong_blocks(dy: DeptYear, previous: DeptYear | None) -> list[Paragraph | Table | Chart]:
    """The 三公 items of the year, against the year before when it is on file, then their
    budget and control rate."""
    prev = previous.payments if previous is not None else None
    summary = metrics.sangong_summary(dy.payments, prev)
    table = sangong_table(summary, has_prev=prev is not None)
    items = [i for i in table.frame["项目"] if i != TOTAL]
    spent = [i for i in items if table.cell(i, "本年支出") != "0.00"]
    s = Sentence().say("“三公”经费支出")
    s.cell(table, TOTAL, "本年支出")
    s.say("万元")
    for i, item in enumerate(spent):
        s.say(("，其中" if not i else "、") + item)
        s.cell(table, item, "本年支出")
        s.say("万元")
    idle = [i for i in items if i not in spent]
    if idle:
        s.say(f"；{'、'.join(idle)}无支出")
    if prev is not None:
        change_clause(s.say("。“三公”经费合计"), table, TOTAL, "本年支出", "上年支出")
    out: list[Paragraph | Table | Chart] = [s.say("。").paragraph(), table]
    out += _budget_blocks(dy, previous)
    if prev is not None:
        rows = table.frame.iloc[:-1]
        data = pd.DataFrame({"项目": rows["项目"], "本年": [figure_value(v) for v in rows["本年支出"]],
                             "上年": [figure_value(v) for v in rows["上年支出"]]})
        out.append(Chart("sangong_chart", "“三公”经费与上年比较（万元）", "year_on_year", data,
                         {"label": "项目", "current": "本年", "previous": "上年"}))
    return out


def sangong_table(summary: pd.DataFrame, *, has_prev: bool) -> Table:
    """表: each 三公 item this year (and last year, with the change), then 合计."""
    rows = []
    for r in summary[summary["kind"] != "subtotal"].itertuples():
        rate = pct(r.change, r.previous) if has_prev and r.previous else "—"
        rows.append([r.item, wan(r.current)] + ([wan(r.previous), wan(r.change), rate]
                                                if has_prev else []))
    header = ["项目", "本年支出"] + (["上年支出", "增减额", "增减率"] if has_prev else [])
    frame = pd.DataFrame(rows, columns=header)
    n = len(frame) - 1
    columns = ("本年支出", "上年支出", "增减额") if has_prev else ("本年支出",)
    relations: tuple[RowSum | ColumnDiff, ...] = (RowSum(tuple(range(n)), n, columns),)
    if has_prev:
        relations += (ColumnDiff("增减额", "本年支出", "上年支出", tuple(range(n + 1))),)
    note = UNIT_NOTE + ("" if has_prev else "；上年数据未入库，不作比较")
    return Table(SANGONG, "“三公”经费支出情况", frame, tail_note(frame, relations, note),
                 relations=relations, sources=("payments",))


def _budget_blocks(dy: DeptYear, previous: DeptYear | None) -> list[Paragraph | Table]:
    """The 三公 budget per item with the control rate, and its change on last year's
    budget; nothing when there is neither a 三公 budget nor 三公 spending."""
    control = metrics.sangong_control_rate(dy.payments, dy.budget)
    last = previous.budget if previous is not None else None
    change = metrics.sangong_summary(dy.budget, last, basis="budget")
    whole = control[control["kind"] == "total"].iloc[0]
    if not whole["budget"] and not whole["actual"]:
        return []
    table = sangong_budget_table(control, change, has_prev=last is not None)
    s = Sentence()
    if not whole["budget"]:
        s.say("全年未安排“三公”经费预算，实际支出")
        s.cell(table, TOTAL, "实际支出")
        return [s.say("万元。").paragraph(), table]
    s.say("“三公”经费调整后预算")
    s.cell(table, TOTAL, "预算数")
    s.say("万元，实际支出")
    s.cell(table, TOTAL, "实际支出")
    s.say("万元，“三公”经费控制率")
    s.cell(table, TOTAL, "控制率")
    if last is not None:
        s.say("；“三公”经费预算")
        change_clause(s, table, TOTAL, "预算数", "上年预算")
    return [s.say("。").paragraph(), table]


def sangong_budget_table(control: pd.DataFrame, change: pd.DataFrame, *, has_prev: bool) -> Table:
    """表: each 三公 item's adjusted budget, spending and control rate (and last year's
    budget with the change), then 合计."""
    rows = []
    for (_, c), (_, b) in zip(control.iterrows(), change.iterrows(), strict=True):
        if c["kind"] == "subtotal":
            continue
        cells = [c["item"], wan(c["budget"]), wan(c["actual"]),
                 NOT_APPLICABLE if c["control_rate_note"] else pct(c["actual"], c["budget"])]
        if has_prev:
            cells += [wan(b["previous"]), wan(b["change"]),
                      pct(b["change"], b["previous"]) if b["previous"] else NOT_APPLICABLE]
        rows.append(cells)
    header = ["项目", "预算数", "实际支出", "控制率"] + (["上年预算", "增减额", "增减率"] if has_prev else [])
    frame = pd.DataFrame(rows, columns=header)
    n = len(frame) - 1
    columns = ("预算数", "实际支出", "上年预算", "增减额") if has_prev else ("预算数", "实际支出")
    relations: tuple[RowSum | ColumnDiff, ...] = (RowSum(tuple(range(n)), n, columns),)
    if has_prev:
        relations += (ColumnDiff("增减额", "预算数", "上年预算", tuple(range(n + 1))),)
    note = UNIT_NOTE + "；预算数为调整后预算，控制率 = 实际支出 / 预算数" + \
        ("；增减额、增减率为预算数与上年预算比较" if has_prev else "")
    return Table(SANGONG_BUDGET, "“三公”经费预算执行情况", frame, tail_note(frame, relations, note),
                 relations=relations, sources=("budget", "payments"))
