"""Readers: encodings, header-row detection, source row numbers, XLSX and Parquet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from outturn.ingest.readers import detect_encoding, read_raw
from outturn.problems import InputError

CSV = "部门编码,金额（元）\n901,1.00\n902,2.00\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(CSV.encode(encoding))
    raw = read_raw(path)
    assert list(raw.frame.columns) == ["部门编码", "金额（元）"]
    assert raw.frame["部门编码"].tolist() == ["901", "902"]
    assert raw.source_rows.tolist() == [2, 3]


def test_detect_encoding_prefers_utf8_then_gb18030() -> None:
    assert detect_encoding("预算".encode()) == "utf-8"
    assert detect_encoding("预算".encode("gb18030")) == "gb18030"
    assert detect_encoding(b"\xef\xbb\xbfabc") == "utf-8-sig"


def test_explicit_encoding_wins(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(CSV.encode("gbk"))
    assert read_raw(path, encoding="gbk").frame.shape == (2, 2)


def test_title_rows_before_header_are_skipped_and_rows_numbered(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("2022年度支出明细表\n单位：元\n" + CSV, encoding="utf-8")
    raw = read_raw(path)
    assert raw.header_row == 3
    assert raw.titles == ("2022年度支出明细表", "单位：元")
    assert raw.source_rows.tolist() == [4, 5]


def test_blank_lines_keep_exact_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("部门编码,金额（元）\n901,1.00\n\n902,2.00\n", encoding="utf-8")
    raw = read_raw(path)
    # the empty line stays an (empty) row, so the next row keeps its line number 4
    assert raw.frame["部门编码"].tolist() == ["901", "", "902"]
    assert raw.source_rows.tolist() == [2, 3, 4]


def test_codes_keep_leading_zeros(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("单位编码,金额（元）\n001002,1\n", encoding="utf-8")
    assert read_raw(path).frame["单位编码"].tolist() == ["001002"]


def test_no_header_row_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="no header row"):
        read_raw(path)


def test_xlsx_with_title_rows_and_chosen_sheet(tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "封面"
    ws.append(["说明"])
    data = wb.create_sheet("预算")
    data.append(["2022年度部门预算"])
    data.append(["单位：万元"])
    data.append(["部门编码", "年初预算数"])
    data.append(["901", 12.5])
    data.append([None, None])
    data.append([902, 3])
    wb.save(path)
    raw = read_raw(path, sheet="预算")
    assert raw.sheet == "预算"
    assert read_raw(path).sheet == "预算"  # the cover sheet has no header: skipped
    assert raw.titles == ("2022年度部门预算", "单位：万元")
    assert raw.frame["年初预算数"].tolist() == ["12.5", "3"]
    assert raw.frame["部门编码"].tolist() == ["901", "902"]
    assert raw.source_rows.tolist() == [4, 6]
    with pytest.raises(InputError, match="no such sheet"):
        read_raw(path, sheet="missing")


def test_parquet_cells_become_text(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    pd.DataFrame({"部门编码": ["901"], "金额": [12.5]}).to_parquet(path)
    raw = read_raw(path)
    assert raw.frame.iloc[0].tolist() == ["901", "12.5"]


def test_unsupported_file_type(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text("{}")
    with pytest.raises(InputError, match="unsupported"):
        read_raw(path)
