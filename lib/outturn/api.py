"""The analyst's front door: a department-year in, the usual tables out.

Three lines in a notebook::

    import outturn
    dy = outturn.load("零陵区城市管理和综合执法局", 2022)
    outturn.budget_vs_actual(dy, by=["unit_name", "project_name"])
    outturn.progress(dy)

These wrap the frame-level functions of :mod:`outturn.metrics` (which take budget and
payment DataFrames) so the common path needs no column plumbing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from outturn import metrics
from outturn.metrics.budget import Denominator
from outturn.store.read import (
    DEFAULT_PROCESSED,
    DeptYear,
    load,
    load_years,
    previous_payments,
)

__all__ = ["budget_vs_actual", "load", "multi_year", "progress", "sangong"]


def budget_vs_actual(dy: DeptYear, by: Sequence[str] = ("fund_type", "expense_kind"),
                     denominator: Denominator = "adjusted") -> pd.DataFrame:
    """Budget phases against actual spending of a department-year, grouped by ``by``."""
    return metrics.budget_vs_actual(dy.budget, dy.payments, by=list(by), denominator=denominator)


def progress(dy: DeptYear, by: Sequence[str] = (), **options: object) -> pd.DataFrame:
    """Monthly cumulative execution against 序时进度 (options: see ``monthly_progress``)."""
    return metrics.monthly_progress(dy.budget, dy.payments, by=list(by),
                                    year=dy.year, **options)  # type: ignore[arg-type]


def sangong(dy: DeptYear, processed_dir: Path | str = DEFAULT_PROCESSED) -> pd.DataFrame:
    """三公 spending by category against the previous year when it is available."""
    return metrics.sangong_summary(dy.payments, previous_payments(dy, processed_dir))


def multi_year(dept: str, years: Sequence[int] | None = None, by: Sequence[str] = (),
               processed_dir: Path | str = DEFAULT_PROCESSED) -> pd.DataFrame:
    """A department's budget vs actual over several years (all available by default)."""
    budget, payments = load_years(dept, list(years) if years else None, processed_dir)
    return metrics.multi_year(budget, payments, by=list(by))
