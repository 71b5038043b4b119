"""Sections 一 (基本情况) and 六 (部门整体支出绩效情况): who the department is, what it
set out to do, and what it achieved against its indicators.

The facts come from the department's profile (units, duties, targets, its own
narrative); the indicator table's targets and results are compared here, with each
completion rate computed exactly and printed half-up.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pandas as pd

from outturn.metrics.staffing import staffing_control_rate
from outturn.money import format_percent, round_half_up
from outturn.report.claims import Sentence
from outturn.report.figures import wan
from outturn.report.model import Block, Narrative, Paragraph, Section, Table
from outturn.report.style import closed, self_name, subsection_number, without_repeats
from outturn.scoring.selection import DEPARTMENT_SCOPE
from outturn.store.model import DeptYear

#: profile keys listing the department's organisation, with how the report names them
ORGANISATION = (("internal_offices", "内设机构"), ("brigades", "下设执法大队"),
                ("section_units", "所属正股级事业单位"), ("affiliated_units", "另管理事业单位"))


def basic_section(dy: DeptYear, overall: Section, finances: Section | None = None) -> Section:
    """一、基本情况: the department, its annual targets, its project targets, the overall
    execution picture (``overall``) and, where given, income and balances (``finances``)."""
    profile = dy.profile
    about = Section("（一）", "部门基本情况")
    if profile.get("narrative", {}).get("overview"):
        about.blocks.append(Narrative(profile["narrative"]["overview"], "overview.md"))
    org = [(label, names) for key, label in ORGANISATION if (names := profile.get(key))]
    if org:  # 我局内设机构7个：…；下设执法大队4个：…；…。
        s = Sentence().say(self_name(profile))
        for i, (label, names) in enumerate(org):
            s.say(("；" if i else "") + label).source(str(len(names)), f"profile.toml: {label}名单")
            s.say(f"个：{'、'.join(names)}")
        about.blocks.append(s.say("。").paragraph())
    if profile.get("duties"):  # a sentence the overview already says is not said again
        duties = without_repeats(str(profile["duties"]), profile.get("narrative", {}).get("overview", ""))
    else:
        duties = ""
    if duties:
        about.blocks.append(Sentence().say("主要职责：").source(duties, "profile.toml duties")
                            .paragraph())
    units = profile.get("units", [])
    if units:
        s = Sentence().say("纳入本报告的预算单位").source(str(len(units)), "profile.toml [[units]]")
        about.blocks.append(s.say("个：" + "、".join(u["name"] for u in units) + "。").paragraph())
    staffing = profile.get("staffing", {})
    if staffing.get("authorised"):
        s = Sentence().say("年末编制数").source(str(staffing["authorised"]), "profile.toml [staffing]")
        s.say("人，实有在职人员").source(str(staffing.get("in_post", "—")), "profile.toml [staffing]")
        control = staffing_control_rate(profile)
        s.say("人")
        if control.rate is not None:
            printed = format_percent(int(control.in_post or 0), int(control.authorised or 0))
            s.say("，在职人员控制率").rate(printed, str(control.in_post), str(control.authorised))
        about.blocks.append(s.say("。").paragraph())
    if not about.blocks:
        about.blocks.append(Paragraph("部门档案未提供基本情况。"))
    targets = Section("（二）", "部门年度整体支出绩效目标")
    targets.blocks.append(_numbered(profile.get("annual_targets", []), "部门档案未填写年度整体绩效目标。"))
    projects = Section("（三）", "项目支出绩效目标")
    projects.blocks += _project_targets(dy)
    return Section("一", "基本情况", subsections=[about, targets, projects, overall,
                                               *([finances] if finances else [])])


def _numbered(items: list[str], empty: str) -> Narrative | Paragraph:
    if not items:
        return Paragraph(empty)
    return Narrative("\n".join(f"{i}. {closed(t)}" for i, t in enumerate(items, 1)), "profile.toml")


def _project_targets(dy: DeptYear) -> list[Narrative | Paragraph]:
    """Each project's target, with what the project spent in the year."""
    targets: list[dict[str, Any]] = dy.profile.get("project_targets", [])
    if not targets:
        return [Paragraph("部门档案未填写项目支出绩效目标。")]
    spent = dy.payments.groupby("project_code", observed=True)["amount"].sum()
    lines = []
    for i, t in enumerate(targets, 1):
        amount = spent.get(str(t.get("project_code", "")))
        money = f"（全年支出{wan(amount)}万元）" if amount is not None else ""
        lines.append(f"{i}. {t['name']}项目{money}：{closed(str(t.get('target', '')))}")
    return [Narrative("\n".join(lines), "profile.toml")]


# --- 六 ---------------------------------------------------------------------------------

def completion(row: pd.Series) -> tuple[str, bool | None]:
    """An indicator's completion as printed, and whether its target was met
    (``None`` for qualitative indicators, whose result is the evaluator's words)."""
    direction = row["direction"]
    if direction == "qualitative" or pd.isna(row["target_value"]) or pd.isna(row["actual_value"]):
        return str(row["actual"]), None
    target, actual = Decimal(str(row["target_value"])), Decimal(str(row["actual_value"]))
    if direction == "=":
        return ("达成" if actual == target else "未达成"), actual == target
    if direction == "<=":
        met = actual <= target
        ratio = Decimal(100) if actual <= target else (target / actual * 100 if actual else Decimal(0))
    else:
        met = actual >= target
        ratio = actual / target * 100 if target else Decimal(100)
    return f"{round_half_up(ratio, 2)}%", met


#: how 六 names the department-wide scope, and the states of an indicator
WHOLE_DEPARTMENT = "部门整体"
MET, MISSED, QUALITATIVE = "达成", "未达成", "定性"
EXPLAINED, UNEXPLAINED = "已说明", "未说明"
INDICATORS = "indicators"


def indicator_table(dy: DeptYear, scored: pd.Series) -> tuple[Table, list[str]]:
    """表: every indicator once, department-wide ones first, then each project's, with
    its completion, whether it met its target, whether the 自评表 scores it and whether a
    missed target's cause is given; with each row's cause as the data states it."""
    ind = dy.indicators
    names = dict(zip(dy.budget["project_code"].astype(str), dy.budget["project_name"].astype(str),
                     strict=True))
    order = [DEPARTMENT_SCOPE, *dict.fromkeys(s for s in ind["scope"].astype(str)
                                              if s != DEPARTMENT_SCOPE)]
    rows, reasons = [], []
    for scope in order:
        for i, r in ind[ind["scope"].astype(str) == scope].iterrows():
            printed, met = completion(r)
            state = QUALITATIVE if met is None else MET if met else MISSED
            cause = "" if state != MISSED else \
                EXPLAINED if str(r.get("deviation_reason", "") or "").strip() else UNEXPLAINED
            reasons.append(str(r.get("deviation_reason", "") or "").strip())
            unit = str(r["measure_unit"] or "")
            rows.append([WHOLE_DEPARTMENT if scope == DEPARTMENT_SCOPE else names.get(scope, scope),
                         r["level1"], r["level2"], r["level3"], _with_unit(r["target"], unit),
                         _with_unit(r["actual"], unit), printed if met is not None else "—", state,
                         "是" if bool(scored.get(i, False)) else "否", cause])
    frame = pd.DataFrame(rows, columns=["范围", "一级指标", "二级指标", "三级指标", "年度指标值",
                                        "实际完成值", "完成率", "达成情况", "计入自评表", "偏差原因"])
    return Table(INDICATORS, "绩效指标完成情况", frame,
                 "完成率：正向指标为实际/目标，反向指标为目标/实际（达到即100%）；定性指标由评价人认定",
                 numeric=(4, 5, 6), sources=("indicators",)), reasons


def _with_unit(value: object, unit: str) -> str:
    text = str(value)
    return f"{text}{unit}" if unit and text and text[-1].isdigit() else text


def performance_section(dy: DeptYear, scored: pd.Series) -> Section:
    """六、部门整体支出绩效情况, as the reference gives it: the department's account first,
    its ``###`` themes as numbered sub-sections （一）…, then 绩效指标完成情况 as the last of
    them: how many indicators, which met their targets, each missed one with its shortfall
    and cause, and the table. ``scored`` marks the indicator rows the 自评表 scores."""
    blocks: list[Block] = []
    subsections: list[Section] = []
    narrative = dy.profile.get("narrative", {}).get("performance")
    if narrative:
        intro, themes = _themes(narrative)
        if intro:
            blocks.append(Narrative(intro, "performance.md"))
        subsections += [Section("", title, [Narrative(text, "performance.md")]) for title, text in themes]
    indicators: list[Block] = []
    if len(dy.indicators):
        table, reasons = indicator_table(dy, scored)
        indicators += [_counts(table), *_missed(table, reasons), table]
    else:
        indicators.append(Paragraph("本年度未报送绩效指标，自评表中的指标完成情况待评价人认定。"))
    if not subsections:  # no （一） without a （二）: the indicators follow the account
        return Section("六", "部门整体支出绩效情况", blocks=blocks + indicators)
    subsections.append(Section("", "绩效指标完成情况", indicators))
    for n, sub in enumerate(subsections, 1):
        sub.number = subsection_number(n)
    return Section("六", "部门整体支出绩效情况", blocks=blocks, subsections=subsections)


#: A theme heading's own number, dropped for the report's (1. / 1、 / （一）/ 一、).
_OWN_NUMBER = re.compile(r"^(\d+[.、．]\s*|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)")


def _themes(markdown: str) -> tuple[str, list[tuple[str, str]]]:
    """The narrative's text before its first ``###`` heading, and each theme as (heading
    without its own number, text)."""
    intro: list[str] = []
    themes: list[tuple[str, list[str]]] = []
    for line in markdown.splitlines():
        if line.startswith("### "):
            themes.append((_OWN_NUMBER.sub("", line[4:].strip()), []))
        elif themes:
            themes[-1][1].append(line)
        else:
            intro.append(line)
    return "\n".join(intro).strip(), [(title, "\n".join(lines).strip()) for title, lines in themes]


def _counts(table: Table) -> Paragraph:
    frame = table.frame
    whole = int((frame["范围"] == WHOLE_DEPARTMENT).sum())
    projects = [p for p in dict.fromkeys(frame["范围"]) if p != WHOLE_DEPARTMENT]
    states = frame["达成情况"].value_counts()
    s = Sentence().say("本年度绩效指标共").count(len(frame), "项", table, "达成情况",
                                               (MET, MISSED, QUALITATIVE))
    if whole and projects:
        s.say("，其中部门整体指标").count(whole, "项", table, "范围", (WHOLE_DEPARTMENT,))
        s.say("、项目指标").count(len(frame) - whole, "项", table, "范围", tuple(projects))
    s.say("；计入自评表评分的").count(int((frame["计入自评表"] == "是").sum()), "项", table, "计入自评表",
                                  ("是",))
    quantitative = int(states.get(MET, 0) + states.get(MISSED, 0))
    if quantitative:
        s.say("。定量指标").count(quantitative, "项", table, "达成情况", (MET, MISSED))
        s.say("，").count_word("达到", int(states.get(MET, 0)), table, "达成情况", (MET,))
        s.say("目标值的").count(int(states.get(MET, 0)), "项", table, "达成情况", (MET,))
        s.say("、").count_word("未达到", int(states.get(MISSED, 0)), table, "达成情况", (MISSED,))
        s.say("的").count(int(states.get(MISSED, 0)), "项", table, "达成情况", (MISSED,))
    if states.get(QUALITATIVE, 0):
        s.say("；定性指标").count(int(states[QUALITATIVE]), "项", table, "达成情况", (QUALITATIVE,))
        s.say("，完成情况由评价人认定")
    return s.say("。").paragraph()


def _missed(table: Table, reasons: list[str]) -> list[Paragraph]:
    """Each missed indicator: target, result, completion and the cause the data gives."""
    frame = table.frame
    out = []
    missed = [(i, r) for i, (_, r) in enumerate(frame.iterrows()) if r["达成情况"] == MISSED]
    for n, (i, r) in enumerate(missed, 1):
        key = {"范围": r["范围"], "三级指标": r["三级指标"], "年度指标值": r["年度指标值"],
               "实际完成值": r["实际完成值"]}
        s = Sentence().say(f"{n}. {r['三级指标']}" + (f"（{r['范围']}）" if r["范围"] != WHOLE_DEPARTMENT
                                                       else "") + "：目标")
        s.cell(table, key, "年度指标值")
        s.say("，实际完成")
        s.cell(table, key, "实际完成值")
        s.say("，完成率")
        s.cell(table, key, "完成率")
        if reasons[i]:
            s.say("。偏差原因：").source(reasons[i].rstrip("。"), "indicators: 偏差原因")
        out.append(s.say("。").paragraph())
    unexplained = [n for n, (i, _) in enumerate(missed, 1) if not reasons[i]]
    if unexplained:  # said once for the list, not after each item
        if len(missed) == 1:
            s = Sentence().say("以上指标")
        elif len(unexplained) == len(missed):
            s = Sentence().say("以上").count(len(missed), "项", table, "达成情况", (MISSED,)).say("指标均")
        else:
            numbers = "、".join(str(n) for n in unexplained)
            s = Sentence().say("其中第").source(numbers, "the numbered list above").say("项")
        out.append(s.say("未说明偏差原因。").paragraph())
    return out
