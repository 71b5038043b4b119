"""Read raw ledger files (CSV, XLSX, Parquet) into string tables with source row numbers.

Readers do not interpret cells: every cell comes back as text exactly as the source
holds it, so that parsing (``outturn.parsing``) can report the original value when it
is bad. What readers do decide:

- the text encoding of a CSV (UTF-8, UTF-8 with BOM, GB18030/GBK — detected, or given);
- which row is the header, skipping title rows that budget-system exports put first
  (``2022年度部门预算明细表`` / ``单位：万元``): the first row in which at least two cells
  are known headers of the alias table;
- the row number each data row has in the source, as the user sees it in a text editor
  or in Excel, so problems can point at it.

CSV files are read with pyarrow's multi-threaded reader (columns whose values repeat,
such as codes and dates, arrive dictionary-encoded as pandas ``Categorical``), keeping
empty lines as empty
rows so row numbers stay exact (normalisation skips rows with no content); files with
ragged rows fall back to Python's csv module, which reports them line by line.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from outturn.aliases import resolve_header
from outturn.problems import InputError, Problem
from outturn.schema import REPEATED_COLUMNS

#: How many leading rows may be titles before the header row.
MAX_TITLE_ROWS = 30
#: Bytes looked at to detect a CSV's encoding.
SNIFF_BYTES = 1 << 20

SUPPORTED_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".parquet")
#: Spreadsheet formats outturn does not read, and what each is. Ingest refuses them by
#: name rather than passing over them: a ledger left out without a word is lost data.
REFUSED_SUFFIXES = {".xls": "the old binary Excel 97–2003 format",
                    ".et": "the WPS spreadsheet format", ".ods": "the OpenDocument format",
                    ".numbers": "the Apple Numbers format"}

#: Arrow type of columns whose values repeat (codes, categories, dates): the reader
#: builds the dictionary on its own threads and pandas receives a ``Categorical``.
_DICTIONARY = pa.dictionary(pa.int32(), pa.large_string())


@dataclass
class RawTable:
    """A table as read from one source file: text cells, source headers, source rows."""

    frame: pd.DataFrame
    path: Path
    source_rows: np.ndarray
    header_row: int
    sheet: str = ""
    encoding: str = ""
    #: Title lines above the header (they may state the unit, e.g. 单位：万元).
    titles: tuple[str, ...] = ()


def detect_encoding(sample: bytes) -> str:
    """Name the encoding of CSV bytes: ``utf-8-sig``, ``utf-8`` or ``gb18030``.

    UTF-8 is tried strictly first (a GBK file almost never decodes as UTF-8), then
    GB18030, which is a superset of GBK and GB2312. Anything else is left to
    charset-normalizer's best guess.
    """
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):
        try:
            # a multi-byte character may be cut at the end of the sample
            sample.decode(encoding) if len(sample) < SNIFF_BYTES else sample[:-4].decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise InputError([Problem(file="", rule="text encoding not recognised",
                                  advice="save the file as UTF-8 or GB18030 and try again")])
    return best.encoding


def _known_header_count(cells: list[str]) -> int:
    return sum(1 for c in cells if c and resolve_header(c).column is not None)


def find_header(rows: list[list[str]], path: Path, sheet: str = "") -> int:
    """Index of the header row among the first rows: the first with ≥2 known headers."""
    for i, cells in enumerate(rows[:MAX_TITLE_ROWS]):
        if _known_header_count(cells) >= 2:
            return i
    raise InputError([Problem(
        file=str(path), sheet=sheet, row=None,
        rule=f"no header row found in the first {MAX_TITLE_ROWS} rows",
        advice="put a header row with column names such as 年度, 部门编码, 金额（元） above the "
               "data (see docs/data-model.md for the accepted names)",
    )])


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name.strip() or f"(column {i + 1})"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 0
        out.append(name)
    return out


def read_csv(path: Path, encoding: str | None = None) -> RawTable:
    """Read a CSV export as text, detecting encoding and header row."""
    with open(path, "rb") as fh:
        sample = fh.read(SNIFF_BYTES)
    enc = encoding or detect_encoding(sample)
    head_text = sample.decode(enc, errors="replace")
    head_rows = list(csv.reader(io.StringIO(head_text)))[: MAX_TITLE_ROWS + 1]
    header_idx = find_header(head_rows, path)
    header_line = header_idx + 1  # 1-based line of the header
    names = _dedupe(head_rows[header_idx])
    titles = tuple("".join(r).strip() for r in head_rows[:header_idx])
    read_opts = pacsv.ReadOptions(
        encoding="utf8" if enc in ("utf-8", "utf-8-sig", "utf8") else enc,
        skip_rows=header_idx + 1, column_names=names, block_size=1 << 26,
    )
    convert = pacsv.ConvertOptions(
        column_types={name: _DICTIONARY if resolve_header(name).column in REPEATED_COLUMNS
                      else pa.large_string() for name in names},
        strings_can_be_null=False, quoted_strings_can_be_null=False,
    )
    try:
        table = pacsv.read_csv(path, read_options=read_opts, convert_options=convert,
                               parse_options=pacsv.ParseOptions(newlines_in_values=False,
                                                                ignore_empty_lines=False))
    except pa.ArrowInvalid as exc:
        # ragged rows and the like: the Python reader reports them row by row
        if "columns" in str(exc):
            return _read_csv_python(path, enc, header_idx, names, titles)
        raise
    frame = table.to_pandas()
    rows = np.arange(header_line + 1, header_line + 1 + len(frame), dtype=np.int64)
    return RawTable(frame, path, rows, header_line, encoding=enc, titles=titles)


def _read_csv_python(path: Path, enc: str, header_idx: int, names: list[str],
                     titles: tuple[str, ...]) -> RawTable:
    """Line-exact CSV reading for files with ragged rows."""
    records: list[list[str]] = []
    rows: list[int] = []
    problems: list[Problem] = []
    with open(path, encoding=enc, newline="") as fh:
        reader = csv.reader(fh)
        for i, cells in enumerate(reader):
            if i <= header_idx:
                continue
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(names):
                if len(cells) > len(names) and not any(c.strip() for c in cells[len(names):]):
                    cells = cells[: len(names)]
                elif len(cells) < len(names):
                    cells = cells + [""] * (len(names) - len(cells))
                else:
                    problems.append(Problem(
                        file=str(path), row=reader.line_num, value=",".join(cells[len(names):]),
                        rule=f"row has {len(cells)} cells but the header has {len(names)}",
                        advice="remove the extra cells or quote values that contain commas"))
                    continue
            records.append(cells)
            rows.append(reader.line_num)
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame(records, columns=names, dtype="str")
    return RawTable(frame, path, np.asarray(rows, dtype=np.int64), header_idx + 1, encoding=enc,
                    titles=titles)


def _cell_text(value: object) -> str:
    """Text of an Excel cell as a user would read it (numbers without float noise)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_xlsx(path: Path, sheet: str | int | None = None) -> RawTable:
    """Read one sheet of a workbook as text: the one named, or else the first sheet
    whose first rows hold a header."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is None:
            # the first sheet with a recognisable header (cover and notes sheets are skipped)
            for ws in wb.worksheets:
                head = [[_cell_text(v) for v in row]
                        for row in ws.iter_rows(max_row=MAX_TITLE_ROWS, values_only=True)]
                if any(_known_header_count(r) >= 2 for r in head):
                    break
            else:
                ws = wb.worksheets[0]
        elif isinstance(sheet, int):
            ws = wb.worksheets[sheet]
        else:
            if sheet not in wb.sheetnames:
                raise InputError([Problem(file=str(path), sheet=str(sheet),
                                          rule="no such sheet",
                                          advice=f"choose one of {', '.join(wb.sheetnames)}")])
            ws = wb[sheet]
        grid = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        title = ws.title
    finally:
        wb.close()
    header_idx = find_header(grid, path, title)
    names = _dedupe(grid[header_idx])
    records, rows = [], []
    for i, cells in enumerate(grid[header_idx + 1:], start=header_idx + 2):
        if not any(c.strip() for c in cells):
            continue
        cells = (cells + [""] * len(names))[: len(names)]
        records.append(cells)
        rows.append(i)
    frame = pd.DataFrame(records, columns=names, dtype="str")
    titles = tuple(" ".join(c for c in r if c).strip() for r in grid[:header_idx])
    return RawTable(frame, path, np.asarray(rows, dtype=np.int64), header_idx + 1, sheet=title,
                    titles=titles)


def read_parquet(path: Path) -> RawTable:
    """Read a Parquet file; every column is turned into text for uniform parsing."""
    table = pq.read_table(path)
    frame = pd.DataFrame({
        name: table.column(name).to_pandas().map(_cell_text, na_action="ignore")
        .fillna("").astype("str")
        for name in table.column_names
    })
    rows = np.arange(1, len(frame) + 1, dtype=np.int64)
    return RawTable(frame, path, rows, 0)


def read_raw(path: str | Path, *, sheet: str | int | None = None,
             encoding: str | None = None) -> RawTable:
    """Read any supported ledger file as text with its source row numbers."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return read_csv(path, encoding)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet)
    if suffix == ".parquet":
        return read_parquet(path)
    if suffix in REFUSED_SUFFIXES:
        raise InputError([Problem(
            file=str(path), rule=f"the file is in {REFUSED_SUFFIXES[suffix]}, which outturn "
            "does not read", advice="open it in Excel or WPS and save it as .xlsx (Excel "
            "workbook) or CSV, then remove this file and run again")])
    raise InputError([Problem(file=str(path), rule=f"unsupported file type {suffix!r}",
                              advice="export the table as CSV, XLSX or Parquet")])
