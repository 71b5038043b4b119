"""Several years side by side: budget against actual per year, with year-on-year change.

Reports and PEFA-style credibility checks (domain.md §6) look at three or more years.
:func:`multi_year` runs :func:`outturn.metrics.budget.budget_vs_actual` per year and group
and adds the change on the previous year of actual expenditure (执行数), of the adjusted
budget (调整后预算) and of the year-end balance (结转结余变动率, domain.md §3).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from outturn.metrics.budget import (
    _combine,
    _normalise_by,
    _sum_budget,
    _sum_payments,
    fill_amounts,
)
from outturn.metrics.budget_rates import Denominator, derive_rates
from outturn.metrics.ratios import add_rate

#: Amounts compared with the previous year: column → Chinese name used in notes.
CHANGED: dict[str, str] = {
    "actual": "上年执行数",
    "adjusted_budget": "上年调整后预算",
    "balance": "上年结转结余",
}


def multi_year(
    budget: pd.DataFrame,
    payments: pd.DataFrame,
    by: Sequence[str] | str = (),
    years: Sequence[int] | None = None,
    *,
    denominator: Denominator = "adjusted",
) -> pd.DataFrame:
    """:func:`budget_vs_actual` per year (× group), with year-on-year change.

    Both frames need ``year``. The loaded years are those present in either frame; every
    group appears in every loaded year (zero amounts where it had no budget line and no
    payment that year), so a project that ended shows its fall to zero. ``years`` keeps
    only those years in the result; each must be loaded (``ValueError`` otherwise), and a
    loaded year before the first kept one still serves as its previous year.

    Columns: year, the ``by`` keys, every :func:`budget_vs_actual` column, then for
    ``x`` in actual, adjusted_budget and balance: ``x_previous`` (Int64, the same group's
    amount in year − 1), ``x_change`` (Int64, x − x_previous) and ``x_change_rate`` =
    x_change / x_previous with ``x_change_rate_note``. When year − 1 is not loaded the
    three are NA and the note says there is no previous-year data; a previous amount of 0
    (or negative) makes the rate not applicable with that reason.
    """
    by_cols = _normalise_by(by)
    if "year" in by_cols:
        raise ValueError("multi_year always groups by year; leave 'year' out of by")
    keys = ["year", *by_cols]
    bud = _sum_budget(budget, keys, "multi_year")
    has_received = bool(bud.attrs["has_received"])
    sums = _combine(bud, _sum_payments(payments, keys, "multi_year"), keys)
    sums["year"] = sums["year"].astype(np.int64)
    loaded = sorted(int(y) for y in sums["year"].unique())
    if years is not None:
        wanted = [int(y) for y in years]
        absent = sorted(set(wanted) - set(loaded))
        if absent:
            raise ValueError(f"no budget or payment data for year(s) {absent}; loaded: {loaded}")

    year_frame = pd.DataFrame({"year": np.array(loaded, dtype=np.int64)})
    if by_cols:
        groups = sums[by_cols].drop_duplicates()
        grid = groups.merge(year_frame, how="cross")[keys]
    else:
        grid = year_frame
    full = grid.merge(sums, on=keys, how="left", indicator=True)
    filled = (full.pop("_merge") == "left_only").to_numpy()
    full = fill_amounts(full, filled, has_received)
    full = full.sort_values(keys, na_position="last", kind="stable", ignore_index=True)
    out = derive_rates(full, denominator)
    attrs = dict(out.attrs)

    previous = out[[*keys, *CHANGED]].copy()
    previous["year"] = previous["year"] + 1
    previous = previous.rename(columns={c: f"{c}_previous" for c in CHANGED})
    out = out.merge(previous, on=keys, how="left")
    prev_loaded = out["year"].isin([y + 1 for y in loaded]).to_numpy()
    for col, zh in CHANGED.items():
        prev = out[f"{col}_previous"].astype("Int64").mask(
            pd.Series(~prev_loaded, index=out.index))
        out[f"{col}_previous"] = prev
        out[f"{col}_change"] = out[col].astype("Int64") - prev
        out = add_rate(out, f"{col}_change_rate", f"{col}_change", f"{col}_previous",
                       zero_reason=f"{zh}为0，同比变动率不适用",
                       missing_reason="无上年数据，同比变动率不适用",
                       negative_reason=f"{zh}为负数，同比变动率不适用")
        attrs["rate_parts"][f"{col}_change_rate"] = (f"{col}_change", f"{col}_previous")
    if years is not None:
        out = out[out["year"].isin(wanted)].reset_index(drop=True)
    out.attrs = attrs
    return out
