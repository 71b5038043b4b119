"""PEFA composition variance (PI-2.1, PI-2.2, PI-3.2): how far the mix of spending moved.

Each year the original budget of every head (function, economic type or revenue
category) is scaled by the year's overall outturn (factor = Σactual / Σoriginal); the
variance is the sum of the absolute deviations of actual from that adjusted budget over
the adjusted total. With more than 20 heads, the smaller ones are lumped into one 其他
line (``docs/pefa.md``). Arithmetic is exact (:mod:`outturn.metrics.pefa_exact`); the
returned frames carry floats, and the letters are given on the exact variance by
:mod:`outturn.metrics.pefa`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from numbers import Integral
from typing import Any

import pandas as pd

from outturn.metrics.pefa_exact import exact, year_key
from outturn.metrics.ratios import require_columns
from outturn.vocabulary import TOTAL_LABEL

__all__ = [
    "COMPOSITION_TABLE_LABELS",
    "OTHER_LABEL",
    "TOTAL_LABEL",
    "YearComposition",
    "composition_table",
    "composition_variance",
    "compositions",
    "variance_frame",
]


#: Category label of the line that lumps the smaller heads together (more than 20 heads).
OTHER_LABEL = "其他"
#: Category label of the total row of :func:`composition_table`.

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


@dataclass(frozen=True)
class YearComposition:
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
    share = exact(top_share, what="top_share")
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


def compositions(
    df: pd.DataFrame, *, frame_name: str, needed_by: str, top_share: float, max_heads: int
) -> list[YearComposition]:
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
        y = year_key(year)
        o = exact(orig, what=f"{frame_name} year {y} category {cat!r} original")
        a = exact(act, what=f"{frame_name} year {y} category {cat!r} actual")
        heads = by_year.setdefault(y, {})
        po, pa = heads.get(cat, (Fraction(0), Fraction(0)))
        heads[cat] = (po + o, pa + a)
    out: list[YearComposition] = []
    for y in sorted(by_year):
        heads, lumped = _lump(by_year[y], share, max_heads)
        comp = YearComposition(
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


def variance_frame(comps: Sequence[YearComposition]) -> pd.DataFrame:
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
    comps = compositions(
        df, frame_name="df", needed_by="composition_variance", top_share=top_share, max_heads=max_heads
    )
    return variance_frame(comps)


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
    comps = compositions(
        df, frame_name="df", needed_by="composition_table", top_share=top_share, max_heads=max_heads
    )
    wanted = year_key(year)
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
