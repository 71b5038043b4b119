"""A finance bureau's portfolio view: every department of one year side by side.

Where the rest of outturn looks at one department-year, a finance bureau (财政局) reads
all of its departments at once: who spends their budget (执行率排名), which projects lag
behind 序时进度, how 三公 spending moved on last year, how each department scored on its
自评表, and which figures stand out from the others.

The figures are not re-derived here. Each function below is a thin portfolio-shaped
wrapper over the department metrics (:func:`outturn.metrics.budget_vs_actual`,
:func:`~outturn.metrics.monthly_progress`, :func:`~outturn.metrics.sangong_summary`,
:func:`outturn.scoring.engine.score_department`), so a department's figure in the
portfolio is the figure of its own report. Functions are pure (frames in, frames out)
except :func:`load_portfolio`, the one loader at the edge, which reads each
department-year from its own partition (:func:`outturn.store.read.load`), so memory grows
with the departments of one year, never with the whole ledger.

Money stays int64 分 and rates are fractions with an ``_note`` column
(:mod:`outturn.metrics.ratios`); the ``*_table`` functions turn a result into the
strings a report prints (万元 with two decimals, percentages rounded half-up).
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from outturn import metrics
from outturn.display import in_wan
from outturn.metrics.budget import Denominator
from outturn.metrics.progress import FAR_BEHIND, ProgressBasis, ProgressDenominator
from outturn.metrics.sangong import TOTAL_LABEL, Basis
from outturn.money import div_half_up, fen_to_wan, format_percent, format_wan, round_half_up
from outturn.problems import OutturnError
from outturn.scoring.engine import judgements_from_profile, score_department
from outturn.scoring.rules import DEFAULT_RULE_SET, RuleSet, load_rule_set
from outturn.store.read import DEFAULT_PROCESSED, DeptYear, available_years, departments, load

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "PROJECT_KEYS",
    "Portfolio",
    "execution_chart",
    "execution_ranking",
    "execution_table",
    "lagging_projects",
    "lagging_table",
    "load_portfolio",
    "outliers",
    "robust_z_scores",
    "sangong_changes",
    "sangong_chart_frame",
    "sangong_table",
    "sangong_totals",
    "scores",
    "scores_table",
]

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


# ---------------------------------------------------------------------------------------
# Loading (the only function that reads files)
# ---------------------------------------------------------------------------------------

@dataclass
class Portfolio:
    """Every department-year of one year, with the year before where it is on file.

    ``current`` and ``previous`` map dept_code to the department-year as
    :func:`outturn.store.read.load` returns it; ``skipped`` gives, per department of the
    departments table that has no data for ``year``, why it is not in the portfolio.
    The frame properties concatenate the departments' frames for the pure functions.
    """

    year: int
    rule_set: RuleSet
    current: dict[str, DeptYear]
    previous: dict[str, DeptYear] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def budget(self) -> pd.DataFrame:
        """Budget lines of every department in ``year``."""
        return _concat([dy.budget for dy in self.current.values()])

    @property
    def payments(self) -> pd.DataFrame:
        """Payments of every department in ``year``."""
        return _concat([dy.payments for dy in self.current.values()])

    @property
    def previous_payments(self) -> pd.DataFrame | None:
        """Payments of ``year − 1`` of the departments that have it (``None`` if none do)."""
        return _concat([dy.payments for dy in self.previous.values()]) if self.previous else None

    @property
    def previous_budget(self) -> pd.DataFrame | None:
        """Budget lines of ``year − 1`` of the departments that have it (``None`` if none do)."""
        return _concat([dy.budget for dy in self.previous.values()]) if self.previous else None

    def departments(self) -> pd.DataFrame:
        """dept_code, dept_name and whether the previous year is on file, one row each."""
        return pd.DataFrame({
            "dept_code": list(self.current),
            "dept_name": [dy.dept_name for dy in self.current.values()],
            "has_previous": [code in self.previous for code in self.current],
        })

    def execution_ranking(self, denominator: Denominator = "adjusted") -> pd.DataFrame:
        """:func:`execution_ranking` of the portfolio."""
        return execution_ranking(self.budget, self.payments, denominator=denominator)

    def lagging_projects(self, month: int = 12, threshold_pp: float = 10.0,
                         **options: object) -> pd.DataFrame:
        """:func:`lagging_projects` of the portfolio."""
        return lagging_projects(self.budget, self.payments, month=month,
                                threshold_pp=threshold_pp, year=self.year,
                                **options)  # type: ignore[arg-type]

    def sangong_changes(self, basis: Basis = "actual") -> pd.DataFrame:
        """:func:`sangong_changes` of the portfolio (payments, or budgets with ``basis="budget"``)."""
        if basis == "budget":
            return sangong_changes(self.budget, self.previous_budget, basis="budget")
        return sangong_changes(self.payments, self.previous_payments, basis=basis)

    def scores(self) -> pd.DataFrame:
        """:func:`scores` of the portfolio under its rule set."""
        return scores(self.current, self.rule_set, previous=self.previous)

    def outliers(self, *, z_threshold: float = DEFAULT_Z_THRESHOLD,
                 execution_floor: float | None = DEFAULT_EXECUTION_FLOOR) -> pd.DataFrame:
        """:func:`outliers` of the portfolio's ranking and 三公 totals."""
        return outliers(self.execution_ranking(), sangong_totals(self.sangong_changes()),
                        z_threshold=z_threshold, execution_floor=execution_floor)


def load_portfolio(year: int, processed_dir: Path | str = DEFAULT_PROCESSED,
                   rules: str | Path = DEFAULT_RULE_SET) -> Portfolio:
    """Load every department that has data for ``year``, and its ``year − 1`` when on file.

    Each department-year is read on its own (:func:`outturn.store.read.load` opens only that
    partition). Departments of the departments table without data for ``year`` are
    listed in ``Portfolio.skipped`` rather than failing the whole view. ``rules`` is a
    shipped rule-set id or a YAML path (:func:`outturn.scoring.rules.load_rule_set`).
    Raises :class:`OutturnError` when no department has data for ``year``.
    """
    year = int(year)
    rule_set = load_rule_set(rules)
    codes = departments(processed_dir)["dept_code"].astype(str).drop_duplicates().tolist()
    current: dict[str, DeptYear] = {}
    previous: dict[str, DeptYear] = {}
    skipped: dict[str, str] = {}
    for code in sorted(codes):
        years = available_years(code, processed_dir)
        if year not in years:
            skipped[code] = f"{year}年无数据（有数据的年度：{'、'.join(map(str, years)) or '无'}）"
            continue
        current[code] = load(code, year, processed_dir)
        if year - 1 in years:
            previous[code] = load(code, year - 1, processed_dir)
    if not current:
        raise OutturnError(f"no department has data for {year} in {processed_dir}")
    return Portfolio(year=year, rule_set=rule_set, current=current, previous=previous,
                     skipped=skipped)


def _concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Frames of several departments as one (they share the store's columns)."""
    return pd.concat(list(frames), ignore_index=True)


# ---------------------------------------------------------------------------------------
# Pure figures
# ---------------------------------------------------------------------------------------

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
    table = metrics.budget_vs_actual(budget, payments, by=list(DEPT_KEYS), denominator=denominator)
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
    out = at_month[columns].sort_values(["gap_pp", *by_cols], ignore_index=True)
    out.attrs = {**progress.attrs, "month": int(month), "threshold_pp": threshold_pp}
    return out


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


# ---------------------------------------------------------------------------------------
# Outliers
# ---------------------------------------------------------------------------------------

def _median(values: Sequence[Fraction]) -> Fraction:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def robust_z_scores(values: Sequence[Fraction | None]
                    ) -> tuple[list[Fraction | None], Fraction | None, Fraction | None]:
    """Modified z-scores 0.6745 × (x − median) / MAD, exactly, with the median and MAD.

    Median and MAD (median absolute deviation) are taken over the values that are not
    ``None``, so one extreme department cannot hide itself by inflating a mean or a
    standard deviation. With fewer than :data:`MIN_VALUES_FOR_Z` values, or a MAD of 0
    (at least half the departments share one value), no z-score is defined: every
    score is ``None`` (the median is still returned when there are values).
    """
    known = [v for v in values if v is not None]
    if not known:
        return [None] * len(values), None, None
    median = _median(known)
    mad = _median([abs(v - median) for v in known])
    if len(known) < MIN_VALUES_FOR_Z or mad == 0:
        return [None] * len(values), median, mad
    return [None if v is None else ROBUST_Z_CONSTANT * (v - median) / mad for v in values], \
        median, mad


def _pct(value: Fraction) -> str:
    """An exact fraction as a percentage, half-up to two decimals (``85.15%``)."""
    return format_percent(value.numerator, value.denominator)


def _decimal_text(value: Fraction, places: int = 2) -> str:
    """An exact fraction half-up (四舍五入) to ``places`` decimals: 263055/10000 → ``26.31``."""
    scaled = div_half_up(value.numerator * 10**places, value.denominator)
    return str(Decimal(scaled).scaleb(-places).quantize(Decimal(1).scaleb(-places)))


def _z_clause(z: Fraction, median: Fraction, threshold: Fraction) -> str:
    side = "高于" if z > 0 else "低于"
    limit = _decimal_text(threshold)
    limit = limit.rstrip("0").rstrip(".")  # 3.5, not 3.50
    return f"明显{side}各部门中位数{_pct(median)}（稳健z值{_decimal_text(z)}，阈值±{limit}）"


def _flag_rows(frame: pd.DataFrame, metric: str, label: str, rates: list[Fraction | None],
               z_threshold: Fraction, clauses: Mapping[int, list[str]],
               context: Mapping[int, str]) -> list[dict[str, object]]:
    """One row per department with at least one reason: its z-score beyond the threshold,
    or a clause in ``clauses`` (row position → reasons). The reason names the figure
    first, with the row's ``context`` (e.g. the amounts behind it), then each clause."""
    zs, median, _ = robust_z_scores(rates)
    rows = []
    for i, (code, name) in enumerate(zip(frame["dept_code"], frame["dept_name"], strict=True)):
        reasons = list(clauses.get(i, []))
        z, rate = zs[i], rates[i]
        if z is not None and median is not None and abs(z) > z_threshold:
            reasons.append(_z_clause(z, median, z_threshold))
        if reasons and rate is not None:
            rows.append({"dept_code": str(code), "dept_name": str(name), "metric": metric,
                         "indicator": label, "value": float(rate),
                         "robust_z": np.nan if z is None else float(z),
                         "reason": f"{label}{_pct(rate)}{context.get(i, '')}，{'，'.join(reasons)}"})
    return rows


def outliers(ranking: pd.DataFrame, sangong: pd.DataFrame, *,
             z_threshold: float = DEFAULT_Z_THRESHOLD,
             execution_floor: float | None = DEFAULT_EXECUTION_FLOOR) -> pd.DataFrame:
    """Departments whose execution rate or 三公 change stands out, each with the reason.

    ``ranking`` is :func:`execution_ranking` (or any frame with dept_code, dept_name,
    actual, denominator_amount, execution_rate_note); ``sangong`` is
    :func:`sangong_totals` (dept_code, dept_name, current, previous, change,
    change_rate_note). A figure is unusual when its modified z-score
    (:func:`robust_z_scores`, over the departments where the rate applies) is beyond
    ±``z_threshold``, or, for execution, when the rate is below ``execution_floor``
    (strictly: exactly 80 % is not below 80 %; ``None`` turns the floor off).
    Comparisons are exact on the integer amounts.

    One row per department and metric: dept_code, dept_name, metric
    (``execution_rate`` / ``sangong_change_rate``), indicator (Chinese name), value
    (fraction), robust_z (NaN when not defined) and reason, a Chinese sentence naming
    the figures (percentages half-up to two decimals, amounts in 万元).
    """
    threshold = Fraction(str(z_threshold))
    rates = _exact_rates(ranking, "actual", "denominator_amount", "execution_rate_note")
    below: dict[int, list[str]] = {}
    if execution_floor is not None:
        floor = Fraction(str(execution_floor))
        below = {i: [f"低于{_pct(floor)}"] for i, r in enumerate(rates) if r is not None and r < floor}
    rows = _flag_rows(ranking, "execution_rate", EXECUTION_LABEL, rates, threshold, below, {})
    changes = _exact_rates(sangong, "change", "previous", "change_rate_note")
    amounts = {i: f"（上年{format_wan(int(p))}万元，本年{format_wan(int(c))}万元）"
               for i, (c, p, r) in enumerate(zip(sangong["current"], sangong["previous"], changes,
                                                 strict=True)) if r is not None}
    rows += _flag_rows(sangong, "sangong_change_rate", SANGONG_LABEL, changes, threshold, {},
                       amounts)
    columns = ["dept_code", "dept_name", "metric", "indicator", "value", "robust_z", "reason"]
    out = pd.DataFrame(rows, columns=columns)
    out["value"] = out["value"].astype("float64")
    out["robust_z"] = out["robust_z"].astype("float64")
    out.attrs = {"z_threshold": z_threshold, "execution_floor": execution_floor}
    return out


# ---------------------------------------------------------------------------------------
# Display (strings for a report: 万元, percentages half-up)
# ---------------------------------------------------------------------------------------

def execution_table(ranking: pd.DataFrame) -> pd.DataFrame:
    """:func:`execution_ranking` as printed: 万元, exact percentages, Chinese headers."""
    out = in_wan(ranking, ["rank", *DEPT_KEYS])
    out["rank"] = ranking["rank"].astype("object").where(ranking["rank"].notna(), "—")
    out["execution_rate_note"] = ranking["execution_rate_note"]
    return out.rename(columns={"rank": "排名", "dept_code": "部门编码", "dept_name": "部门名称",
                               "original_budget": "年初预算（万元）",
                               "adjusted_budget": "调整后预算（万元）", "actual": "执行数（万元）",
                               "execution_rate": "预算执行率", "execution_rate_note": "说明"})


def lagging_table(lagging: pd.DataFrame) -> pd.DataFrame:
    """:func:`lagging_projects` as printed: 万元, percentages and gaps to two decimals."""
    return pd.DataFrame({
        "部门名称": lagging["dept_name"], "单位名称": lagging["unit_name"],
        "项目名称": lagging["project_name"], "月份": lagging["month"],
        "累计支出（万元）": lagging["cumulative_actual"].map(format_wan),
        "可用预算（万元）": lagging["denominator_amount"].map(format_wan),
        "支出进度": [format_percent(int(n), int(d)) for n, d in
                    zip(lagging["cumulative_actual"], lagging["denominator_amount"], strict=True)],
        "序时进度": [f"{round_half_up(str(b * 100), 2)}%" for b in lagging["benchmark"]],
        "差距（百分点）": [str(round_half_up(str(g), 2)) for g in lagging["gap_pp"]],
        "状态": lagging["status"],
    })


def _rate_text(num: object, den: object, note: str) -> str:
    return note if note else format_percent(int(num), int(den))  # type: ignore[call-overload]


def sangong_table(totals: pd.DataFrame) -> pd.DataFrame:
    """三公 totals per department as printed: 万元 and the change rate (or why none)."""
    return pd.DataFrame({
        "部门编码": totals["dept_code"], "部门名称": totals["dept_name"],
        "本年（万元）": totals["current"].map(format_wan),
        "上年（万元）": ["—" if pd.isna(p) else format_wan(int(p)) for p in totals["previous"]],
        "增减（万元）": ["—" if pd.isna(c) else format_wan(int(c)) for c in totals["change"]],
        "变动率": [_rate_text(c, p, n) for c, p, n in
                zip(totals["change"], totals["previous"], totals["change_rate_note"], strict=True)],
    })


def scores_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`scores` as printed: total half-up to two decimals, highest first."""
    ordered = table.sort_values(["total", "dept_code"], ascending=[False, True],
                                na_position="last", ignore_index=True)
    return pd.DataFrame({
        "部门编码": ordered["dept_code"], "部门名称": ordered["dept_name"],
        "自评得分": ["—" if pd.isna(t) else str(round_half_up(str(t), 2)) for t in ordered["total"]],
        "等级": ordered["grade"].replace("", "—"), "说明": ordered["score_note"],
    })


def sangong_chart_frame(totals: pd.DataFrame) -> pd.DataFrame:
    """三公 totals in 万元 (Decimal, half-up) for ``report.charts.year_on_year``:
    columns 部门, 本年, 上年 (``None`` where there is no previous year)."""
    return pd.DataFrame({
        "部门": totals["dept_name"].tolist(),
        "本年": [fen_to_wan(int(c)) for c in totals["current"]],
        "上年": [None if pd.isna(p) else fen_to_wan(int(p)) for p in totals["previous"]],
    })


def execution_chart(ranking: pd.DataFrame, *, floor: float | None = DEFAULT_EXECUTION_FLOOR,
                    title: str = "各部门预算执行率") -> Figure:
    """Horizontal bars of each department's execution rate (%), highest on top, labelled
    with the exact percentage (half-up), the floor as a dashed accent line. Departments
    whose rate does not apply are left out. Drawn in the house style
    (:func:`outturn.report.charts.use_house_style`), 16 cm wide like the report's charts.
    """
    from matplotlib.figure import Figure

    from outturn.report import charts

    charts.use_house_style()
    shown = ranking[ranking["execution_rate_note"] == ""]
    labels = [charts.wrap_label(name) for name in shown["dept_name"]]
    fig = Figure(figsize=(charts.FIGURE_WIDTH_CM * charts.CM, (3.5 + 0.8 * len(shown)) * charts.CM),
                 layout="constrained")
    ax = fig.add_subplot()
    percents = (shown["execution_rate"] * 100).tolist()
    bars = ax.barh(range(len(shown)), percents, height=0.6, color=charts.ACTUAL_COLOR)
    ax.bar_label(bars, labels=[format_percent(int(n), int(d)) for n, d in
                               zip(shown["actual"], shown["denominator_amount"], strict=True)],
                 padding=2, fontsize=charts.VALUE_LABEL_SIZE)
    ax.set_yticks(range(len(shown)), labels)
    ax.set_ylim(len(shown) - 0.5, -0.5)  # highest rate on top
    ax.tick_params(axis="y", length=0)
    ax.grid(False)
    ax.grid(True, axis="x")
    if floor is not None:
        ax.axvline(floor * 100, linestyle="--", linewidth=1.2, color=charts.ACCENT_COLOR,
                   label=f"下限 {format_percent(*Fraction(str(floor)).as_integer_ratio())}")
        ax.legend(loc="lower right")
    ax.set_xlim(min([0.0, *percents]), max([100.0, *percents]) * 1.15)
    ax.set_xlabel("预算执行率（%）")
    ax.set_title(title)
    return fig
