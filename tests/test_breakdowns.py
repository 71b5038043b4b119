"""The figures real reports print beside the totals: spending by 功能分类, 公用经费 by
sub-item, the 三公 budget with its control rate, 实际到位 with 到位率, and
在职人员控制率 — in the summary and the report, adding up to the totals they break down."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import shapes
from hypothesis import HealthCheck, given, settings
from outturn.metrics import personnel_operating
from outturn.metrics.breakdowns import by_function, funds_received, operating_items
from outturn.metrics.summary import format_summary, summarise
from outturn.report.build import build_report, load_inputs
from outturn.report.model import Paragraph, Report
from outturn.store.read import DeptYear, load, previous_year
from outturn.vocabulary import OPERATING, TOTAL_LABEL


@pytest.fixture(scope="module")
def report(sample_processed: Path) -> Report:
    return build_report(load_inputs("115", 2022, sample_processed))


def _tables(report: Report) -> dict[str, object]:
    return {t.key: t for t in report.tables()}


def _text(report: Report) -> str:
    return " ".join(b.text for s in report.sections for b in s.walk() if isinstance(b, Paragraph))


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(shapes.department_years())
def test_the_breakdowns_add_up_to_the_totals_they_break_down(
        pair: tuple[DeptYear, DeptYear | None]) -> None:
    dy, _ = pair
    for level in ("类", "款"):
        rows = by_function(dy.budget, dy.payments, level)
        assert rows["actual"].sum() == dy.payments["amount"].sum()
        assert rows["adjusted_budget"].sum() == dy.budget["adjusted_budget"].sum()
    split = personnel_operating(dy.payments).set_index("cost_type")["actual"]
    assert operating_items(dy.payments)["actual"].sum() == split.get(OPERATING, 0)


def test_the_reference_department_by_function_and_operating_sub_item(report: Report) -> None:
    tables = _tables(report)
    functions = tables["by_function"]
    assert functions.cell(TOTAL_LABEL, "实际支出") == "5185.69"     # the department total
    assert functions.cell("212", "科目名称") == "城乡社区支出"
    assert functions.cell("212", "实际支出") == "4480.29"
    items = tables["general_operating_items"]
    assert items.cell(TOTAL_LABEL, "实际支出") == "218.12"           # figures.md: 公用经费 218.12
    assert items.cell("30217", "实际支出") == "3.70" and items.cell("30231", "实际支出") == "2.86"
    text = _text(report)
    assert "城乡社区支出4480.29万元（占86.40%）" in text
    assert "公用经费中，其他交通费用33.06万元（占15.16%）" in text


def test_the_sangong_budget_is_printed_with_its_control_rate_and_change(report: Report) -> None:
    budget = _tables(report)["sangong_budget"]
    assert [budget.cell(TOTAL_LABEL, c) for c in ("预算数", "实际支出", "控制率", "上年预算", "增减额")] == \
        ["7.00", "6.56", "93.71%", "7.90", "-0.90"]
    assert budget.cell("因公出国（境）费用", "控制率") == "—"           # no budget: not applicable
    assert "“三公”经费调整后预算7.00万元，实际支出6.56万元，“三公”经费控制率93.71%；" \
           "“三公”经费预算比上年减少0.90万元（下降11.39%）" in _text(report)


def test_funds_received_and_staffing_control_are_stated(report: Report) -> None:
    text = _text(report)
    assert "调整后预算6090.35万元中，实际到位资金5447.35万元，资金到位率89.44%。" in text
    assert "年末编制数268人，实有在职人员251人，在职人员控制率93.66%。" in text


def test_a_line_without_funds_received_is_counted_apart_never_as_zero(sample_processed: Path) -> None:
    dy = load("115", 2022, sample_processed)
    budget = dy.budget.copy()
    budget.loc[budget.index[0], "funds_received"] = pd.NA
    got = funds_received(budget)
    assert got.lines_without == 1
    first = int(budget["adjusted_budget"].iloc[0])
    assert got.adjusted_budget == int(budget["adjusted_budget"].sum()) - first
    assert funds_received(budget.assign(funds_received=pd.NA)).rate is None


def test_the_summary_states_every_breakdown(sample_processed: Path) -> None:
    dy = load("115", 2022, sample_processed)
    last = previous_year(dy, sample_processed)
    assert last is not None
    s = summarise(dy, previous_payments=last.payments, previous_budget=last.budget)
    assert sum(r["actual"]["fen"] for r in s["by_function"]["款"]) == int(dy.payments["amount"].sum())
    assert s["funds_received"]["rate"]["percent"] == "89.44%"
    total = next(b for b in s["sangong_budget"] if b["item"] == TOTAL_LABEL)
    assert (total["budget"]["wan"], total["control_rate"]["percent"], total["previous_budget"]["wan"]) \
        == ("7.00", "93.71%", "7.90")
    assert s["staffing"]["control_rate"]["percent"] == "93.66%"
    text = format_summary(s)
    for heading in ("按功能分类（类）：", "公用经费明细（基本支出）：", "在职人员控制率：93.66%"):
        assert heading in text
    no_staff = summarise(replace(dy, profile={}))
    assert no_staff["staffing"]["control_rate"]["percent"] is None
    assert "在职人员控制率不适用" in no_staff["staffing"]["control_rate"]["note"]
