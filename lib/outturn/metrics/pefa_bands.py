"""PEFA dimension letters: the bands a yearly figure is graded by and the three-year rule.

A dimension of PI-1, PI-2 or PI-3 (``docs/pefa.md``) grades each year's figure with a
letter A–D and then takes one letter for the last three years. This module holds that
grading, on exact fractions (:mod:`outturn.metrics.pefa_exact`): outturn ratios against
inclusive bands (the bands themselves belong to each indicator, see
:data:`outturn.metrics.pefa.PI1_BANDS`), composition variances against strict limits,
the contingency share of PI-2.3, and the printed legend of a set of outturn bands.

"At least two of the last three years"
--------------------------------------
The bands of one indicator are nested (every A year also meets B, C and D), so the best
letter that at least two of the three years meet is the *second best* of the three
yearly letters. The three years are the three latest years present in the input (gaps
are allowed); fewer than three years is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from outturn.problems import OutturnError
from outturn.vocabulary import RANGE_DASH

__all__ = [
    "LETTERS",
    "RANK",
    "VARIANCE_LIMITS",
    "OutturnBands",
    "band_legend",
    "contingency_letter",
    "last_three",
    "ratio_letter",
    "two_of_three",
    "variance_letter",
]

#: Dimension letters, best first.
LETTERS: tuple[str, ...] = ("A", "B", "C", "D")
#: Position of each letter in :data:`LETTERS` (0 is best).
RANK: dict[str, int] = {letter: i for i, letter in enumerate(LETTERS)}

#: Inclusive outturn bands (letter, lower, upper), best first; D is everything else.
OutturnBands = Sequence[tuple[str, Fraction, Fraction]]

#: Strict upper limits of the composition variance per letter; D is everything else.
VARIANCE_LIMITS: tuple[tuple[str, Fraction], ...] = (
    ("A", Fraction(5, 100)),
    ("B", Fraction(10, 100)),
    ("C", Fraction(15, 100)),
)


def _percent(value: Fraction) -> str:
    """``Fraction(95, 100)`` → ``"95%"``; ``Fraction(975, 1000)`` → ``"97.5%"``."""
    text = f"{Decimal(value.numerator) * 100 / Decimal(value.denominator):f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def band_legend(bands: OutturnBands) -> str:
    """The printed legend of a set of outturn bands, as a report states it.

    >>> band_legend([("A", Fraction(975, 1000), Fraction(105, 100))])
    'A：97.5%—105%（含边界），其余为D'
    """
    listed = "，".join(f"{letter}：{_percent(lo)}{RANGE_DASH}{_percent(hi)}" for letter, lo, hi in bands)
    return f"{listed}（含边界），其余为D"


def ratio_letter(ratio: Fraction, bands: OutturnBands) -> str:
    """Best letter whose inclusive band [lower, upper] contains ``ratio``; D otherwise."""
    for letter, lower, upper in bands:
        if lower <= ratio <= upper:
            return letter
    return "D"


def variance_letter(variance: Fraction) -> str:
    """Best letter whose strict limit exceeds ``variance``: A < 5%, B < 10%, C < 15%, else D.

    >>> variance_letter(Fraction(5, 100))
    'B'
    """
    for letter, limit in VARIANCE_LIMITS:
        if variance < limit:
            return letter
    return "D"


def contingency_letter(average: Fraction) -> str:
    """PI-2.3 letter: A < 3%; B 3%–6% inclusive; C > 6% and < 10%; D otherwise."""
    if average < Fraction(3, 100):
        return "A"
    if average <= Fraction(6, 100):
        return "B"
    if average < Fraction(10, 100):
        return "C"
    return "D"


def two_of_three(letters: Sequence[str]) -> str:
    """Best letter met in at least two of three years: the second best yearly letter.

    >>> two_of_three(["A", "D", "B"])
    'B'
    """
    if len(letters) != 3:
        raise ValueError(f"expected three yearly letters, got {len(letters)}")
    return sorted(letters, key=RANK.__getitem__)[1]


class TooFewYears(OutturnError, ValueError):
    """A PEFA indicator asked of fewer years than it is rated on; the message names them."""


def last_three(years: Iterable[Any], indicator: str) -> list[Any]:
    """The three latest years, oldest first; :class:`TooFewYears` when fewer exist."""
    ordered = sorted(set(years))
    if len(ordered) < 3:
        shown = ", ".join(map(str, ordered)) or "none"
        raise TooFewYears(
            f"{indicator} needs at least three years (rated on the last three); got {len(ordered)}: "
            f"{shown}. Ingest the ledgers of the earlier years to rate it")
    return ordered[-3:]
