"""Score a department-year with a rule set: every line of the 自评表 with its reason.

:func:`metric_value` computes the figure a rule reads (from the ledgers or the profile)
exactly, as a fraction, through the registry :data:`outturn.scoring.metric_values.METRIC_VALUES`;
:func:`score_department` applies each rule's method (the table
:data:`outturn.scoring.methods.METHODS`, or the indicator table and the evaluator's
judgements) and adds up the table. Manual lines take the evaluator's
:class:`Judgement`.

No point is given without data. A line whose input is missing (no indicators in its
block, no previous year, no staffing figures, no 三公 budget, a manual line not yet
judged) follows its rule's ``when_missing`` (:data:`outturn.scoring.rules.WHEN_MISSING`):
by default the evaluator must judge it, and until then it is *pending*: 0 points counted,
the grade provisional, the line saying what is missing. ``zero``, ``full`` and ``exclude``
apply the rule set's declared policy and print its reason.

The 合计 is the sum of the lines *as printed* (each rounded half-up to 0.01 first), as a
自评表 filled in by hand adds up, and the grade is given to that 合计.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pandas as pd

from outturn.money import round_half_up
from outturn.scoring import methods
from outturn.scoring.indicators import (
    ExactPoints,
    Score,
    ScoringError,
    _num,
    grade,
    score_indicator,
    score_qualitative,
)
from outturn.scoring.judged import current_judgements
from outturn.scoring.metric_values import METRIC_VALUES, METRICS
from outturn.scoring.rules import Rule, RuleSet
from outturn.scoring.selection import rule_selects
from outturn.store.model import DeptYear


@dataclass(frozen=True)
class Judgement:
    """The evaluator's word on one line, keyed by its 三级指标 (or indicator) name:
    ``points`` for a manual line of the rule set, or ``share`` (percent of the weight)
    for a qualitative indicator of the indicator table; always with a reason."""

    points: float | None
    reason: str
    share: float | None = None


def judgements_from_profile(profile: Mapping[str, Any]) -> dict[str, Judgement]:
    """The evaluator's judgements of a department-year: its raw ``judgements.toml`` read
    now (:mod:`outturn.scoring.judged`), so a changed judgement needs no re-ingest."""
    return {name: Judgement(entry.get("points"), str(entry["reason"]), entry.get("share"))
            for name, entry in current_judgements(profile).items()}


#: How a line got its points: from its data, from the evaluator, awaiting the evaluator
#: (its input is missing and nobody has judged it yet: 0 points counted), or by the rule
#: set's declared ``when_missing`` policy (zero / full / exclude, with its reason).
SCORED, JUDGED, PENDING, POLICY = "scored", "judged", "pending", "policy"

#: The 自评表's columns, in the order the workbook, 九 and the CSV print them (九 leaves
#: out the last, the explanation).
SCORE_COLUMNS: tuple[str, ...] = ("一级指标", "二级指标", "三级指标", "分值", "指标值", "得分",
                                  "评分说明")

#: Printed after a provisional grade (one or more lines pending).
PROVISIONAL = "暂定"
#: The 指标值 of a line awaiting the evaluator, and of one its data does not reach.
PENDING_VALUE, NOT_APPLICABLE_VALUE, JUDGED_VALUE = "待评", "不适用", "评价人评分"
#: How each declared ``when_missing`` policy is said in the report.
POLICY_WORDS: dict[str, str] = {"zero": "计0分", "full": "计满分",
                                "exclude": "不单独评分，其分值按同级其他指标得分率折算"}


@dataclass(frozen=True)
class ScoreLine(ExactPoints):
    """One scored line of the 自评表 (points and weight exact, see :class:`ExactPoints`)."""

    level1: str
    level2: str
    level3: str
    exact_weight: Fraction
    value: str
    exact_points: Fraction
    explanation: str
    details: tuple[Score, ...] = ()
    #: one of :data:`SCORED`, :data:`JUDGED`, :data:`PENDING`, :data:`POLICY`
    status: str = SCORED
    #: what input is missing, when it is (``无满意度指标``, ``缺少上年数据…``); "" otherwise
    missing: str = ""

    @property
    def shown(self) -> Decimal:
        """The points as printed: 0.01, half-up, from the exact points. The 合计 adds these."""
        return round_half_up(self.exact_points, 2)

    @property
    def missing_input(self) -> bool:
        """Whether the line's input was missing (pending or scored by a declared policy)."""
        return self.status in (PENDING, POLICY)


@dataclass
class ScoreTable:
    """A scored 自评表: lines, total and grade."""

    rule_set: RuleSet
    dept_code: str
    dept_name: str
    year: int
    lines: list[ScoreLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        """The sum of the printed line points (not the rounded exact sum: the table must
        add up as printed)."""
        return sum((line.shown for line in self.lines), Decimal("0.00"))

    @property
    def total_weight(self) -> Fraction:
        """The lines' weights added exactly (100 for a complete rule set)."""
        return sum((line.exact_weight for line in self.lines), Fraction(0))

    @property
    def pending(self) -> list[ScoreLine]:
        """Lines still awaiting the evaluator (counted at 0)."""
        return [line for line in self.lines if line.status == PENDING]

    @property
    def provisional(self) -> bool:
        """Whether the total and grade may still change (some line is pending)."""
        return bool(self.pending)

    @property
    def grade(self) -> str:
        return grade(self.total)

    @property
    def grade_label(self) -> str:
        """The grade as printed: ``良``, or ``良（暂定）`` while lines are pending."""
        return f"{self.grade}（{PROVISIONAL}）" if self.provisional else self.grade

    def frame(self) -> pd.DataFrame:
        """The table as rows: 一级/二级/三级指标, 分值, 指标值, 得分 (as printed), 说明."""
        return pd.DataFrame([(x.level1, x.level2, x.level3, x.weight, x.value, float(x.shown),
                              x.explanation) for x in self.lines], columns=list(SCORE_COLUMNS))


def metric_value(metric: str, dy: DeptYear, previous: DeptYear | None,
                 params: Mapping[str, Any]) -> tuple[Fraction | None, str]:
    """The value a rule reads, in percent (or points for ``progress_gap``), and why it
    does not apply when it is ``None``: the metric's function from the registry
    (:data:`outturn.scoring.metric_values.METRIC_VALUES`)."""
    compute = METRIC_VALUES.get(metric)
    if compute is None:
        raise ScoringError(f"metric {metric!r} is not a single figure")
    return compute(dy, previous, params)


def _indicator_scores(dy: DeptYear, params: Mapping[str, Any],
                      judgements: Mapping[str, Judgement]) -> list[Score]:
    table = dy.indicators
    chosen = table[rule_selects(table, params)]
    scores = []
    for row in chosen.itertuples(index=False):
        weight = row.weight if pd.notna(row.weight) else 0
        if row.direction == "qualitative":
            judged = judgements.get(row.level3)
            share = judged.share if judged is not None else None
            score = score_qualitative(row.actual, weight, share)
            if share is not None and judged is not None:
                score = Score(score.exact_points, score.exact_weight,
                              f"{score.explanation}（评价人认定：{judged.reason}）")
        else:
            if pd.isna(row.actual_value) or pd.isna(row.target_value):
                raise ScoringError(f"indicator {row.level3}: target or result is not a number "
                                   f"({row.target!r}, {row.actual!r})")
            score = score_indicator(row.actual_value, row.target_value, weight,
                                    row.direction)
        scores.append(Score(score.exact_points, score.exact_weight, f"{row.level3}：{score.explanation}",
                            score.overshoot))
    return scores


def _score_rule(rule: Rule, dy: DeptYear, previous: DeptYear | None,
                judgements: Mapping[str, Judgement]) -> ScoreLine:
    w, p = rule.weight, rule.params
    base = (rule.level1, rule.level2, rule.level3, w)
    if rule.method == "manual":
        return _missing(rule, "", judgements)
    if rule.method == "indicators":
        scores = _indicator_scores(dy, p, judgements)
        total_weight = sum((s.exact_weight for s in scores), Fraction(0))
        if not scores or total_weight == 0:
            return _missing(rule, f"无{p['level1']}", judgements)
        got = sum((s.exact_points for s in scores), Fraction(0))
        points = w * got / total_weight
        why = (f"{len(scores)}项{p['level1']}按各自分值共得{_num(got)}/{_num(total_weight)}分，"
               f"折合{_num(w)}分制得{_num(points)}分")
        return ScoreLine(*base, f"{_fixed(got)}/{_num(total_weight)}", points, why,
                         tuple(scores))
    value, note = metric_value(rule.metric, dy, previous, p)
    if value is None:
        return _missing(rule, note, judgements)
    apply = methods.METHODS[rule.method].apply
    assert apply is not None, rule.method  # the rule-set checker pairs manual/indicators
    score = apply(value, w, p, METRICS[rule.metric].label)
    return ScoreLine(*base, f"{_fixed(value)}%", score.exact_points, score.explanation)


def _fixed(value: Fraction) -> str:
    """A figure as the 指标值 column prints it: two decimals, half-up (85.15%, 96.80%)."""
    return str(round_half_up(value, 2))


def _missing(rule: Rule, why: str, judgements: Mapping[str, Judgement]) -> ScoreLine:
    """A line whose input is missing (``why``): the evaluator's judgement when given,
    else the rule's ``when_missing`` policy. ``exclude`` is settled by
    :func:`_share_out_excluded` once the block's other lines are scored."""
    base = (rule.level1, rule.level2, rule.level3, rule.weight)
    lead = f"{why}，" if why else ""
    judged = judgements.get(rule.level3)
    if judged is not None and judged.points is not None:
        try:
            score = methods.manual(judged.points, rule.weight, judged.reason)
        except ScoringError as exc:
            raise ScoringError(f"{rule.level3}: {exc}") from exc
        return ScoreLine(*base, JUDGED_VALUE, score.exact_points, score.explanation,
                         status=JUDGED, missing=why)
    policy = rule.when_missing
    if policy == "zero":
        return ScoreLine(*base, NOT_APPLICABLE_VALUE, Fraction(0), f"{lead}按规则集规定计0分：{rule.reason}",
                         status=POLICY, missing=why)
    if policy == "full":
        return ScoreLine(*base, NOT_APPLICABLE_VALUE, rule.weight,
                         f"{lead}按规则集规定计满分：{rule.reason}", status=POLICY, missing=why)
    if policy == "exclude":
        return ScoreLine(*base, NOT_APPLICABLE_VALUE, Fraction(0), why, status=POLICY, missing=why)
    return ScoreLine(*base, PENDING_VALUE, Fraction(0), f"{lead}待评价人评分（评分前按0分计入，等级为暂定）",
                     status=PENDING, missing=why)


def _share_out_excluded(lines: list[ScoreLine], rules: tuple[Rule, ...]) -> list[ScoreLine]:
    """Score each excluded line at the rate its block's other scored lines earn, so its
    weight is shared out over them in proportion to their weights; with no other scored
    line in the block it waits for the evaluator."""
    out = list(lines)
    for i, (line, rule) in enumerate(zip(lines, rules, strict=True)):
        if not (line.status == POLICY and rule.when_missing == "exclude"):
            continue
        peers = [x for x, r in zip(lines, rules, strict=True) if x.level1 == line.level1
                 and not (x.status == POLICY and r.when_missing == "exclude")
                 and x.status != PENDING]
        weight = sum((x.exact_weight for x in peers), Fraction(0))
        if weight == 0:
            out[i] = replace(line, value=PENDING_VALUE, status=PENDING, explanation=(
                f"{line.explanation}，按规则集规定不单独评分（{rule.reason}），但{line.level1}"
                "无其他已评分指标可折算，待评价人评分（评分前按0分计入，等级为暂定）"))
            continue
        rate = sum((x.exact_points for x in peers), Fraction(0)) / weight
        points = line.exact_weight * rate
        out[i] = replace(line, exact_points=points, explanation=(
            f"{line.explanation}，按规则集规定不单独评分：{rule.reason}；其{_num(line.exact_weight)}分"
            f"按{line.level1}其他指标得分率{_num(rate * 100)}%折算，得{_num(points)}分"))
    return out


def score_department(dy: DeptYear, rule_set: RuleSet, *,
                     judgements: Mapping[str, Judgement] | None = None,
                     previous: DeptYear | None = None) -> ScoreTable:
    """The scored 自评表 of a department-year under a rule set."""
    table = ScoreTable(rule_set, dy.dept_code, dy.dept_name, dy.year)
    lines = [_score_rule(rule, dy, previous, judgements or {}) for rule in rule_set.rules]
    table.lines = _share_out_excluded(lines, rule_set.rules)
    return table
