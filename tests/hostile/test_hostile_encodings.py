"""Encodings named: UTF-16 exports read, undecodable bytes named by line and byte offset
with the rest of the file kept, and encodings outturn does not read named as such."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PAYMENTS_CSV, write_raw
from corpus import assert_conserved, one_problem, problems_where
from outturn.ingest.readers import read_raw
from outturn.ingest.run import ingest
from outturn.problems import InputError


def _ingest_bytes(tmp_path: Path, payments: bytes):  # type: ignore[no-untyped-def]
    raw = write_raw(tmp_path / "raw")
    (raw / "payments" / "p.csv").write_bytes(payments)
    return ingest(raw, tmp_path / "processed")


def _as_tsv(text: str) -> str:
    return text.replace('"1,200.50"', "1200.50").replace(",", "\t")


@pytest.mark.parametrize(("encoding", "tabs"), [("utf-16", True), ("utf-16", False),
                                                ("utf-16-le", True), ("utf-16-be", False)])
def test_a_utf16_export_is_read_with_or_without_bom_tab_or_comma_separated(
        tmp_path: Path, encoding: str, tabs: bool) -> None:
    text = _as_tsv(PAYMENTS_CSV) if tabs else PAYMENTS_CSV
    result = _ingest_bytes(tmp_path, text.replace("\n", "\r\n").encode(encoding))
    assert result.collected.error_count == 0, result.collected.problems
    payments = result.collected.tables["payments"]
    assert len(payments) == 5 and int(payments["amount"].sum()) == 40000 + 50000 + 120050 - 50 + 15000
    assert payments["_row"].tolist() == [2, 3, 4, 5, 6]
    assert_conserved(result)


def test_gbk_lines_appended_to_a_utf8_file_are_rejected_by_line_and_offset_the_rest_kept(
        tmp_path: Path) -> None:
    appended = "V6,2022-12-21,901,901002,政府性基金预算,项目支出,P2,2120803,31005,10.00,补记\n"
    data = PAYMENTS_CSV.encode() + appended.encode("gbk")
    result = _ingest_bytes(tmp_path, data)
    problems = problems_where(result.collected.problems, row=7, severity="error")
    assert {p.column for p in problems} == {"预算类型", "支出类型", "摘要"}
    offset = len(PAYMENTS_CSV.encode()) + appended.encode("gbk").index("政".encode("gbk"))
    budget_type = one_problem(problems, column="预算类型")
    assert f"byte offset {offset:,}" in budget_type.rule and "line 7" in budget_type.rule
    assert "not valid UTF-8" in budget_type.rule
    assert len(result.collected.tables["payments"]) == 5
    assert len(result.collected.rejected["payments"]) == 1
    assert_conserved(result)


def test_one_stray_byte_names_its_line_column_and_offset(tmp_path: Path) -> None:
    data = PAYMENTS_CSV.encode().replace("维修".encode(), b"\xff\xfe")
    result = _ingest_bytes(tmp_path, data)
    problem = one_problem(result.collected.problems, severity="error")
    offset = data.index(b"\xff")
    assert (problem.row, problem.column) == (4, "摘要")
    assert f"byte offset {offset:,}: 0xFF 0xFE" in problem.rule
    assert len(result.collected.tables["payments"]) == 4
    assert_conserved(result)


def test_a_bad_byte_beyond_the_sniffed_megabyte_is_still_named(tmp_path: Path) -> None:
    head, line = PAYMENTS_CSV.split("\n", 1)[0], PAYMENTS_CSV.split("\n")[1]
    rows = [line.replace("V1,", f"V{i},") for i in range(20_000)]
    rows[-1] = rows[-1].replace("工资", "工\udcff资")  # one bad byte, far down
    data = (head + "\n" + "\n".join(rows) + "\n").encode("utf-8", "surrogateescape")
    assert len(data) > 1 << 20
    result = _ingest_bytes(tmp_path, data)
    problem = one_problem(result.collected.problems, severity="error")
    assert (problem.row, problem.column) == (20_001, "摘要") and "0xFF" in problem.rule
    assert len(result.collected.tables["payments"]) == 19_999
    assert_conserved(result)


def test_a_big5_file_is_named_as_big5_not_as_a_file_without_a_header(tmp_path: Path) -> None:
    traditional = ("憑證號,支付日期,部門編碼,單位編碼,金額（元）,摘要\n"
                   + "V1,2022-01-15,901,901001,400.00,辦公費用支出\n" * 20)
    path = tmp_path / "p.csv"
    path.write_bytes(traditional.encode("big5"))
    with pytest.raises(InputError) as raised:
        read_raw(path)
    problem = one_problem(raised.value.problems)
    assert "Big5" in problem.rule and "does not read" in problem.rule
    assert "UTF-8" in problem.advice and problem.file == str(path)


def test_bytes_of_no_known_encoding_on_many_lines_refuse_the_file_naming_the_first(
        tmp_path: Path) -> None:
    lines = ["凭证号,支付日期,金额（元）"] + [f"V{i},2022-01-15,1.00" for i in range(50)]
    data = "\n".join(lines).encode().replace(b"2022-01-15", b"2022\x80\xff01")
    path = tmp_path / "p.csv"
    path.write_bytes(data)
    with pytest.raises(InputError) as raised:
        read_raw(path)
    problem = one_problem(raised.value.problems)
    assert problem.row == 2 and "line 2" in problem.rule and "0x80" in problem.rule
