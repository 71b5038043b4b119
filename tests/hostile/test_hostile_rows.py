"""Rows that used to crash or pass unseen: empty dates, dates outside their 年度, and
amounts that each fit in int64 分 but together do not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from conftest import PAYMENTS_CSV, write_raw
from corpus import assert_conserved, one_problem
from hypothesis import given
from hypothesis import strategies as st
from outturn.ingest.reconcile import format_reconciliation
from outturn.ingest.run import ingest
from outturn.money import MAX_ROW_FEN, exact_sum

WITH_YEAR = PAYMENTS_CSV.replace("凭证号,", "年度,凭证号,").replace("\nV", "\n2022,V")


def _ingest(tmp_path: Path, payments: str):  # type: ignore[no-untyped-def]
    raw = write_raw(tmp_path / "raw", payments=payments)
    return ingest(raw, tmp_path / "processed")


def test_an_empty_payment_date_is_a_row_problem_not_a_crash(tmp_path: Path) -> None:
    result = _ingest(tmp_path, PAYMENTS_CSV.replace("V2,2022-02-15", "V2,"))
    one_problem(result.collected.problems, file="p.csv", row=3, column="支付日期",
                rule="empty 支付日期", severity="error")
    assert len(result.collected.rejected["payments"]) == 1
    assert_conserved(result)


def test_a_payment_dated_outside_its_stated_year_is_named_and_kept_in_that_year(tmp_path: Path) -> None:
    result = _ingest(tmp_path, WITH_YEAR.replace("2022,V1,2022-01-15", "2022,V1,2021-12-31"))
    problem = one_problem(result.collected.problems, file="p.csv", row=2, column="支付日期",
                          value="2021-12-31", rule="outside the year stated")
    assert problem.severity == "warning" and "counted in the stated 年度" in problem.rule
    payments = result.collected.tables["payments"]
    assert set(payments["year"]) == {2022} and len(payments) == 5
    assert_conserved(result)


def test_an_amount_beyond_any_real_budget_is_rejected_naming_the_cell(tmp_path: Path) -> None:
    result = _ingest(tmp_path, PAYMENTS_CSV.replace("150.00,路灯", "1000000000000.01,路灯"))
    problem = one_problem(result.collected.problems, file="p.csv", row=6, column="金额（元）",
                          value="1000000000000.01", rule="beyond any real budget")
    assert "元 or 万元" in problem.advice
    assert_conserved(result)


def test_amounts_whose_sum_passes_int64_are_reconciled_exactly(tmp_path: Path) -> None:
    near = "46116860184273879.03"  # each fits in int64 分; two of them do not
    result = _ingest(tmp_path, PAYMENTS_CSV.replace("400.00,工资", f"{near},工资")
                     .replace("500.00,工资", f"{near},工资"))
    assert_conserved(result)
    rec = result.reconciliation
    amount = rec[rec["column"] == "amount"].iloc[0]
    assert int(amount["rejected_fen"]) == 2 * 4611686018427387903
    assert int(amount["in_fen"]) == 2 * 4611686018427387903 + 135000
    text = format_reconciliation(rec)
    assert "92,233,720,368,547,758.06" in text and "-" not in text.split("amount in")[1][:30]


def test_a_wan_yuan_ledger_with_a_yuan_figure_is_beyond_any_real_budget(tmp_path: Path) -> None:
    payments = PAYMENTS_CSV.replace("金额（元）", "金额（万元）") \
        .replace("150.00,路灯", "123456789012.00,路灯")
    result = _ingest(tmp_path, payments)
    one_problem(result.collected.problems, file="p.csv", row=6, column="金额（万元）",
                rule="beyond any real budget")
    assert_conserved(result)


@given(st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1), max_size=50))
def test_the_exact_sum_equals_pythons_sum_for_any_int64_amounts(values: list[int]) -> None:
    assert exact_sum(np.array(values, dtype=np.int64)) == sum(values)


def test_the_row_cap_leaves_room_for_realistic_sums() -> None:
    assert MAX_ROW_FEN * 90_000 < 2**63 - 1


def test_a_department_year_adding_up_beyond_any_budget_is_rejected_so_no_sum_can_wrap(
        tmp_path: Path) -> None:
    head, line = PAYMENTS_CSV.split("\n")[:2]
    big = line.replace("400.00", "999999999999.99")  # each row under 1 万亿元
    rows = [big.replace("V1,", f"B{i},") for i in range(101)]  # together above 100 万亿元
    result = _ingest(tmp_path, "\n".join([head, *rows, *PAYMENTS_CSV.split("\n")[2:]]))
    problem = one_problem(result.collected.problems, rule="beyond any real budget (100 万亿元)")
    assert problem.value == "901" and "all 105 rows are rejected" in problem.rule
    assert result.collected.tables["payments"].empty  # the whole department-year
    assert len(result.collected.rejected["payments"]) == 101 + 4
    assert_conserved(result)
