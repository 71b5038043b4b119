"""The metrics a rule may read, in one registry: name → label, parameters, function.

Each function takes the department-year, the year before (or ``None``) and the rule's
parameters and returns the value in percent (points for ``progress_gap``) as an exact
fraction, or ``None`` with the reason it does not apply — which the engine then treats
as missing input (``when_missing``). A new metric is one function here, registered with
:func:`metric` together with its Chinese label and the parameters it accepts; the
rule-set checker, the engine and docs/scoring.md all read this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pandas as pd

from outturn import metrics
from outturn.scoring.params import Param, month, one_of
from outturn.store.model import DeptYear
from outturn.vocabulary import TOTAL_LABEL

#: What a metric function returns: the value (percent) or ``None`` and why not.
Value = tuple[Fraction | None, str]
MetricFunction = Callable[[DeptYear, DeptYear | None, Mapping[str, Any]], Value]

@dataclass(frozen=True)
class Metric:
    """A metric a rule may read: its Chinese label, the parameters it accepts and its
    calculation (``None`` for ``indicators`` and ``manual``, which the engine scores from
    the indicator table and the evaluator's judgement)."""

    name: str
    label: str
    params: tuple[Param, ...] = ()
    compute: MetricFunction | None = None


#: The registry: metric name → :class:`Metric`.
METRICS: dict[str, Metric] = {}
#: The calculations alone (name → function), for the metrics that have one.
METRIC_VALUES: dict[str, MetricFunction] = {}


def metric(name: str, label: str, *params: Param) -> Callable[[MetricFunction], MetricFunction]:
    """Register a function as the calculation of the metric ``name`` (printed ``label``),
    which accepts ``params``."""
    def register(function: MetricFunction) -> MetricFunction:
        METRICS[name] = Metric(name, label, params, function)
        METRIC_VALUES[name] = function
        return function
    return register


def _ratio(numerator: object, denominator: object) -> Fraction | None:
    if pd.isna(denominator) or int(denominator) <= 0:  # type: ignore[call-overload]
        return None
    return Fraction(int(numerator), int(denominator))  # type: ignore[call-overload]


#: The budget rates: the metric → its label and its numerator and denominator columns of
#: :func:`outturn.metrics.budget_vs_actual`.
BUDGET_RATES: dict[str, tuple[str, str, str]] = {
    "execution_rate": ("预算执行率", "actual", "denominator_amount"),
    "adjustment_rate": ("预算调整率", "adjustment", "original_budget"),
    "control_rate": ("预算控制率", "supplementary", "original_budget"),
    "completion_rate": ("预算完成率", "completed", "completion_base"),
    "balance_rate": ("结转结余率", "balance", "available"),
}
#: The parameter of the budget rates that take one.
_DENOMINATOR = Param("denominator", one_of("adjusted", "original", "received"),
                     doc="budget the rate is taken against (default adjusted)")


def _budget_rate(name: str) -> MetricFunction:
    label, numerator, denominator = BUDGET_RATES[name]

    def compute(dy: DeptYear, previous: DeptYear | None, params: Mapping[str, Any]) -> Value:
        row = metrics.budget_vs_actual(dy.budget, dy.payments, by=(),
                                       denominator=params.get("denominator", "adjusted")).iloc[0]
        value = _ratio(row[numerator], row[denominator])
        return (None, f"{label}的分母为0，不适用") if value is None else (value * 100, "")
    compute.__doc__ = f"{label}: {numerator} / {denominator}, in percent."
    return compute


for _name, (_label, *_) in BUDGET_RATES.items():
    metric(_name, _label, *((_DENOMINATOR,) if _name == "execution_rate" else ()))(_budget_rate(_name))


@metric("sangong_control_rate", "“三公”经费控制率")
def sangong_control(dy: DeptYear, previous: DeptYear | None, params: Mapping[str, Any]) -> Value:
    """“三公”经费控制率: 三公 spending over its budget, in percent."""
    table = metrics.sangong_control_rate(dy.payments, dy.budget)
    total = table[table["item"] == TOTAL_LABEL].iloc[0]
    value = _ratio(total["actual"], total["budget"])
    return (None, "“三公”经费无预算安排，控制率不适用") if value is None else (value * 100, "")


@metric("sangong_change_rate", "“三公”经费变动率",
        Param("basis", one_of("budget", "actual"),
              doc="compare 预算数 (budget) or 支出数 (actual, the default) with last year"))
def sangong_change(dy: DeptYear, previous: DeptYear | None, params: Mapping[str, Any]) -> Value:
    """“三公”经费变动率 against the year before, on 预算数 or 支出数 (``basis``)."""
    if previous is None:
        return None, "缺少上年数据，“三公”经费变动率不适用"
    basis = params.get("basis", "actual")
    frames = (dy.budget, previous.budget) if basis == "budget" else (dy.payments, previous.payments)
    table = metrics.sangong_summary(frames[0], frames[1], basis=basis)
    total = table[table["item"] == TOTAL_LABEL].iloc[0]
    value = _ratio(total["change"], total["previous"])
    return (None, "上年“三公”经费为0，变动率不适用") if value is None else (value * 100, "")


@metric("staffing_control_rate", "在职人员控制率")
def staffing(dy: DeptYear, previous: DeptYear | None, params: Mapping[str, Any]) -> Value:
    """在职人员控制率 from the profile's staffing."""
    result = metrics.staffing_control_rate(dy.profile)
    if result.rate is None:
        return None, result.note
    return Fraction(int(result.in_post), int(result.authorised)) * 100, ""  # type: ignore[arg-type]


@metric("building_control_rate", "新建楼堂馆所面积控制率")
def buildings(dy: DeptYear, previous: DeptYear | None, params: Mapping[str, Any]) -> Value:
    """新建楼堂馆所面积控制率 from the profile's ``[buildings]``."""
    table = dy.profile.get("buildings") or {}
    approved, built = table.get("approved_area"), table.get("actual_area")
    if not approved or built is None:
        return None, "无新建楼堂馆所项目"
    return Fraction(str(built)) / Fraction(str(approved)) * 100, ""


@metric("progress_gap", "支出进度与序时进度之差",
        Param("month", month, doc="the month compared (default 12)"))
def progress_gap(dy: DeptYear, previous: DeptYear | None, params: Mapping[str, Any]) -> Value:
    """支出进度与序时进度之差 at ``month`` (default 12), in percentage points."""
    month = int(params.get("month", 12))
    table = metrics.monthly_progress(dy.budget, dy.payments, year=dy.year)
    row = table[table["month"] == month].iloc[0]
    if row["cumulative_rate_note"]:
        return None, str(row["cumulative_rate_note"])
    return Fraction(str(round(float(row["gap_pp"]), 6))), ""


#: Metrics the engine scores itself: the indicator table, the evaluator's points.
METRICS["indicators"] = Metric("indicators", "绩效指标表")
METRICS["manual"] = Metric("manual", "评价人评分")
