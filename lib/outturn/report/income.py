"""一（五）收入及结转结余情况: income by source against last year, and the balance.

Printed only for a department-year that gives income or balances; one that gives one of
the two says in a sentence which is missing and that the balance cannot be checked. The
tables come from :mod:`outturn.metrics.income` and every figure a sentence prints is a
claim on their cells.
"""

from __future__ import annotations

import pandas as pd

from outturn.balances import DIFFERENCE, DIFFERENCE_ZH, TERMS
from outturn.metrics.income import balance_by_source, balance_gap, income_by_source
from outturn.report.claims import Sentence
from outturn.report.figures import NOT_APPLICABLE, SUBTOTAL, TOTAL, UNIT_NOTE, pct, wan
from outturn.report.model import Paragraph, Section, Table
from outturn.report.tables import ColumnDiff, RowSum, tail_note
from outturn.report.wording import change_clause
from outturn.store.model import DeptYear
from outturn.vocabulary import FISCAL, NON_FISCAL

INCOME, BALANCE = "income", "balance"
_LABELS = ["资金来源", "收入来源"]


def income_section(dy: DeptYear, previous: DeptYear | None) -> Section | None:
    """（五）收入及结转结余情况, or ``None`` when neither ledger is given."""
    if dy.income is None and dy.balances is None:
        return None
    sub = Section("（五）", "收入及结转结余情况")
    if dy.income is not None:   # when it is missing, the balance's sentence says so once
        last = previous.income if previous is not None else None
        table = income_table(income_by_source(dy.income, last), has_prev=last is not None)
        sub.blocks += [_income_sentence(dy, table), table]
    gap = balance_gap(dy.income, dy.balances)
    if gap:
        sub.blocks.append(Paragraph(f"{gap}。"))
    else:
        table = balance_table(balance_by_source(dy.income, dy.balances, dy.payments))
        sub.blocks += [_balance_sentence(table), table]
    return sub


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows printed: a group's 小计 only when the group has more than one source."""
    sizes = frame[frame["fund_type"] != SUBTOTAL].groupby("source_group")["fund_type"].size()
    single = frame["source_group"].map(sizes).fillna(0) <= 1
    return frame[~((frame["fund_type"] == SUBTOTAL) & single)].reset_index(drop=True)


def _relations(frame: pd.DataFrame, columns: tuple[str, ...]) -> tuple[RowSum, ...]:
    """Each group's sources add to its 小计, and the groups' tops add to the 合计."""
    out, tops = [], []
    for group in (FISCAL, NON_FISCAL):
        rows = frame.index[(frame["source_group"] == group)].tolist()
        if not rows:
            continue
        sub = [i for i in rows if frame.at[i, "fund_type"] == SUBTOTAL]
        if sub:
            out.append(RowSum(tuple(i for i in rows if i not in sub), sub[0], columns))
            tops.append(sub[0])
        else:
            tops += rows
    total = frame.index[frame["source_group"] == TOTAL].tolist()
    if total and len(frame) > 1:
        out.append(RowSum(tuple(tops), total[0], columns))
    return tuple(out)


def _label_cells(r: pd.Series) -> list[str]:
    return [str(r["source_group"]), "" if r["fund_type"] == TOTAL else str(r["fund_type"])]


def income_table(frame: pd.DataFrame, *, has_prev: bool) -> Table:
    """表: 本年收入 by source (and 上年收入, 增减额, 增减率 when last year gave income)."""
    shown = _shown(frame)
    header = [*_LABELS, "本年收入", *(("上年收入", "增减额", "增减率") if has_prev else ())]
    rows = []
    for _, r in shown.iterrows():
        cells = [wan(r["current"])]
        if has_prev:
            cells += [wan(r["previous"]), wan(r["change"]),
                      pct(r["change"], r["previous"]) if r["previous"] else NOT_APPLICABLE]
        rows.append(_label_cells(r) + cells)
    printed = pd.DataFrame(rows, columns=header)
    money = tuple(h for h in header[2:] if h != "增减率")
    relations: tuple[RowSum | ColumnDiff, ...] = _relations(shown, money)
    if has_prev:
        relations += (ColumnDiff("增减额", "本年收入", "上年收入", tuple(range(len(printed)))),)
    return Table(INCOME, "收入情况", printed, tail_note(printed, relations, UNIT_NOTE),
                 numeric=tuple(range(2, len(header))), relations=relations, sources=("income",))


def balance_table(frame: pd.DataFrame) -> Table:
    """表: 年初结转结余, 本年收入, 本年支出, 年末结转结余 and 差额 by source."""
    shown = _shown(frame)
    header = [*_LABELS, *TERMS.values(), DIFFERENCE_ZH]
    rows = [_label_cells(r) + [wan(r[c]) for c in (*TERMS, DIFFERENCE)] for _, r in shown.iterrows()]
    printed = pd.DataFrame(rows, columns=header)
    relations = _relations(shown, tuple(header[2:]))
    return Table(BALANCE, "收支及结转结余情况", printed, tail_note(printed, relations, UNIT_NOTE),
                 numeric=tuple(range(2, len(header))), relations=relations,
                 sources=("balances", "income", "payments"))


def _total(table: Table) -> dict[str, str]:
    """The key of the 合计 row (its only row when the table has one)."""
    last = table.frame.iloc[-1]
    return {"资金来源": str(last["资金来源"]), "收入来源": str(last["收入来源"])}


def _income_sentence(dy: DeptYear, table: Table) -> Paragraph:
    frame = table.frame
    s = Sentence().say(f"{dy.year}年度本年收入合计")
    s.cell(table, _total(table), "本年收入")
    s.say("万元")
    groups = [g for g in (FISCAL, NON_FISCAL) if (frame["资金来源"] == g).any()]
    if len(groups) > 1 or len(frame[frame["资金来源"] != TOTAL]) > 1:
        s.say("，其中")
        for i, group in enumerate(groups):
            rows = frame[frame["资金来源"] == group]
            key = {"资金来源": group, "收入来源": SUBTOTAL if (rows["收入来源"] == SUBTOTAL).any()
                   else str(rows["收入来源"].iloc[0])}
            s.say(("；" if i else "") + f"{group}收入")
            s.cell(table, key, "本年收入")
            s.say("万元")
            parts = rows[rows["收入来源"] != SUBTOTAL]
            if len(parts) > 1:
                s.say("（")
                for j, name in enumerate(parts["收入来源"]):
                    s.say(("、" if j else "") + str(name))
                    s.cell(table, {"资金来源": group, "收入来源": str(name)}, "本年收入")
                    s.say("万元")
                s.say("）")
    if "上年收入" in frame.columns:
        s.say("；上年收入")
        s.cell(table, _total(table), "上年收入")
        s.say("万元，")
        change_clause(s, table, _total(table), "本年收入", "上年收入")
    return s.say("。").paragraph()


def _balance_sentence(table: Table) -> Paragraph:
    s = Sentence().say("年初结转结余")
    s.cell(table, _total(table), "年初结转结余")
    s.say("万元，本年收入")
    s.cell(table, _total(table), "本年收入")
    s.say("万元，本年支出")
    s.cell(table, _total(table), "本年支出")
    s.say("万元，年末结转结余")
    s.cell(table, _total(table), "年末结转结余")
    s.say("万元")
    difference = table.cell(_total(table), DIFFERENCE_ZH)
    if difference == wan(0):
        s.say("，收支与结转结余相互衔接。")
    else:
        s.say("；年初结转结余与本年收入之和减去本年支出后，与年末结转结余相差")
        s.cell(table, _total(table), DIFFERENCE_ZH)
        s.say("万元，收入、支出或结转结余数据不完整，需核实。")
    return s.paragraph()
