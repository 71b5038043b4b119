"""Read raw ledger files (CSV, tab-separated text, XLSX, Parquet) into string tables.

Readers do not interpret cells: every cell comes back as text exactly as the source
holds it, so that parsing (``outturn.ingest.parsing``) can report the original value when it
is bad. Each kind of file has its own module — :mod:`outturn.ingest.textfiles` (encodings,
delimiters, undecodable bytes), :mod:`outturn.ingest.workbooks` (sheets, formulas, damaged and
hostile workbooks) — and this one sends a file to the right one, or names why not.

:func:`read_tables` is what ingest uses: a workbook gives one table per data sheet.
:func:`read_raw` is for one table (a notebook, a test): it refuses a workbook with
several data sheets unless ``sheet`` says which, rather than drop the others.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from outturn.ingest.rawtable import MAX_TITLE_ROWS, CellIssue, RawTable, cell_text
from outturn.ingest.textfiles import SNIFF_BYTES, detect_encoding, read_csv
from outturn.ingest.workbooks import read_workbook
from outturn.problems import InputError, Problem

__all__ = ["MAX_TITLE_ROWS", "REFUSED_SUFFIXES", "SNIFF_BYTES", "SUPPORTED_SUFFIXES",
           "CellIssue", "RawTable", "detect_encoding", "read_raw", "read_tables"]

SUPPORTED_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".parquet")
#: Spreadsheet formats outturn does not read, and what each is. Ingest refuses them by
#: name rather than passing over them: a ledger left out without a word is lost data.
REFUSED_SUFFIXES = {".xls": "the old binary Excel 97–2003 format",
                    ".et": "the WPS spreadsheet format", ".ods": "the OpenDocument format",
                    ".numbers": "the Apple Numbers format"}


def read_parquet(path: Path) -> RawTable:
    """Read a Parquet file; every column is turned into text for uniform parsing."""
    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as exc:
        raise InputError([Problem(file=str(path), rule=f"the Parquet file cannot be read ({exc})",
                                  advice="write the file again from its source")]) from None
    frame = pd.DataFrame({
        name: table.column(name).to_pandas().map(cell_text, na_action="ignore")
        .fillna("").astype("str")
        for name in table.column_names
    })
    rows = np.arange(1, len(frame) + 1, dtype=np.int64)
    return RawTable(frame, path, rows, 0)


def read_tables(path: str | Path, *, sheet: str | int | None = None,
                encoding: str | None = None) -> tuple[list[RawTable], list[Problem]]:
    """Every table of a ledger file (one per data sheet of a workbook), and warnings
    about what was not read (hidden sheets, sheets without a header …)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return [read_csv(path, encoding)], []
    if suffix in (".xlsx", ".xlsm"):
        return read_workbook(path, sheet)
    if suffix == ".parquet":
        return [read_parquet(path)], []
    if suffix in REFUSED_SUFFIXES:
        raise InputError([Problem(
            file=str(path), rule=f"the file is in {REFUSED_SUFFIXES[suffix]}, which outturn "
            "does not read", advice="open it in Excel or WPS and save it as .xlsx (Excel "
            "workbook) or CSV, then remove this file and run again")])
    raise InputError([Problem(file=str(path), rule=f"unsupported file type {suffix!r}",
                              advice="export the table as CSV, XLSX or Parquet")])


def read_raw(path: str | Path, *, sheet: str | int | None = None,
             encoding: str | None = None) -> RawTable:
    """The one table of a ledger file (``sheet`` chooses among a workbook's)."""
    tables, _ = read_tables(path, sheet=sheet, encoding=encoding)
    if len(tables) > 1:
        raise InputError([Problem(
            file=str(path), rule=f"the workbook has {len(tables)} data sheets "
            f"({', '.join(t.sheet for t in tables)})",
            advice="say which one with sheet=… (or --sheet), or use read_tables for all")])
    return tables[0]
