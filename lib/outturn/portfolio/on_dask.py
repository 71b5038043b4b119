"""The portfolio's all-department figures on Dask: a province's vouchers never in one process.

:func:`~outturn.portfolio.loader.load_portfolio` holds every department-year of a year in
memory at once: right for a district, not for 10,000 budget units. Here each figure is a
:mod:`dask.dataframe` built with :func:`dask.dataframe.from_map`, one partition per
department: a task reads that department's own Parquet partitions, without the columns no
figure needs (voucher ids, memos, provenance: :data:`outturn.store.read.BULK_COLUMNS`, most
of a ledger's bytes), and computes the department's rows with the same pure function the
pandas path uses (:mod:`outturn.portfolio.figures`). Only those rows — one per department,
per lagging project, per 三公 item — leave the worker; ranks and the order across
departments are made here by the same functions (``rank_execution``, ``order_lagging``),
so every number is the pandas path's number.

``scheduler`` is ``--scheduler``'s value (:mod:`outturn.cluster`: an address or
``local:N``); without it Dask's threads in this process compute the partitions a few at a
time, so memory is a few departments' ledgers, not the year's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from outturn.metrics import budget_vs_actual
from outturn.metrics.budget import Denominator
from outturn.metrics.sangong import Basis
from outturn.portfolio import figures
from outturn.portfolio.figures import DEPT_KEYS, PROJECT_KEYS
from outturn.problems import OutturnError
from outturn.store.read import DEFAULT_PROCESSED, available_years, departments, ledgers


def department_codes(year: int, processed_dir: Path | str = DEFAULT_PROCESSED) -> list[str]:
    """Codes of the departments with data for ``year``, in order."""
    codes = departments(processed_dir)["dept_code"].astype(str).drop_duplicates()
    found = sorted(c for c in codes if int(year) in available_years(c, processed_dir))
    if not found:
        raise OutturnError(f"no department has data for {year} in {processed_dir}")
    return found


def _compute(per_department: Callable[[str], pd.DataFrame], codes: Sequence[str],
             scheduler: str | None) -> pd.DataFrame:
    """Every department's rows, computed as the partitions of one dask DataFrame.

    The first department is computed here too, for the frame's columns and attrs (Dask
    drops ``attrs``); the rows of the others come from the workers.
    """
    import dask
    import dask.dataframe as dd

    from outturn.cluster import connect

    first = per_department(codes[0])
    # the rows keep the dtypes pandas gave them (Dask would turn text into its own strings)
    with dask.config.set({"dataframe.convert-string": False}):
        frame = dd.from_map(per_department, list(codes), meta=first.iloc[:0],
                            enforce_metadata=False, label="outturn-portfolio")
        with connect(scheduler) if scheduler else nullcontext():
            out = frame.compute()
    out = out.reset_index(drop=True)
    out.attrs = dict(first.attrs)
    return out


def _execution_rows(code: str, *, year: int, processed_dir: Path | str,
                    denominator: Denominator) -> pd.DataFrame:
    budget, payments = ledgers(code, year, processed_dir, lean=True)
    return budget_vs_actual(budget, payments, by=list(DEPT_KEYS), denominator=denominator)


def execution_ranking(year: int, processed_dir: Path | str = DEFAULT_PROCESSED,
                      denominator: Denominator = "adjusted", *,
                      scheduler: str | None = None) -> pd.DataFrame:
    """:func:`outturn.portfolio.execution_ranking` of every department of ``year``."""
    processed_dir = Path(processed_dir).resolve()  # the same path on every worker
    codes = department_codes(year, processed_dir)
    rows = _compute(partial(_execution_rows, year=int(year), processed_dir=processed_dir,
                            denominator=denominator), codes, scheduler)
    return figures.rank_execution(rows, denominator)


def _lagging_rows(code: str, *, year: int, processed_dir: Path | str,
                  options: dict[str, Any]) -> pd.DataFrame:
    budget, payments = ledgers(code, year, processed_dir, lean=True)
    return figures.lagging_projects(budget, payments, year=year, **options)


def lagging_projects(year: int, processed_dir: Path | str = DEFAULT_PROCESSED, *,
                        month: int = 12, threshold_pp: float = 10.0,
                        scheduler: str | None = None, **options: Any) -> pd.DataFrame:
    """:func:`outturn.portfolio.lagging_projects` of every department of ``year``."""
    processed_dir = Path(processed_dir).resolve()
    codes = department_codes(year, processed_dir)
    options = {"month": month, "threshold_pp": threshold_pp, **options}
    rows = _compute(partial(_lagging_rows, year=int(year), processed_dir=processed_dir,
                            options=options), codes, scheduler)
    out = figures.order_lagging(rows, options.get("by", PROJECT_KEYS))
    out.attrs = rows.attrs
    return out


def _sangong_rows(code: str, *, year: int, processed_dir: Path | str, basis: Basis) -> pd.DataFrame:
    budget, payments = ledgers(code, year, processed_dir, lean=True)
    before = None
    if year - 1 in available_years(code, processed_dir):
        budget_before, payments_before = ledgers(code, year - 1, processed_dir, lean=True)
        before = budget_before if basis == "budget" else payments_before
    return figures.sangong_changes(budget if basis == "budget" else payments, before, basis=basis)


def sangong_changes(year: int, processed_dir: Path | str = DEFAULT_PROCESSED,
                       basis: Basis = "actual", *, scheduler: str | None = None) -> pd.DataFrame:
    """:func:`outturn.portfolio.sangong_changes` of every department of ``year`` against
    ``year − 1`` (budgets with ``basis="budget"``), departments in code order."""
    processed_dir = Path(processed_dir).resolve()
    codes = department_codes(year, processed_dir)
    return _compute(partial(_sangong_rows, year=int(year), processed_dir=processed_dir,
                            basis=basis), codes, scheduler)
