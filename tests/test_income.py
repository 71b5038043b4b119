"""Income and balances in the data model: read, validated and reconciled like the other
ledgers, the balance identity checked per department-year, and 收入 and 结转结余 stated in
the summary and the report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_raw
from hypothesis import given
from hypothesis import strategies as st
from outturn.balances import balance_statement
from outturn.ingest.run import IngestResult, ingest
from outturn.metrics.income import balance_by_source, income_by_source
from outturn.metrics.summary import format_summary, summarise
from outturn.report.model import Paragraph, Report
from outturn.store.read import DeptYear, load
from outturn.vocabulary import SUBTOTAL_LABEL, TOTAL_LABEL

BUDGET = (
    "年度,部门编码,单位编码,预算类型,支出类型,项目编码,项目名称,功能分类科目编码,经济分类科目编码,"
    "年初预算数（元）,追加（元）,调减（元）\n"
    "2022,901,901001,一般公共预算,基本支出,,,2120101,30101,10000000.00,0,0\n"
    "2022,901,901001,一般公共预算,项目支出,P1,道路维护,2120104,,5000000.00,3000000.00,0\n"
    "2022,901,901002,事业收入,基本支出,,,2120101,30201,2000000.00,0,0\n"
)
PAYMENTS = (
    "凭证号,支付日期,部门编码,单位编码,预算类型,支出类型,项目编码,功能分类科目编码,经济分类科目编码,"
    "金额（元）,摘要\n"
    "V1,2022-03-15,901,901001,一般公共预算,基本支出,,2120101,30101,9000000.00,工资\n"
    "V3,2022-06-30,901,901001,一般公共预算,项目支出,P1,2120104,30213,7000000.00,维修\n"
    "V7,2022-09-10,901,901002,事业收入,基本支出,,2120101,30201,1500000.00,办公费\n"
)
INCOME = (
    "年度,部门编码,单位编码,收入来源,本年收入（元）\n"
    "2022,901,901001,一般公共预算财政拨款收入,17000000.00\n"
    "2022,901,901002,事业收入,1800000.00\n"
    "2021,901,901001,一般公共预算,16000000.00\n"
    "2021,901,901002,事业收入,2000000.00\n"
)
BALANCES = (
    "年度,部门编码,单位编码,资金来源,年初结转结余（元）,年末结转结余（元）\n"
    "2022,901,901001,一般公共预算,1200000.00,{closing}\n"
    "2022,901,901002,事业收入,500000.00,800000.00\n"
)


def _ingest(root: Path, *, income: str | None = INCOME, balances: str | None = BALANCES,
            closing: str = "2200000.00") -> IngestResult:
    raw = write_raw(root / "raw", budget=BUDGET, payments=PAYMENTS)
    for name, text in (("income", income), ("balances", balances)):
        if text is not None:
            (raw / name).mkdir()
            (raw / name / f"{name}.csv").write_text(text.format(closing=closing), encoding="utf-8")
    return ingest(raw, root / "processed")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("income")
    result = _ingest(root)
    assert [str(p) for p in result.collected.problems if p.severity == "error"] == []
    return root / "processed"


def _report(dy: DeptYear, previous: DeptYear | None) -> Report:
    from outturn.report.build import ReportInputs, build_report
    from outturn.scoring.engine import score_department
    from outturn.scoring.rules import DEFAULT_RULE_SET, load_rule_set

    score = score_department(dy, load_rule_set(DEFAULT_RULE_SET))
    return build_report(ReportInputs(dy, previous, score, None), generated=date(2023, 3, 31))


def _finances(report: Report) -> tuple[str, dict[str, object]]:
    section = next(s for s in report.section("一").subsections if s.number == "（五）")
    text = " ".join(b.text for b in section.blocks if isinstance(b, Paragraph))
    return text, {b.key: b for b in section.blocks if hasattr(b, "frame")}


def test_income_and_balances_are_read_reconciled_and_loaded(store: Path) -> None:
    dy = load("901", 2022, store)
    assert dy.income is not None and dy.balances is not None
    assert dy.income.set_index("unit_code")["fund_type"].to_dict() == {
        "901001": "一般公共预算", "901002": "事业收入"}       # 财政拨款收入 names its book
    assert int(dy.income["amount"].sum()) == 1_880_000_000
    assert int(dy.balances["closing_balance"].sum()) == 300_000_000
    assert set(dy.balances["unit_name"]) == {"局本级", "测试所"}
    reconciliation = pd.read_csv(store / "current" / "reconciliation.csv", dtype=str)
    mine = reconciliation[reconciliation["table"].isin(["income", "balances"])]
    assert set(mine["column"]) == {"amount", "opening_balance", "closing_balance"}
    assert (mine["balanced"] == "True").all()


def test_a_balance_that_holds_raises_no_problem(store: Path) -> None:
    problems = pd.read_csv(store / "current" / "problems.csv", dtype=str).fillna("")
    assert not problems["rule"].str.contains("balance does not hold").any()
    # 2021 gives income only: said once, as a warning
    unchecked = problems[problems["rule"].str.contains("cannot be checked")]
    assert unchecked["rule"].tolist() == [
        "department 901's 2021 income (收入) are given but no balances (结转结余): the balance "
        "identity 年初结转结余 + 本年收入 = 本年支出 + 年末结转结余 cannot be checked, and the "
        "report says so"]


def test_a_broken_balance_is_a_warning_naming_every_figure(tmp_path: Path) -> None:
    result = _ingest(tmp_path, closing="2000000.00")
    broken = [p for p in result.collected.problems if "balance does not hold" in p.rule]
    assert len(broken) == 1
    p = broken[0]
    assert p.severity == "warning" and p.file.endswith("balances.csv")
    assert "年初结转结余 1,700,000.00 + 本年收入 18,800,000.00 = 20,500,000.00 元" in p.rule
    assert "本年支出 17,500,000.00 + 年末结转结余 2,800,000.00 = 20,300,000.00 元" in p.rule
    assert "a difference of 200,000.00 元 (by source: 一般公共预算 200,000.00 元)" in p.rule
    text, tables = _finances(_report(load("901", 2022, tmp_path / "processed"), None))
    assert "与年末结转结余相差20.00万元" in text
    assert tables["balance"].cell({"资金来源": TOTAL_LABEL, "收入来源": ""}, "差额") == "20.00"


def test_income_without_balances_says_the_identity_cannot_be_checked(tmp_path: Path) -> None:
    result = _ingest(tmp_path, balances=None)
    warning = [p for p in result.collected.problems if "2022 income" in p.rule]
    assert len(warning) == 1 and "add the department-year's balances under balances/" in warning[0].advice
    dy = load("901", 2022, tmp_path / "processed")
    text, tables = _finances(_report(dy, None))
    assert "未提供结转结余数据，收支平衡关系无法核对。" in text
    assert "balance" not in tables and "income" in tables
    summary = summarise(dy)
    assert summary["balance"] is None
    assert summary["balance_note"] == "未提供结转结余数据，收支平衡关系无法核对"


def test_a_repeated_balance_row_is_rejected_naming_the_first(tmp_path: Path) -> None:
    repeated = BALANCES + "2022,901,901002,事业收入,1.00,1.00\n"
    result = _ingest(tmp_path, balances=repeated)
    errors = [p for p in result.collected.problems if p.severity == "error"]
    assert len(errors) == 1 and errors[0].row == 4
    assert "repeats the balance of unit 901002 and source 事业收入 given at" in errors[0].rule
    assert "balances.csv row 3" in errors[0].rule
    assert len(result.collected.rejected["balances"]) == 1
    assert result.balanced                                   # rows and 分 still add up


def test_a_bare_fiscal_income_line_must_name_its_book(tmp_path: Path) -> None:
    result = _ingest(tmp_path, income=INCOME + "2022,901,901001,财政拨款收入,1.00\n")
    errors = [p for p in result.collected.problems if p.severity == "error"]
    assert len(errors) == 1 and errors[0].value == "财政拨款收入"
    assert "一般公共预算财政拨款收入" in errors[0].advice


def test_the_summary_states_income_against_last_year_and_the_balance(store: Path) -> None:
    dy, last = load("901", 2022, store), load("901", 2021, store)
    s = summarise(dy, previous_income=last.income)
    income = {(r["source_group"], r["fund_type"]): r for r in s["income"]}
    total = income[(TOTAL_LABEL, TOTAL_LABEL)]
    assert (total["current"]["wan"], total["previous"]["wan"], total["change"]["wan"]) == \
        ("1880.00", "1800.00", "80.00")
    assert total["change_rate"]["percent"] == "4.44%"
    assert income[("其他资金", "事业收入")]["change"]["wan"] == "-20.00"
    balance = {r["fund_type"]: r for r in s["balance"]}
    assert balance[TOTAL_LABEL]["difference"]["fen"] == 0
    assert balance["一般公共预算"]["spending"]["wan"] == "1600.00"
    text = format_summary(s)
    assert "收入：" in text and "结转结余：" in text and "年末结转结余" in text


def test_the_report_states_income_and_the_balance(store: Path) -> None:
    report = _report(load("901", 2022, store), load("901", 2021, store))
    text, tables = _finances(report)
    assert "2022年度本年收入合计1880.00万元，其中财政拨款收入1700.00万元；其他资金收入180.00万元" in text
    assert "上年收入1800.00万元，比上年增加80.00万元（增长4.44%）" in text
    assert "年初结转结余170.00万元，本年收入1880.00万元，本年支出1750.00万元，" \
           "年末结转结余300.00万元，收支与结转结余相互衔接。" in text
    assert list(tables["income"].frame.columns) == ["资金来源", "收入来源", "本年收入", "上年收入",
                                                    "增减额", "增减率"]


def test_balances_without_income_say_once_that_income_is_missing(tmp_path: Path) -> None:
    _ingest(tmp_path, income=None)
    text, tables = _finances(_report(load("901", 2022, tmp_path / "processed"), None))
    assert text == "未提供收入数据，收支平衡关系无法核对。" and tables == {}


def test_a_department_without_income_or_balances_has_no_such_section(tmp_path: Path) -> None:
    _ingest(tmp_path, income=None, balances=None)
    report = _report(load("901", 2022, tmp_path / "processed"), None)
    assert [s.number for s in report.section("一").subsections] == ["（一）", "（二）", "（三）", "（四）"]
    s = summarise(load("901", 2022, tmp_path / "processed"))
    assert s["income"] is None and s["income_note"] == "未提供收入数据"


amounts = st.integers(0, 10**12)


@given(st.lists(st.tuples(st.sampled_from(["一般公共预算", "政府性基金预算", "事业收入", "其他收入"]),
                          amounts, amounts, amounts, amounts), min_size=1, max_size=8))
def test_the_statement_is_the_identity_and_its_groups_add_up(
        rows: list[tuple[str, int, int, int, int]]) -> None:
    income = pd.DataFrame({"fund_type": [r[0] for r in rows], "amount": [r[1] for r in rows]})
    balances = pd.DataFrame({"fund_type": [r[0] for r in rows], "opening_balance": [r[2] for r in rows],
                             "closing_balance": [r[3] for r in rows]})
    payments = pd.DataFrame({"fund_type": [r[0] for r in rows], "amount": [r[4] for r in rows]})
    whole = balance_statement(income, balances, payments, by=()).iloc[0]
    assert whole["difference"] == sum(r[2] + r[1] - r[4] - r[3] for r in rows)
    grouped = balance_by_source(income, balances, payments)
    total = grouped[grouped["fund_type"] == TOTAL_LABEL].iloc[0]
    subtotals = grouped[grouped["fund_type"] == SUBTOTAL_LABEL]
    for column in ("opening_balance", "income", "spending", "closing_balance", "difference"):
        assert total[column] == whole[column] == subtotals[column].sum()
    by_income = income_by_source(income, None)
    assert by_income[by_income["fund_type"] == TOTAL_LABEL]["current"].iloc[0] == sum(r[1] for r in rows)
