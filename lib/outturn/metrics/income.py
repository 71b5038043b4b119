"""Income by source of funds against last year, and the balance statement by source.

Published reports open a department's finances with its 收入 — 财政拨款收入 of each book,
then 事业收入, 经营收入 and the other sources — with the change against last year, and close
them with the balance: 年初结转结余 + 本年收入 = 本年支出 + 年末结转结余. Both tables here
are grouped like :func:`outturn.metrics.by_source` (财政拨款 then 其他资金, a 小计 per
group, a 合计), and the balance takes its terms from
:func:`outturn.balances.balance_statement`, the very computation ingest checks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from outturn.balances import DIFFERENCE, TERMS, balance_statement
from outturn.metrics.sources import SOURCE_GROUPS, source_group
from outturn.vocabulary import FUND_SOURCES, SUBTOTAL_LABEL, TOTAL_LABEL

__all__ = ["BALANCE_COLUMNS", "INCOME_COLUMNS", "balance_by_source", "balance_gap", "income_by_source"]

#: The amount columns of :func:`income_by_source`.
INCOME_COLUMNS = ("current", "previous", "change")
#: The amount columns of :func:`balance_by_source`.
BALANCE_COLUMNS = (*TERMS, DIFFERENCE)


#: The ledgers a balance statement needs, by their Chinese names.
_LEDGER_ZH = {"income": "收入", "balances": "结转结余"}
#: What is said when a department-year leaves a ledger out (summary and report alike).
MISSING = {name: f"未提供{zh}数据" for name, zh in _LEDGER_ZH.items()}


def balance_gap(income: pd.DataFrame | None, balances: pd.DataFrame | None) -> str:
    """Why the balance statement cannot be drawn up ("" when both ledgers are given).

    >>> balance_gap(None, None)
    '未提供收入和结转结余数据，收支平衡关系无法核对'
    """
    missing = [_LEDGER_ZH[name] for name, frame in (("income", income), ("balances", balances))
               if frame is None]
    return f"未提供{'和'.join(missing)}数据，收支平衡关系无法核对" if missing else ""


def _grouped(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Rows per source (``fund_type`` index) → each group's sources in report order, its
    小计, then the 合计; sums are exact integer sums (``<NA>`` stays missing)."""
    frame = frame.assign(source_group=source_group(frame.index.to_series()).to_numpy())
    order = {name: i for i, name in enumerate(FUND_SOURCES)}
    pieces = []
    for group in SOURCE_GROUPS:
        rows = frame[frame["source_group"] == group]
        if not len(rows):
            continue
        rows = rows.iloc[np.argsort([order.get(f, len(order)) for f in rows.index], kind="stable")]
        pieces.append(rows.reset_index(names="fund_type"))
        subtotal = rows[list(columns)].sum(min_count=1)
        pieces.append(pd.DataFrame([{"fund_type": SUBTOTAL_LABEL, "source_group": group,
                                     **subtotal.to_dict()}]))
    total = frame[list(columns)].sum(min_count=1)
    pieces.append(pd.DataFrame([{"fund_type": TOTAL_LABEL, "source_group": TOTAL_LABEL,
                                 **total.to_dict()}]))
    out = pd.concat(pieces, ignore_index=True)
    for column in columns:
        out[column] = out[column].astype("Int64")
    return out[["source_group", "fund_type", *columns]]


def _sums(income: pd.DataFrame | None) -> pd.Series:
    if income is None or income.empty:
        return pd.Series(dtype="int64")
    return income.assign(fund_type=income["fund_type"].astype("str")).groupby(
        "fund_type")["amount"].sum().astype("int64")


def income_by_source(income: pd.DataFrame, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """本年收入 per source, grouped, with last year's and the change.

    ``previous`` is last year's income table, or ``None`` when last year gave none: then
    ``previous`` and ``change`` are ``<NA>`` throughout (not zero: a missing year is not a
    year without income). A source with income in either year is a row.

    >>> inc = pd.DataFrame({"fund_type": ["一般公共预算", "事业收入"], "amount": [900, 100]})
    >>> last = pd.DataFrame({"fund_type": ["一般公共预算"], "amount": [1000]})
    >>> income_by_source(inc, last).to_numpy().tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['财政拨款', '一般公共预算', 900, 1000, -100], ['财政拨款', '小计', 900, 1000, -100],
     ['其他资金', '事业收入', 100, 0, 100], ['其他资金', '小计', 100, 0, 100],
     ['合计', '合计', 1000, 1000, 0]]
    """
    now = _sums(income)
    frame = pd.DataFrame({"current": now})
    if previous is None:
        frame["previous"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    else:
        before = _sums(previous)
        frame = pd.DataFrame({"current": now, "previous": before}).fillna(0).astype("int64")
    frame["change"] = frame["current"] - frame["previous"]
    return _grouped(frame, INCOME_COLUMNS)


def balance_by_source(income: pd.DataFrame | None, balances: pd.DataFrame | None,
                      payments: pd.DataFrame) -> pd.DataFrame:
    """The balance statement (年初结转结余, 本年收入, 本年支出, 年末结转结余, 差额) per
    source, grouped; a source with any term is a row. 本年支出 is every payment."""
    statement = balance_statement(income if income is not None else pd.DataFrame(),
                                  balances if balances is not None else pd.DataFrame(), payments)
    statement["fund_type"] = statement["fund_type"].astype("str")
    return _grouped(statement.set_index("fund_type")[list(BALANCE_COLUMNS)], BALANCE_COLUMNS)
