"""The problems 七 states and the measures 八 answers them with, found in the figures by rule
(the sections themselves are assembled in :mod:`outturn.report.remedies`).

Each rule looks at one thing a reviewer at the finance bureau looks at — low execution,
heavy supplementary budgets, spending behind 序时进度, spending without a budget, large
swings from the year before — and, when it fires, states the figure that made it fire
and a matching improvement measure. Thresholds are a :class:`FindingRules` value, so a
bureau with stricter rules passes its own; each threshold a sentence prints is that value.

A rule reads the report's own printed tables (the cells a reader sees), never figures
recomputed another way, so 七 can only state what the tables beside it show, and a rule
fires on the printed rate, so "低于90%" is never said of a rate printed as 90.00%.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from outturn.metrics.budget_rates import DENOMINATORS, Denominator
from outturn.report.claims import Sentence
from outturn.report.figures import (
    CARRYOVER_COLUMN,
    NOT_APPLICABLE,
    SUBTOTAL,
    TOTAL,
    UNIT_NOTE,
    pct,
    total_row,
    wan,
)
from outturn.report.finance import SLUGS
from outturn.report.model import Paragraph, Table
from outturn.report.overall import OVERVIEW, PROGRESS
from outturn.report.performance import INDICATORS, UNEXPLAINED
from outturn.report.tables import ColumnDiff, tail_note
from outturn.store.model import DeptYear


@dataclass(frozen=True)
class FindingRules:
    """When a rule fires (percentages as numbers: ``90`` means 90 %). ``lag_behind_pp``
    is also where the 序时进度 table draws the line between 滞后 and 严重滞后."""

    execution_below: float = 90.0
    project_execution_below: float = 80.0
    supplementary_share_above: float = 20.0
    lag_behind_pp: float = 10.0
    change_above: float = 30.0
    max_projects_listed: int = 5


@dataclass(frozen=True)
class Finding:
    """One problem: its kind, its sentence (with the figures it cites), the matching
    measure, and a table of the figures when no other table of the report shows them."""

    kind: str
    paragraph: Paragraph
    measure: str
    table: Table | None = None

    @property
    def text(self) -> str:
        return self.paragraph.text


def _rate(printed: str) -> Decimal | None:
    return None if printed in (NOT_APPLICABLE, "") else Decimal(printed.rstrip("%"))


def _limit(value: float) -> str:
    return f"{value:g}%"


def find_problems(dy: DeptYear, previous: DeptYear | None, rules: FindingRules,
                  tables: Mapping[str, Table], denominator: Denominator = "adjusted") -> list[Finding]:
    """Every rule that fires for the department-year, in a fixed order; ``tables`` are
    the report's tables by key (一（四）'s overview and progress, the books' projects),
    whose execution rates are over ``denominator``."""
    overview = tables[OVERVIEW]
    out = _execution(overview, rules) + _over_hundred(tables, denominator, rules)
    out += _projects(tables, rules) + _supplementary(dy, overview, rules)
    if PROGRESS in tables:
        out += _lagging(tables[PROGRESS], rules)
    out += _unbudgeted(dy)
    if INDICATORS in tables:
        out += _unexplained(tables[INDICATORS])
    if previous is not None:
        out += _swings(dy, previous, rules, tables)
    return out


def _execution(overview: Table, rules: FindingRules) -> list[Finding]:
    whole = total_row(overview)
    rate = overview.cell(whole, "执行率")
    value = _rate(rate)
    if value is None or value >= Decimal(str(rules.execution_below)):
        return []
    s = Sentence().say("整体预算执行率偏低：全年支出")
    s.cell(overview, whole, "实际支出")
    s.say("万元，整体预算执行率")
    s.cell(overview, whole, "执行率")
    s.say("，").direction("低于", rate, _limit(rules.execution_below))
    s.source(_limit(rules.execution_below), "FindingRules.execution_below").say("。")
    return [Finding("execution", s.paragraph(),
                    "加快预算执行，对执行进度慢的资金逐项分析原因，按规定程序及时调整预算。")]


def _rated_rows(tables: Mapping[str, Table]) -> list[tuple[Table, dict[str, str], str]]:
    """Each leaf row of the overview and of the books' project tables (no 小计 or 合计),
    with the name a sentence gives it."""
    out = []
    for _, row in tables[OVERVIEW].frame.iterrows():
        if row["预算类型"] != TOTAL and row["支出类型"] not in (SUBTOTAL, ""):
            key = {"预算类型": str(row["预算类型"]), "支出类型": str(row["支出类型"])}
            out.append((tables[OVERVIEW], key, f"{row['预算类型']}{row['支出类型']}"))
    for slug in SLUGS.values():
        table = tables.get(f"{slug}_projects")
        for _, row in (table.frame.iterrows() if table is not None else ()):
            if row["单位"] != TOTAL and row["项目"] != SUBTOTAL:
                out.append((table, {"单位": str(row["单位"]), "项目": str(row["项目"])}, str(row["项目"])))
    return out


#: why a rate exceeds 100 % while spending stays within 上年结转 + 调整后预算, by denominator
_NARROW_CAUSE = {"original": "年中追加了预算，而执行率以年初预算计算",
                 "received": "记录的实际到位资金少于实际支出，到位资金数据可能不完整"}
_BEYOND = "实际支出超出上年结转与调整后预算之和，存在超预算支出"
#: the column a table prints 上年结转 in (where a row has some)
CARRIED = CARRYOVER_COLUMN[1]
#: the table column that prints a denominator, where one does
_DENOMINATOR_COLUMN = {"adjusted_budget": "调整后预算", "original_budget": "年初预算"}


def _over_hundred(tables: Mapping[str, Table], denominator: Denominator,
                  rules: FindingRules) -> list[Finding]:
    """Execution rates above 100 %: each with its figures, then the likely causes, each
    stated once — last year's carry-over spent this year (the spending is within the
    denominator plus 上年结转, which the denominator leaves out), a narrower denominator,
    or spending beyond 上年结转 + 调整后预算. Every overview row over 100 % is listed, and
    the projects with the highest rates up to ``max_projects_listed``."""
    rated = [(value, t, key, name) for t, key, name in _rated_rows(tables)
             if (value := _rate(t.cell(key, "执行率"))) is not None and value > 100]
    if not rated:
        return []
    books = [r for r in rated if r[1].key == OVERVIEW]
    projects = sorted((r for r in rated if r[1].key != OVERVIEW), key=lambda r: -r[0])
    label = DENOMINATORS[denominator][1]
    shown_den = _DENOMINATOR_COLUMN.get(DENOMINATORS[denominator][0])
    s = Sentence().say("部分支出执行率").direction("超过", f"{max(r[0] for r in rated)}%", "100%")
    s.source("100%", "execution above the whole of its denominator").say("：")
    causes: dict[str, list[str]] = {}
    beyond: list[tuple[str, str]] = []     # (first, second) of each spending beyond its budget
    for i, (_, table, key, name) in enumerate([*books, *projects[:rules.max_projects_listed]]):
        s.say(("；" if i else "") + f"{name}执行率")
        rate = s.cell(table, key, "执行率")
        s.say("（实际支出")
        actual = Decimal(s.cell(table, key, "实际支出"))
        s.say("万元")
        if shown_den:
            s.say(f"，{shown_den}")
            s.cell(table, key, shown_den)
            s.say("万元")
        carry = Decimal(table.cell(key, CARRIED)) if CARRIED in table.frame.columns else Decimal(0)
        if carry:
            s.say("，上年结转")
            s.cell(table, key, CARRIED)
            s.say("万元")
        s.say("）")
        available = carry + Decimal(table.cell(key, "调整后预算"))
        if denominator == "available" or (denominator == "adjusted" and not carry):
            beyond.append((rate, "100%"))          # over the available budget itself
            cause = _BEYOND
        elif actual > available:
            beyond.append((str(actual), str(available)))
            cause = _BEYOND
        elif carry and shown_den and actual <= Decimal(table.cell(key, shown_den)) + carry:
            cause = f"使用了上年结转资金，而执行率以{label}计算，未含上年结转"
        else:
            cause = _NARROW_CAUSE.get(denominator, _BEYOND)
        causes.setdefault(cause, []).append(name)
    if len(projects) > rules.max_projects_listed:
        s.say("，以上列示执行率最高的")
        s.source(str(rules.max_projects_listed), "FindingRules.max_projects_listed").say("个项目")
    s.say("。主要原因" + ("是" if len(causes) == 1 else "："))
    for i, (cause, names) in enumerate(causes.items()):
        s.say(("；" if i else "") + ("" if len(causes) == 1 else "、".join(dict.fromkeys(names))))
        if cause == _BEYOND:     # its word 超出 is checked on the first row it is said of
            s.say("实际支出").direction("超出", *beyond[0]).say(_BEYOND.removeprefix("实际支出超出"))
        else:
            s.say(cause)
    carried = any(c.startswith("使用了上年结转") for c in causes)
    measures = ["将上年结转资金纳入年度预算统筹安排，按可用预算（上年结转+调整后预算）分析执行进度"
                ] if carried else []
    if len(causes) > carried:
        measures.append("严格按预算安排支出，确需超预算的事项按程序先调整预算、后安排支出")
    return [Finding("over_hundred", s.say("。").paragraph(), "；".join(measures) + "。")]


def _projects(tables: Mapping[str, Table], rules: FindingRules) -> list[Finding]:
    limit = Decimal(str(rules.project_execution_below))
    low: list[tuple[Decimal, Table, dict[str, str]]] = []
    for slug in SLUGS.values():
        table = tables.get(f"{slug}_projects")
        if table is None:
            continue
        for _, row in table.frame.iterrows():
            value = _rate(str(row["执行率"]))
            if row["单位"] != TOTAL and row["项目"] != SUBTOTAL and value is not None and value < limit:
                low.append((value, table, {"单位": str(row["单位"]), "项目": str(row["项目"])}))
    if not low:
        return []
    low.sort(key=lambda item: item[0])
    shown = low[:rules.max_projects_listed]
    s = Sentence().say("部分项目预算执行率偏低：执行率").direction(
        "低于", f"{shown[-1][0]}%", _limit(rules.project_execution_below))
    s.source(_limit(rules.project_execution_below), "FindingRules.project_execution_below")
    s.say("的项目有")
    for i, (_, table, key) in enumerate(shown):
        s.say(("、" if i else "") + key["项目"] + "（")
        s.cell(table, key, "执行率")
        s.say("）")
    s.say("等。" if len(low) > len(shown) else "。")
    return [Finding("project_execution", s.paragraph(),
                    "加强项目前期论证和实施进度管理，项目资金按进度及时拨付，对执行缓慢的项目定期通报。")]


def _supplementary(dy: DeptYear, overview: Table, rules: FindingRules) -> list[Finding]:
    if "年中追加" not in overview.frame.columns:
        return []
    row = total_row(overview)
    adjusted = int(dy.budget["adjusted_budget"].sum())
    share = pct(int(dy.budget["supplementary"].sum()), adjusted)
    value = _rate(share)
    if Decimal(overview.cell(row, "调整后预算")) <= 0 or value is None \
            or value <= Decimal(str(rules.supplementary_share_above)):
        return []
    s = Sentence().say("年中追加预算比重较大：全年追加预算")
    added = s.cell(overview, row, "年中追加")
    s.say("万元，占调整后预算")
    whole = s.cell(overview, row, "调整后预算")
    s.say("万元的").rate(share, added, whole)
    s.say("，年初预算编制的完整性和准确性有待提高。")
    return [Finding("supplementary", s.paragraph(),
                    "提高年初预算编制的完整性，把可预见的支出事项尽量纳入年初预算，从严控制年中追加和调整。")]


def _lagging(progress: Table, rules: FindingRules) -> list[Finding]:
    frame = progress.frame
    far = frame[frame["状态"] == "严重滞后"]
    if far.empty:
        return []
    gaps = far["差距（百分点）"].map(Decimal)
    worst = far.loc[gaps.idxmin(), "月份"]
    s = Sentence().say("支出进度落后于序时进度：全年有")
    s.count(len(far), "个月", progress, "状态", ("严重滞后",))
    s.say("累计执行率").count_word("落后", len(far), progress, "状态", ("严重滞后",))
    s.say("序时进度").source(f"{rules.lag_behind_pp:g}", "FindingRules.lag_behind_pp")
    s.say(f"个百分点以上，差距最大的是{worst}，累计执行率")
    rate = s.cell(progress, worst, "累计执行率")
    s.say("，序时进度")
    bench = s.cell(progress, worst, "序时进度")
    s.say("，").direction("落后", rate, bench)
    s.say(f"{progress.cell(worst, '差距（百分点）').lstrip('-')}个百分点。")
    return [Finding("lagging", s.paragraph(),
                    "按序时进度编制用款计划，按月跟踪执行进度，对进度滞后的资金及时督办。")]


def _unbudgeted(dy: DeptYear) -> list[Finding]:
    payments = dy.payments
    unbudgeted = payments[~payments["budgeted"]] if len(payments) else payments
    if not len(unbudgeted):
        return []
    groups = unbudgeted.groupby(["fund_type", "expense_kind"], observed=True)["amount"]
    rows = [[f, k, str(n), wan(a)] for (f, k), n, a in zip(groups.size().index, groups.size(),
                                                           groups.sum(), strict=True)]
    rows.append([TOTAL, "", str(len(unbudgeted)), wan(unbudgeted["amount"].sum())])
    table = Table("unbudgeted", "未对应预算指标的支出",
                  pd.DataFrame(rows, columns=["预算类型", "支出类型", "笔数", "金额"]), UNIT_NOTE,
                  sources=("budget", "payments"))
    s = Sentence().say("存在无预算支出：")
    s.cell(table, TOTAL, "笔数")
    s.say("笔支出共")
    s.cell(table, TOTAL, "金额")
    s.say("万元未能对应到预算指标。")
    return [Finding("unbudgeted", s.paragraph(),
                    "严格执行“先有预算、后有支出”，对未对应预算指标的支出逐笔核实并补办调整手续。", table)]


def _unexplained(indicators: Table) -> list[Finding]:
    """Indicators that missed their target without a stated cause (偏差原因)."""
    frame = indicators.frame
    count = int((frame["偏差原因"] == UNEXPLAINED).sum())
    if not count:
        return []
    s = Sentence().say("部分绩效指标未说明偏差原因：")
    s.count(count, "项", indicators, "偏差原因", (UNEXPLAINED,))
    s.count_word("未达到", count, indicators, "偏差原因", (UNEXPLAINED,))
    s.say("目标值的指标没有偏差原因分析，绩效自评的完整性有待提高。")
    return [Finding("unexplained", s.paragraph(),
                    "对未完成目标值的绩效指标逐项分析偏差原因，在自评表中写明原因和改进措施。")]


def _swings(dy: DeptYear, previous: DeptYear, rules: FindingRules,
            tables: Mapping[str, Table]) -> list[Finding]:
    out = []
    now, before = int(dy.payments["amount"].sum()), int(previous.payments["amount"].sum())
    # a change the report cannot show (both years print as the same 万元 figure) is no finding
    visible = wan(now) != wan(before)
    if visible and before > 0 and abs(now - before) * 100 > Decimal(str(rules.change_above)) * before:
        rows = [["支出合计", wan(now), wan(before), wan(now - before), pct(now - before, before)]]
        frame = pd.DataFrame(rows, columns=["项目", "本年支出", "上年支出", "增减额", "增减率"])
        relations = (ColumnDiff("增减额", "本年支出", "上年支出", (0,)),)
        table = Table("year_on_year", "支出规模与上年比较", frame,
                      tail_note(frame, relations, UNIT_NOTE), relations=relations,
                      sources=("payments",))
        up = now > before
        s = Sentence().say("支出规模年度间波动较大：全年支出")
        current = s.cell(table, "支出合计", "本年支出")
        s.say("万元，上年")
        last = s.cell(table, "支出合计", "上年支出")
        s.say("万元，").direction("增长" if up else "下降", current, last)
        s.say(table.cell("支出合计", "增减率").lstrip("-") + "，").direction(
            "超过", table.cell("支出合计", "增减率").lstrip("-"), _limit(rules.change_above))
        s.source(_limit(rules.change_above), "FindingRules.change_above").say("。")
        out.append(Finding("swing", s.paragraph(),
                           "加强中期财政规划和年度预算衔接，提高支出安排的稳定性和可预期性。", table))
    sangong = tables.get("sangong")
    if sangong is not None and "上年支出" in sangong.frame.columns:
        current, last = sangong.cell(TOTAL, "本年支出"), sangong.cell(TOTAL, "上年支出")
        if Decimal(current) > Decimal(last):
            s = Sentence().say("“三公”经费有所上升：本年")
            s.cell(sangong, TOTAL, "本年支出")
            s.say("万元，上年")
            s.cell(sangong, TOTAL, "上年支出")
            s.say("万元，").direction("增加", current, last)
            s.say(sangong.cell(TOTAL, "增减额") + "万元。")
            out.append(Finding("sangong", s.paragraph(),
                               "严控“三公”经费，落实公务接待和公务用车管理规定，确保“三公”经费只减不增。"))
    return out
