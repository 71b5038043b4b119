"""The files that go beside the HTML report: Word, the 自评表 workbook, the data of every
table and chart as CSV, and ``summary.json`` for the index page.

CSV files are UTF-8 with a byte-order mark so that Excel opens the Chinese headers
correctly (what budget-portal users open them with); tables are written as printed
(万元, two decimals), chart data as the plotted numbers, rounded half-up.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from outturn.atomic import write_with
from outturn.cells import write_safe_csv
from outturn.report.build import ReportInputs
from outturn.report.model import Report

DATA_DIR = "data"
DOCX_NAME = "report.docx"
WORKBOOK_NAME = "自评表.xlsx"
SUMMARY_NAME = "summary.json"


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a frame as Excel-friendly CSV, atomically, with no text cell that Excel would
    run as a formula (:mod:`outturn.cells`)."""
    return write_with(path, lambda tmp: write_safe_csv(frame, tmp, float_format="%.2f"))


def csv_name(number: int, kind: str, title: str) -> str:
    """``表03_一般公共预算项目支出预算执行情况.csv`` — numbered as in the report."""
    clean = re.sub(r"[\\/:*?\"<>|（）()“”\s]+", "", title)[:40]
    return f"{kind}{number:02d}_{clean}.csv"


def write_data(report: Report, folder: Path) -> list[Path]:
    """Every table (as printed) and chart (its data) of the report as CSV."""
    out = [write_csv(t.frame, folder / csv_name(i, "表", t.title))
           for i, t in enumerate(report.tables(), 1)]
    out += [write_csv(c.data, folder / csv_name(i, "图", c.title))
            for i, c in enumerate(report.charts(), 1)]
    return out


def write_companions(report: Report, inputs: ReportInputs, out_dir: Path) -> list[Path]:
    """Word, workbook, CSV data and summary JSON of a report into ``out_dir``."""
    from outturn.report.docx import write_docx
    from outturn.report.notebook import summary_record, write_json
    from outturn.scoring.workbook import write_workbook

    out_dir.mkdir(parents=True, exist_ok=True)
    written = [write_docx(report, out_dir / DOCX_NAME),
               Path(write_workbook(inputs.score, out_dir / WORKBOOK_NAME, inputs.pefa,
                                   generated=report.generated))]
    written += write_data(report, out_dir / DATA_DIR)
    written.append(write_json(out_dir / SUMMARY_NAME, summary_record(report)))
    return written
