"""Ingest's checks of income and balances: one balance row per unit and source, and the
balance identity of every department-year that gives either.

- A second balance row for the same unit and source of funds is rejected, naming the
  first: summed, the two would double the balance; kept apart, the reader cannot tell
  which is right.
- The identity 年初结转结余 + 本年收入 = 本年支出 + 年末结转结余
  (:func:`outturn.balances.balance_statement`) is checked to the 分 for each
  department-year. A break is a warning that names every figure and the sources whose
  own identity breaks most, so the missing or wrong line can be found; the rows are kept,
  and the report states the statement with its difference.
- A department-year that gives income but no balances (or balances but no income) cannot
  be checked; a warning says so and what to add.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from outturn.balances import DIFFERENCE, TERMS, balance_statement
from outturn.ingest.rejects import reject_rows
from outturn.ingest.rowproblems import MAX_LISTED
from outturn.money import fen_to_yuan
from outturn.problems import Problem
from outturn.schema import TABLES

if TYPE_CHECKING:
    from outturn.ingest.collect import Collected

#: The key of one balance row.
BALANCE_KEY = ("year", "dept_code", "unit_code", "fund_type")
#: Sources named in a break, the largest differences first.
SOURCES_NAMED = 3


def _yuan(fen: int) -> str:
    return f"{fen_to_yuan(int(fen)):,.2f}"


def _where(row: pd.Series) -> str:
    sheet = f", sheet {row['_sheet']}" if str(row["_sheet"]) else ""
    return f"{row['_file']}{sheet} row {row['_row']}"


def check_balances(collected: Collected) -> None:
    """Reject repeated balance rows, then check each department-year's identity."""
    _reject_repeats(collected)
    income, balances = collected.tables["income"], collected.tables["balances"]
    if income.empty and balances.empty:
        return
    # payments read in batches are not in memory: their sums per source of funds are
    payments = collected.tables["payments"] if collected.streamed is None \
        else collected.streamed.payment_sums
    given = pd.concat([t[["year", "dept_code"]].astype({"year": "int64", "dept_code": "str"})
                       for t in (income, balances) if len(t)]).drop_duplicates()
    for year, dept in sorted(given.itertuples(index=False)):
        mine = {name: _of(frame, year, dept) for name, frame in
                (("income", income), ("balances", balances), ("payments", payments))}
        if mine["balances"].empty or mine["income"].empty:
            collected.problems.append(_unchecked(mine, year, dept))
            continue
        whole = balance_statement(mine["income"], mine["balances"], mine["payments"], by=())
        if int(whole[DIFFERENCE].iloc[0]):
            by_source = balance_statement(mine["income"], mine["balances"], mine["payments"])
            collected.problems.append(_break(mine["balances"].iloc[0], whole.iloc[0], by_source,
                                             year, dept))


def _of(frame: pd.DataFrame, year: int, dept: str) -> pd.DataFrame:
    if frame.empty:
        return frame
    mask = (frame["year"].astype("int64") == year).to_numpy() & \
        (frame["dept_code"].astype("str") == dept).to_numpy()
    return frame[mask]


def _unchecked(mine: dict[str, pd.DataFrame], year: int, dept: str) -> Problem:
    has, lacks = ("income", "balances") if mine["balances"].empty else ("balances", "income")
    first = mine[has].iloc[0]
    zh = {"income": TABLES["income"].zh, "balances": TABLES["balances"].zh}
    return Problem(
        file=str(first["_file"]), sheet=str(first["_sheet"]), severity="warning",
        rule=f"department {dept}'s {year} {has} ({zh[has]}) are given but no {lacks} "
             f"({zh[lacks]}): the balance identity 年初结转结余 + 本年收入 = 本年支出 + "
             "年末结转结余 cannot be checked, and the report says so",
        advice=f"add the department-year's {lacks} under {lacks}/ (one row per unit and "
               "source of funds)")


def _break(first: pd.Series, whole: pd.Series, by_source: pd.DataFrame, year: int,
           dept: str) -> Problem:
    o, i, s, c = (int(whole[t]) for t in TERMS)
    off = by_source[by_source[DIFFERENCE] != 0]
    off = off.iloc[np.argsort(-off[DIFFERENCE].abs().to_numpy(), kind="stable")][:SOURCES_NAMED]
    sources = "; ".join(f"{r.fund_type} {_yuan(r.difference)} 元" for r in off.itertuples())
    return Problem(
        file=str(first["_file"]), sheet=str(first["_sheet"]), column="年末结转结余",
        value=_yuan(o + i - s - c), severity="warning",
        rule=f"department {dept}'s {year} balance does not hold: 年初结转结余 {_yuan(o)} + "
             f"本年收入 {_yuan(i)} = {_yuan(o + i)} 元, but 本年支出 {_yuan(s)} + 年末结转结余 "
             f"{_yuan(c)} = {_yuan(s + c)} 元, a difference of {_yuan(o + i - s - c)} 元"
             + (f" (by source: {sources})" if sources else ""),
        advice="check that income, payments and balances cover the same units, sources of "
               "funds and the whole year (a missing income line or payments file is the "
               "usual cause); the rows are kept and the report prints the difference")


def _reject_repeats(collected: Collected) -> None:
    frame = collected.tables["balances"]
    if frame.empty:
        return
    keys = frame[list(BALANCE_KEY)].astype("str")
    repeat = keys.duplicated(keep="first").to_numpy()
    if not repeat.any():
        return
    first_of = frame[~keys.duplicated(keep="first")].set_index(
        pd.MultiIndex.from_frame(keys[~keys.duplicated(keep="first")]))
    reasons = pd.Series("", index=frame.index, dtype="str")
    for listed, pos in enumerate(np.flatnonzero(repeat)):
        row = frame.iloc[pos]
        first = first_of.loc[tuple(keys.iloc[pos])]
        rule = (f"repeats the balance of unit {row['unit_code']} and source {row['fund_type']} "
                f"given at {_where(first)}")
        reasons.iloc[pos] = "unit_code: " + rule
        if listed < MAX_LISTED:
            collected.problems.append(Problem(
                file=str(row["_file"]), sheet=str(row["_sheet"]), row=int(row["_row"]),
                column="单位编码", value=str(row["unit_code"]), rule=rule,
                advice="keep one balance row per unit and source of funds (add parts up "
                       "into one row)"))
    reject_rows(collected, "balances", repeat, reasons)
