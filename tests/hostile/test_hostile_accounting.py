"""Accounting-system summary rows (本月合计, 本年累计, 过次页, 上年结转 …) are summary rows
wherever their label stands: never data, checked where they can be, counted apart."""

from __future__ import annotations

from pathlib import Path

from conftest import PAYMENTS_CSV, write_raw
from corpus import assert_conserved, one_problem, problems_where
from outturn.ingest.run import ingest

HEAD, *LINES = PAYMENTS_CSV.strip().split("\n")
BLANK = ",,,,,,,,,"  # the ten cells before 金额 of a row that only has a label in 摘要


def _row(amount: str, label: str) -> str:
    return f"{BLANK}{amount},{label}"


def _ingest(tmp_path: Path, *lines: str):  # type: ignore[no-untyped-def]
    raw = write_raw(tmp_path / "raw", payments="\n".join([HEAD, *lines]) + "\n")
    return ingest(raw, tmp_path / "processed")


def test_a_month_total_in_the_summary_column_is_a_total_not_a_rejected_row(tmp_path: Path) -> None:
    result = _ingest(tmp_path, LINES[0], _row("400.00", "本月合计"), LINES[1],
                     _row("500.00", "本 月 合 计："), *LINES[2:])
    assert result.collected.error_count == 0, result.collected.problems
    assert len(result.collected.tables["payments"]) == 5
    rec = result.reconciliation
    assert rec[rec["table"] == "payments"]["total_rows"].iloc[0] == 2
    assert_conserved(result)


def test_a_wrong_month_total_names_its_row_and_what_the_rows_add_up_to(tmp_path: Path) -> None:
    result = _ingest(tmp_path, LINES[0], LINES[1], _row("800.00", "本月合计"), *LINES[2:])
    problem = one_problem(result.collected.problems, row=4, column="金额（元）", value="800.00")
    assert "states 800.00 元" in problem.rule and "900.00 元" in problem.rule
    assert len(result.collected.tables["payments"]) == 5
    assert_conserved(result)


def test_a_running_year_total_is_checked_against_every_row_above_it(tmp_path: Path) -> None:
    good = _ingest(tmp_path / "good", LINES[0], _row("400.00", "本年累计"), LINES[1],
                   _row("900.00", "本年累计"), *LINES[2:])
    assert good.collected.error_count == 0, good.collected.problems
    assert_conserved(good)
    bad = _ingest(tmp_path / "bad", LINES[0], _row("400.00", "本年累计"), LINES[1],
                  _row("500.00", "本年累计"), *LINES[2:])
    problem = one_problem(bad.collected.problems, row=5, column="金额（元）")
    assert "from the first down to it" in problem.rule and "900.00 元" in problem.rule
    assert_conserved(bad)


def test_page_carry_overs_are_running_totals_not_data(tmp_path: Path) -> None:
    result = _ingest(tmp_path, LINES[0], LINES[1], _row("900.00", "过次页"),
                     _row("900.00", "承前页"), *LINES[2:])
    assert result.collected.error_count == 0, result.collected.problems
    assert len(result.collected.tables["payments"]) == 5
    assert_conserved(result)


def test_an_opening_balance_is_kept_out_of_the_data_and_not_checked(tmp_path: Path) -> None:
    result = _ingest(tmp_path, _row("12345.67", "上年结转"), _row("", "期初余额"), *LINES)
    assert result.collected.error_count == 0, result.collected.problems
    payments = result.collected.tables["payments"]
    assert len(payments) == 5 and 1234567 not in set(payments["amount"])
    assert_conserved(result)


def test_a_label_standing_in_a_code_column_is_recognised_too(tmp_path: Path) -> None:
    result = _ingest(tmp_path, *LINES[:2], "本月合计" + _row("900.00", ""), *LINES[2:])
    assert result.collected.error_count == 0, result.collected.problems
    assert_conserved(result)


def test_summary_words_inside_a_longer_description_stay_data(tmp_path: Path) -> None:
    line = LINES[0].replace(",工资", ",支付本月合计电费")
    result = _ingest(tmp_path, line, *LINES[1:])
    assert len(result.collected.tables["payments"]) == 5
    assert not problems_where(result.collected.problems, rule="total row")
    assert_conserved(result)
