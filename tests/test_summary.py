"""summarise / format_summary on a hand-built department-year."""

from __future__ import annotations

import pandas as pd
from outturn.metrics.summary import format_summary, summarise
from outturn.store.read import DeptYear


def _dy() -> DeptYear:
    base = {"year": 2022, "dept_code": "901", "unit_code": "901001", "unit_name": "局本级",
            "fund_type": "一般公共预算", "func_code": "2120101", "carryover": 0,
            "supplementary": 0, "reduction": 0, "funds_received": pd.NA}
    budget = pd.DataFrame([
        {**base, "expense_kind": "基本支出", "project_code": "", "project_name": "",
         "econ_code": "30101", "original_budget": 1_000_000, "adjusted_budget": 1_000_000,
         "cost_type": "人员经费", "sangong": ""},
        {**base, "expense_kind": "项目支出", "project_code": "P1", "project_name": "道路",
         "econ_code": "", "original_budget": 300_000, "adjusted_budget": 300_000,
         "cost_type": "", "sangong": ""},
    ])
    budget["funds_received"] = budget["funds_received"].astype("Int64")
    pay = {"year": 2022, "dept_code": "901", "unit_code": "901001", "unit_name": "局本级",
           "fund_type": "一般公共预算", "func_code": "2120101", "month": 3, "budgeted": True}
    payments = pd.DataFrame([
        {**pay, "expense_kind": "基本支出", "project_code": "", "project_name": "",
         "econ_code": "30101", "amount": 600_000, "cost_type": "人员经费", "sangong": ""},
        {**pay, "expense_kind": "基本支出", "project_code": "", "project_name": "",
         "econ_code": "30217", "amount": 37_000, "cost_type": "公用经费", "sangong": "公务接待费"},
        {**pay, "expense_kind": "项目支出", "project_code": "P1", "project_name": "道路",
         "econ_code": "30213", "amount": 100_000, "cost_type": "", "sangong": ""},
        {**pay, "expense_kind": "项目支出", "project_code": "P9", "project_name": "",
         "econ_code": "30213", "amount": 5_000, "cost_type": "", "sangong": "",
         "budgeted": False},
    ])
    return DeptYear("901", "测试局", 2022, budget, payments, pd.DataFrame(), {}, "v1")


def test_summary_figures() -> None:
    s = summarise(_dy())
    general = s["books"][0]
    assert general["basic"]["actual"]["wan"] == "0.64"            # 6370 元
    assert general["basic"]["personnel"]["fen"] == 600_000
    assert general["basic"]["operating"]["fen"] == 37_000
    unit = general["projects"]["by_unit"][0]
    assert [p["project_name"] for p in unit["projects"]] == ["道路", "（预算外项目）"]
    # 1000 元 / 3000 元 = 33.33%; the unbudgeted project has no budget: not applicable
    assert unit["projects"][0]["execution_rate"]["percent"] == "33.33%"
    assert unit["projects"][1]["execution_rate"]["percent"] is None
    assert unit["projects"][1]["execution_rate"]["note"]
    assert s["unbudgeted"]["fen"] == 5_000
    assert all(b["empty"] for b in s["books"][1:])


def test_text_says_none_for_empty_books_and_shows_unbudgeted() -> None:
    text = format_summary(summarise(_dy()))
    assert "三、政府性基金预算支出：无" in text
    assert "公务接待费" in text and "0.04" in text   # 370 元 → 0.04 万元 (四舍五入)
    assert "无预算支出" in text
    assert "不适用" in text
