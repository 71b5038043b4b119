"""Bounded resources: columns per file, bytes per line, and what an XLSX may inflate to are
limited, each refusal one clear error naming the file (the memory and time these cases
cost at full size are measured by ``bench/hostile_limits.py``)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import PAYMENTS_CSV, write_raw
from corpus import assert_conserved, one_problem
from openpyxl import Workbook
from outturn.ingest import workbooks
from outturn.ingest.rawtable import MAX_COLUMNS, MAX_LINE_BYTES
from outturn.ingest.run import ingest


def _refusal(tmp_path: Path, name: str, content: bytes):  # type: ignore[no-untyped-def]
    raw = write_raw(tmp_path / "raw")
    (raw / "payments" / name).write_bytes(content)
    result = ingest(raw, tmp_path / "processed")
    assert_conserved(result)  # the other files are read and accounted for
    return one_problem(result.collected.problems, file=name, severity="error")


def test_a_header_of_a_million_columns_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    header = ",".join(["凭证号", "金额（元）", *[""] * 999_998])
    problem = _refusal(tmp_path, "wide.csv", f"{header}\nV9,1.00\n".encode())
    assert f"more than {MAX_COLUMNS:,} columns" in problem.rule and problem.row == 1
    assert problem.value == "1,000,000 columns"


def test_a_data_line_longer_than_the_limit_is_refused_naming_the_line(tmp_path: Path) -> None:
    long = "x" * (MAX_LINE_BYTES + 10)
    text = PAYMENTS_CSV.replace(",维修\n", f",{long}\n")
    problem = _refusal(tmp_path, "p.csv", text.encode())
    assert problem.row == 4 and f"longer than {MAX_LINE_BYTES:,} bytes" in problem.rule


def test_a_first_line_without_an_end_is_refused_as_too_long(tmp_path: Path) -> None:
    problem = _refusal(tmp_path, "flat.csv", b"a," * (MAX_LINE_BYTES // 2 + 10))
    assert problem.row == 1 and "longer than" in problem.rule


def _xlsx(extra: dict[str, bytes] | None = None, columns: int = 2) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["凭证号", "金额（元）", *[f"备注{i}" for i in range(columns - 2)]])
    ws.append(["V9", 1.0])
    buffer = io.BytesIO()
    wb.save(buffer)
    if not extra:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for name, data in extra.items():
            dst.writestr(name, data)
    return out.getvalue()


def test_a_workbook_part_that_inflates_a_thousandfold_is_refused_as_a_zip_bomb(
        tmp_path: Path) -> None:
    problem = _refusal(tmp_path, "bomb.xlsx", _xlsx({"xl/media/pad.bin": b"\0" * (64 << 20)}))
    assert "zip bomb" in problem.rule and "xl/media/pad.bin" in problem.rule


def test_a_workbook_beyond_the_inflated_size_limit_is_refused_before_parsing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = _xlsx()
    monkeypatch.setattr(workbooks, "MAX_XLSX_INFLATED_BYTES", 4096)
    problem = _refusal(tmp_path, "big.xlsx", content)
    assert "would inflate to" in problem.rule and "CSV" in problem.advice


def test_a_sheet_header_beyond_the_column_limit_is_refused(tmp_path: Path) -> None:
    problem = _refusal(tmp_path, "wide.xlsx", _xlsx(columns=MAX_COLUMNS + 5))
    assert f"more than {MAX_COLUMNS:,} columns" in problem.rule and problem.sheet == "Sheet"
