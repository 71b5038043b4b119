"""Spending progress (支出进度) against time progress (序时进度), month by month.

序时进度 (domain.md §4) at the end of month m is m / 12 by default; the day-based variant
is the days elapsed to the end of that month over the days in the year (2022: end of
February = 59/365). Some bureaus round the benchmark as a percentage (58.00% for July):
``places`` rounds it half-up to that many decimals of a percentage.

Cumulative spending is divided by a budget denominator, by default the available budget
(上年结转 + 调整后预算: money that may be spent this year); ``"adjusted"`` (调整后预算) and
``"original"`` (年初预算) are the alternatives. The gap to the benchmark is in percentage
points (百分点); behind is 滞后, behind by more than ``lag_points`` points is 严重滞后.

Status decisions use exact rational arithmetic on the integer amounts and the benchmark
fraction, so a gap of exactly 10 points is 滞后, not 严重滞后 through float noise.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from fractions import Fraction
from typing import Literal

import numpy as np
import pandas as pd

from outturn.metrics.budget import _group_sums, _normalise_by
from outturn.metrics.budget_rates import AVAILABLE_ZH
from outturn.metrics.ratios import NOT_APPLICABLE, add_rate, money_array, require_columns
from outturn.money import div_half_up

ProgressBasis = Literal["month", "day"]
ProgressDenominator = Literal["available", "adjusted", "original"]

#: Spending-progress denominators: option → (Chinese label, budget columns summed).
PROGRESS_DENOMINATORS: dict[str, tuple[str, tuple[str, ...]]] = {
    "available": (AVAILABLE_ZH, ("carryover", "adjusted_budget")),
    "adjusted": ("调整后预算", ("adjusted_budget",)),
    "original": ("年初预算", ("original_budget",)),
}

#: Status words.
ON_TRACK = "正常"
BEHIND = "滞后"
FAR_BEHIND = "严重滞后"
#: every status that is behind 序时进度 (a month 严重滞后 is behind too)
BEHIND_STATUSES = (BEHIND, FAR_BEHIND)

MONTHS = tuple(range(1, 13))


def _benchmark(month: int, basis: ProgressBasis, year: int | None, places: int | None) -> Fraction:
    """序时进度 at the end of ``month`` as an exact fraction (see :func:`time_progress`)."""
    if isinstance(month, bool) or int(month) != month or not 1 <= month <= 12:
        raise ValueError(f"month must be an integer 1–12, not {month!r}")
    month = int(month)
    if basis == "month":
        value = Fraction(month, 12)
    elif basis == "day":
        if year is None:
            raise ValueError("the day-based 序时进度 needs the year (days in year, February)")
        days = sum(calendar.monthrange(int(year), m)[1] for m in range(1, month + 1))
        value = Fraction(days, 366 if calendar.isleap(int(year)) else 365)
    else:
        raise ValueError(f"basis must be 'month' or 'day', not {basis!r}")
    if places is not None:
        if int(places) != places or places < 0:
            raise ValueError(f"places must be a non-negative integer, not {places!r}")
        scale = 100 * 10 ** int(places)  # units of 10**-places percent
        value = Fraction(div_half_up(value.numerator * scale, value.denominator), scale)
    return value


def time_progress(
    month: int,
    *,
    basis: ProgressBasis = "month",
    year: int | None = None,
    places: int | None = None,
) -> float:
    """序时进度 at the end of ``month`` (1–12), as a fraction of the year.

    - ``basis="month"``: month / 12 (July → 0.58333…).
    - ``basis="day"``: days from 1 January to the end of the month / days in the year;
      needs ``year`` (2022, February → 59/365 = 0.16164…).
    - ``places``: round the benchmark, as a percentage, half-up to that many decimals:
      July with ``places=0`` → 0.58 (58%), with ``places=2`` → 0.5833 (58.33%).
      ``None`` (default) leaves it unrounded.
    """
    return float(_benchmark(month, basis, year, places))


def _single_year(frames: dict[str, pd.DataFrame]) -> int | None:
    """The one year the frames hold (None if they have no year column or no rows)."""
    years: set[int] = set()
    for f in frames.values():
        if "year" in f.columns:
            years.update(int(y) for y in f["year"].dropna().unique())
    if len(years) > 1:
        raise ValueError(
            f"the frames hold several years {sorted(years)}; put 'year' in by or filter first"
        )
    return years.pop() if years else None


def _payment_months(payments: pd.DataFrame) -> np.ndarray:
    """Month 1–12 of each payment: the ``month`` column, else taken from ``date``."""
    if "month" in payments.columns:
        month = payments["month"]
    elif "date" in payments.columns:
        month = pd.to_datetime(payments["date"]).dt.month
    else:
        require_columns(payments, ["month"], frame_name="payments", needed_by="monthly_progress")
    if month.isna().any():
        raise ValueError("payments have rows without a month (or date)")
    arr = month.to_numpy(dtype=np.int64)
    if len(arr) and (arr.min() < 1 or arr.max() > 12):
        raise ValueError("payments.month must be between 1 and 12")
    return arr


def monthly_progress(
    budget: pd.DataFrame,
    payments: pd.DataFrame,
    by: Sequence[str] | str = (),
    *,
    basis: ProgressBasis = "month",
    places: int | None = None,
    lag_points: float = 10.0,
    denominator: ProgressDenominator = "available",
    year: int | None = None,
) -> pd.DataFrame:
    """Cumulative spending progress against 序时进度 for each group and month 1–12.

    Groups are the union of the budget's and the payments' groups over ``by`` (``()``:
    one group). Every group has all twelve months, months without payments included.
    The frames must hold one year unless ``year`` is in ``by``.

    Columns: the ``by`` keys, month, actual (payments of that month, int64 分; refunds
    reduce it), cumulative_actual (int64), denominator (the option), denominator_amount
    (int64: carryover + adjusted_budget for ``"available"``, adjusted_budget or
    original_budget), cumulative_rate = cumulative_actual / denominator_amount with
    cumulative_rate_note, benchmark (序时进度, float fraction), gap_pp = (cumulative_rate −
    benchmark) × 100 in percentage points, and status: 正常 (gap ≥ 0), 滞后 (behind by up
    to ``lag_points`` points), 严重滞后 (behind by more than ``lag_points``), or 不适用
    where the rate is (gap_pp is then NaN).

    ``basis`` and ``places`` are as in :func:`time_progress`; the day basis takes the
    year from ``year``, else from the group's ``year`` key, else from the frames.
    """
    by_cols = _normalise_by(by)
    if denominator not in PROGRESS_DENOMINATORS:
        raise ValueError(
            f"denominator must be one of {sorted(PROGRESS_DENOMINATORS)}, not {denominator!r}"
        )
    if lag_points < 0:
        raise ValueError(f"lag_points must be >= 0, not {lag_points!r}")
    den_zh, den_cols = PROGRESS_DENOMINATORS[denominator]
    require_columns(budget, [*by_cols, *den_cols], frame_name="budget",
                    needed_by="monthly_progress")
    require_columns(payments, [*by_cols, "amount"], frame_name="payments",
                    needed_by="monthly_progress")
    frame_year = None if "year" in by_cols else _single_year(
        {"budget": budget, "payments": payments})
    if year is None:
        year = frame_year
    _benchmark(1, basis, year if "year" not in by_cols else 2000, places)  # validate options

    den_values = sum(money_array(budget, c, frame_name="budget") for c in den_cols)
    bud = _group_sums(budget, by_cols,
                      {"denominator_amount": np.asarray(den_values, dtype=np.int64)})
    months = _payment_months(payments)
    pay = payments[by_cols].assign(month=months) if by_cols else pd.DataFrame({"month": months})
    pay_sums = _group_sums(pay, [*by_cols, "month"],
                           {"actual": money_array(payments, "amount", frame_name="payments")})

    if by_cols:
        groups = pd.concat([bud[by_cols], pay_sums[by_cols]], ignore_index=True)
        groups = groups.drop_duplicates().sort_values(by_cols, na_position="last",
                                                      ignore_index=True)
        grid = groups.merge(pd.DataFrame({"month": MONTHS}), how="cross")
        out = grid.merge(bud, on=by_cols, how="left")
    else:
        out = pd.DataFrame({"month": MONTHS})
        out["denominator_amount"] = int(bud["denominator_amount"].iloc[0])
    out = out.merge(pay_sums, on=[*by_cols, "month"], how="left")
    out["month"] = out["month"].astype(np.int64)
    out["actual"] = out["actual"].fillna(0).astype(np.int64)
    out["denominator_amount"] = out["denominator_amount"].fillna(0).astype(np.int64)
    if by_cols:
        out["cumulative_actual"] = out.groupby(by_cols, sort=False, dropna=False)[
            "actual"].cumsum().astype(np.int64)
    else:
        out["cumulative_actual"] = out["actual"].cumsum().astype(np.int64)
    out["denominator"] = pd.Series([denominator] * len(out), index=out.index, dtype="str")
    out = out[[*by_cols, "month", "actual", "cumulative_actual", "denominator",
               "denominator_amount"]]
    out = add_rate(out, "cumulative_rate", "cumulative_actual", "denominator_amount",
                   zero_reason=f"{den_zh}为0，支出进度不适用",
                   missing_reason=f"{den_zh}缺失，支出进度不适用",
                   negative_reason=f"{den_zh}为负数，支出进度不适用")

    # Benchmark per row as an exact fraction p/q, computed once per (month, year).
    months_arr = out["month"].to_numpy()
    if "year" in by_cols and year is None:
        years_arr = out["year"].to_numpy(dtype=np.int64)
    else:
        years_arr = np.zeros(len(out), dtype=np.int64)
    bench_p = np.empty(len(out), dtype=object)
    bench_q = np.empty(len(out), dtype=object)
    for y in np.unique(years_arr):
        for m in MONTHS:
            rows = (years_arr == y) & (months_arr == m)
            if rows.any():
                value = _benchmark(m, basis, int(y) if "year" in by_cols and year is None
                                   else year, places)
                bench_p[rows] = value.numerator
                bench_q[rows] = value.denominator
    out["benchmark"] = (bench_p / bench_q).astype(np.float64)  # correctly rounded

    # gap in points, exactly: 100 × (n/d − p/q) = 100 (n q − p d) / (d q), Python ints
    lag = Fraction(str(lag_points))
    ok = (out["cumulative_rate_note"] == "").to_numpy()
    n = out["cumulative_actual"].to_numpy()[ok].astype(object)
    d = out["denominator_amount"].to_numpy()[ok].astype(object)
    diff = n * bench_q[ok] - bench_p[ok] * d
    scale = d * bench_q[ok]
    gaps = np.full(len(out), np.nan)
    gaps[ok] = (100 * diff / scale).astype(np.float64)
    status = np.full(len(out), NOT_APPLICABLE, dtype=object)
    far = (100 * diff * lag.denominator < -lag.numerator * scale).astype(bool)
    status[ok] = np.where((diff >= 0).astype(bool), ON_TRACK, np.where(far, FAR_BEHIND, BEHIND))
    out["gap_pp"] = gaps
    out["status"] = pd.Series(status, index=out.index, dtype="str")
    out.attrs = {
        "basis": basis,
        "places": places,
        "lag_points": lag_points,
        "denominator": denominator,
        "denominator_label": den_zh,
        "rate_parts": {"cumulative_rate": ("cumulative_actual", "denominator_amount")},
    }
    return out
