"""The balance identity: 年初结转结余 + 本年收入 = 本年支出 + 年末结转结余.

Money that a department may spend in a year is what it carried in plus what it received;
what it did not spend is carried out. The identity holds for the department-year as a
whole and, when no money moved between sources, for each source of funds. Ingest checks
it for every department-year that gives income or balances
(:mod:`outturn.ingest.balance_check`) and the report prints the statement it makes
(:mod:`outturn.metrics.income`); both take its terms from :func:`balance_statement`, so
what is checked and what is printed are one computation.

Amounts are integer 分 summed exactly (ingest has already refused a department-year
whose money could leave int64, :data:`outturn.money.MAX_DEPT_YEAR_FEN`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

#: The terms of the identity, in the order it is read, with their Chinese names.
TERMS: dict[str, str] = {
    "opening_balance": "年初结转结余",
    "income": "本年收入",
    "spending": "本年支出",
    "closing_balance": "年末结转结余",
}
#: opening + income − spending − closing: zero when the identity holds.
DIFFERENCE = "difference"
DIFFERENCE_ZH = "差额"


def _sums(frame: pd.DataFrame, column: str, by: list[str], name: str) -> pd.Series:
    if frame is None or frame.empty:
        return pd.Series(dtype="int64", name=name)
    if not by:
        return pd.Series([int(frame[column].sum())], index=pd.Index([""], name="_all"), name=name)
    grouped = frame.assign(**{c: frame[c].astype("str") for c in by}).groupby(by, observed=True)
    return grouped[column].sum().astype("int64").rename(name)


def balance_statement(income: pd.DataFrame, balances: pd.DataFrame, payments: pd.DataFrame,
                      by: Sequence[str] = ("fund_type",)) -> pd.DataFrame:
    """Each term of the identity and the difference, per group of ``by`` (int64 分).

    A group present in any of the three tables is a row; a term it lacks is 0. With
    ``by=()`` the result is one row for everything given.

    >>> inc = pd.DataFrame({"fund_type": ["一般公共预算"], "amount": [1000]})
    >>> bal = pd.DataFrame({"fund_type": ["一般公共预算"], "opening_balance": [200],
    ...                     "closing_balance": [300]})
    >>> pay = pd.DataFrame({"fund_type": ["一般公共预算"], "amount": [900]})
    >>> balance_statement(inc, bal, pay).iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'fund_type': '一般公共预算', 'opening_balance': 200, 'income': 1000, 'spending': 900,
     'closing_balance': 300, 'difference': 0}
    """
    keys = list(by)
    parts = [_sums(balances, "opening_balance", keys, "opening_balance"),
             _sums(income, "amount", keys, "income"),
             _sums(payments, "amount", keys, "spending"),
             _sums(balances, "closing_balance", keys, "closing_balance")]
    present = [p for p in parts if len(p)]
    if not present:
        return pd.DataFrame(columns=[*keys, *TERMS, DIFFERENCE])
    index = present[0].index
    for p in present[1:]:
        index = index.union(p.index)
    frame = pd.concat([p.reindex(index) for p in parts], axis=1).fillna(0).astype("int64")
    frame[DIFFERENCE] = (frame["opening_balance"] + frame["income"] - frame["spending"]
                         - frame["closing_balance"])
    frame = frame.reset_index()
    return frame.drop(columns=["_all"]) if not keys else frame
