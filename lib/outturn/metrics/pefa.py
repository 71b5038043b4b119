"""PEFA budget-credibility indicators PI-1, PI-2 and PI-3 (PEFA 2016 Framework).

The rules are those of ``domain.md`` §6, which follows the PEFA 2016 Framework
(PEFA Secretariat, *Framework for assessing public financial management*, 2016, pillar I
"Budget reliability"). ``docs/pefa.md`` states every formula and band.

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
decided on the exact values.

"At least two of the last three years"
--------------------------------------
The bands of one indicator are nested (every A year also meets B, C and D), so the best
letter that at least two of the three years meet is the *second best* of the three
yearly letters. The three years are the three latest years present in the input (gaps
are allowed); fewer than three years is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from fractions import Fraction
from numbers import Integral, Real
from typing import Any

import pandas as pd

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

#: Dimension letters, best first.
LETTERS: tuple[str, ...] = ("A", "B", "C", "D")
_RANK: dict[str, int] = {letter: i for i, letter in enumerate(LETTERS)}

#: Category label of the line that lumps the smaller heads together (more than 20 heads).
OTHER_LABEL = "其他"
#: Category label of the total row of :func:`composition_table`.
TOTAL_LABEL = "合计"

#: Chinese headers for the columns of :func:`composition_table`, for reports:
#: ``table.rename(columns=COMPOSITION_TABLE_LABELS)``.
COMPOSITION_TABLE_LABELS: dict[str, str] = {
    "category": "类别",
    "original": "年初预算数",
    "actual": "实际数",
    "adjusted": "调整后预算数",
    "deviation": "偏差",
    "abs_deviation": "绝对偏差",
    "percent": "偏差率",
}

# Inclusive outturn bands (lower, upper) per letter; D is everything else.
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
# Strict upper limits of the composition variance per letter; D is everything else.
_VARIANCE_LIMITS: tuple[tuple[str, Fraction], ...] = (
    ("A", Fraction(5, 100)),
    ("B", Fraction(10, 100)),
    ("C", Fraction(15, 100)),
)

# M2 conversion table for two dimensions, keyed by the sorted pair (order does not matter).
_M2_TWO: dict[tuple[str, ...], str] = {
    tuple(sorted(pair)): score
    for pair, score in {
        "DD": "D", "DC": "D+", "DB": "C", "DA": "C+",
        "CC": "C", "CB": "C+", "CA": "B",
        "BB": "B", "BA": "B+",
        "AA": "A",
    }.items()
}  # fmt: skip


# ---------------------------------------------------------------------------
# Exact numbers
# ---------------------------------------------------------------------------


def _exact(value: Any, *, what: str) -> Fraction:
    """``value`` as an exact Fraction; floats through their shortest decimal repr.

    Raises ValueError for missing, infinite or non-numeric values, naming ``what``.
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


def _year_key(year: Any) -> Any:
    """A year as a plain Python value (NumPy integers become ``int``)."""
    return int(year) if isinstance(year, Integral) else year


def _percent(value: Fraction) -> str:
    """``Fraction(95, 100)`` → ``"95%"``; ``Fraction(975, 1000)`` → ``"97.5%"``."""
    text = f"{Decimal(value.numerator) * 100 / Decimal(value.denominator):f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def outturn_legend(bands: Sequence[tuple[str, Fraction, Fraction]] | None = None) -> str:
    """The printed legend of an outturn dimension, from the bands it is graded with
    (PI-1's by default), so the report can never state other bands than it applies.

    >>> outturn_legend()
    'A：95%–105%，B：90%–110%，C：85%–115%（含边界），其余为D'
    """
    chosen = PI1_BANDS if bands is None else bands
    listed = "，".join(f"{letter}：{_percent(lo)}–{_percent(hi)}" for letter, lo, hi in chosen)
    return f"{listed}（含边界），其余为D"


def _ratio_letter(ratio: Fraction, bands: Sequence[tuple[str, Fraction, Fraction]]) -> str:
    """Best letter whose inclusive band [lower, upper] contains ``ratio``; D otherwise."""
    for letter, lower, upper in bands:
        if lower <= ratio <= upper:
            return letter
    return "D"


def _variance_letter(variance: Fraction) -> str:
    """Best letter whose strict limit exceeds ``variance``: A < 5%, B < 10%, C < 15%, else D."""
    for letter, limit in _VARIANCE_LIMITS:
        if variance < limit:
            return letter
    return "D"


def _contingency_letter(average: Fraction) -> str:
    """PI-2.3 letter: A < 3%; B 3%–6% inclusive; C > 6% and < 10%; D otherwise."""
    if average < Fraction(3, 100):
        return "A"
    if average <= Fraction(6, 100):
        return "B"
    if average < Fraction(10, 100):
        return "C"
    return "D"


def _two_of_three(letters: Sequence[str]) -> str:
    """Best letter met in at least two of three years: the second best yearly letter."""
    if len(letters) != 3:
        raise ValueError(f"expected three yearly letters, got {len(letters)}")
    return sorted(letters, key=_RANK.__getitem__)[1]


def _last_three(years: Iterable[Any], indicator: str) -> list[Any]:
    """The three latest years, oldest first; ValueError when fewer than three exist."""
    ordered = sorted(set(years))
    if len(ordered) < 3:
        shown = ", ".join(map(str, ordered)) or "none"
        raise ValueError(
            f"{indicator} needs at least three years (rated on the last three); got {len(ordered)}: {shown}"
        )
    return ordered[-3:]


def _check_letters(letters: Iterable[str], func: str) -> list[str]:
    """The letters as a list, or ValueError if empty or any is not A, B, C or D."""
    out = list(letters)
    if not out:
        raise ValueError(f"{func}: no dimension letters given")
    bad = [x for x in out if x not in _RANK]
    if bad:
        raise ValueError(f"{func}: dimension letters must be A, B, C or D; got {bad!r}")
    return out


# ---------------------------------------------------------------------------
# Aggregation
# ---------------------------------------------------------------------------


def m1(letters: Iterable[str]) -> str:
    """Weakest-link aggregation (M1): the lowest letter, "+" if any other is higher.

    >>> m1(["C", "B", "A"]), m1(["C", "C", "C"]), m1(["D", "A", "A"])
    ('C+', 'C', 'D+')
    """
    seq = _check_letters(letters, "m1")
    lowest = max(seq, key=_RANK.__getitem__)
    plus = any(_RANK[x] < _RANK[lowest] for x in seq)
    return lowest + ("+" if plus else "")


def m2(letters: Iterable[str]) -> str:
    """Averaging aggregation (M2) for two dimensions, by the official conversion table.

    DD→D, DC→D+, DB→C, DA→C+, CC→C, CB→C+, CA→B, BB→B, BA→B+, AA→A; the order of the
    dimensions does not matter. Only the two-dimension table is implemented (PI-3 has
    two dimensions); other counts raise ValueError.

    >>> m2(["A", "D"]), m2(["B", "C"])
    ('C+', 'C+')
    """
    seq = _check_letters(letters, "m2")
    if len(seq) != 2:
        raise ValueError(f"m2: only the two-dimension conversion table is implemented; got {len(seq)}")
    return _M2_TWO[tuple(sorted(seq))]


# ---------------------------------------------------------------------------
# Composition variance
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _YearComposition:
    """The exact composition-variance calculation of one year (after lumping)."""

    year: Any
    categories: tuple[Any, ...]
    original: tuple[Fraction, ...]
    actual: tuple[Fraction, ...]
    lumped: int  # number of heads lumped into the 其他 line (0 if none)

    @property
    def original_total(self) -> Fraction:
        return sum(self.original, Fraction(0))

    @property
    def actual_total(self) -> Fraction:
        return sum(self.actual, Fraction(0))

    @property
    def factor(self) -> Fraction:
        return self.actual_total / self.original_total

    @property
    def adjusted(self) -> tuple[Fraction, ...]:
        f = self.factor
        return tuple(o * f for o in self.original)

    @property
    def deviation(self) -> tuple[Fraction, ...]:
        return tuple(a - adj for a, adj in zip(self.actual, self.adjusted, strict=True))

    @property
    def adjusted_total(self) -> Fraction:
        return sum(self.adjusted, Fraction(0))

    @property
    def abs_deviation_total(self) -> Fraction:
        return sum((abs(d) for d in self.deviation), Fraction(0))

    @property
    def variance(self) -> Fraction:
        return self.abs_deviation_total / self.adjusted_total


def _check_lumping(top_share: float, max_heads: int) -> Fraction:
    """Validate the lumping parameters; ``top_share`` as an exact fraction."""
    share = _exact(top_share, what="top_share")
    if not (0 < share <= 1):
        raise ValueError(f"top_share must be in (0, 1]; got {top_share!r}")
    if isinstance(max_heads, bool) or not isinstance(max_heads, Integral) or max_heads < 1:
        raise ValueError(f"max_heads must be a positive integer; got {max_heads!r}")
    return share


def _lump(
    heads: dict[Any, tuple[Fraction, Fraction]], share: Fraction, max_heads: int
) -> tuple[dict[Any, tuple[Fraction, Fraction]], int]:
    """Keep the largest heads covering ``share`` of the budget; lump the rest into 其他.

    Applies only with more than ``max_heads`` heads. Heads are ranked by original budget
    of the year, largest first (ties by category text); the kept set is the shortest
    prefix whose original budget reaches ``share`` of the total. Kept heads stay in input
    order and the lumped line comes last; if a kept head is itself called 其他, the
    lumped amounts are added to it.
    """
    if len(heads) <= max_heads:
        return heads, 0
    total = sum((o for o, _ in heads.values()), Fraction(0))
    ranked = sorted(heads, key=lambda c: (-heads[c][0], str(c)))
    kept: set[Any] = set()
    running = Fraction(0)
    for cat in ranked:
        if running >= share * total:
            break
        kept.add(cat)
        running += heads[cat][0]
    rest = [c for c in heads if c not in kept]
    if not rest:
        return heads, 0
    out = {c: v for c, v in heads.items() if c in kept}
    rest_o = sum((heads[c][0] for c in rest), Fraction(0))
    rest_a = sum((heads[c][1] for c in rest), Fraction(0))
    if OTHER_LABEL in out:
        o, a = out[OTHER_LABEL]
        out[OTHER_LABEL] = (o + rest_o, a + rest_a)
    else:
        out[OTHER_LABEL] = (rest_o, rest_a)
    return out, len(rest)


def _compositions(
    df: pd.DataFrame, *, frame_name: str, needed_by: str, top_share: float, max_heads: int
) -> list[_YearComposition]:
    """Exact per-year composition calculations of ``df`` (year, category, original, actual).

    Rows with the same year and category are summed. Raises ValueError naming the year
    when Σoriginal is not positive (no factor) or Σactual is zero (no variance).
    """
    require_columns(
        df, ["year", "category", "original", "actual"], frame_name=frame_name, needed_by=needed_by
    )
    share = _check_lumping(top_share, max_heads)
    by_year: dict[Any, dict[Any, tuple[Fraction, Fraction]]] = {}
    for year, cat, orig, act in zip(df["year"], df["category"], df["original"], df["actual"], strict=True):
        y = _year_key(year)
        o = _exact(orig, what=f"{frame_name} year {y} category {cat!r} original")
        a = _exact(act, what=f"{frame_name} year {y} category {cat!r} actual")
        heads = by_year.setdefault(y, {})
        po, pa = heads.get(cat, (Fraction(0), Fraction(0)))
        heads[cat] = (po + o, pa + a)
    out: list[_YearComposition] = []
    for y in sorted(by_year):
        heads, lumped = _lump(by_year[y], share, max_heads)
        comp = _YearComposition(
            year=y,
            categories=tuple(heads),
            original=tuple(v[0] for v in heads.values()),
            actual=tuple(v[1] for v in heads.values()),
            lumped=lumped,
        )
        if comp.original_total <= 0:
            raise ValueError(
                f"{needed_by}: year {y}: total original budget is {float(comp.original_total):g}, "
                "so the adjustment factor (Σactual / Σoriginal) is not applicable"
            )
        if comp.actual_total == 0:
            raise ValueError(
                f"{needed_by}: year {y}: total actual is 0, so the adjusted budget is 0 and "
                "the composition variance (Σ|deviation| / Σadjusted) is not applicable"
            )
        out.append(comp)
    return out


def _variance_frame(comps: Sequence[_YearComposition]) -> pd.DataFrame:
    """One row per year: the factor, the variance and the totals, as floats."""
    return pd.DataFrame(
        {
            "year": [c.year for c in comps],
            "factor": [float(c.factor) for c in comps],
            "variance": [float(c.variance) for c in comps],
            "original_total": [float(c.original_total) for c in comps],
            "actual_total": [float(c.actual_total) for c in comps],
            "adjusted_total": [float(c.adjusted_total) for c in comps],
            "abs_deviation_total": [float(c.abs_deviation_total) for c in comps],
            "heads": [len(c.categories) for c in comps],
            "lumped_heads": [c.lumped for c in comps],
        }
    )


def composition_variance(df: pd.DataFrame, *, top_share: float = 0.75, max_heads: int = 20) -> pd.DataFrame:
    """PEFA composition variance per year (PI-2.1, PI-2.2, PI-3.2).

    ``df`` has columns ``year, category, original, actual``, several categories per year.
    For each year: factor = Σactual / Σoriginal; adjusted_i = original_i × factor;
    deviation_i = actual_i − adjusted_i; variance = Σ|deviation_i| / Σadjusted_i.

    Returns one row per year (sorted) with ``year, factor, variance`` (a fraction: 0.05 is
    5%), ``original_total, actual_total, adjusted_total, abs_deviation_total``, ``heads``
    (lines used, after lumping) and ``lumped_heads`` (heads folded into 其他).

    With more than ``max_heads`` heads in a year, the largest heads by that year's original
    budget that together cover ``top_share`` of it are kept and the rest lumped into one
    其他 line. A year whose total original budget is zero (or negative) has no factor and
    raises ValueError naming the year, as does a year whose total actual is zero.
    """
    comps = _compositions(
        df, frame_name="df", needed_by="composition_variance", top_share=top_share, max_heads=max_heads
    )
    return _variance_frame(comps)


def composition_table(
    df: pd.DataFrame, year: Any, *, top_share: float = 0.75, max_heads: int = 20
) -> pd.DataFrame:
    """The per-category calculation table of one year, in the layout PEFA assessors annex.

    Columns: ``category, original, actual, adjusted, deviation, abs_deviation, percent``
    (``percent`` = |deviation| / adjusted as a fraction; NaN where the adjusted budget of
    a line is 0), one row per category (after lumping, see :func:`composition_variance`)
    and a last total row labelled 合计 whose ``percent`` is the year's variance.
    ``table.attrs`` holds ``year``, ``factor`` and ``variance`` (floats). Rename the
    columns with :data:`COMPOSITION_TABLE_LABELS` for a Chinese report.
    """
    comps = _compositions(
        df, frame_name="df", needed_by="composition_table", top_share=top_share, max_heads=max_heads
    )
    wanted = _year_key(year)
    match = [c for c in comps if c.year == wanted]
    if not match:
        shown = ", ".join(str(c.year) for c in comps) or "none"
        raise ValueError(f"composition_table: year {year!r} not in the data (years: {shown})")
    c = match[0]
    rows = []
    for cat, o, a, adj, dev in zip(c.categories, c.original, c.actual, c.adjusted, c.deviation, strict=True):
        rows.append(
            {
                "category": cat,
                "original": float(o),
                "actual": float(a),
                "adjusted": float(adj),
                "deviation": float(dev),
                "abs_deviation": float(abs(dev)),
                "percent": float(abs(dev) / adj) if adj != 0 else float("nan"),
            }
        )
    rows.append(
        {
            "category": TOTAL_LABEL,
            "original": float(c.original_total),
            "actual": float(c.actual_total),
            "adjusted": float(c.adjusted_total),
            "deviation": float(sum(c.deviation, Fraction(0))),
            "abs_deviation": float(c.abs_deviation_total),
            "percent": float(c.variance),
        }
    )
    table = pd.DataFrame(rows, columns=list(COMPOSITION_TABLE_LABELS))
    table.attrs.update({"year": c.year, "factor": float(c.factor), "variance": float(c.variance)})
    return table


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
    bands: Sequence[tuple[str, Fraction, Fraction]],
    indicator: str,
) -> tuple[str, pd.DataFrame, tuple[Any, ...]]:
    """Rate an aggregate outturn: per-year ratio and letter, two-of-last-three letter."""
    years = _last_three(totals, indicator)
    rows = []
    letters: dict[Any, str] = {}
    for y in sorted(totals):
        o, a = totals[y]
        if o == 0:
            raise ValueError(
                f"{indicator}: year {y}: original budget is 0, so the outturn ratio is not applicable"
            )
        ratio = a / o
        letters[y] = _ratio_letter(ratio, bands)
        rows.append(
            {
                "year": y,
                "original": float(o),
                "actual": float(a),
                "outturn": float(ratio),
                "letter": letters[y],
            }
        )
    score = _two_of_three([letters[y] for y in years])
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
        y = _year_key(year)
        if y in totals:
            raise ValueError(f"pi1: year {y} appears more than once; give one row per year")
        totals[y] = (_exact(orig, what=f"pi1 year {y} original"), _exact(act, what=f"pi1 year {y} actual"))
    score, table, years = _outturn_dimension(totals, PI1_BANDS, "PI-1")
    return PI1Result(score=score, table=table, years_used=years)


def _composition_dimension(
    df: pd.DataFrame, *, frame_name: str, indicator: str, top_share: float, max_heads: int
) -> tuple[str, pd.DataFrame, tuple[Any, ...]]:
    """Rate a composition-variance dimension: per-year letter, two-of-last-three letter."""
    comps = _compositions(
        df, frame_name=frame_name, needed_by=indicator, top_share=top_share, max_heads=max_heads
    )
    years = _last_three((c.year for c in comps), indicator)
    letters = {c.year: _variance_letter(c.variance) for c in comps}
    frame = _variance_frame(comps)
    frame["letter"] = [letters[c.year] for c in comps]
    return _two_of_three([letters[y] for y in years]), frame, tuple(years)


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
        y = _year_key(year)
        if y in shares:
            raise ValueError(f"PI-2.3: contingency year {y} appears more than once; give one row per year")
        t = _exact(total, what=f"contingency year {y} original_total")
        c = _exact(charged, what=f"contingency year {y} contingency_actual")
        if t == 0:
            raise ValueError(
                f"PI-2.3: year {y}: original_total is 0, so the contingency share is not applicable"
            )
        shares[y] = (t, c, c / t)
    years = _last_three(shares, "PI-2.3")
    average = sum((shares[y][2] for y in years), Fraction(0)) / 3
    frame = pd.DataFrame(
        [
            {"year": y, "original_total": float(t), "contingency_actual": float(c), "share": float(s)}
            for y, (t, c, s) in sorted(shares.items())
        ],
        columns=columns,
    )
    return _contingency_letter(average), frame, average, tuple(years)


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
        y = _year_key(year)
        o, a = totals.get(y, (Fraction(0), Fraction(0)))
        totals[y] = (
            o + _exact(orig, what=f"pi3 year {y} original"),
            a + _exact(act, what=f"pi3 year {y} actual"),
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
