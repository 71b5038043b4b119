"""Spreadsheet formats outturn does not read are refused by name, never passed over."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus import assert_conserved, one_problem
from outturn.cli import main
from outturn.ingest.run import ingest


@pytest.mark.parametrize(("name", "what"), [("p2021.xls", "Excel 97–2003"), ("p.et", "WPS"),
                                            ("p.ods", "OpenDocument")])
def test_a_spreadsheet_outturn_cannot_read_is_an_error_naming_the_file(
        raw_dir: Path, tmp_path: Path, name: str, what: str) -> None:
    bad = raw_dir / "payments" / name
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    result = ingest(raw_dir, tmp_path / "processed")
    problem = one_problem(result.collected.problems, file=name, rule=what)
    assert problem.severity == "error" and ".xlsx" in problem.advice
    assert result.collected.error_count == 1
    assert_conserved(result)  # the readable files are all accounted for


def test_the_command_line_names_an_xls_file_and_exits_2(
        raw_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (raw_dir / "budget" / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    code = main(["ingest", "--raw", str(raw_dir), "--processed", str(tmp_path / "p")])
    out = capsys.readouterr().out
    assert code == 2 and "old.xls" in out and "save it as .xlsx" in out
