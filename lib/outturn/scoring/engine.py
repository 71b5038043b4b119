"""Score a department-year with a rule set: every line of the 自评表 with its reason.

:func:`metric_value` computes the figure a rule reads (from the ledgers, the profile or
the indicator table) exactly, as a fraction; :func:`score_department` applies each
rule's method and adds up the table. Manual lines take the evaluator's
:class:`Judgement`. A metric that does not apply (no previous year, a zero budget …)
scores the full weight by default (``params.if_not_applicable: zero`` to change it),
and the line says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import pandas as pd

from outturn import metrics
from outturn.scoring import methods
from outturn.scoring.indicators import (
    Score,
    ScoringError,
    _num,
    grade,
    score_indicator,
    score_qualitative,
)
from outturn.scoring.rules import METRICS, Rule, RuleSet
from outturn.store import DeptYear


@dataclass(frozen=True)
class Judgement:
    """The evaluator's word on one line, keyed by its 三级指标 (or indicator) name:
    ``points`` for a manual line of the rule set, or ``share`` (percent of the weight)
    for a qualitative indicator of the indicator table; always with a reason."""

    points: float | None
    reason: str
    share: float | None = None


def judgements_from_profile(profile: Mapping[str, Any]) -> dict[str, Judgement]:
    """The evaluator's judgements a department profile carries (``judgements.toml``)."""
    return {name: Judgement(entry.get("points"), str(entry["reason"]), entry.get("share"))
            for name, entry in profile.get("judgements", {}).items()}


@dataclass(frozen=True)
class ScoreLine:
    """One scored line of the 自评表."""

    level1: str
    level2: str
    level3: str
    weight: float
    value: str
    points: float
    explanation: str
    details: tuple[Score, ...] = ()


@dataclass
class ScoreTable:
    """A scored 自评表: lines, total and grade."""

    rule_set: RuleSet
    dept_code: str
    dept_name: str
    year: int
    lines: list[ScoreLine] = field(default_factory=list)

    @property
    def total(self) -> float:
        return round(sum(line.points for line in self.lines), 6)

    @property
    def grade(self) -> str:
        return grade(Fraction(str(self.total)))

    def frame(self) -> pd.DataFrame:
        """The table as rows: 一级/二级/三级指标, 分值, 指标值, 得分, 说明."""
        return pd.DataFrame([{"一级指标": x.level1, "二级指标": x.level2, "三级指标": x.level3,
                              "分值": x.weight, "指标值": x.value, "得分": x.points,
                              "评分说明": x.explanation} for x in self.lines])


def _ratio(numerator: object, denominator: object) -> Fraction | None:
    if pd.isna(denominator) or int(denominator) <= 0:  # type: ignore[call-overload]
        return None
    return Fraction(int(numerator), int(denominator))  # type: ignore[call-overload]


def metric_value(metric: str, dy: DeptYear, previous: DeptYear | None,
                 params: Mapping[str, Any]) -> tuple[Fraction | None, str]:
    """The value a rule reads, in percent (or points for ``progress_gap``), and why it
    does not apply when it is ``None``."""
    if metric not in METRICS or metric in ("indicators", "manual"):
        raise ScoringError(f"metric {metric!r} is not a single figure")
    label = METRICS[metric]
    if metric in ("execution_rate", "adjustment_rate", "control_rate", "completion_rate",
                  "balance_rate"):
        row = metrics.budget_vs_actual(dy.budget, dy.payments, by=(),
                                       denominator=params.get("denominator", "adjusted")).iloc[0]
        parts = {"execution_rate": ("actual", "denominator_amount"),
                 "adjustment_rate": ("adjustment", "original_budget"),
                 "control_rate": ("supplementary", "original_budget"),
                 "completion_rate": ("completed", "completion_base"),
                 "balance_rate": ("balance", "available")}[metric]
        value = _ratio(row[parts[0]], row[parts[1]])
        return (None, f"{label}的分母为0，不适用") if value is None else (value * 100, "")
    if metric in ("sangong_change_rate", "sangong_control_rate"):
        basis = params.get("basis", "actual")
        if metric == "sangong_control_rate":
            table = metrics.sangong_control_rate(dy.payments, dy.budget)
            total = table[table["item"] == "合计"].iloc[0]
            value = _ratio(total["actual"], total["budget"])
            return (None, "“三公”经费无预算安排，控制率不适用") if value is None else (value * 100, "")
        if previous is None:
            return None, "缺少上年数据，“三公”经费变动率不适用"
        frames = (dy.budget, previous.budget) if basis == "budget" else \
            (dy.payments, previous.payments)
        table = metrics.sangong_summary(frames[0], frames[1], basis=basis)
        total = table[table["item"] == "合计"].iloc[0]
        value = _ratio(total["change"], total["previous"])
        return (None, "上年“三公”经费为0，变动率不适用") if value is None else (value * 100, "")
    if metric == "staffing_control_rate":
        result = metrics.staffing_control_rate(dy.profile)
        if result.rate is None:
            return None, result.note
        return Fraction(int(result.in_post), int(result.authorised)) * 100, ""  # type: ignore[arg-type]
    if metric == "building_control_rate":
        buildings = dy.profile.get("buildings") or {}
        approved, built = buildings.get("approved_area"), buildings.get("actual_area")
        if not approved or built is None:
            return None, "无新建楼堂馆所项目"
        return Fraction(str(built)) / Fraction(str(approved)) * 100, ""
    if metric == "progress_gap":
        month = int(params.get("month", 12))
        table = metrics.monthly_progress(dy.budget, dy.payments, year=dy.year)
        row = table[table["month"] == month].iloc[0]
        if row["cumulative_rate_note"]:
            return None, str(row["cumulative_rate_note"])
        return Fraction(str(round(float(row["gap_pp"]), 6))), ""
    raise ScoringError(f"metric {metric!r} has no calculation")  # pragma: no cover


def _indicator_scores(dy: DeptYear, params: Mapping[str, Any],
                      judgements: Mapping[str, Judgement]) -> list[Score]:
    table = dy.indicators
    scope = params.get("scope", "部门")
    chosen = table[(table["scope"] == scope) & (table["level1"] == params["level1"])]
    if "level3" in params:  # a rule may name one indicator of the table
        chosen = chosen[chosen["level3"] == params["level3"]]
    scores = []
    for row in chosen.itertuples(index=False):
        weight = row.weight if pd.notna(row.weight) else 0
        if row.direction == "qualitative":
            judged = judgements.get(row.level3)
            share = judged.share if judged is not None else None
            score = score_qualitative(row.actual, weight, share)
            if share is not None and judged is not None:
                score = Score(score.points, score.weight,
                              f"{score.explanation}（评价人认定：{judged.reason}）")
        else:
            if pd.isna(row.actual_value) or pd.isna(row.target_value):
                raise ScoringError(f"indicator {row.level3}: target or result is not a number "
                                   f"({row.target!r}, {row.actual!r})")
            score = score_indicator(row.actual_value, row.target_value, weight,
                                    row.direction)
        scores.append(Score(score.points, score.weight, f"{row.level3}：{score.explanation}",
                            score.overshoot))
    return scores


def _score_rule(rule: Rule, dy: DeptYear, previous: DeptYear | None,
                judgements: Mapping[str, Judgement]) -> ScoreLine:
    w, p = rule.weight, rule.params
    base = (rule.level1, rule.level2, rule.level3, float(w))
    if rule.method == "manual":
        judged = judgements.get(rule.level3)
        if judged is None or judged.points is None:
            raise ScoringError(f"{rule.level3} is scored by the evaluator: give its points "
                               f"and reason")
        score = methods.manual(judged.points, w, judged.reason)
        return ScoreLine(*base, "", score.points, score.explanation)
    if rule.method == "indicators":
        scores = _indicator_scores(dy, p, judgements)
        total_weight = sum(Fraction(str(s.weight)) for s in scores)
        if not scores or total_weight == 0:
            return _not_applicable(rule, f"无{p['level1']}指标")
        got = sum(Fraction(str(s.points)) for s in scores)
        points = w * got / total_weight
        why = (f"{len(scores)}项{p['level1']}按各自分值共得{_num(got)}/{_num(total_weight)}分，"
               f"折合{_num(w)}分制得{_num(points)}分")
        return ScoreLine(*base, f"{_num(got)}/{_num(total_weight)}", float(points), why,
                         tuple(scores))
    value, note = metric_value(rule.metric, dy, previous, p)
    if value is None:
        return _not_applicable(rule, note)
    label = METRICS[rule.metric]
    if rule.method == "proportional":
        score = methods.proportional(value / 100, w, p.get("rounding", "none"))
    elif rule.method == "deduction":
        score = methods.deduction(value, w, threshold=p["threshold"], per=p["per"],
                                  step=p.get("step", 1), side=p.get("side", "above"),
                                  whole_steps=bool(p.get("whole_steps", False)),
                                  floor=p.get("floor", 0), label=label)
    elif rule.method == "bands":
        score = methods.bands(value, w, [tuple(b) for b in p["bands"]], label=label)
    elif rule.method == "full_if":
        score = methods.full_if(value, w, op=p["op"], limit=p["limit"], label=label)
    else:  # pragma: no cover - rule sets are checked on load
        raise ScoringError(f"unknown method {rule.method}")
    return ScoreLine(*base, f"{_num(value)}%", score.points, score.explanation)


def _not_applicable(rule: Rule, why: str) -> ScoreLine:
    full = rule.params.get("if_not_applicable", "full") == "full"
    points = float(rule.weight) if full else 0.0
    return ScoreLine(rule.level1, rule.level2, rule.level3, float(rule.weight), "不适用", points,
                     f"{why}，按{'满分' if full else '0分'}计")


def score_department(dy: DeptYear, rule_set: RuleSet, *,
                     judgements: Mapping[str, Judgement] | None = None,
                     previous: DeptYear | None = None) -> ScoreTable:
    """The scored 自评表 of a department-year under a rule set."""
    table = ScoreTable(rule_set, dy.dept_code, dy.dept_name, dy.year)
    for rule in rule_set.rules:
        table.lines.append(_score_rule(rule, dy, previous, judgements or {}))
    return table
