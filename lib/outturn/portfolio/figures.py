"""The portfolio's figures, pure: execution ranking, projects behind 序时进度, 三公
changes and every department's score, each a thin wrapper over the department metrics
so a department's figure here is the figure of its own report. Money stays int64 分 and
rates are exact fractions with their ``_note`` (:mod:`outturn.metrics.ratios`)."""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from fractions import Fraction

import numpy as np
import pandas as pd

from outturn import metrics
from outturn.metrics.budget import Denominator
from outturn.metrics.progress import FAR_BEHIND, ProgressBasis, ProgressDenominator
from outturn.metrics.sangong import TOTAL_LABEL, Basis
from outturn.scoring.engine import judgements_from_profile, score_department
from outturn.scoring.rules import RuleSet
from outturn.store.read import DeptYear

#: Columns that identify a project across departments (codes, then the names a report shows).
PROJECT_KEYS: tuple[str, ...] = ("dept_code", "dept_name", "unit_code", "unit_name",
                                 "project_code", "project_name")
#: Columns that identify a department.
DEPT_KEYS: tuple[str, ...] = ("dept_code", "dept_name")

#: Modified z-score constant (Iglewicz & Hoaglin 1993): 0.6745 ≈ Φ⁻¹(0.75) makes the MAD
#: comparable to a standard deviation for normal data, so |z| > 3.5 is their outlier rule.
ROBUST_Z_CONSTANT = Fraction(6745, 10000)
#: Default robust z-score beyond which a department's figure is called unusual.
DEFAULT_Z_THRESHOLD = 3.5
#: Fewer applicable values than this and a median/MAD says nothing: no z-scores.
MIN_VALUES_FOR_Z = 3
#: Default execution-rate floor: a department below 80 % is flagged.
DEFAULT_EXECUTION_FLOOR = 0.8

EXECUTION_LABEL = "预算执行率"
SANGONG_LABEL = "“三公”经费变动率"


def _exact_rates(frame: pd.DataFrame, numerator: str, denominator: str,
                 note: str) -> list[Fraction | None]:
    """Each row's rate as an exact fraction, ``None`` where its note says it does not apply."""
    return [None if text else Fraction(int(num), int(den))
            for num, den, text in zip(frame[numerator], frame[denominator], frame[note],
                                      strict=True)]


def _rank_descending(values: Sequence[Fraction | None]) -> list[int | None]:
    """Competition ranks, highest first (1, 1, 3 for a tie at the top); ``None`` stays ``None``.

    Exact fractions are compared, so two departments tie only when their rates are equal
    to the 分, not when their floats happen to round alike.
    """
    known = sorted(v for v in values if v is not None)
    return [None if v is None else 1 + len(known) - bisect.bisect_right(known, v)
            for v in values]


def execution_ranking(budget: pd.DataFrame, payments: pd.DataFrame,
                      denominator: Denominator = "adjusted") -> pd.DataFrame:
    """Departments ranked by 预算执行率, highest first.

    One row per department (dept_code, dept_name) of either frame, with original_budget,
    adjusted_budget, actual (int64 分), denominator_amount, execution_rate and
    execution_rate_note exactly as :func:`outturn.metrics.budget_vs_actual` gives them,
    and rank (Int64): 1 is the highest rate, equal rates share a rank (1, 1, 3), and a
    department whose rate does not apply has no rank and comes last. The frames must
    hold one year.
    """
    return rank_execution(metrics.budget_vs_actual(budget, payments, by=list(DEPT_KEYS),
                                                   denominator=denominator), denominator)


def rank_execution(table: pd.DataFrame, denominator: Denominator = "adjusted") -> pd.DataFrame:
    """Rank and order departments' :func:`~outturn.metrics.budget_vs_actual` rows (one row
    per department, by :data:`DEPT_KEYS`) as :func:`execution_ranking` returns them; the
    rows may come from one call over all departments or one call per department."""
    table = table.copy()
    rates = _exact_rates(table, "actual", "denominator_amount", "execution_rate_note")
    table["rank"] = pd.array(_rank_descending(rates), dtype="Int64")
    columns = [*DEPT_KEYS, "original_budget", "adjusted_budget", "actual", "denominator_amount",
               "execution_rate", "execution_rate_note", "rank"]
    out = table[columns].sort_values(["rank", "dept_code"], na_position="last", ignore_index=True)
    out.attrs = {"denominator": table.attrs.get("denominator", denominator),
                 "denominator_label": table.attrs.get("denominator_label", ""),
                 "rate_parts": {"execution_rate": ("actual", "denominator_amount")}}
    return out


def lagging_projects(budget: pd.DataFrame, payments: pd.DataFrame, *, month: int = 12,
                     threshold_pp: float = 10.0, by: Sequence[str] = PROJECT_KEYS,
                     basis: ProgressBasis = "month",
                     denominator: ProgressDenominator = "available",
                     year: int | None = None) -> pd.DataFrame:
    """Projects whose cumulative spending at the end of ``month`` is behind 序时进度 by
    more than ``threshold_pp`` percentage points, most behind first.

    Only project lines count (a non-empty ``project_code``): basic expenditure is paid
    monthly by nature and would hide the projects. Progress is
    :func:`outturn.metrics.monthly_progress` grouped by ``by`` with ``lag_points =
    threshold_pp``, so "more than" is decided exactly: a project exactly
    ``threshold_pp`` points behind is 滞后, not listed; beyond it is 严重滞后 and listed.
    Projects whose progress does not apply (no budget) are not listed.

    Columns: the ``by`` keys, month, cumulative_actual, denominator_amount (int64 分),
    cumulative_rate and its note, benchmark (序时进度), gap_pp (negative: behind) and status.
    """
    by_cols = list(by)
    projects_b = budget[budget["project_code"].fillna("").astype(str) != ""]
    projects_p = payments[payments["project_code"].fillna("").astype(str) != ""]
    progress = metrics.monthly_progress(projects_b, projects_p, by=by_cols, basis=basis,
                                        lag_points=threshold_pp, denominator=denominator,
                                        year=year)
    at_month = progress[(progress["month"] == int(month)) & (progress["status"] == FAR_BEHIND)]
    columns = [*by_cols, "month", "cumulative_actual", "denominator_amount", "cumulative_rate",
               "cumulative_rate_note", "benchmark", "gap_pp", "status"]
    out = order_lagging(at_month[columns], by_cols)
    out.attrs = {**progress.attrs, "month": int(month), "threshold_pp": threshold_pp}
    return out


def order_lagging(rows: pd.DataFrame, by: Sequence[str] = PROJECT_KEYS) -> pd.DataFrame:
    """Lagging projects most behind first (then by their keys), as :func:`lagging_projects`
    orders them; the rows may come from one call per department."""
    return rows.sort_values(["gap_pp", *by], ignore_index=True)


def _dept_names(*frames: pd.DataFrame | None) -> dict[str, str]:
    """dept_code → dept_name from whichever frames carry names (first one found wins)."""
    names: dict[str, str] = {}
    for frame in frames:
        if frame is None or "dept_name" not in frame.columns:
            continue
        for code, name in frame[list(DEPT_KEYS)].drop_duplicates("dept_code").itertuples(index=False):
            names.setdefault(str(code), str(name))
    return names


def sangong_changes(current: pd.DataFrame, previous: pd.DataFrame | None = None,
                    basis: Basis = "actual") -> pd.DataFrame:
    """三公 spending of each department this year against last year.

    ``current`` and ``previous`` hold several departments, one year each (payments for
    ``basis="actual"``, budget lines for ``"budget"``). Each department's rows are
    :func:`outturn.metrics.sangong_summary` of its own lines: the four categories,
    公务用车费 and 合计, with current, previous, change (分) and change_rate with its
    note. A department with no rows at all in ``previous`` (or ``previous=None``) has
    no previous year: its rate is not applicable (无上年数据); a department that was on
    file but spent nothing on 三公 has previous 0 (上年数为0，变动率不适用).

    Columns: dept_code, dept_name, item, kind, current, previous, change, change_rate,
    change_rate_note.
    """
    names = _dept_names(current, previous)
    codes = sorted(set(current["dept_code"].astype(str)))
    before = set() if previous is None else set(previous["dept_code"].astype(str))
    parts = []
    for code in codes:
        mine = current[current["dept_code"].astype(str) == code]
        prev = (previous[previous["dept_code"].astype(str) == code]
                if previous is not None and code in before else None)
        table = metrics.sangong_summary(mine, prev, basis=basis)
        table.insert(0, "dept_code", code)
        table.insert(1, "dept_name", names.get(code, ""))
        parts.append(table)
    if not parts:
        empty = metrics.sangong_summary(current.iloc[0:0], None, basis=basis).iloc[0:0]
        empty.insert(0, "dept_code", pd.Series(dtype="str"))
        empty.insert(1, "dept_name", pd.Series(dtype="str"))
        parts.append(empty)
    out = pd.concat(parts, ignore_index=True)
    out.attrs = {"basis": basis, "rate_parts": {"change_rate": ("change", "previous")}}
    return out


def sangong_totals(changes: pd.DataFrame) -> pd.DataFrame:
    """The 合计 row of each department from :func:`sangong_changes` (one row each)."""
    out = changes[changes["item"] == TOTAL_LABEL].reset_index(drop=True)
    out.attrs = dict(changes.attrs)
    return out


def scores(current: Mapping[str, DeptYear], rule_set: RuleSet,
           previous: Mapping[str, DeptYear] | None = None) -> pd.DataFrame:
    """Each department's 自评表 total and grade under ``rule_set``.

    Scores as ``outturn score`` does: :func:`score_department` with the evaluator's
    judgements from the department's profile and its previous year where given. Lines
    awaiting the evaluator count 0: the grade is marked 暂定 and score_note names them. A
    department that cannot be scored (a judgement above its weight, an indicator without
    a number …) gets total NaN, grade ``""`` and the error in score_note, so one
    department never stops the portfolio.

    Columns: dept_code, dept_name, total (float points), grade, score_note.
    """
    rows = []
    for code, dy in current.items():
        prev = (previous or {}).get(code)
        try:
            table = score_department(dy, rule_set, judgements=judgements_from_profile(dy.profile),
                                     previous=prev)
        except Exception as exc:  # any one department's failure is reported, not raised
            rows.append({"dept_code": code, "dept_name": dy.dept_name, "total": np.nan,
                         "grade": "", "score_note": f"无法评分：{exc}"})
            continue
        waiting = "、".join(x.level3 for x in table.pending)
        note = f"暂定：{len(table.pending)}项待评价人评分（{waiting}），按0分计入" if waiting else ""
        rows.append({"dept_code": code, "dept_name": dy.dept_name, "total": float(table.total),
                     "grade": table.grade_label, "score_note": note})
    out = pd.DataFrame(rows, columns=["dept_code", "dept_name", "total", "grade", "score_note"])
    out["total"] = out["total"].astype("float64")
    out.attrs = {"rule_set": rule_set.id, "rule_set_name": rule_set.name}
    return out


