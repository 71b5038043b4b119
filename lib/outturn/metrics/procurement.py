"""政府采购: each category's procurement budget against what was procured, and the rate.

政府采购执行率 = 实际采购金额 / 政府采购预算 (domain.md §3), over the purchases of the
procurement ledger. The table is per 采购类别 in the order reports list them (货物, 工程,
服务), then the 合计; the rate of a category without a procurement budget is not
applicable, with that reason, never a division by zero.
"""

from __future__ import annotations

import pandas as pd

from outturn.metrics.ratios import add_rate, na_reasons
from outturn.schema import TABLES
from outturn.vocabulary import PROCUREMENT_CATEGORIES, TOTAL_LABEL

__all__ = ["ACTUAL_ZH", "BUDGET_ZH", "MISSING", "PROCUREMENT_RATE_ZH", "procurement_by_category"]

#: What is said when a department-year gives no procurement ledger (summary and report).
MISSING = "未提供政府采购数据，政府采购执行率无法计算"
#: The rate's name and its two terms, as the summary and the report print them.
PROCUREMENT_RATE_ZH = "政府采购执行率"
BUDGET_ZH = TABLES["procurement"].field("procurement_budget").zh
ACTUAL_ZH = TABLES["procurement"].field("procurement_actual").zh


def procurement_by_category(procurement: pd.DataFrame) -> pd.DataFrame:
    """Per 采购类别 with purchases: ``category``, ``lines``, ``budget`` and ``actual``
    (int64 分), ``rate`` and ``rate_note``; the 合计 row last.

    >>> frame = pd.DataFrame({"procurement_category": ["服务", "货物", "货物"],
    ...                       "procurement_budget": [100, 300, 200],
    ...                       "procurement_actual": [0, 290, 200]})
    >>> procurement_by_category(frame)[["category", "lines", "budget", "actual"]].values.tolist()
    [['货物', 2, 500, 490], ['服务', 1, 100, 0], ['合计', 3, 600, 490]]
    """
    grouped = (procurement.groupby("procurement_category", observed=True, sort=False)
               .agg(lines=("procurement_budget", "size"), budget=("procurement_budget", "sum"),
                    actual=("procurement_actual", "sum")))
    order = [c for c in PROCUREMENT_CATEGORIES if c in grouped.index]
    rows = grouped.loc[order].rename_axis("category").reset_index()
    total = pd.DataFrame([{"category": TOTAL_LABEL, "lines": int(rows["lines"].sum()),
                           "budget": int(rows["budget"].sum()), "actual": int(rows["actual"].sum())}])
    out = pd.concat([rows, total], ignore_index=True)
    out = out.astype({"lines": "int64", "budget": "int64", "actual": "int64"})
    return add_rate(out, "rate", "actual", "budget", **na_reasons(PROCUREMENT_RATE_ZH, BUDGET_ZH))
