"""Sections 七 and 八: problems found in the figures by rule, and what to do about them.

Each rule looks at one thing a reviewer at the finance bureau looks at — low execution,
heavy supplementary budgets, spending behind 序时进度, spending without a budget, large
swings from the year before — and, when it fires, states the figure that made it fire
and a matching improvement measure. Thresholds are a :class:`FindingRules` value, so a
bureau with stricter rules passes its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from outturn import metrics
from outturn.metrics.budget import Denominator
from outturn.money import round_half_up
from outturn.report.figures import change_text, execution, pct, wan
from outturn.report.model import Narrative, Paragraph, Section
from outturn.store import DeptYear

ORDINALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class FindingRules:
    """When a rule fires (percentages as numbers: ``90`` means 90 %)."""

    execution_below: float = 90.0
    project_execution_below: float = 80.0
    supplementary_share_above: float = 20.0
    lag_behind_pp: float = 10.0
    change_above: float = 30.0
    max_projects_listed: int = 5


@dataclass(frozen=True)
class Finding:
    """One problem: its kind, the sentence with its figure, and the matching measure."""

    kind: str
    text: str
    measure: str


def find_problems(dy: DeptYear, previous: DeptYear | None, denominator: Denominator,
                  rules: FindingRules | None = None) -> list[Finding]:
    """Every rule that fires for the department-year, in a fixed order."""
    rules = rules or FindingRules()
    out: list[Finding] = []
    budget, payments = dy.budget, dy.payments
    total = metrics.budget_vs_actual(budget, payments, by=[], denominator=denominator).iloc[0]
    if _below(total, rules.execution_below):
        out.append(Finding("execution", (
            f"整体预算执行率偏低：全年支出{wan(total['actual'])}万元，执行率{execution(total)}，"
            f"低于{rules.execution_below:g}%。"),
            "加快预算执行，对执行进度慢的资金逐项分析原因，及时调整或收回长期闲置的预算。"))
    out += _projects(budget, payments, denominator, rules)
    adjusted = int(budget["adjusted_budget"].sum())
    supplementary = int(budget["supplementary"].sum())
    if adjusted and supplementary * 100 > rules.supplementary_share_above * adjusted:
        out.append(Finding("supplementary", (
            f"年中追加预算比重较大：追加预算{wan(supplementary)}万元，占调整后预算"
            f"{wan(adjusted)}万元的{pct(supplementary, adjusted)}，年初预算编制的完整性和准确性有待提高。"),
            "提高年初预算编制的完整性，把可预见的支出事项尽量纳入年初预算，减少年中追加和调整。"))
    out += _lagging(dy, denominator, rules)
    unbudgeted = payments[~payments["budgeted"]] if len(payments) else payments
    if len(unbudgeted):
        out.append(Finding("unbudgeted", (
            f"存在无预算支出：{len(unbudgeted)}笔支出共{wan(unbudgeted['amount'].sum())}万元"
            "未能对应到预算指标。"),
            "严格执行“先有预算、后有支出”，对未对应预算指标的支出逐笔核实并补办调整手续。"))
    if previous is not None:
        out += _swings(dy, previous, rules)
    return out


def _below(row: pd.Series, threshold: float) -> bool:
    if row.get("execution_rate_note") or not row["denominator_amount"]:
        return False
    return int(row["actual"]) * 100 < threshold * int(row["denominator_amount"])


def _projects(budget: pd.DataFrame, payments: pd.DataFrame, denominator: Denominator,
              rules: FindingRules) -> list[Finding]:
    kind = "项目支出"
    b = budget[budget["expense_kind"] == kind]
    p = payments[payments["expense_kind"] == kind]
    if not len(b):
        return []
    total = metrics.budget_vs_actual(b, p, by=[], denominator=denominator).iloc[0]
    per = metrics.budget_vs_actual(b, p, by=["project_code", "project_name"], denominator=denominator)
    low = per[[_below(r, rules.project_execution_below) for _, r in per.iterrows()]]
    if not _below(total, rules.project_execution_below) and low.empty:
        return []
    low = low.sort_values("execution_rate").head(rules.max_projects_listed)
    named = "、".join(f"{r['project_name']}（{execution(r)}）" for _, r in low.iterrows())
    text = (f"项目预算执行率偏低：项目支出{wan(total['actual'])}万元，执行率{execution(total)}"
            + (f"；执行率低于{rules.project_execution_below:g}%的项目有{named}" if named else "") + "。")
    return [Finding("project_execution", text,
                    "加强项目前期论证和实施进度管理，项目资金按进度及时拨付，对执行缓慢的项目定期通报。")]


def _lagging(dy: DeptYear, denominator: Denominator, rules: FindingRules) -> list[Finding]:
    from outturn.report.finance import progress_denominator

    prog = metrics.monthly_progress(dy.budget, dy.payments, year=dy.year,
                                    denominator=progress_denominator(denominator))  # type: ignore[arg-type]
    if prog.empty:
        return []
    behind = prog[prog["gap_pp"] < -rules.lag_behind_pp]
    if behind.empty:
        return []
    worst = behind.loc[behind["gap_pp"].idxmin()]
    return [Finding("lagging", (
        f"支出进度落后于序时进度：全年有{len(behind)}个月累计执行率落后序时进度超过"
        f"{rules.lag_behind_pp:g}个百分点，最大差距出现在{int(worst['month'])}月，落后"
        f"{round_half_up(-worst['gap_pp'], 2)}个百分点。"),
        "按序时进度编制用款计划，按月跟踪执行进度，对落后的资金及时督办。")]


def _swings(dy: DeptYear, previous: DeptYear, rules: FindingRules) -> list[Finding]:
    out = []
    now, before = int(dy.payments["amount"].sum()), int(previous.payments["amount"].sum())
    if before and abs(now - before) * 100 > rules.change_above * before:
        out.append(Finding("swing", (
            f"支出规模年度间波动较大：全年支出{wan(now)}万元，{change_text(now, before)}。"),
            "加强中期财政规划和年度预算衔接，提高支出安排的稳定性和可预期性。"))
    table = metrics.sangong_summary(dy.payments, previous.payments)
    total = table[table["kind"] == "total"].iloc[0]
    if int(total["current"]) > int(total["previous"]):
        out.append(Finding("sangong", (
            f"“三公”经费未能只减不增：本年{wan(total['current'])}万元，"
            f"{change_text(total['current'], total['previous'])}。"),
            "严控“三公”经费，落实公务接待和公务用车管理规定，确保“三公”经费只减不增。"))
    return out


def problems_section(findings: list[Finding], dy: DeptYear) -> Section:
    """七、存在的问题及原因分析."""
    section = Section("七", "存在的问题及原因分析")
    if findings:
        section.blocks.append(Paragraph("根据预算执行数据，按规则发现以下问题："))
        section.blocks += [Paragraph(f"{ORDINALS[i]}是{f.text}") for i, f in enumerate(findings)]
    else:
        section.blocks.append(Paragraph("按规则检查预算执行数据，未发现执行率偏低、追加比重过大、"
                                        "进度滞后、无预算支出或年度波动过大等问题。"))
    own = dy.profile.get("narrative", {}).get("problems")
    if own:
        section.blocks.append(Paragraph("部门对问题及原因的分析："))
        section.blocks.append(Narrative(own, "problems.md"))
    return section


def measures_section(findings: list[Finding], dy: DeptYear) -> Section:
    """八、下一步改进措施: the department's own measures, then one per problem found."""
    section = Section("八", "下一步改进措施")
    own = dy.profile.get("narrative", {}).get("measures")
    if own:
        section.blocks.append(Narrative(own, "measures.md"))
    if findings:
        section.blocks.append(Paragraph("针对数据反映的问题，建议："))
        section.blocks += [Paragraph(f"{ORDINALS[i]}是{f.measure}") for i, f in enumerate(findings)]
    if not section.blocks:
        section.blocks.append(Paragraph("无。"))
    return section
