"""政府采购执行情况 (一（四）): the procurement budget against what was procured, by category.

Printed only where the department-year gives a procurement ledger, as the income section
is; the table adds up (each column's 合计 is the sum of its categories) and the sentence
claims its figures on the table's cells, so 政府采购执行率 is printed once and checked.
"""

from __future__ import annotations

import pandas as pd

from outturn.metrics.procurement import ACTUAL_ZH, BUDGET_ZH, PROCUREMENT_RATE_ZH, procurement_by_category
from outturn.report.claims import Sentence
from outturn.report.figures import NOT_APPLICABLE, TOTAL, UNIT_NOTE, pct, wan
from outturn.report.model import Block, Table
from outturn.report.tables import RowSum, tail_note
from outturn.store.model import DeptYear

PROCUREMENT = "procurement"
CATEGORY, LINES = "采购类别", "采购项目数"


def procurement_table(dy: DeptYear) -> Table | None:
    """表: 政府采购预算, 实际采购金额 and 政府采购执行率 per 采购类别 and in all; ``None``
    without a procurement ledger."""
    if dy.procurement is None or not len(dy.procurement):
        return None
    frame = procurement_by_category(dy.procurement)
    rows = [[r.category, str(r.lines), wan(r.budget), wan(r.actual), pct(r.actual, r.budget)]
            for r in frame.itertuples()]
    printed = pd.DataFrame(rows, columns=[CATEGORY, LINES, BUDGET_ZH, ACTUAL_ZH, PROCUREMENT_RATE_ZH])
    parts = len(printed) - 1
    relations = (RowSum(tuple(range(parts)), parts, (LINES, BUDGET_ZH, ACTUAL_ZH)),)
    return Table(PROCUREMENT, "政府采购执行情况", printed, tail_note(printed, relations, UNIT_NOTE),
                 numeric=(1, 2, 3, 4), relations=relations, sources=("procurement",))


def procurement_blocks(dy: DeptYear) -> list[Block]:
    """The sentence and the table; nothing without a procurement ledger."""
    table = procurement_table(dy)
    if table is None:
        return []
    s = Sentence().say("本年度政府采购项目")
    s.cell(table, TOTAL, LINES)
    s.say("个，政府采购预算")
    s.cell(table, TOTAL, BUDGET_ZH)
    s.say("万元，实际采购")
    s.cell(table, TOTAL, ACTUAL_ZH)
    s.say("万元")
    if table.cell(TOTAL, PROCUREMENT_RATE_ZH) != NOT_APPLICABLE:
        s.say(f"，{PROCUREMENT_RATE_ZH}")
        s.cell(table, TOTAL, PROCUREMENT_RATE_ZH)
    categories = [c for c in table.frame[CATEGORY] if c != TOTAL]
    if len(categories) > 1:
        s.say("。其中")
        for i, category in enumerate(categories):
            s.say(("，" if i else "") + f"{category}类采购预算")
            s.cell(table, category, BUDGET_ZH)
            s.say("万元、实际采购")
            s.cell(table, category, ACTUAL_ZH)
            s.say("万元")
    return [s.say("。").paragraph(), table]
