"""The raw table every reader returns, the header search they share, and their limits.

A :class:`RawTable` is one sheet (or one text file) as text cells with the row number
each data row has in the source. Readers do not interpret cells; what they cannot hand
over as text (a formula Excel never calculated, bytes of another encoding) they name as
:class:`CellIssue` so that normalisation rejects that row with a precise reason instead
of reading a blank or a garbled value.

The limits below bound what one file may cost: they are checked before the file is
parsed, so a hostile file is refused in milliseconds, not after it has taken the memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from outturn.aliases import resolve_header
from outturn.problems import InputError, Problem

#: How many leading rows may be titles before the header row.
MAX_TITLE_ROWS = 30
#: Columns a header may have. Ledgers have tens; a budget-system export about a hundred.
MAX_COLUMNS = 1000
#: Bytes one line of a text file may have (a ledger line is well under 4 KiB).
MAX_LINE_BYTES = 1 << 20
#: What the parts of one XLSX may inflate to, in all, and how much smaller than that its
#: compressed form may be (real sheets compress 5–30×; zip bombs 1000× and more).
MAX_XLSX_INFLATED_BYTES = 1 << 30
MAX_XLSX_RATIO = 200
#: Members smaller than this are not held to the ratio (tiny repetitive XML is normal).
XLSX_RATIO_FLOOR = 1 << 20


@dataclass(frozen=True)
class CellIssue:
    """A cell the reader could not hand over as its true text: why, and what to do.

    ``position`` is the row's position in :attr:`RawTable.frame`, ``column`` its source
    header. The cell's text in the frame shows what there is (the formula, or the text
    with ``�`` where the bytes could not be decoded).
    """

    position: int
    column: str
    #: What is wrong, the same for every cell of its kind (rows are rejected with it).
    rule: str
    advice: str
    #: Where exactly (a cell address, a byte offset), shown in the problem.
    detail: str = ""


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
    #: Cells that are not what they seem (see :class:`CellIssue`).
    issues: list[CellIssue] = field(default_factory=list)


def known_header_count(cells: list[str]) -> int:
    """How many cells are headers of the alias table."""
    return sum(1 for c in cells if c and resolve_header(c).column is not None)


def find_header(rows: list[list[str]], path: Path, sheet: str = "", read_as: str = "") -> int:
    """Index of the header row among the first rows: the first with ≥2 known headers."""
    for i, cells in enumerate(rows[:MAX_TITLE_ROWS]):
        if known_header_count(cells) >= 2:
            return i
    how = f" (read as {read_as})" if read_as else ""
    raise InputError([Problem(
        file=str(path), sheet=sheet, row=None,
        rule=f"no header row found in the first {MAX_TITLE_ROWS} rows{how}",
        advice="put a header row with column names such as 年度, 部门编码, 金额（元） above the "
               "data (see docs/data-model.md for the accepted names)",
    )])


def header_names(cells: list[str], path: Path, *, sheet: str = "", row: int | None = None,
                 trim: bool = False) -> list[str]:
    """The header's column names, repeats numbered, width checked.

    ``trim`` drops trailing blank headers (a sheet's cells beyond its last heading); a
    text file keeps them, since every line of it has that many cells.
    """
    width = len(cells)
    while trim and width and not cells[width - 1].strip():
        width -= 1
    if width > MAX_COLUMNS:
        raise InputError([Problem(
            file=str(path), sheet=sheet, row=row, value=f"{width:,} columns",
            rule=f"the header has more than {MAX_COLUMNS:,} columns",
            advice="delete the empty or unused columns (a ledger needs a few dozen) and "
                   "save the file again")])
    return dedupe(cells[:width])


def dedupe(names: list[str]) -> list[str]:
    """Column names made unique: blanks become ``(column N)``, repeats are numbered."""
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


def cell_text(value: object) -> str:
    """Text of a spreadsheet or Parquet cell as a user reads it (no float noise)."""
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


def first_long_line(path: Path) -> tuple[int | None, int | None]:
    """The first line longer than :data:`MAX_LINE_BYTES` (streamed), and its length."""
    line, start, offset = 1, 0, 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 24):
            breaks = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 0x0A) + offset
            ends = np.concatenate([[start], breaks])
            lengths = np.diff(ends) if len(breaks) else np.array([offset + len(chunk) - start])
            over = np.flatnonzero(lengths > MAX_LINE_BYTES)
            if len(over):
                return line + int(over[0]), int(lengths[over[0]])
            line += len(breaks)
            start = int(breaks[-1]) + 1 if len(breaks) else start
            offset += len(chunk)
    return None, None
