"""Section 九: the self-evaluation score from the scoring engine, the 自评表, and the
PEFA budget-credibility indicators when three years are on file."""

from __future__ import annotations

from typing import Any

import pandas as pd

from outturn.metrics.pefa import outturn_legend
from outturn.money import format_ratio
from outturn.report.claims import Sentence
from outturn.report.figures import wan
from outturn.report.model import Narrative, Paragraph, Section, Table
from outturn.report.style import self_name
from outturn.report.tables import RowSum
from outturn.scoring.engine import PENDING_VALUE, POLICY, POLICY_WORDS, ScoreTable
from outturn.scoring.engine import SCORE_COLUMNS as ENGINE_SCORE_COLUMNS
from outturn.scoring.indicators import format_number, grade_legend
from outturn.vocabulary import TOTAL_LABEL

#: the 自评表's columns as printed in 九
SCORE_COLUMNS = list(ENGINE_SCORE_COLUMNS[:6])


def score_table(score: ScoreTable) -> Table:
    """The 自评表 as printed: each line's points rounded first, the 合计 their sum."""
    rows = [[x.level1, x.level2, x.level3, format_number(x.exact_weight), x.value, str(x.shown)]
            for x in score.lines]
    rows.append([TOTAL_LABEL, "", "", format_number(score.total_weight), "", str(score.total)])
    frame = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    n = len(score.lines)
    return Table("score", "部门整体支出绩效自评表", frame,
                 f"评定等级：{score.grade_label}。等级标准：{grade_legend()}。"
                 "合计为各行得分（四舍五入至0.01分）之和",
                 numeric=(3, 4, 5), relations=(RowSum(tuple(range(n)), n, ("分值", "得分")),))


def score_section(score: ScoreTable, pefa: dict[str, Any] | None, profile: dict[str, Any]) -> Section:
    """九、绩效自评结果拟应用和公开情况."""
    section = Section("九", "绩效自评结果拟应用和公开情况")
    table = score_table(score)
    s = Sentence().say(f"按“{score.rule_set.name}”评分规则，{self_name(profile)}{score.year}"
                       "年度整体支出绩效自评得分")
    s.cell(table, TOTAL_LABEL, "得分")
    s.say(f"分，评价等级{'暂定' if score.provisional else ''}为“{score.grade}”。")
    section.blocks.append(s.paragraph())
    if score.pending:
        section.blocks.append(_pending(score, table))
    if any(x.status == POLICY for x in score.lines):
        section.blocks.append(_by_policy(score))
    section.blocks.append(table)
    if pefa is not None:
        section.blocks += _pefa(pefa)
    own = profile.get("narrative", {}).get("application")
    if own:
        section.blocks.append(Narrative(own, "application.md"))
    other = profile.get("narrative", {}).get("other")  # other.md; the reference says 无。
    section.subsections.append(Section("", "其他需要说明的情况",
                                       [Narrative(other, "other.md") if other else Paragraph("无。")]))
    return section


def _pending(score: ScoreTable, table: Table) -> Paragraph:
    """Which lines still wait for the evaluator, said so the reader knows the grade may move."""
    s = Sentence().say("自评表中")
    s.count(len(score.pending), "项", table, "指标值", (PENDING_VALUE,))
    s.say("指标尚待评价人评分（")
    for i, line in enumerate(score.pending):
        s.say(("、" if i else "") + line.level3)
        if line.missing:
            s.say("，").source(line.missing, f"scoring: the input of {line.level3}")
    s.say("），评分前按").source("0", "scoring: a line awaiting the evaluator counts 0")
    s.say("分计入，上述得分和等级为暂定，评价人评分后应重新计算。")
    return s.paragraph()


def _by_policy(score: ScoreTable) -> Paragraph:
    """Lines whose input is missing and that the rule set scores by a declared policy."""
    rules = {r.level3: r for r in score.rule_set.rules}
    s = Sentence()
    lines = [x for x in score.lines if x.status == POLICY]
    for i, line in enumerate(lines):
        rule = rules[line.level3]
        s.say(f"{line.level3}因").source(line.missing, f"scoring: the input of {line.level3}")
        s.say(f"，按评分规则{POLICY_WORDS[rule.when_missing]}（")
        s.source(rule.reason, f"rule set {score.rule_set.id}, {line.level3}")
        s.say("）" + ("；" if i < len(lines) - 1 else "。"))
    return s.paragraph()


def _pefa(pefa: dict[str, Any]) -> list[Paragraph | Table]:
    pi1, pi2 = pefa["pi1"], pefa["pi2"]
    years = [int(y) for y in pi1.years_used]
    dims = "、".join(f"{k} {v}" for k, v in pi2.dimensions.items())
    rows = [[str(int(r.year)), wan(r.original), wan(r.actual),
             format_ratio(r.outturn), r.letter]
            for r in pi1.table.itertuples(index=False)]
    return [
        Paragraph(f"参照PEFA（公共支出与财政问责）框架，以{years[0]}—{years[-1]}年数据评价预算可信度："
                  f"PI-1总支出执行评为{pi1.score}，PI-2支出结构执行评为{pi2.score}（{dims}）。"),
        Table("pefa_pi1", "PEFA PI-1 总支出执行（实际支出/年初预算）",
              pd.DataFrame(rows, columns=["年度", "年初预算", "实际支出", "执行比", "档次"]),
              f"金额单位：万元；档次{outturn_legend()}", sources=("budget", "payments")),
    ]
