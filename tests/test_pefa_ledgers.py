"""PEFA inputs from a department's ledgers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from outturn.metrics.pefa_ledgers import department_pefa, ledger_tables
from outturn.store.read import departments


def test_ledger_tables_group_by_function_and_economic_head() -> None:
    budget = pd.DataFrame({
        "year": [2022, 2022, 2022], "original_budget": [100, 50, 30],
        "func_class": ["212", "212", "208"], "func_kuan": ["21201", "21201", "20805"],
        "econ_class": ["301", "", "301"], "expense_kind": ["基本支出", "项目支出", "基本支出"],
    })
    payments = pd.DataFrame({
        "year": [2022, 2022], "amount": [90, 60],
        "func_class": ["212", "212"], "func_kuan": ["21201", "21203"],
        "econ_class": ["301", "302"], "expense_kind": ["基本支出", "项目支出"],
    })
    tables = ledger_tables(budget, payments)
    assert tables["aggregate"].to_dict("records") == [{"year": 2022, "original": 180,
                                                       "actual": 150}]
    by_function = tables["by_function"].set_index("category")
    assert by_function.loc["21201", "original"] == 150 and by_function.loc["21203", "actual"] == 60
    by_economic = tables["by_economic"].set_index("category")
    # project lines and project payments meet in one head, whatever their economic code
    assert by_economic.loc["项目支出", "original"] == 50 and by_economic.loc["项目支出", "actual"] == 60
    assert by_economic.loc["301", "original"] == 130 and by_economic.loc["301", "actual"] == 90


def test_every_sample_department_gets_pefa_scores(sample_processed: Path) -> None:
    for code in departments(sample_processed)["dept_code"].unique():
        if code in ("122", "123", "124"):  # the sample shapes have two years: PI-1 needs three
            with pytest.raises(ValueError, match="needs at least three years"):
                department_pefa(code, processed_dir=sample_processed)
            continue
        result = department_pefa(code, processed_dir=sample_processed)
        assert result["pi1"].score in {"A", "B", "C", "D"}
        assert set(result["pi2"].dimensions) == {"2.1", "2.2", "2.3"}
        assert list(result["tables"]["aggregate"]["year"]) == [2021, 2022, 2023]
