"""A code that lost its leading zeros in a spreadsheet (15 for 015) is rejected with the
code it must have been, never guessed into the data."""

from __future__ import annotations

from pathlib import Path

from conftest import BUDGET_CSV, DEPARTMENTS_CSV, PAYMENTS_CSV, write_raw
from corpus import assert_conserved, one_problem
from outturn.ingest.run import ingest


def _zero_led(text: str) -> str:
    return text.replace("901", "015")


def _ingest(tmp_path: Path, old: str, new: str):  # type: ignore[no-untyped-def]
    """The conftest ledgers with department 015 (unit 015001, 015002), one row changed."""
    raw = write_raw(tmp_path / "raw", departments=_zero_led(DEPARTMENTS_CSV),
                    budget=_zero_led(BUDGET_CSV),
                    payments=_zero_led(PAYMENTS_CSV).replace(old, new))
    return ingest(raw, tmp_path / "processed")


def test_a_department_code_without_its_leading_zero_suggests_the_padded_code(tmp_path: Path) -> None:
    result = _ingest(tmp_path, "V2,2022-02-15,015,015001", "V2,2022-02-15,15,15001")
    problem = one_problem(result.collected.problems, file="p.csv", row=3, column="部门编码",
                          value="15")
    assert "did you mean 015?" in problem.rule and "leading zeros" in problem.rule
    assert len(result.collected.rejected["payments"]) == 1  # rejected, not guessed
    assert_conserved(result)


def test_a_unit_code_without_its_leading_zero_suggests_the_padded_code(tmp_path: Path) -> None:
    result = _ingest(tmp_path, "V5,2022-12-20,015,015002", "V5,2022-12-20,015,15002")
    problem = one_problem(result.collected.problems, file="p.csv", row=6, column="单位编码",
                          value="15002")
    assert "did you mean 015002?" in problem.rule
    assert_conserved(result)
