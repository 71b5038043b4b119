"""The portfolio's figures on Dask are the pandas path's figures, frame for frame: on
Dask's threads here and on a real LocalCluster of two workers; the partitions read
leave out the bulk columns (voucher ids, memos, provenance)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from outturn import portfolio
from outturn.portfolio import on_dask
from outturn.store.read import BULK_COLUMNS, ledgers

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pandas_path(sample_processed: Path) -> portfolio.Portfolio:
    return portfolio.load_portfolio(2022, sample_processed)


def test_the_execution_ranking_on_dask_is_the_pandas_ranking(
        sample_processed: Path, pandas_path: portfolio.Portfolio) -> None:
    for denominator in ("adjusted", "original"):
        ours = on_dask.execution_ranking(2022, sample_processed, denominator)
        pd.testing.assert_frame_equal(ours, pandas_path.execution_ranking(denominator))
        assert ours.attrs == pandas_path.execution_ranking(denominator).attrs


def test_the_lagging_projects_on_dask_are_the_pandas_ones(
        sample_processed: Path, pandas_path: portfolio.Portfolio) -> None:
    for month, threshold in ((12, 10.0), (6, 5.0)):
        ours = on_dask.lagging_projects(2022, sample_processed, month=month, threshold_pp=threshold)
        theirs = pandas_path.lagging_projects(month=month, threshold_pp=threshold)
        assert len(theirs) > 0
        pd.testing.assert_frame_equal(ours, theirs)
        assert ours.attrs == theirs.attrs


@pytest.mark.parametrize("basis", ["actual", "budget"])
def test_the_sangong_changes_on_dask_are_the_pandas_ones(
        sample_processed: Path, pandas_path: portfolio.Portfolio, basis: str) -> None:
    ours = on_dask.sangong_changes(2022, sample_processed, basis=basis)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(ours, pandas_path.sangong_changes(basis=basis))  # type: ignore[arg-type]


def test_the_ranking_on_a_local_cluster_of_two_workers_is_the_same(
        sample_processed: Path, pandas_path: portfolio.Portfolio) -> None:
    ours = on_dask.execution_ranking(2022, sample_processed, scheduler="local:2")
    pd.testing.assert_frame_equal(ours, pandas_path.execution_ranking())


def test_a_lean_read_leaves_the_bulk_columns_unread_and_the_figures_alone(sample_processed: Path) -> None:
    budget, payments = ledgers("115", 2022, sample_processed, lean=True)
    _, full_payments = ledgers("115", 2022, sample_processed)
    assert not BULK_COLUMNS & set(payments.columns) and not BULK_COLUMNS & set(budget.columns)
    assert {"voucher_id", "memo"} <= set(full_payments.columns)
    kept = [c for c in full_payments.columns if c not in BULK_COLUMNS]
    pd.testing.assert_frame_equal(payments, full_payments[kept])
