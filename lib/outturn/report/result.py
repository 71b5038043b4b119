"""Section 九: the self-evaluation score from the scoring engine, the 自评表, and the
PEFA budget-credibility indicators when three years are on file."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd

from outturn.money import round_half_up
from outturn.pefa import outturn_legend
from outturn.report.figures import wan
from outturn.report.model import Narrative, Paragraph, Section, Table
from outturn.scoring.engine import ScoreTable
from outturn.scoring.indicators import grade_legend


def points(value: float) -> str:
    """Points as printed: two decimals, half-up."""
    return str(round_half_up(Decimal(repr(float(value))), 2))


def score_section(score: ScoreTable, pefa: dict[str, Any] | None, profile: dict[str, Any]) -> Section:
    """九、绩效自评结果拟应用和公开情况."""
    section = Section("九", "绩效自评结果拟应用和公开情况")
    blocks = score.frame().groupby("一级指标", sort=False)
    parts = "、".join(f"{name}{points(group['得分'].sum())}分" for name, group in blocks)
    section.blocks.append(Paragraph(
        f"按“{score.rule_set.name}”评分规则，{score.dept_name}{score.year}年度整体支出绩效自评得分"
        f"{points(score.total)}分（{parts}），评价等级为“{score.grade}”。"))
    rows = [[x.level1, x.level2, x.level3, f"{x.weight:g}", x.value, points(x.points)]
            for x in score.lines]
    rows.append(["合计", "", "", f"{sum(x.weight for x in score.lines):g}", "", points(score.total)])
    section.blocks.append(Table("score", "部门整体支出绩效自评表",
                                pd.DataFrame(rows, columns=["一级指标", "二级指标", "三级指标", "分值",
                                                            "指标值", "得分"]),
                                f"等级：{score.grade}（{grade_legend()}）",
                                numeric=(3, 4, 5)))
    if pefa is not None:
        section.blocks += _pefa(pefa)
    own = profile.get("narrative", {}).get("application")
    if own:
        section.blocks.append(Narrative(own, "application.md"))
    return section


def _pefa(pefa: dict[str, Any]) -> list[Paragraph | Table]:
    pi1, pi2 = pefa["pi1"], pefa["pi2"]
    years = [int(y) for y in pi1.years_used]
    dims = "、".join(f"{k} {v}" for k, v in pi2.dimensions.items())
    rows = [[str(int(r.year)), wan(r.original), wan(r.actual),
             f"{round_half_up(Decimal(repr(float(r.outturn))) * 100, 2)}%", r.letter]
            for r in pi1.table.itertuples(index=False)]
    return [
        Paragraph(f"参照PEFA（公共支出与财政问责）框架，以{years[0]}—{years[-1]}年数据评价预算可信度："
                  f"PI-1总支出执行评为{pi1.score}，PI-2支出结构执行评为{pi2.score}（{dims}）。"),
        Table("pefa_pi1", "PEFA PI-1 总支出执行（实际支出/年初预算）",
              pd.DataFrame(rows, columns=["年度", "年初预算", "实际支出", "执行比", "档次"]),
              f"金额单位：万元；档次{outturn_legend()}"),
    ]
