"""Spending by source of funds: 财政拨款 (the four books) and 其他资金 (事业收入 …).

A 事业单位 spends its fees and business income beside its appropriations; published
reports give the department total over every source and then split it into
财政拨款支出 and 其他资金支出. :func:`by_source` is that split, each source with its
budget phases and rates exactly as :func:`outturn.metrics.budget_vs_actual` computes them,
so the parts and the totals are the same sums of 分 the rest of the report prints.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from outturn.metrics.budget import budget_vs_actual
from outturn.metrics.budget_rates import Denominator
from outturn.vocabulary import BOOKS, FISCAL, FUND_SOURCES, NON_FISCAL, SUBTOTAL_LABEL, TOTAL_LABEL

#: The two groups of sources, in report order.
SOURCE_GROUPS: tuple[str, ...] = (FISCAL, NON_FISCAL)


def source_group(fund_type: pd.Series) -> pd.Series:
    """财政拨款 for a line of one of the four books, 其他资金 for any other source."""
    books = fund_type.astype("str").isin(BOOKS).to_numpy()
    return pd.Series(np.where(books, FISCAL, NON_FISCAL), index=fund_type.index, dtype="str")


def _grouped(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(source_group=source_group(frame["fund_type"]))


def by_source(budget: pd.DataFrame, payments: pd.DataFrame,
              denominator: Denominator = "adjusted") -> pd.DataFrame:
    """Budget against actual per source of funds, grouped 财政拨款 then 其他资金.

    Rows: for each group with any budget or spending, its sources in the order of
    :data:`outturn.vocabulary.FUND_SOURCES` (only those with a figure), then the group's
    row (``fund_type`` = 小计); last the department's row (both keys 合计). Columns:
    ``source_group``, ``fund_type``, then those of :func:`budget_vs_actual`.

    >>> from outturn.metrics.budget import BUDGET_AMOUNTS
    >>> bud = pd.DataFrame({"fund_type": ["一般公共预算", "事业收入"], "dept_code": "1",
    ...                     **{c: [0, 0] for c in BUDGET_AMOUNTS}})
    >>> bud["original_budget"] = bud["adjusted_budget"] = [800, 200]
    >>> pay = pd.DataFrame({"fund_type": ["一般公共预算", "事业收入"], "dept_code": "1",
    ...                     "amount": [700, 150], "budgeted": True})
    >>> by_source(bud, pay)[["source_group", "fund_type", "actual"]].to_numpy().tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['财政拨款', '一般公共预算', 700], ['财政拨款', '小计', 700], ['其他资金', '事业收入', 150],
     ['其他资金', '小计', 150], ['合计', '合计', 850]]
    """
    bud, pay = _grouped(budget), _grouped(payments)
    sources = budget_vs_actual(bud, pay, by=["source_group", "fund_type"], denominator=denominator)
    groups = budget_vs_actual(bud, pay, by=["source_group"], denominator=denominator)
    total = budget_vs_actual(bud, pay, by=(), denominator=denominator)
    sources[["source_group", "fund_type"]] = sources[["source_group", "fund_type"]].astype("str")
    groups["source_group"] = groups["source_group"].astype("str")
    pieces = []
    for group in SOURCE_GROUPS:
        rows = sources[sources["source_group"] == group]
        rows = rows[_has_figure(rows)]
        if not len(rows):
            continue
        order = {name: i for i, name in enumerate(FUND_SOURCES)}
        rows = rows.iloc[np.argsort([order.get(f, len(order)) for f in rows["fund_type"]],
                                    kind="stable")]
        pieces += [rows, groups[groups["source_group"] == group].assign(fund_type=SUBTOTAL_LABEL)]
    pieces.append(total.assign(source_group=TOTAL_LABEL, fund_type=TOTAL_LABEL))
    out = pd.concat(pieces, ignore_index=True)
    columns = ["source_group", "fund_type", *(c for c in out.columns
                                              if c not in ("source_group", "fund_type"))]
    return out[columns]


def _has_figure(rows: pd.DataFrame) -> pd.Series:
    return (rows[["carryover", "original_budget", "adjusted_budget", "actual"]] != 0).any(axis=1)


def has_other_sources(frame: pd.DataFrame) -> bool:
    """Whether a :func:`by_source` frame has any spending or budget outside the four books
    (a line of another source whose amounts are all zero does not count)."""
    return bool((frame["source_group"] == NON_FISCAL).any())
