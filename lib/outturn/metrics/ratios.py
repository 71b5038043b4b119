"""Rates that may be "not applicable" (不适用), and the column checks every metric shares.

A performance report divides by budget figures that are often zero (a project with no
budget but some spending), missing (实际到位资金 not reported) or, after large in-year
reductions, negative. None of these may produce ``inf``, an unexplained ``NaN`` or an
exception. Every rate therefore travels with a note:

- the rate is a float **fraction** (0.9979, not 99.79) or ``NaN`` when not applicable;
- the note is ``""`` when the rate applies and a Chinese reason otherwise, e.g.
  ``"调整后预算为0，执行率不适用"``.

Every rate column ``x`` in every metrics frame has a companion ``x_note`` column.

Negative denominators are **not applicable** too. Dividing by a negative budget flips the
sign of the rate, so an overspent line would read as a negative execution rate and an
increase as a decrease; no source in domain.md defines a rate over a negative base.
Negative *numerators* are fine (refunds, reductions, year-on-year falls).

The float rate is for sorting, charting and thresholds. Reports print percentages from
the integer numerator and denominator (kept in the frames) with
:func:`outturn.money.percent`, which rounds half-up exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from outturn.problems import OutturnError
from outturn.vocabulary import NOT_APPLICABLE as VOCABULARY_NOT_APPLICABLE

#: Suffix of the note column that accompanies every rate column.
NOTE_SUFFIX = "_note"

#: Status word used where a rate-based classification does not apply.
NOT_APPLICABLE = VOCABULARY_NOT_APPLICABLE

#: Reason used for negative denominators when the caller gives none.
DEFAULT_NEGATIVE_REASON = "分母为负数，比率不适用"


class MissingColumnsError(OutturnError, KeyError):
    """A frame lacks columns a metric needs. A ``KeyError`` whose message names them."""

    def __init__(self, frame_name: str, missing: Sequence[str], needed_by: str) -> None:
        self.frame_name = frame_name
        self.missing = tuple(missing)
        self.needed_by = needed_by
        self.message = (
            f"{frame_name} is missing column(s) {', '.join(map(repr, self.missing))} "
            f"needed by {needed_by}"
        )
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError would otherwise print the message in quotes
        return self.message


def require_columns(
    frame: pd.DataFrame, columns: Iterable[str], *, frame_name: str, needed_by: str
) -> None:
    """Raise :class:`MissingColumnsError` naming every column of ``columns`` not in ``frame``."""
    missing = [c for c in dict.fromkeys(columns) if c not in frame.columns]
    if missing:
        raise MissingColumnsError(frame_name, missing, needed_by)


def na_reasons(metric: str, denominator: str) -> dict[str, str]:
    """The three not-applicable reasons for ``metric`` over ``denominator``, in Chinese.

    >>> na_reasons("执行率", "调整后预算")["zero_reason"]
    '调整后预算为0，执行率不适用'

    The result unpacks straight into :func:`safe_ratio` or :func:`add_rate`.
    """
    return {
        "zero_reason": f"{denominator}为0，{metric}不适用",
        "missing_reason": f"{denominator}缺失，{metric}不适用",
        "negative_reason": f"{denominator}为负数，{metric}不适用",
    }


def _as_float(values: pd.Series) -> np.ndarray:
    """Values as float64 with NaN for missing, whatever the (nullable) dtype."""
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iuf":
        return values.to_numpy(dtype=np.float64)  # plain numbers: no NA to coerce
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def safe_ratio(
    numerator: pd.Series,
    denominator: pd.Series,
    *,
    zero_reason: str,
    missing_reason: str,
    negative_reason: str | None = None,
) -> tuple[pd.Series, pd.Series]:
    """``numerator / denominator`` as a float fraction, with a note saying where it does not apply.

    Returns ``(rate, note)`` on the numerator's index (the two inputs are aligned first;
    a label present on one side only counts as missing). Row by row, first match wins:

    1. numerator or denominator missing (NA/NaN)  → ``NaN``, ``missing_reason``;
    2. denominator == 0                            → ``NaN``, ``zero_reason``;
    3. denominator < 0                             → ``NaN``, ``negative_reason``
       (default :data:`DEFAULT_NEGATIVE_REASON`);
    4. otherwise the quotient (float64) and ``""``.

    Integer inputs up to 2**53 divide with a single correctly rounded float division.
    Never returns ``inf`` and never raises for any numeric input.
    """
    if negative_reason is None:
        negative_reason = DEFAULT_NEGATIVE_REASON
    if not numerator.index.equals(denominator.index):
        numerator, denominator = numerator.align(denominator, join="left")
    num = _as_float(numerator)
    den = _as_float(denominator)
    missing = np.isnan(num) | np.isnan(den)
    zero = ~missing & (den == 0)
    negative = ~missing & (den < 0)
    ok = ~(missing | zero | negative)
    rate = np.full(len(num), np.nan)
    np.divide(num, den, out=rate, where=ok)
    rate[~np.isfinite(rate)] = np.nan  # overflow of huge floats; cannot happen for 分 amounts
    note = np.select([missing, zero, negative, ok & np.isnan(rate)],
                     [missing_reason, zero_reason, negative_reason, missing_reason], "")
    index = numerator.index
    return (pd.Series(rate, index=index, dtype="float64", name=numerator.name),
            pd.Series(note, index=index, dtype="str"))


def add_rate(
    frame: pd.DataFrame,
    name: str,
    numerator: str | pd.Series,
    denominator: str | pd.Series,
    *,
    zero_reason: str,
    missing_reason: str,
    negative_reason: str | None = None,
) -> pd.DataFrame:
    """``frame`` with ``name`` and ``name + "_note"`` set from :func:`safe_ratio`.

    ``numerator`` and ``denominator`` are column names of ``frame`` or Series on its index.
    Returns a new frame (a shallow copy-on-write copy); ``frame`` itself is not modified.
    """
    num = frame[numerator] if isinstance(numerator, str) else numerator
    den = frame[denominator] if isinstance(denominator, str) else denominator
    rate, note = safe_ratio(num, den, zero_reason=zero_reason, missing_reason=missing_reason,
                            negative_reason=negative_reason)
    out = frame.copy(deep=False)
    out[name] = rate.to_numpy()
    out[name + NOTE_SUFFIX] = note.astype("str").to_numpy()
    return out


def money_array(frame: pd.DataFrame, column: str, *, frame_name: str) -> np.ndarray:
    """A money column as an int64 array of 分; raise ``ValueError`` on missing or fractional 分.

    Money must be exact integers. Integer dtypes (nullable or not) pass through; a float
    column is accepted only when every value is a whole number.
    """
    values = frame[column]
    if values.isna().any():
        raise ValueError(f"{frame_name}.{column} has missing amounts; fill or drop them first")
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.to_numpy(dtype=np.int64)
    if pd.api.types.is_float_dtype(values.dtype):
        arr = values.to_numpy(dtype=np.float64)
        if np.all(arr == np.trunc(arr)) and np.all(np.abs(arr) < 2**53):
            return arr.astype(np.int64)
        raise ValueError(f"{frame_name}.{column} has fractional 分; money must be whole 分")
    raise TypeError(f"{frame_name}.{column} must hold integer 分, not {values.dtype}")
