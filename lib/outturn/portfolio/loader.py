"""Loading a portfolio: every department-year of one year (and the year before), each
read from its own partition, so memory grows with the departments, never the ledger.
The only module of the portfolio that reads files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from outturn.metrics.budget import Denominator
from outturn.metrics.sangong import Basis
from outturn.portfolio.figures import (
    DEFAULT_EXECUTION_FLOOR,
    DEFAULT_Z_THRESHOLD,
    execution_ranking,
    lagging_projects,
    sangong_changes,
    sangong_totals,
    scores,
)
from outturn.portfolio.outliers import (
    outliers,
)
from outturn.problems import OutturnError
from outturn.scoring.rules import DEFAULT_RULE_SET, RuleSet, load_rule_set
from outturn.store.read import DEFAULT_PROCESSED, DeptYear, available_years, departments, load


@dataclass
class Portfolio:
    """Every department-year of one year, with the year before where it is on file.

    ``current`` and ``previous`` map dept_code to the department-year as
    :func:`outturn.store.read.load` returns it; ``skipped`` gives, per department of the
    departments table that has no data for ``year``, why it is not in the portfolio.
    The frame properties concatenate the departments' frames for the pure functions.
    """

    year: int
    rule_set: RuleSet
    current: dict[str, DeptYear]
    previous: dict[str, DeptYear] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def budget(self) -> pd.DataFrame:
        """Budget lines of every department in ``year``."""
        return _concat([dy.budget for dy in self.current.values()])

    @property
    def payments(self) -> pd.DataFrame:
        """Payments of every department in ``year``."""
        return _concat([dy.payments for dy in self.current.values()])

    @property
    def previous_payments(self) -> pd.DataFrame | None:
        """Payments of ``year − 1`` of the departments that have it (``None`` if none do)."""
        return _concat([dy.payments for dy in self.previous.values()]) if self.previous else None

    @property
    def previous_budget(self) -> pd.DataFrame | None:
        """Budget lines of ``year − 1`` of the departments that have it (``None`` if none do)."""
        return _concat([dy.budget for dy in self.previous.values()]) if self.previous else None

    def departments(self) -> pd.DataFrame:
        """dept_code, dept_name and whether the previous year is on file, one row each."""
        return pd.DataFrame({
            "dept_code": list(self.current),
            "dept_name": [dy.dept_name for dy in self.current.values()],
            "has_previous": [code in self.previous for code in self.current],
        })

    def execution_ranking(self, denominator: Denominator = "adjusted") -> pd.DataFrame:
        """:func:`execution_ranking` of the portfolio."""
        return execution_ranking(self.budget, self.payments, denominator=denominator)

    def lagging_projects(self, month: int = 12, threshold_pp: float = 10.0,
                         **options: object) -> pd.DataFrame:
        """:func:`lagging_projects` of the portfolio."""
        return lagging_projects(self.budget, self.payments, month=month,
                                threshold_pp=threshold_pp, year=self.year,
                                **options)  # type: ignore[arg-type]

    def sangong_changes(self, basis: Basis = "actual") -> pd.DataFrame:
        """:func:`sangong_changes` of the portfolio (payments, or budgets with ``basis="budget"``)."""
        if basis == "budget":
            return sangong_changes(self.budget, self.previous_budget, basis="budget")
        return sangong_changes(self.payments, self.previous_payments, basis=basis)

    def scores(self) -> pd.DataFrame:
        """:func:`scores` of the portfolio under its rule set."""
        return scores(self.current, self.rule_set, previous=self.previous)

    def outliers(self, *, z_threshold: float = DEFAULT_Z_THRESHOLD,
                 execution_floor: float | None = DEFAULT_EXECUTION_FLOOR) -> pd.DataFrame:
        """:func:`outliers` of the portfolio's ranking and 三公 totals."""
        return outliers(self.execution_ranking(), sangong_totals(self.sangong_changes()),
                        z_threshold=z_threshold, execution_floor=execution_floor)


def load_portfolio(year: int, processed_dir: Path | str = DEFAULT_PROCESSED,
                   rules: str | Path = DEFAULT_RULE_SET) -> Portfolio:
    """Load every department that has data for ``year``, and its ``year − 1`` when on file.

    Each department-year is read on its own (:func:`outturn.store.read.load` opens only that
    partition). Departments of the departments table without data for ``year`` are
    listed in ``Portfolio.skipped`` rather than failing the whole view. ``rules`` is a
    shipped rule-set id or a YAML path (:func:`outturn.scoring.rules.load_rule_set`).
    Raises :class:`OutturnError` when no department has data for ``year``.
    """
    year = int(year)
    rule_set = load_rule_set(rules)
    codes = departments(processed_dir)["dept_code"].astype(str).drop_duplicates().tolist()
    current: dict[str, DeptYear] = {}
    previous: dict[str, DeptYear] = {}
    skipped: dict[str, str] = {}
    for code in sorted(codes):
        years = available_years(code, processed_dir)
        if year not in years:
            skipped[code] = f"{year}年无数据（有数据的年度：{'、'.join(map(str, years)) or '无'}）"
            continue
        current[code] = load(code, year, processed_dir)
        if year - 1 in years:
            previous[code] = load(code, year - 1, processed_dir)
    if not current:
        raise OutturnError(f"no department has data for {year} in {processed_dir}")
    return Portfolio(year=year, rule_set=rule_set, current=current, previous=previous,
                     skipped=skipped)


def _concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Frames of several departments as one (they share the store's columns)."""
    return pd.concat(list(frames), ignore_index=True)


