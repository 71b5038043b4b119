"""Read XLSX workbooks whole and honestly: every data sheet, every cell accounted for.

- **Every visible sheet with a header is read**, one :class:`~outturn.ingest.rawtable.RawTable`
  each (a payments workbook often has one sheet per unit). Hidden sheets (often stale
  copies) are skipped with a warning naming them; sheets with content but no header are
  named too, and so are cells standing right of the last heading.
- **Formulas without a calculated value** (files written by scripts, or never opened in a
  spreadsheet program) are not read as blank, i.e. zero: each is a
  :class:`~outturn.ingest.rawtable.CellIssue` naming the cell and its formula.
- **The container is checked before it is parsed**: a password-protected workbook, an
  old ``.xls`` or an HTML table under an ``.xlsx`` name, a truncated or damaged file, and
  a file whose parts would inflate beyond :data:`~outturn.ingest.rawtable.MAX_XLSX_INFLATED_BYTES`
  (or by more than :data:`~outturn.ingest.rawtable.MAX_XLSX_RATIO` times) each get one error
  naming the file and what it is.
- **The claimed sheet dimension is not trusted**: rows are read as the sheet XML holds
  them, so a sheet claiming ``A1:XFD1048576`` costs what its cells cost.

Cells are read with openpyxl's streaming sheet parser in read-only mode; one subclass
notes formulas whose cached value is missing as it parses (one pass, no second load).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from outturn.ingest.rawtable import (
    MAX_TITLE_ROWS,
    MAX_XLSX_INFLATED_BYTES,
    MAX_XLSX_RATIO,
    XLSX_RATIO_FLOOR,
    CellIssue,
    RawTable,
    cell_text,
    find_header,
    header_names,
    known_header_count,
)
from outturn.problems import InputError, Problem

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_RESAVE = "open it in Excel or WPS and save it again as .xlsx (or as CSV), then run again"
_RECALCULATE = ("open the workbook in Excel or WPS so the formulas are calculated, save it, "
                "and run again (or type the amounts as values)")


class _Parser(WorkSheetParser):
    """The sheet parser, with cached values, noting formulas that have none."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, data_only=True, **kwargs)
        #: row → column → the formula, for formula cells without a cached value
        self.uncached: dict[int, dict[int, str]] = {}

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell: dict[str, Any] = super().parse_cell(element)
        if cell["value"] is None:
            formula = element.find(FORMULA_TAG)
            if formula is not None:
                self.uncached.setdefault(cell["row"], {})[cell["column"]] = \
                    f"={formula.text}" if formula.text else "(a shared formula)"
        return cell


def _refuse(path: Path, rule: str, advice: str = _RESAVE) -> InputError:
    return InputError([Problem(file=str(path), rule=rule, advice=advice)])


def check_container(path: Path) -> None:
    """Refuse what is not a sound XLSX before any XML is parsed (see module docstring)."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    if not head:
        raise _refuse(path, "the file is empty", "export the workbook again")
    if head.startswith(_OLE):
        with open(path, "rb") as fh:
            encrypted = _ENCRYPTED in fh.read(64 << 20)
        if encrypted:
            raise _refuse(path, "the workbook is password-protected (encrypted), so it cannot "
                          "be read", "open it in Excel or WPS, remove the password (文件 → "
                          "信息 → 保护工作簿 → 用密码进行加密), save, and run again")
        raise _refuse(path, "the file is an old binary Excel 97–2003 (.xls) workbook under an "
                      ".xlsx name", "open it in Excel or WPS and save it as .xlsx, then run again")
    if not head.startswith(b"PK"):
        lowered = head[:4096].lower()
        what = "an HTML page (a web export) under an .xlsx name" \
            if b"<html" in lowered or b"<table" in lowered else "not an XLSX workbook"
        raise _refuse(path, f"the file is {what}", "open it in Excel or WPS and save it as "
                      ".xlsx (or export the ledger as CSV), then run again")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(path, "the workbook is damaged or truncated (its zip directory cannot "
                      "be read)", "copy or export the file again; if it opens in Excel, save "
                      "it again as .xlsx") from None
    if not any(i.filename == "xl/workbook.xml" for i in infos):
        raise _refuse(path, "the file is a zip archive but not an Excel workbook (it has no "
                      "xl/workbook.xml)", "unpack it, or export the ledger as .xlsx or CSV")
    inflated = sum(i.file_size for i in infos)
    if inflated > MAX_XLSX_INFLATED_BYTES:
        raise _refuse(path, f"the workbook would inflate to {inflated:,} bytes, beyond the "
                      f"{MAX_XLSX_INFLATED_BYTES:,} outturn reads", "save a ledger this large "
                      "as CSV (outturn reads CSV of any size), or split the workbook")
    for info in infos:
        if info.file_size > XLSX_RATIO_FLOOR and \
                info.file_size > MAX_XLSX_RATIO * max(info.compress_size, 1):
            raise _refuse(path, f"part {info.filename} would inflate "
                          f"{info.file_size // max(info.compress_size, 1):,} times (to "
                          f"{info.file_size:,} bytes): not a real sheet (a zip bomb?)",
                          "do not use this file; export the ledger again from its source system")


def read_workbook(path: Path, sheet: str | int | None = None) -> tuple[list[RawTable], list[Problem]]:
    """The data sheets of a workbook (or the one asked for), and warnings about the rest."""
    from openpyxl import load_workbook

    check_container(path)
    # Past the container checks, whatever openpyxl, lxml or zlib raise on a damaged part
    # (they raise many kinds) is the same news for the user: the workbook is damaged.
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise _damaged(path, exc) from None
    try:
        return _read_sheets(wb, path, sheet)
    except InputError:
        raise
    except Exception as exc:
        raise _damaged(path, exc) from None
    finally:
        wb.close()


def _damaged(path: Path, exc: Exception) -> InputError:
    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
    return _refuse(path, f"the workbook is damaged ({type(exc).__name__}{': ' if detail else ''}"
                         f"{detail})")


def _read_sheets(wb: Any, path: Path, sheet: str | int | None) -> tuple[list[RawTable], list[Problem]]:
    if sheet is not None:
        # a name first (a sheet may be called 2022), else a 0-based position
        if isinstance(sheet, str) and sheet in wb.sheetnames:
            ws = wb[sheet]
        elif str(sheet).isdigit() and int(sheet) < len(wb.worksheets):
            ws = wb.worksheets[int(sheet)]
        else:
            raise InputError([Problem(file=str(path), sheet=str(sheet), rule="no such sheet",
                                      advice=f"choose one of {', '.join(wb.sheetnames)}")])
        table, notes = _read_sheet(wb, ws, path, required=True)
        assert table is not None
        return [table], notes
    tables: list[RawTable] = []
    notes: list[Problem] = []
    for ws in wb.worksheets:
        if getattr(ws, "sheet_state", "visible") != "visible":
            notes.append(Problem(file=str(path), sheet=ws.title, severity="warning",
                                 rule=f"sheet is {ws.sheet_state}, so it is not read",
                                 advice="if it holds ledger rows, unhide it (右键 → 取消隐藏) "
                                        "and run again; else delete it"))
            continue
        table, found = _read_sheet(wb, ws, path, required=False)
        notes.extend(found)
        if table is not None:
            tables.append(table)
    if not tables:
        visible = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
        if not visible:
            raise InputError([*notes, Problem(file=str(path), rule="the workbook has no "
                                              "visible sheet", advice="unhide the data sheet")])
        _read_sheet(wb, visible[0], path, required=True)  # raises: names the missing header
    return tables, notes


def _rows(wb: Any, ws: Any, parser_out: list[_Parser]) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) of a sheet as its XML holds them; the dimension is ignored."""
    with ws._get_source() as src:
        parser = _Parser(src, ws._shared_strings, epoch=wb.epoch,
                         date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        parser_out.append(parser)
        yield from parser.parse()


def _texts(cells: list[dict[str, Any]]) -> list[str]:
    """Text of a row's cells by column position (1-based columns to a 0-based list)."""
    if not cells:
        return []
    out = [""] * max(c["column"] for c in cells)
    for c in cells:
        out[c["column"] - 1] = cell_text(c["value"])
    return out


def _read_sheet(wb: Any, ws: Any, path: Path, *, required: bool) -> tuple[RawTable | None, list[Problem]]:
    """One sheet as a raw table, or ``None`` (with a warning if it has content) if it has
    no header in its first rows."""
    parsers: list[_Parser] = []
    rows = _rows(wb, ws, parsers)
    head: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        if number > MAX_TITLE_ROWS:
            head.append((number, _texts(cells)))
            break
        head.append((number, _texts(cells)))
    grid = [[] for _ in range(MAX_TITLE_ROWS)]
    for number, texts in head:
        if number <= MAX_TITLE_ROWS:
            grid[number - 1] = texts
    if not any(known_header_count(r) >= 2 for r in grid):
        rows.close()
        if required:
            find_header(grid, path, ws.title)
        has_content = any(any(c.strip() for c in r) for r in grid)
        return None, [Problem(file=str(path), sheet=ws.title, severity="warning",
                              rule="sheet has content but no header row in its first "
                                   f"{MAX_TITLE_ROWS} rows, so it is not read",
                              advice="if it holds ledger rows, give it a header row (see "
                                     "docs/data-model.md); else ignore this warning")] \
            if has_content else []
    header_idx = find_header(grid, path, ws.title)
    header_row = header_idx + 1
    names = header_names(grid[header_idx], path, sheet=ws.title, row=header_row, trim=True)
    width = len(names)
    records: list[list[str]] = []
    numbers: list[int] = []
    issues: list[CellIssue] = []
    beyond: dict[int, int] = {}  # column → first row with a cell right of the header
    uncached = parsers[0].uncached

    def take(number: int, texts: list[str]) -> None:
        formulas = uncached.get(number, {}) if number > header_row else {}
        for col, formula in formulas.items():  # shown as the formula, never as blank
            texts = texts + [""] * (col - len(texts))
            texts[col - 1] = formula
        if number <= header_row or not any(c.strip() for c in texts):
            return
        for j in range(width, len(texts)):
            if texts[j].strip():
                beyond.setdefault(j + 1, number)
        issues.extend(CellIssue(len(records), names[col - 1], "formula without a calculated "
                                "value, so the cell cannot be read", _RECALCULATE,
                                f"cell {get_column_letter(col)}{number}")
                      for col in sorted(formulas) if col <= width)
        records.append((texts + [""] * width)[:width])
        numbers.append(number)

    for number, texts in head:
        take(number, texts)
    for number, cells in rows:
        take(number, _texts(cells))
    frame = pd.DataFrame(records, columns=names, dtype="str")
    titles = tuple(" ".join(c for c in r if c).strip() for r in grid[:header_idx])
    table = RawTable(frame, path, np.asarray(numbers, dtype=np.int64), header_row,
                     sheet=ws.title, titles=titles, issues=issues)
    notes = [Problem(file=str(path), sheet=ws.title, row=first, column=get_column_letter(col),
                     severity="warning", rule=f"cells in column {get_column_letter(col)} have "
                     "no heading, so they are not read", advice="give the column a heading "
                     "(docs/data-model.md), or clear those cells")
             for col, first in sorted(beyond.items())]
    return table, notes

