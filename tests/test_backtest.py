"""Backtest: ingest the bundled sample and reproduce every expenditure figure of the
reference report (2022 整体支出绩效自评报告 of 零陵区城市管理和综合执法局), to 0.01 万元.

The expected values are copied from the reference report's figure list; the test goes
through the whole pipeline (readers → ingest → store → metrics → summary → CLI).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from outturn.cli import main
from outturn.metrics.summary import summarise
from outturn.store.read import load

DEPT = "零陵区城市管理和综合执法局"

# 一般公共预算 project expenditure, by unit and project (万元)
PROJECTS = {
    "局本级": {
        "工具车维护运行专项资金": "25.70", "广告清洗保洁专项资金": "16.30",
        "数字化城市管理资金": "38.23", "文明劝导员工资专项资金": "158.79",
        "下水道疏通车养护资金": "7.09", "污水治理专项资金": "68.40",
        "城管制服专项": "45.01", "春节工程项目付款": "401.92",
    },
    "零陵区路灯管理所": {"智慧照明运行、维护项目": "418.02", "春节工程项目付款": "129.36"},
}
FUND_PROJECTS = {"局本级": {"基础设施项目": "108.00"},
                 "零陵区路灯管理所": {"智慧照明项目": "859.08"}}


@pytest.fixture(scope="module")
def processed(sample_processed: Path) -> Path:
    return sample_processed


@pytest.fixture(scope="module")
def summary(processed: Path) -> dict:
    return summarise(load(DEPT, 2022, processed))


def _book(summary: dict, fund: str) -> dict:
    return next(b for b in summary["books"] if b["fund_type"] == fund)


def test_basic_expenditure(summary: dict) -> None:
    basic = _book(summary, "一般公共预算")["basic"]
    assert basic["actual"]["wan"] == "2909.79"
    assert basic["personnel"]["wan"] == "2691.67"
    assert basic["operating"]["wan"] == "218.12"
    assert [u["unit_name"] for u in basic["by_unit"]] == ["局本级"]


def test_sangong(summary: dict) -> None:
    items = {i["item"]: i["actual"]["wan"] for i in summary["sangong"]}
    assert items["公务接待费"] == "3.70"
    assert items["公务用车运行维护费"] == "2.86"
    assert items["因公出国（境）费用"] == "0.00"


def _projects(book: dict) -> dict[str, dict[str, str]]:
    return {u["unit_name"]: {p["project_name"]: p["actual"]["wan"] for p in u["projects"]}
            for u in book["projects"]["by_unit"]}


def test_general_budget_projects(summary: dict) -> None:
    book = _book(summary, "一般公共预算")
    assert book["projects"]["actual"]["wan"] == "1308.82"
    units = {u["unit_name"]: u["actual"]["wan"] for u in book["projects"]["by_unit"]}
    assert units == {"局本级": "761.44", "零陵区路灯管理所": "547.38"}
    assert _projects(book) == PROJECTS


def test_government_fund_projects(summary: dict) -> None:
    book = _book(summary, "政府性基金预算")
    assert book["actual"]["wan"] == "967.08"
    assert book["basic"] is None
    assert _projects(book) == FUND_PROJECTS


def test_empty_books_say_none(summary: dict) -> None:
    assert _book(summary, "国有资本经营预算")["empty"]
    assert _book(summary, "社会保险基金预算")["empty"]


def test_budget_consistent_with_section_seven(summary: dict) -> None:
    """Large supplementary share and low project execution, as the report says."""
    rows = {(o["fund_type"], o["expense_kind"]): o for o in summary["overview"]}
    projects = rows[("一般公共预算", "项目支出")]
    original, adjusted = projects["original"]["fen"], projects["adjusted"]["fen"]
    assert (adjusted - original) / adjusted > 1 / 3
    assert float(projects["execution_rate"]["percent"].rstrip("%")) < 75


def test_cli_summary_prints_every_figure(processed: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["summary", "--dept", DEPT, "--year", "2022", "--processed", str(processed)]) == 0
    text = capsys.readouterr().out
    figures = ["2909.79", "2691.67", "218.12", "3.70", "2.86", "1308.82", "761.44", "547.38",
               "967.08", "108.00", "859.08"]
    figures += [v for unit in (PROJECTS, FUND_PROJECTS) for p in unit.values() for v in p.values()]
    for figure in figures:
        assert figure in text, figure
    assert "国有资本经营预算支出：无" in text
    assert "社会保险基金预算支出：无" in text


def test_cli_summary_json_by_code(processed: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["summary", "--dept", "115", "--year", "2022", "--json",
                 "--processed", str(processed)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["dept_name"] == DEPT
    assert _book(data, "政府性基金预算")["actual"] == {"fen": 967_080_000, "wan": "967.08"}


#: The sample-shape departments (docs/sample-data.md) have 2021 and 2022 only.
SHAPE_DEPTS = ("122", "123", "124")


def test_every_sample_department_year_loads(processed: Path) -> None:
    from outturn.store.read import available_years, departments

    for code in departments(processed)["dept_code"].unique():
        years = (2021, 2022) if code in SHAPE_DEPTS else (2020, 2021, 2022, 2023)
        assert available_years(code, processed) == list(years)
        for year in years:
            dy = load(code, year, processed)
            assert len(dy.payments) > 0 and len(dy.budget) > 0 and dy.profile
