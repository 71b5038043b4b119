"""Workbooks read whole and honestly: every data sheet, hidden sheets named, formulas
without values named, and damaged or disguised files refused in one clear message."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from conftest import PAYMENTS_CSV
from corpus import assert_conserved, one_problem, problems_where
from openpyxl import Workbook
from outturn.cli import main
from outturn.ingest.reconcile import format_reconciliation
from outturn.ingest.run import ingest

ROWS = list(csv.reader(io.StringIO(PAYMENTS_CSV)))
HEADER, DATA = ROWS[0], ROWS[1:]
AMOUNT = HEADER.index("金额（元）")


def _cells(row: list[str]) -> list[object]:
    return [float(v.replace(",", "")) if i == AMOUNT and v[:1].isdigit() else v
            for i, v in enumerate(row)]


def _workbook(path: Path, sheets: dict[str, list[list[object]]],
              hidden: tuple[str, ...] = ()) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if title in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def _payments_workbook(raw_dir: Path, sheets: dict[str, list[list[object]]],
                       hidden: tuple[str, ...] = ()) -> Path:
    (raw_dir / "payments" / "p.csv").unlink()
    return _workbook(raw_dir / "payments" / "p.xlsx", sheets, hidden)


def test_every_data_sheet_of_a_workbook_is_read_and_reconciled_per_sheet(
        raw_dir: Path, tmp_path: Path) -> None:
    own = [_cells(r) for r in DATA if r[3] == "901001"]
    other = [_cells(r) for r in DATA if r[3] == "901002"]
    _payments_workbook(raw_dir, {"说明": [["本表为2022年支付明细"]], "局本级": [HEADER, *own],
                                 "测试所": [HEADER, *other]})
    result = ingest(raw_dir, tmp_path / "processed")
    payments = result.collected.tables["payments"]
    assert len(payments) == len(DATA) == 5
    assert sorted(set(payments["_sheet"].astype(str))) == ["局本级", "测试所"]
    one_problem(result.collected.problems, sheet="说明", rule="no header row",
                severity="warning")
    rec = result.reconciliation
    assert set(rec[rec["table"] == "payments"]["sheet"]) == {"局本级", "测试所"}
    assert "payments: 1 file(s) (2 sheets)" in format_reconciliation(rec)
    assert_conserved(result)


def test_a_hidden_stale_sheet_is_skipped_with_a_warning_and_the_visible_one_read(
        raw_dir: Path, tmp_path: Path) -> None:
    stale = [_cells([*r[:AMOUNT], "1.00", *r[AMOUNT + 1:]]) for r in DATA[:2]]
    _payments_workbook(raw_dir, {"旧": [HEADER, *stale], "支付": [HEADER, *map(_cells, DATA)]},
                       hidden=("旧",))
    result = ingest(raw_dir, tmp_path / "processed")
    problem = one_problem(result.collected.problems, sheet="旧", rule="hidden")
    assert problem.severity == "warning" and "unhide" in problem.advice
    payments = result.collected.tables["payments"]
    assert len(payments) == 5 and set(payments["_sheet"].astype(str)) == {"支付"}
    assert int(payments["amount"].sum()) == 40000 + 50000 + 120050 - 50 + 15000
    assert_conserved(result)


def test_a_formula_without_a_calculated_value_is_an_error_naming_the_cell_never_zero(
        raw_dir: Path, tmp_path: Path) -> None:
    rows = [_cells(r) for r in DATA]
    rows[1][AMOUNT] = "=400+100"  # written by a script: openpyxl stores no cached value
    _payments_workbook(raw_dir, {"支付": [HEADER, *rows]})
    result = ingest(raw_dir, tmp_path / "processed")
    problem = one_problem(result.collected.problems, file="p.xlsx", sheet="支付", row=3,
                          column="金额（元）", value="=400+100")
    assert "without a calculated value" in problem.rule and "cell J3" in problem.rule
    assert problem.severity == "error" and "calculated" in problem.advice
    assert len(result.collected.rejected["payments"]) == 1
    assert len(problems_where(result.collected.problems, severity="error")) == 1
    assert_conserved(result)


def test_a_total_row_of_sums_never_calculated_is_not_reported_as_a_wrong_total(
        raw_dir: Path, tmp_path: Path) -> None:
    total = [""] * len(HEADER)
    total[0], total[AMOUNT] = "合计", f"=SUM(J2:J{len(DATA) + 1})"
    _payments_workbook(raw_dir, {"支付": [HEADER, *map(_cells, DATA), total]})
    result = ingest(raw_dir, tmp_path / "processed")
    assert not problems_where(result.collected.problems, rule="total row states")
    warning = one_problem(result.collected.problems, row=len(DATA) + 2, column="金额（元）")
    assert warning.severity == "warning" and "not checked" in warning.rule
    assert result.collected.error_count == 0
    assert len(result.collected.tables["payments"]) == 5
    assert_conserved(result)


def test_cells_right_of_the_last_heading_are_named_not_dropped_unseen(
        raw_dir: Path, tmp_path: Path) -> None:
    rows = [_cells(r) for r in DATA]
    rows[2] = [*rows[2], "", "补记 30.00"]
    _payments_workbook(raw_dir, {"支付": [HEADER, *rows]})
    result = ingest(raw_dir, tmp_path / "processed")
    problem = one_problem(result.collected.problems, column="M", row=4)
    assert problem.severity == "warning" and "no heading" in problem.rule
    assert_conserved(result)


def test_a_sheet_claiming_the_whole_grid_costs_only_its_cells(raw_dir: Path, tmp_path: Path) -> None:
    path = _payments_workbook(raw_dir, {"支付": [HEADER, *map(_cells, DATA)]})
    claimed = tmp_path / "claimed.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(claimed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b'<dimension ref="A1:K6"/>', b'<dimension ref="A1:XFD1048576"/>')
                assert b"XFD1048576" in data
            dst.writestr(info, data)
    claimed.replace(path)
    result = ingest(raw_dir, tmp_path / "processed")
    assert not problems_where(result.collected.problems, rule="column not used")
    assert len(result.collected.tables["payments"]) == 5
    assert_conserved(result)


def test_validate_still_reads_the_one_sheet_asked_for(
        raw_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _payments_workbook(raw_dir, {"局本级": [HEADER, *map(_cells, DATA[:4])],
                                        "测试所": [HEADER, *map(_cells, DATA[4:])]})
    code = main(["validate", str(path), "--table", "payments", "--sheet", "测试所"])
    out = capsys.readouterr().out
    assert code == 0 and "sheet 测试所: 1 row(s) read as payments, 1 accepted" in out
    assert "局本级" not in out


def _error_for(raw_dir: Path, tmp_path: Path, content: bytes, name: str = "p.xlsx"):  # type: ignore[no-untyped-def]
    (raw_dir / "payments" / name).write_bytes(content)
    result = ingest(raw_dir, tmp_path / "processed")
    assert_conserved(result)  # the other files are all accounted for
    return one_problem(result.collected.problems, file=name, severity="error")


def test_a_password_protected_workbook_is_named_as_encrypted(raw_dir: Path, tmp_path: Path) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000 + "EncryptedPackage".encode("utf-16-le")
    problem = _error_for(raw_dir, tmp_path, ole + b"\0" * 2000)
    assert "password-protected" in problem.rule and problem.row is None


def test_a_truncated_workbook_is_named_as_damaged(raw_dir: Path, tmp_path: Path) -> None:
    whole = _workbook(tmp_path / "whole.xlsx", {"支付": [HEADER, *map(_cells, DATA)]}).read_bytes()
    problem = _error_for(raw_dir, tmp_path, whole[: len(whole) // 2])
    assert "damaged or truncated" in problem.rule


@pytest.mark.parametrize(("content", "what"), [
    (b"<html><body><table><tr><td>\xe9\x87\x91\xe9\xa2\x9d</td></tr></table></body></html>",
     "HTML page"),
    ("凭证号,金额（元）\nV9,1.00\n".encode(), "not an XLSX workbook"),
    (b"", "empty"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Excel 97–2003 (.xls) workbook under an .xlsx"),
])
def test_content_that_is_not_a_workbook_is_named_for_what_it_is(
        raw_dir: Path, tmp_path: Path, content: bytes, what: str) -> None:
    problem = _error_for(raw_dir, tmp_path, content)
    assert what in problem.rule


def test_a_zip_that_is_not_a_workbook_is_named(raw_dir: Path, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payments.csv", PAYMENTS_CSV)
    problem = _error_for(raw_dir, tmp_path, buffer.getvalue())
    assert "not an Excel workbook" in problem.rule


def test_a_voucher_repeated_on_another_sheet_names_the_sheet_it_was_first_seen_on(
        raw_dir: Path, tmp_path: Path) -> None:
    rows = [_cells(r) for r in DATA]
    _payments_workbook(raw_dir, {"一月": [HEADER, *rows[:2]], "二月": [HEADER, rows[1], *rows[2:]]})
    result = ingest(raw_dir, tmp_path / "processed")
    problem = one_problem(result.collected.problems, sheet="二月", row=2, value="V2")
    assert "first seen at" in problem.rule and ", sheet 一月 row 3" in problem.rule
    assert len(result.collected.tables["payments"]) == 5
    assert_conserved(result)
