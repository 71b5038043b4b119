"""No text from a ledger becomes a live formula in a CSV outturn writes."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from conftest import BUDGET_CSV, PAYMENTS_CSV, write_raw
from corpus import assert_conserved
from outturn.cells import FORMULA_STARTS
from outturn.ingest.run import ingest
from outturn.report.companions import write_csv

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _cells(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [cell for row in csv.reader(fh) for cell in row]


def _live(cells: list[str]) -> list[str]:
    return [c for c in cells if c.startswith(FORMULA_STARTS) and not c.lstrip("-").replace(
        ".", "", 1).replace(",", "").isdigit()]


@pytest.mark.parametrize("text", HOSTILE)
def test_ledger_text_in_problems_and_rejected_rows_is_never_a_live_formula(
        tmp_path: Path, text: str) -> None:
    quoted = '"' + text.replace('"', '""') + '"'
    payments = PAYMENTS_CSV.replace("400.00,工资", f"400.00,{quoted}") \
        .replace("V2,2022-02-15", f"{quoted},2022-02-30")        # a rejected row
    budget = BUDGET_CSV.replace("P1,道路维护", f"P1,{quoted}")
    result = ingest(write_raw(tmp_path / "raw", payments=payments, budget=budget),
                    tmp_path / "processed")
    assert_conserved(result)
    written = sorted((tmp_path / "processed" / "current").rglob("*.csv"))
    assert any(p.parent.name == "rejected" for p in written)
    for path in written:
        assert _live(_cells(path)) == [], path
    rejected = _cells(tmp_path / "processed" / "current" / "rejected" / "payments.csv")
    assert "'" + text in rejected                                 # kept, shown as text


def test_report_data_csvs_neutralise_text_and_keep_numbers(tmp_path: Path) -> None:
    frame = pd.DataFrame({"项目": ["=1+1", "道路维护", "@x"], "金额": [-0.5, 12.0, 3.25],
                          "变动": ["-9.33", "-2+3", "4.50%"]})
    cells = _cells(write_csv(frame, tmp_path / "t.csv"))
    assert cells == ["项目", "金额", "变动", "'=1+1", "-0.50", "-9.33", "道路维护", "12.00",
                     "'-2+3", "'@x", "3.25", "4.50%"]
