"""一（四）预算执行总体情况: every book at once, the composition of spending, and
cumulative execution against 序时进度 by month.

Each sentence is written from the cells of the table beside it (:class:`Sentence`), and
each chart draws the figures that table prints, so sentence, table and chart show one
figure computed once.
"""

from __future__ import annotations

import pandas as pd

from outturn import metrics
from outturn.aliases import FUND_TYPES
from outturn.metrics.budget import Denominator
from outturn.metrics.progress import BEHIND_STATUSES, FAR_BEHIND
from outturn.metrics.sources import SOURCE_GROUPS, has_other_sources
from outturn.money import round_half_up
from outturn.report.breakdowns import (
    function_sentence,
    function_table,
    operating_sentence,
    operating_table,
    received_sentence,
)
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
    grouped_table,
    pct,
    share_cells,
    total_row,
    wan,
)
from outturn.report.model import Chart, Paragraph, Section, Table
from outturn.report.procurement import procurement_blocks
from outturn.report.style import self_name
from outturn.report.tables import ColumnDiff, RowSum, tail_note
from outturn.store.model import DeptYear
from outturn.vocabulary import COST_TYPES, NON_FISCAL, OPERATING, OTHER_SOURCES, UNCLASSIFIED

OVERVIEW, SOURCES, COMPOSITION, PROGRESS = "overview", "sources", "composition", "progress"
ALL_SOURCES_OPERATING = "operating_items"


def overall_section(dy: DeptYear, denominator: Denominator, lag_points: float = 10.0) -> Section:
    """（四）预算执行总体情况; a month behind 序时进度 by more than ``lag_points`` is 严重滞后."""
    sub = Section("（四）", "预算执行总体情况")
    table = overview_table(dy, denominator)
    whole = total_row(table)
    s = Sentence().say(f"{dy.year}年度{self_name(dy.profile)}各类预算支出合计")
    s.cell(table, whole, "实际支出")
    s.say("万元，调整后预算")
    s.cell(table, whole, "调整后预算")
    s.say("万元（年初预算")
    s.cell(table, whole, "年初预算")
    s.say("万元）；整体预算执行率")
    s.cell(table, whole, "执行率")
    sub.blocks += [s.say("。").paragraph(), table]
    received = received_sentence(dy)
    if received is not None:
        sub.blocks.append(received)
    sub.blocks += _sources(dy, denominator)
    functions = function_table(dy)
    sub.blocks += [function_sentence(functions), functions]
    sub.blocks += procurement_blocks(dy)
    composition = composition_table(dy)
    sub.blocks += [composition, composition_chart(composition)]
    sub.blocks += _progress(dy, denominator, lag_points)
    return sub


def overview_table(dy: DeptYear, denominator: Denominator) -> Table:
    """表: each book's 基本支出 and 项目支出, a 小计 for a book that has both, and 合计."""
    head = metrics.headline(dy.budget, dy.payments, denominator=denominator)
    funds = metrics.budget_vs_actual(dy.budget, dy.payments, by=["fund_type"],
                                     denominator=denominator).set_index("fund_type")
    present = set(zip(dy.budget["fund_type"].astype(str), dy.budget["expense_kind"].astype(str),
                      strict=True)) | set(zip(dy.payments["fund_type"].astype(str),
                                              dy.payments["expense_kind"].astype(str), strict=True))
    groups = []
    for fund in [*FUND_TYPES, *sorted(set(head["fund_type"]) - {*FUND_TYPES, TOTAL})]:
        pairs = pd.Series(list(zip(head["fund_type"], head["expense_kind"], strict=True)),
                          index=head.index)
        kinds = head[(head["fund_type"] == fund) & pairs.isin(present)]
        if len(kinds):
            subtotal = funds.loc[[fund]].reset_index().assign(expense_kind=SUBTOTAL) \
                if len(kinds) > 1 else None
            groups.append(Group(kinds, subtotal))
    total = head[head["fund_type"] == TOTAL].assign(expense_kind="")
    return grouped_table(groups, total, [("fund_type", "预算类型"), ("expense_kind", "支出类型")],
                         key=OVERVIEW, title="各类预算执行情况", changes=True)


def sources_table(frame: pd.DataFrame) -> Table:
    """表: spending by source of funds (a :func:`metrics.by_source` frame), 财政拨款 (each
    book) then 其他资金 (each other source), each group with its 小计 when it has more than
    one source, then 合计."""
    groups = []
    for group in SOURCE_GROUPS:
        mine = frame[frame["source_group"] == group]
        rows = mine[mine["fund_type"] != SUBTOTAL]
        if len(rows):
            groups.append(Group(rows, mine[mine["fund_type"] == SUBTOTAL] if len(rows) > 1 else None))
    total = frame[frame["source_group"] == TOTAL].assign(fund_type="")
    return grouped_table(groups, total, [("source_group", "资金来源"), ("fund_type", "预算类型")],
                         key=SOURCES, title="各资金来源支出情况")


def source_row(table: Table, group: str) -> dict[str, str]:
    """The row of a group of sources: its 小计, or its only source."""
    rows = table.frame[table.frame["资金来源"] == group]
    kind = SUBTOTAL if (rows["预算类型"] == SUBTOTAL).any() else str(rows["预算类型"].iloc[0])
    return {"资金来源": group, "预算类型": kind}


def _sources(dy: DeptYear, denominator: Denominator) -> list[Paragraph | Table]:
    """The split of the department total into 财政拨款支出 and 其他资金支出, each other
    source named with its spending; nothing when all money is from the four books."""
    split = metrics.by_source(dy.budget, dy.payments, denominator)
    if not has_other_sources(split):
        return []
    table = sources_table(split)
    frame = table.frame
    s = Sentence().say("按资金来源分，")
    present = [group for group in SOURCE_GROUPS if (frame["资金来源"] == group).any()]
    for i, group in enumerate(present):
        s.say(("" if i == 0 else "，") + f"{group}支出")
        s.cell(table, source_row(table, group), "实际支出")
        s.say("万元")
    others = frame[(frame["资金来源"] == NON_FISCAL) & (frame["预算类型"] != SUBTOTAL)]
    if len(others) > 1:
        s.say("，其中")
        for i, name in enumerate(others["预算类型"]):
            s.say(("" if i == 0 else "、") + str(name))
            s.cell(table, {"资金来源": NON_FISCAL, "预算类型": str(name)}, "实际支出")
            s.say("万元")
    return [s.say("。").paragraph(), table, *_all_sources_operating(dy)]


def _all_sources_operating(dy: DeptYear) -> list[Paragraph | Table]:
    """公用经费 by sub-item over every source of funds, where other sources fund some: the
    books' own tables (二) show fiscal money only, so this is where a 事业单位's fees and
    business income spent on 公用经费 are itemised."""
    basic = dy.payments[dy.payments["expense_kind"] == BASIC]
    if not (basic.loc[basic["cost_type"] == OPERATING, "fund_type"].isin(OTHER_SOURCES)).any():
        return []
    table = operating_table(ALL_SOURCES_OPERATING, "全部资金来源", basic)
    return [] if table is None else [operating_sentence(table, lead="全部资金来源的公用经费中，"), table]


def book_row(table: Table, fund: str, kind: str | None = None) -> dict[str, str]:
    """The overview row of a book (its 小计, or its only kind) or of one kind of it."""
    frame = table.frame
    rows = frame[frame["预算类型"] == fund]
    if kind is None:
        kind = SUBTOTAL if (rows["支出类型"] == SUBTOTAL).any() else str(rows["支出类型"].iloc[0])
    return {"预算类型": fund, "支出类型": kind}


def composition_parts(dy: DeptYear) -> list[tuple[str, int]]:
    """What the department spent on, in report order: 人员经费 and 公用经费 of the general
    budget's 基本支出, its 项目支出, then each other book and each other source of funds
    (事业收入 …; zero parts left out)."""
    pay = dy.payments
    general = pay[pay["fund_type"] == GENERAL]
    split = metrics.personnel_operating(general[general["expense_kind"] == BASIC]) \
        .set_index("cost_type")["actual"]
    parts = [(f"{BASIC}·{name}", int(split.get(name, 0))) for name in (*COST_TYPES, UNCLASSIFIED)]
    parts.append((f"{GENERAL}{PROJECT}", int(general.loc[general["expense_kind"] == PROJECT,
                                                        "amount"].sum())))
    parts += [(f"{fund}支出", int(pay.loc[pay["fund_type"] == fund, "amount"].sum()))
              for fund in FUND_TYPES[1:]]  # the other books, then the other sources
    return [(name, fen) for name, fen in parts if fen]


def composition_table(dy: DeptYear) -> Table:
    """表: spending by part with shares that add to 100.00% (largest remainder)."""
    parts = composition_parts(dy)
    total = sum(fen for _, fen in parts)
    positive = all(fen > 0 for _, fen in parts)
    shares = share_cells([fen for _, fen in parts]) if positive and total else ["—"] * len(parts)
    rows = [[name, wan(fen), share] for (name, fen), share in zip(parts, shares, strict=True)]
    rows.append([TOTAL, wan(total), "100.00%" if positive and total else "—"])
    frame = pd.DataFrame(rows, columns=["构成", "实际支出", "占比"])
    relations = (RowSum(tuple(range(len(parts))), len(parts), ("实际支出", "占比")),)
    note = UNIT_NOTE + "；占比按最大余数法分配，合计为100%"
    return Table(COMPOSITION, "支出构成", frame, tail_note(frame, relations, note),
                 relations=relations, sources=("payments",))


def composition_chart(table: Table) -> Chart:
    """The composition table drawn: the very amounts and shares it prints."""
    rows = table.frame.iloc[:-1]
    data = pd.DataFrame({"构成": rows["构成"], "支出（万元）": [figure_value(v) for v in rows["实际支出"]],
                         "占比": rows["占比"]})
    return Chart("composition_chart", "支出构成", "composition", data,
                 {"label": "构成", "value": "支出（万元）", "share": "占比",
                  "total": table.cell(TOTAL, "实际支出")})


def progress_denominator(denominator: Denominator) -> str:
    """The 序时进度 denominator matching the report's execution-rate denominator."""
    return denominator if denominator in metrics.PROGRESS_DENOMINATORS else "available"


def progress_table(prog: pd.DataFrame, basis: str) -> Table:
    """表: each month's cumulative spending and rate against 序时进度, the gap and status."""
    denom = int(prog["denominator_amount"].iloc[0])
    rows = []
    for r in prog.itertuples():
        gap = round_half_up(r.gap_pp, 2)
        rows.append([f"{r.month}月", wan(r.cumulative_actual), pct(r.cumulative_actual, denom),
                     f"{round_half_up(r.benchmark * 100, 2)}%", f"+{gap}" if gap > 0 else str(gap),
                     r.status])
    frame = pd.DataFrame(rows, columns=["月份", "累计支出", "累计执行率", "序时进度", "差距（百分点）",
                                        "状态"])
    relations = (ColumnDiff("差距（百分点）", "累计执行率", "序时进度", tuple(range(len(frame)))),)
    note = (f"{UNIT_NOTE}；累计执行率 = 累计支出 / {metrics.PROGRESS_DENOMINATORS[basis][0]}；"
            f"差距按未经四舍五入的比率计算")
    return Table(PROGRESS, "按月累计执行与序时进度", frame, tail_note(frame, relations, note),
                 relations=relations, sources=("budget", "payments"))


def _progress(dy: DeptYear, denominator: Denominator,
              lag_points: float) -> list[Paragraph | Table | Chart]:
    """Monthly cumulative execution against 序时进度 (whole department)."""
    basis = progress_denominator(denominator)
    prog = metrics.monthly_progress(dy.budget, dy.payments, year=dy.year, lag_points=lag_points,
                                    denominator=basis)  # type: ignore[arg-type]
    if prog.empty or prog["denominator_amount"].iloc[0] == 0:
        return [Paragraph("本年度无可比较的预算数，不计算序时进度。")]
    table = progress_table(prog, basis)
    s = Sentence().say("按月累计支出与序时进度比较：")
    if (prog["month"] == 6).any():
        s.say("截至6月末累计支出")
        s.cell(table, "6月", "累计支出")
        s.say("万元，累计执行率")
        s.cell(table, "6月", "累计执行率")
        s.say("，序时进度")
        s.cell(table, "6月", "序时进度")
        s.say("；")
    behind = int(prog["status"].isin(BEHIND_STATUSES).sum())
    far = int((prog["status"] == FAR_BEHIND).sum())
    if behind:
        s.say("全年有").count(behind, "个月", table, "状态", BEHIND_STATUSES)
        s.say("累计执行率").count_word("落后", behind, table, "状态", BEHIND_STATUSES).say("于序时进度")
        if far:
            s.say("，其中").count(far, "个月", table, "状态", (FAR_BEHIND,)).say(f"为{FAR_BEHIND}")
        s.say("。")
    else:
        s.say("各月累计执行率均未").count_word("落后", 0, table, "状态", BEHIND_STATUSES)
        s.say("于序时进度。")
    data = pd.DataFrame({"月份": prog["month"].to_numpy(),
                         "累计执行率": [figure_value(v) for v in table.frame["累计执行率"]],
                         "序时进度": [figure_value(v) for v in table.frame["序时进度"]]})
    return [s.paragraph(), table,
            Chart("progress_chart", "累计执行率与序时进度", "progress", data,
                  {"month": "月份", "actual_rate": "累计执行率", "benchmark_rate": "序时进度"})]
