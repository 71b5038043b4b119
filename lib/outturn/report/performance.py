"""Sections 一 (基本情况) and 六 (部门整体支出绩效情况): who the department is, what it
set out to do, and what it achieved against its indicators.

The facts come from the department's profile (units, duties, targets, its own
narrative); the indicator table's targets and results are compared here, with each
completion rate computed exactly and printed half-up.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd

from outturn.money import round_half_up
from outturn.report.figures import wan
from outturn.report.model import Narrative, Paragraph, Section, Table
from outturn.store import DeptYear

#: profile keys listing the department's organisation, with how the report names them
ORGANISATION = (("internal_offices", "内设机构"), ("brigades", "下设执法大队"),
                ("section_units", "下设正股级事业单位"), ("affiliated_units", "下辖事业单位"))


def basic_section(dy: DeptYear, overall: Section) -> Section:
    """一、基本情况: the department, its annual targets, its project targets, and the
    overall execution picture (``overall``)."""
    profile = dy.profile
    about = Section("（一）", "部门基本情况")
    if profile.get("narrative", {}).get("overview"):
        about.blocks.append(Narrative(profile["narrative"]["overview"], "overview.md"))
    org = [f"{label}{len(names)}个：{'、'.join(names)}"
           for key, label in ORGANISATION if (names := profile.get(key))]
    if org:
        about.blocks.append(Paragraph("机构设置：" + "；".join(org) + "。"))
    if profile.get("duties"):
        about.blocks.append(Paragraph(f"主要职责：{profile['duties']}"))
    units = profile.get("units", [])
    if units:
        about.blocks.append(Paragraph(
            f"纳入本报告的预算单位{len(units)}个：" + "、".join(u["name"] for u in units) + "。"))
    staffing = profile.get("staffing", {})
    if staffing.get("authorised"):
        about.blocks.append(Paragraph(f"年末编制数{staffing['authorised']}人，实有在职人员"
                                      f"{staffing.get('in_post', '—')}人。"))
    if not about.blocks:
        about.blocks.append(Paragraph("部门档案未提供基本情况。"))
    targets = Section("（二）", "部门年度整体支出绩效目标")
    targets.blocks.append(_numbered(profile.get("annual_targets", []), "部门档案未填写年度整体绩效目标。"))
    projects = Section("（三）", "项目支出绩效目标")
    projects.blocks += _project_targets(dy)
    return Section("一", "基本情况", subsections=[about, targets, projects, overall])


def _numbered(items: list[str], empty: str) -> Narrative | Paragraph:
    if not items:
        return Paragraph(empty)
    return Narrative("\n".join(f"{i}. {t}" for i, t in enumerate(items, 1)), "profile.toml")


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
        lines.append(f"{i}. {t['name']}项目{money}：{t.get('target', '')}")
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


def performance_section(dy: DeptYear) -> Section:
    """六、部门整体支出绩效情况: indicators by area, then the department's own account."""
    section = Section("六", "部门整体支出绩效情况")
    ind = dy.indicators
    if len(ind):
        done = [completion(r) for _, r in ind.iterrows()]
        met = sum(1 for _, m in done if m)
        missed = [(r, c) for (_, r), (c, m) in zip(ind.iterrows(), done, strict=True) if m is False]
        areas = ind.groupby("level1", sort=False).size()
        section.blocks.append(Paragraph(
            f"本年度共设置绩效指标{len(ind)}项（" + "、".join(f"{k}{v}项" for k, v in areas.items())
            + f"），其中定量指标达到目标值的{met}项、未达到的{len(missed)}项。"
            + ("未达到目标的指标：" + "；".join(
                f"{r['level3']}（目标{r['target']}{r['measure_unit']}，完成{r['actual']}"
                f"{r['measure_unit']}，完成率{c}）" for r, c in missed) + "。" if missed else "")))
        for level1, group in ind.groupby("level1", sort=False):
            rows = [[r["level2"], r["level3"], str(r["target"]), str(r["actual"]), r["measure_unit"],
                     completion(r)[0]] for _, r in group.iterrows()]
            section.blocks.append(Table(
                f"indicators_{len(section.blocks)}", f"{level1}完成情况",
                pd.DataFrame(rows, columns=["二级指标", "三级指标", "年度指标值", "实际完成值",
                                            "计量单位", "完成率"]),
                "完成率：正向指标为实际/目标，反向指标为目标/实际（达到即100%），定性指标为评价结论",
                numeric=(2, 3, 5)))
    else:
        section.blocks.append(Paragraph("本年度未报送绩效指标。"))
    narrative = dy.profile.get("narrative", {}).get("performance")
    if narrative:
        section.blocks.append(Narrative(narrative, "performance.md"))
    return section
