"""Exact numbers for the PEFA indicators: every input figure as a :class:`fractions.Fraction`.

Why exact arithmetic
--------------------
PEFA bands are decided at their edges: an outturn of exactly 95% is an A, a composition
variance of exactly 5% is a B (the variance bands are strict). Float division cannot
decide such edges reliably (``1.045 / 1.1`` is ``0.9499999999999998``), so every figure is
converted to a :class:`fractions.Fraction` before any arithmetic and every band test is
an exact comparison of fractions:

- integers (Python or NumPy, e.g. money in 分) convert exactly;
- floats convert through their shortest decimal representation (``repr``), i.e. the value
  as the user typed it: ``0.95`` is taken as 95/100, not as the binary double nearest it;
- ``Decimal`` and ``Fraction`` convert exactly.

Frames returned to the caller carry floats (for display and charts); letters are always
decided on the exact values (:mod:`outturn.metrics.pefa_bands`).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from numbers import Integral, Real
from typing import Any

import pandas as pd

__all__ = ["exact", "year_key"]


def exact(value: Any, *, what: str) -> Fraction:
    """``value`` as an exact Fraction; floats through their shortest decimal repr.

    Raises ValueError for missing, infinite or non-numeric values, naming ``what``.

    >>> exact(0.95, what="ratio"), exact(3, what="amount")
    (Fraction(19, 20), Fraction(3, 1))
    """
    if isinstance(value, bool):
        raise ValueError(f"{what}: expected a number, got a boolean {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Integral):
        return Fraction(int(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{what}: value is missing or not finite ({value!r})")
        return Fraction(value)
    if isinstance(value, Real):
        f = float(value)
        if f != f or f in (float("inf"), float("-inf")):
            raise ValueError(f"{what}: value is missing or not finite ({value!r})")
        return Fraction(repr(f))
    if value is None or value is pd.NA or value is pd.NaT:
        raise ValueError(f"{what}: value is missing")
    raise ValueError(f"{what}: expected a number, got {value!r}")


def year_key(year: Any) -> Any:
    """A year as a plain Python value (NumPy integers become ``int``)."""
    return int(year) if isinstance(year, Integral) else year
