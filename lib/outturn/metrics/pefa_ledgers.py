"""PEFA inputs from a department's own multi-year ledgers.

PI-1 compares total actual spending with the original budget (年初预算) year by year;
PI-2 compares its composition by function and by economic type. For a department:

- **function**: the 款 of the functional code (类 when a line has only a 类);
- **economic type**: the economic class (301 personnel, 302 goods and services, …) of
  basic expenditure; project expenditure forms one head, 项目支出, because project
  budget lines usually carry no economic code, so budget and spending can only be
  compared for projects as a whole;
- **contingency**: departments hold no contingency vote (预备费 sits with the finance
  bureau), so dimension 2.3 is rated on zero charges.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from outturn.metrics import pefa
from outturn.store.read import DEFAULT_PROCESSED, DeptYear, available_years, load, resolve_dept
from outturn.vocabulary import PROJECT

PROJECT_HEAD = PROJECT


def _function_head(frame: pd.DataFrame) -> pd.Series:
    kuan = frame["func_kuan"].astype("str")
    return kuan.where(kuan != "", frame["func_class"].astype("str"))


def _economic_head(frame: pd.DataFrame) -> pd.Series:
    econ = frame["econ_class"].astype("str")
    return econ.where(frame["expense_kind"] != PROJECT, PROJECT_HEAD)


def ledger_tables(budgets: pd.DataFrame, payments: pd.DataFrame
                  ) -> dict[str, pd.DataFrame]:
    """The PEFA input tables (``aggregate``, ``by_function``, ``by_economic``) of several
    years of one department's budget lines and payments (money in 分)."""
    def by(head: str) -> pd.DataFrame:
        heads = {"function": _function_head, "economic": _economic_head}[head]
        original = budgets.assign(category=heads(budgets)).groupby(
            ["year", "category"], observed=True)["original_budget"].sum()
        actual = payments.assign(category=heads(payments)).groupby(
            ["year", "category"], observed=True)["amount"].sum()
        table = pd.concat([original.rename("original"), actual.rename("actual")], axis=1)
        return table.fillna(0).astype("int64").reset_index()

    aggregate = pd.concat([budgets.groupby("year")["original_budget"].sum().rename("original"),
                           payments.groupby("year")["amount"].sum().rename("actual")], axis=1)
    return {"aggregate": aggregate.fillna(0).astype("int64").reset_index(),
            "by_function": by("function"), "by_economic": by("economic")}


def department_pefa(dept: str, years: list[int] | None = None,
                    processed_dir: Path | str = DEFAULT_PROCESSED, *,
                    loaded: Sequence[DeptYear] = ()) -> dict[str, object]:
    """PI-1 and PI-2 of a department over its last three (or the given) years.

    ``loaded`` are department-years of it the caller has already loaded (a report has
    this year and the year before): those years are not read again.
    """
    code, _ = resolve_dept(dept, processed_dir)
    chosen = years or available_years(code, processed_dir)[-3:]
    have = {d.year: d for d in loaded if d.dept_code == code}
    return pefa_of([have[y] if y in have else load(code, y, processed_dir) for y in chosen])


def pefa_of(years: Sequence[DeptYear]) -> dict[str, object]:
    """PI-1 and PI-2 of one department's loaded years (oldest first): the tables and scores."""
    tables = ledger_tables(pd.concat([d.budget for d in years], ignore_index=True),
                           pd.concat([d.payments for d in years], ignore_index=True))
    return {"tables": tables, "pi1": pefa.pi1(tables["aggregate"]),
            "pi2": pefa.pi2(tables["by_function"], tables["by_economic"], None)}
