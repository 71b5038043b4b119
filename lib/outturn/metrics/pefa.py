"""PEFA budget-credibility indicators PI-1, PI-2 and PI-3 (PEFA 2016 Framework).

The rules are those of ``domain.md`` §6, which follows the PEFA 2016 Framework
(PEFA Secretariat, *Framework for assessing public financial management*, 2016, pillar I
"Budget reliability"). ``docs/pefa.md`` states every formula and band.

This module is the public face: :func:`pi1`, :func:`pi2` and :func:`pi3` rate the
indicators and return their results, with the outturn bands each is graded by (the
printed legend, :func:`outturn_legend`, reads the same bands). The parts live beside it:

- :mod:`outturn.metrics.pefa_exact`: inputs as exact fractions, so band edges are exact;
- :mod:`outturn.metrics.pefa_bands`: yearly letters and the "two of the last three
  years" rule;
- :mod:`outturn.metrics.pefa_composition`: the composition variance of PI-2 and PI-3.2;
- :mod:`outturn.metrics.pefa_aggregation`: the M1 and M2 scores.

Their public names used by callers are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from fractions import Fraction
from typing import Any

import pandas as pd

from outturn.metrics.pefa_aggregation import m1, m2
from outturn.metrics.pefa_bands import (
    LETTERS,
    OutturnBands,
    band_legend,
    contingency_letter,
    last_three,
    ratio_letter,
    two_of_three,
    variance_letter,
)
from outturn.metrics.pefa_composition import (
    COMPOSITION_TABLE_LABELS,
    OTHER_LABEL,
    TOTAL_LABEL,
    composition_table,
    composition_variance,
    compositions,
    variance_frame,
)
from outturn.metrics.pefa_exact import exact, year_key
from outturn.metrics.ratios import require_columns

__all__ = [
    "COMPOSITION_TABLE_LABELS",
    "LETTERS",
    "OTHER_LABEL",
    "TOTAL_LABEL",
    "PI1Result",
    "PI2Result",
    "PI3Result",
    "composition_table",
    "composition_variance",
    "m1",
    "m2",
    "pi1",
    "pi2",
    "pi3",
]

# Inclusive outturn bands (lower, upper) per letter; D is everything else. Read when an
# indicator is rated and when its legend is printed, so both follow any change here.
PI1_BANDS: tuple[tuple[str, Fraction, Fraction], ...] = (
    ("A", Fraction(95, 100), Fraction(105, 100)),
    ("B", Fraction(90, 100), Fraction(110, 100)),
    ("C", Fraction(85, 100), Fraction(115, 100)),
)
PI31_BANDS: tuple[tuple[str, Fraction, Fraction], ...] = (
    ("A", Fraction(97, 100), Fraction(106, 100)),
    ("B", Fraction(94, 100), Fraction(112, 100)),
    ("C", Fraction(92, 100), Fraction(116, 100)),
)


def outturn_legend(bands: OutturnBands | None = None) -> str:
    """The printed legend of an outturn dimension, from the bands it is graded with
    (PI-1's by default), so the report can never state other bands than it applies.

    >>> outturn_legend()
    'A：95%—105%，B：90%—110%，C：85%—115%（含边界），其余为D'
    """
    return band_legend(PI1_BANDS if bands is None else bands)


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


class _ItemAccess:
    """Mapping-style access to the fields of a result dataclass: ``result["score"]``."""

    def __getitem__(self, key: str) -> Any:
        names = {f.name for f in fields(self)}  # type: ignore[arg-type]
        if key not in names:
            raise KeyError(key)
        return getattr(self, key)

    def keys(self) -> list[str]:
        """The field names, so ``dict(result)`` style code can list them."""
        return [f.name for f in fields(self)]  # type: ignore[arg-type]


@dataclass(frozen=True, eq=False)
class PI1Result(_ItemAccess):
    """PI-1 aggregate expenditure outturn.

    ``table``: one row per year (``year, original, actual, outturn, letter``), outturn =
    actual / original as a float fraction and the year's band letter; ``years_used``: the
    three years rated; ``score``: the indicator letter.
    """

    score: str
    table: pd.DataFrame
    years_used: tuple[Any, ...]

    @property
    def ratios(self) -> dict[Any, float]:
        """Outturn ratio per year."""
        return dict(zip(self.table["year"], self.table["outturn"], strict=True))

    @property
    def letters(self) -> dict[Any, str]:
        """Band letter per year."""
        return dict(zip(self.table["year"], self.table["letter"], strict=True))


@dataclass(frozen=True, eq=False)
class PI2Result(_ItemAccess):
    """PI-2 expenditure composition outturn.

    ``dimensions``: {"2.1", "2.2", "2.3"} → letter; ``score``: the M1 aggregate;
    ``by_function`` / ``by_economic``: :func:`composition_variance` frames plus each
    year's ``letter``; ``contingency``: ``year, original_total, contingency_actual, share``
    (empty when no contingency vote); ``contingency_average``: the three-year average share.
    """

    score: str
    dimensions: dict[str, str]
    by_function: pd.DataFrame
    by_economic: pd.DataFrame
    contingency: pd.DataFrame
    contingency_average: float
    years_used: dict[str, tuple[Any, ...]] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class PI3Result(_ItemAccess):
    """PI-3 revenue outturn.

    ``dimensions``: {"3.1", "3.2"} → letter; ``score``: the M2 aggregate; ``outturn``:
    ``year, original, actual, outturn, letter`` (totals per year); ``composition``:
    the :func:`composition_variance` frame plus each year's ``letter``.
    """

    score: str
    dimensions: dict[str, str]
    outturn: pd.DataFrame
    composition: pd.DataFrame
    years_used: dict[str, tuple[Any, ...]] = field(default_factory=dict)


# ---------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------


def _outturn_dimension(
    totals: Mapping[Any, tuple[Fraction, Fraction]],
    bands: OutturnBands,
    indicator: str,
) -> tuple[str, pd.DataFrame, tuple[Any, ...]]:
    """Rate an aggregate outturn: per-year ratio and letter, two-of-last-three letter."""
    years = last_three(totals, indicator)
    rows = []
    letters: dict[Any, str] = {}
    for y in sorted(totals):
        o, a = totals[y]
        if o == 0:
            raise ValueError(
                f"{indicator}: year {y}: original budget is 0, so the outturn ratio is not applicable"
            )
        ratio = a / o
        letters[y] = ratio_letter(ratio, bands)
        rows.append(
            {
                "year": y,
                "original": float(o),
                "actual": float(a),
                "outturn": float(ratio),
                "letter": letters[y],
            }
        )
    score = two_of_three([letters[y] for y in years])
    return (
        score,
        pd.DataFrame(rows, columns=["year", "original", "actual", "outturn", "letter"]),
        tuple(years),
    )


def pi1(df: pd.DataFrame) -> PI1Result:
    """PI-1 aggregate expenditure outturn from ``df`` (``year, original, actual``, a row a year).

    Outturn = actual / original budget. A year's letter: A if 95%–105%, B 90%–110%,
    C 85%–115% (bounds included), else D. The score is the best letter met in at least
    two of the last three years. Fewer than three years, a repeated year or a zero
    original budget raise ValueError.
    """
    require_columns(df, ["year", "original", "actual"], frame_name="df", needed_by="pi1")
    totals: dict[Any, tuple[Fraction, Fraction]] = {}
    for year, orig, act in zip(df["year"], df["original"], df["actual"], strict=True):
        y = year_key(year)
        if y in totals:
            raise ValueError(f"pi1: year {y} appears more than once; give one row per year")
        totals[y] = (exact(orig, what=f"pi1 year {y} original"), exact(act, what=f"pi1 year {y} actual"))
    score, table, years = _outturn_dimension(totals, PI1_BANDS, "PI-1")
    return PI1Result(score=score, table=table, years_used=years)


def _composition_dimension(
    df: pd.DataFrame, *, frame_name: str, indicator: str, top_share: float, max_heads: int
) -> tuple[str, pd.DataFrame, tuple[Any, ...]]:
    """Rate a composition-variance dimension: per-year letter, two-of-last-three letter."""
    comps = compositions(
        df, frame_name=frame_name, needed_by=indicator, top_share=top_share, max_heads=max_heads
    )
    years = last_three((c.year for c in comps), indicator)
    letters = {c.year: variance_letter(c.variance) for c in comps}
    frame = variance_frame(comps)
    frame["letter"] = [letters[c.year] for c in comps]
    return two_of_three([letters[y] for y in years]), frame, tuple(years)


def _contingency_dimension(
    contingency: pd.DataFrame | None,
) -> tuple[str, pd.DataFrame, Fraction, tuple[Any, ...]]:
    """Rate PI-2.3; no contingency vote (None or empty frame) counts as 0 charged → A."""
    columns = ["year", "original_total", "contingency_actual", "share"]
    if contingency is None or len(contingency) == 0:
        return "A", pd.DataFrame(columns=columns), Fraction(0), ()
    require_columns(
        contingency,
        ["year", "original_total", "contingency_actual"],
        frame_name="contingency",
        needed_by="pi2",
    )
    shares: dict[Any, tuple[Fraction, Fraction, Fraction]] = {}
    for year, total, charged in zip(
        contingency["year"], contingency["original_total"], contingency["contingency_actual"], strict=True
    ):
        y = year_key(year)
        if y in shares:
            raise ValueError(f"PI-2.3: contingency year {y} appears more than once; give one row per year")
        t = exact(total, what=f"contingency year {y} original_total")
        c = exact(charged, what=f"contingency year {y} contingency_actual")
        if t == 0:
            raise ValueError(
                f"PI-2.3: year {y}: original_total is 0, so the contingency share is not applicable"
            )
        shares[y] = (t, c, c / t)
    years = last_three(shares, "PI-2.3")
    average = sum((shares[y][2] for y in years), Fraction(0)) / 3
    frame = pd.DataFrame(
        [
            {"year": y, "original_total": float(t), "contingency_actual": float(c), "share": float(s)}
            for y, (t, c, s) in sorted(shares.items())
        ],
        columns=columns,
    )
    return contingency_letter(average), frame, average, tuple(years)


def pi2(
    by_function: pd.DataFrame,
    by_economic: pd.DataFrame,
    contingency: pd.DataFrame | None = None,
    *,
    top_share: float = 0.75,
    max_heads: int = 20,
) -> PI2Result:
    """PI-2 expenditure composition outturn, dimensions 2.1, 2.2, 2.3 and the M1 score.

    ``by_function`` (2.1: excluding contingency and interest) and ``by_economic`` (2.2:
    including interest, excluding contingency) have columns ``year, category, original,
    actual``. A year's letter: variance < 5% A, < 10% B, < 15% C (strictly less), else D;
    each dimension takes the best letter met in two of the last three years.
    ``contingency`` has ``year, original_total, contingency_actual``: the average over the
    last three years of contingency_actual / original_total gives 2.3: A < 3%, B 3%–6%
    inclusive, C above 6% and below 10%, else D. ``None`` or an empty frame means no
    contingency vote: nothing charged to it, so 2.3 is A.
    """
    d21, f21, y21 = _composition_dimension(
        by_function, frame_name="by_function", indicator="PI-2.1", top_share=top_share, max_heads=max_heads
    )
    d22, f22, y22 = _composition_dimension(
        by_economic, frame_name="by_economic", indicator="PI-2.2", top_share=top_share, max_heads=max_heads
    )
    d23, f23, avg, y23 = _contingency_dimension(contingency)
    dims = {"2.1": d21, "2.2": d22, "2.3": d23}
    return PI2Result(
        score=m1(dims.values()),
        dimensions=dims,
        by_function=f21,
        by_economic=f22,
        contingency=f23,
        contingency_average=float(avg),
        years_used={"2.1": y21, "2.2": y22, "2.3": y23},
    )


def pi3(df: pd.DataFrame, *, top_share: float = 0.75, max_heads: int = 20) -> PI3Result:
    """PI-3 revenue outturn, dimensions 3.1 and 3.2 and the M2 score.

    ``df`` has ``year, category, original, actual`` (revenue categories). 3.1: total actual /
    total original per year; A 97%–106%, B 94%–112%, C 92%–116% (bounds included), else D.
    3.2: composition variance as in PI-2 (A < 5%, B < 10%, C < 15%, strict). Each takes the
    best letter met in two of the last three years; the score is M2 of the two.
    """
    require_columns(df, ["year", "category", "original", "actual"], frame_name="df", needed_by="pi3")
    totals: dict[Any, tuple[Fraction, Fraction]] = {}
    for year, orig, act in zip(df["year"], df["original"], df["actual"], strict=True):
        y = year_key(year)
        o, a = totals.get(y, (Fraction(0), Fraction(0)))
        totals[y] = (
            o + exact(orig, what=f"pi3 year {y} original"),
            a + exact(act, what=f"pi3 year {y} actual"),
        )
    d31, outturn, y31 = _outturn_dimension(totals, PI31_BANDS, "PI-3.1")
    d32, comp, y32 = _composition_dimension(
        df, frame_name="df", indicator="PI-3.2", top_share=top_share, max_heads=max_heads
    )
    dims = {"3.1": d31, "3.2": d32}
    return PI3Result(
        score=m2(dims.values()),
        dimensions=dims,
        outturn=outturn,
        composition=comp,
        years_used={"3.1": y31, "3.2": y32},
    )
