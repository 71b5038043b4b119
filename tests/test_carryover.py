"""Carry-over done right: 上年结转 can join the execution rate's denominator, tables show
it wherever a row has some, and every rate above 100 % is a finding in 七 with its
figures and its likely cause."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import DEPARTMENTS_CSV, write_raw
from hypothesis import given
from hypothesis import strategies as st
from outturn.ingest.run import ingest
from outturn.metrics.budget import DENOMINATORS, budget_vs_actual
from outturn.report.findings import FindingRules
from outturn.report.model import Paragraph, Report
from outturn.store.read import DeptYear, load

BUDGET = (
    "年度,部门编码,单位编码,预算类型,支出类型,项目编码,项目名称,功能分类科目编码,经济分类科目编码,"
    "上年结转（元）,年初预算数（元）,追加（元）,调减（元）\n"
    "2022,901,901001,一般公共预算,基本支出,,,2120101,30101,0,10000000.00,0,0\n"
    "2022,901,901001,一般公共预算,项目支出,P1,道路维护,2120104,,4000000.00,5000000.00,3000000.00,0\n"
    "2022,901,901002,政府性基金预算,项目支出,P2,路灯建设,2120803,,0,2000000.00,0,500000.00\n"
)
PAYMENTS = (
    "凭证号,支付日期,部门编码,单位编码,预算类型,支出类型,项目编码,功能分类科目编码,经济分类科目编码,"
    "金额（元）,摘要\n"
    "V1,2022-01-15,901,901001,一般公共预算,基本支出,,2120101,30101,4000000.00,工资\n"
    "V2,2022-02-15,901,901001,一般公共预算,基本支出,,2120101,30101,5000000.00,工资\n"
    "V3,2022-06-30,901,901001,一般公共预算,项目支出,P1,2120104,30213,10000000.00,维修\n"
    "V5,2022-11-20,901,901002,政府性基金预算,项目支出,P2,2120803,31005,1500000.00,路灯\n"
    "V6,2022-12-20,901,901002,政府性基金预算,项目支出,P2,2120803,31005,300000.00,路灯\n"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """道路维护 spends 1000 of 400 carried over plus 800 adjusted (125 % of the adjusted
    budget, within the available); 路灯建设 spends 180 of 150 with nothing carried over."""
    root = tmp_path_factory.mktemp("carryover")
    result = ingest(write_raw(root / "raw", departments=DEPARTMENTS_CSV, budget=BUDGET,
                              payments=PAYMENTS), root / "processed")
    assert [p for p in result.collected.problems if p.severity == "error"] == []
    return root / "processed"


def _report(dy: DeptYear, denominator: str) -> Report:
    from outturn.report.build import ReportInputs, build_report
    from outturn.scoring.engine import score_department
    from outturn.scoring.rules import DEFAULT_RULE_SET, load_rule_set

    score = score_department(dy, load_rule_set(DEFAULT_RULE_SET))
    return build_report(ReportInputs(dy, None, score, None, denominator),  # type: ignore[arg-type]
                        generated=date(2023, 3, 31))


def _problems(report: Report) -> list[str]:
    return [b.text for b in report.section("七").blocks if isinstance(b, Paragraph)]


def _measures(report: Report) -> list[str]:
    return [b.text for b in report.section("八").blocks if isinstance(b, Paragraph)]


def test_the_available_denominator_puts_carry_over_into_the_execution_rate(store: Path) -> None:
    dy = load("901", 2022, store)
    rows = budget_vs_actual(dy.budget, dy.payments, by=["project_code"],
                            denominator="available").set_index("project_code")
    assert rows.loc["P1", "denominator_amount"] == 1_200_000_000          # 400 + 800 万元, in 分
    assert rows.loc["P1", "execution_rate"] == pytest.approx(1000 / 1200)
    assert rows.attrs["denominator_label"] == "可用预算（上年结转+调整后预算）"


@given(carry=st.integers(0, 10**9), adjusted=st.integers(1, 10**9), actual=st.integers(0, 10**9))
def test_carry_over_in_the_denominator_never_raises_the_rate(carry: int, adjusted: int,
                                                               actual: int) -> None:
    budget = pd.DataFrame({"fund_type": ["一般公共预算"], "expense_kind": ["项目支出"],
                           "project_code": ["P"], "carryover": [carry], "original_budget": [adjusted],
                           "supplementary": [0], "reduction": [0], "adjusted_budget": [adjusted],
                           "funds_received": pd.array([pd.NA], dtype="Int64")})
    payments = pd.DataFrame({"fund_type": ["一般公共预算"], "expense_kind": ["项目支出"],
                             "project_code": ["P"], "amount": [actual], "budgeted": [True]})
    rate = {d: budget_vs_actual(budget, payments, by=(), denominator=d)["execution_rate"].iloc[0]
            for d in ("adjusted", "available")}
    assert rate["available"] <= rate["adjusted"]
    assert rate["available"] * (carry + adjusted) == pytest.approx(actual)


def test_tables_show_carry_over_where_a_row_has_some_and_only_there(store: Path) -> None:
    report = _report(load("901", 2022, store), "adjusted")
    tables = {t.key: t for t in report.tables()}
    overview = tables["overview"].frame
    assert list(overview.columns[:4]) == ["预算类型", "支出类型", "上年结转", "年初预算"]
    general = {"预算类型": "一般公共预算", "支出类型": "项目支出"}
    assert tables["overview"].cell(general, "上年结转") == "400.00"
    assert tables["overview"].cell({"预算类型": "合计", "支出类型": ""}, "上年结转") == "400.00"
    assert "上年结转" in tables["general_projects"].frame.columns
    assert "上年结转" not in tables["fund_projects"].frame.columns     # its book has none


def test_a_rate_above_100_percent_is_a_finding_with_its_figures_and_cause(store: Path) -> None:
    report = _report(load("901", 2022, store), "adjusted")
    over = [t for t in _problems(report) if "执行率超过100%" in t]
    assert len(over) == 1
    text = over[0]
    assert "道路维护执行率125.00%（实际支出1000.00万元，调整后预算800.00万元，上年结转400.00万元）" in text
    assert "路灯建设执行率120.00%（实际支出180.00万元，调整后预算150.00万元）" in text
    assert "道路维护使用了上年结转资金，而执行率以调整后预算计算，未含上年结转" in text
    assert "路灯建设实际支出超出上年结转与调整后预算之和，存在超预算支出" in text
    measures = " ".join(_measures(report))
    assert "将上年结转资金纳入年度预算统筹安排" in measures
    assert "确需超预算的事项按程序先调整预算" in measures


def test_with_carry_over_in_the_denominator_only_spending_beyond_it_is_over_100_percent(
        store: Path) -> None:
    report = _report(load("901", 2022, store), "available")
    projects = {t.key: t for t in report.tables()}["general_projects"]
    assert projects.cell({"单位": "局本级", "项目": "道路维护"}, "执行率") == "83.33%"
    text = " ".join(_problems(report))
    assert "道路维护执行率" not in text
    assert "主要原因是实际支出超出上年结转与调整后预算之和" in text
    assert "将上年结转资金纳入" not in " ".join(_measures(report))


def test_no_rate_above_100_percent_means_no_such_finding(store: Path) -> None:
    from outturn.report.findings import find_problems

    report = _report(load("901", 2022, store), "available")
    tables = {t.key: t for t in report.tables()}
    tables["fund_projects"] = tables["general_projects"]       # only rates at or below 100 %
    overview = tables["overview"]
    frame = overview.frame.copy()
    frame["执行率"] = "90.00%"
    tables["overview"] = type(overview)(overview.key, overview.title, frame, overview.note,
                                        overview.numeric, overview.relations)
    kinds = [f.kind for f in find_problems(load("901", 2022, store), None, FindingRules(), tables,
                                           "available")]
    assert "over_hundred" not in kinds


def test_every_denominator_is_offered_by_the_command_line_and_the_notebook(store: Path) -> None:
    root = Path(__file__).parents[1]
    for notebook in (root / "notebooks" / "report.ipynb",
                     root / "lib" / "outturn" / "report" / "notebooks" / "report.ipynb"):
        source = notebook.read_text(encoding="utf-8")
        assert all(name in source for name in DENOMINATORS), notebook
    done = subprocess.run([sys.executable, "-m", "outturn.cli", "summary", "--dept", "901",
                           "--year", "2022", "--processed", str(store), "--denominator",
                           "available", "--json"], capture_output=True, text=True, check=True)
    summary = json.loads(done.stdout)
    assert summary["denominator"] == "可用预算（上年结转+调整后预算）"
    general = next(o for o in summary["overview"]
                   if (o["fund_type"], o["expense_kind"]) == ("一般公共预算", "项目支出"))
    assert general["carryover"]["wan"] == "400.00"
    assert general["execution_rate"]["percent"] == "83.33%"
