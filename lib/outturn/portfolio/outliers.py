"""Which departments stand out: robust (median/MAD) z-scores of the execution rate and
the 三公 change, and the execution floor, each flag with the figures that raised it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import numpy as np
import pandas as pd

from outturn.money import format_ratio, format_wan, round_half_up
from outturn.portfolio.figures import (
    DEFAULT_EXECUTION_FLOOR,
    DEFAULT_Z_THRESHOLD,
    EXECUTION_LABEL,
    MIN_VALUES_FOR_Z,
    ROBUST_Z_CONSTANT,
    SANGONG_LABEL,
    _exact_rates,
)


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
    return format_ratio(value)


def _decimal_text(value: Fraction, places: int = 2) -> str:
    """An exact fraction half-up (四舍五入) to ``places`` decimals: 263055/10000 → ``26.31``."""
    return str(round_half_up(value, places))


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


