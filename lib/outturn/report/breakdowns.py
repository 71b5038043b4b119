"""Breakdowns published reports print beside the totals: 公用经费 by sub-item (二（一）),
spending by 功能分类 类 and 款 and funds actually received (一（四）).

The figures come from :mod:`outturn.metrics.breakdowns`; each table adds up to the total
the report prints elsewhere (公用经费 of the composition table, the department's 实际支出),
and every figure a sentence states is a claim on a cell.
"""

from __future__ import annotations

import pandas as pd

from outturn.classify import LEVEL_LENGTHS
from outturn.metrics.breakdowns import by_function, funds_received, operating_items
from outturn.report.claims import Sentence
from outturn.report.figures import NOT_APPLICABLE, TOTAL, UNIT_NOTE, pct, share_cells, wan
from outturn.report.model import Paragraph, Table
from outturn.report.tables import RowSum, tail_note
from outturn.store.model import DeptYear

FUNCTIONS = "by_function"
#: digits of a 功能分类 类 code (款 has five); the 款 rows' names are indented under their 类
CLASS_DIGITS = LEVEL_LENGTHS["functional"]["类"]
ITEM_INDENT = "\u3000"
#: sub-items named in the sentence, the largest first
NAMED_ITEMS = 5


def operating_table(key: str, fund: str, payments: pd.DataFrame) -> Table | None:
    """表: a book's 公用经费 per economic 款 with its share; ``None`` without 公用经费."""
    items = operating_items(payments)
    total = int(items["actual"].sum())
    if items.empty or total <= 0 or (items["actual"] < 0).any():
        return None
    rows = [[r.code, r.name or "（科目名称未知）", wan(r.actual), share]
            for r, share in zip(items.itertuples(), share_cells(items["actual"].tolist()), strict=True)]
    rows.append([TOTAL, "", wan(total), "100.00%"])
    frame = pd.DataFrame(rows, columns=["科目编码", "科目名称", "实际支出", "占比"])
    relations = (RowSum(tuple(range(len(items))), len(items), ("实际支出", "占比")),)
    return Table(key, f"{fund}公用经费明细", frame, tail_note(frame, relations, UNIT_NOTE),
                 numeric=(2, 3), relations=relations, sources=("payments",))


def operating_sentence(table: Table, lead: str = "公用经费中，") -> Paragraph:
    """``公用经费中，其他交通费用33.06万元、办公费32.63万元…`` — the largest sub-items."""
    rows = table.frame[table.frame["科目编码"] != TOTAL]
    order = rows["实际支出"].map(float).sort_values(ascending=False, kind="stable").index
    s = Sentence().say(lead)
    for i, pos in enumerate(order[:NAMED_ITEMS]):
        code = str(rows.at[pos, "科目编码"])
        s.say(("、" if i else "") + str(rows.at[pos, "科目名称"]))
        s.cell(table, code, "实际支出")
        s.say("万元（占")
        s.cell(table, code, "占比")
        s.say("）")
    return s.say("。" if len(rows) <= NAMED_ITEMS else "等。").paragraph()


def _shares(amounts: list[int]) -> list[str]:
    """Each amount's share of their sum, adding to 100.00 %; — when a share has no meaning."""
    if sum(amounts) > 0 and all(a >= 0 for a in amounts):
        return share_cells(amounts)
    return [NOT_APPLICABLE] * len(amounts)


def function_table(dy: DeptYear) -> Table:
    """表: 调整后预算 and 实际支出 per 功能分类 类, each followed by its 款, with shares of
    the department's spending. The 类 rows add up to the 合计 and each 类's 款 to the 类."""
    classes = by_function(dy.budget, dy.payments, "类")
    items = by_function(dy.budget, dy.payments, "款")
    class_shares = dict(zip(classes["code"], _shares(classes["actual"].tolist()), strict=True))
    item_shares = dict(zip(items["code"], _shares(items["actual"].tolist()), strict=True))
    rows: list[list[str]] = []
    relations: list[RowSum] = []
    tops: list[int] = []
    for r in classes.itertuples():
        tops.append(len(rows))
        rows.append([r.code, r.name or "（科目名称未知）", wan(r.adjusted_budget), wan(r.actual),
                     class_shares[r.code]])
        kids = items[items["code"].str.startswith(r.code)]
        first = len(rows)
        rows += [[k.code, ITEM_INDENT + (k.name or "（科目名称未知）"), wan(k.adjusted_budget),
                  wan(k.actual), item_shares[k.code]] for k in kids.itertuples()]
        if len(kids):
            relations.append(RowSum(tuple(range(first, len(rows))), tops[-1], ("调整后预算", "实际支出")))
    total = int(classes["actual"].sum())
    rows.append([TOTAL, "", wan(classes["adjusted_budget"].sum()), wan(total),
                 "100.00%" if len(classes) and NOT_APPLICABLE not in class_shares.values()
                 else NOT_APPLICABLE])
    printed = pd.DataFrame(rows, columns=["科目编码", "科目名称", "调整后预算", "实际支出", "占比"])
    relations.insert(0, RowSum(tuple(tops), len(rows) - 1, ("调整后预算", "实际支出", "占比")))
    return Table(FUNCTIONS, "按支出功能分类（类、款）支出情况", printed,
                 tail_note(printed, relations, UNIT_NOTE), numeric=(2, 3, 4), relations=tuple(relations),
                 sources=("budget", "payments"))


def function_sentence(table: Table) -> Paragraph:
    """``按支出功能分类，城乡社区支出4480.29万元（占86.40%）、…``: the 类 in code order."""
    rows = table.frame[table.frame["科目编码"].str.len() == CLASS_DIGITS]
    s = Sentence().say("按支出功能分类，")
    for i, code in enumerate(rows["科目编码"]):
        s.say(("、" if i else "") + str(table.cell(str(code), "科目名称")))
        s.cell(table, str(code), "实际支出")
        s.say("万元")
        if table.cell(str(code), "占比") != NOT_APPLICABLE:
            s.say("（占")
            s.cell(table, str(code), "占比")
            s.say("）")
    return s.say("。").paragraph()


def received_sentence(dy: DeptYear) -> Paragraph | None:
    """实际到位资金 and 资金到位率 over the budget lines that state it, and how many lines do
    not; ``None`` when no line states it."""
    got = funds_received(dy.budget)
    if not got.given:
        return None
    received, budget = wan(got.received), wan(got.adjusted_budget)
    s = Sentence().say("调整后预算").source(budget, "adjusted budget of the lines that state 实际到位")
    s.say("万元中，实际到位资金").source(received, "budget lines' 实际到位 (funds_received)")
    s.say("万元")
    rate = pct(got.received, got.adjusted_budget)
    # a budget of a few 分 prints as 0.00: its rate could not be checked from the figures
    if rate != NOT_APPLICABLE and budget != wan(0):
        s.say("，资金到位率").rate(rate, received, budget)
    if got.lines_without:
        s.say("；另有").source(str(got.lines_without), "budget lines without 实际到位")
        s.say("条预算指标未填报实际到位资金，未计入")
    return s.say("。").paragraph()
