"""Cells that cannot become live formulas in the CSV and XLSX files outturn writes.

Text from ledgers goes into ``problems.csv``, the rejected rows, the report's data CSVs
and the 自评表.xlsx. Excel and WPS run a cell that begins with ``=``, ``+``, ``-`` or ``@``
(and one that begins with a tab or carriage return before those) as a formula — e.g.
``=HYPERLINK("http://…","…")`` — when a clerk opens the file. OWASP's advice for CSV
injection is to prefix such a cell with a single quote, which the spreadsheet shows as
text; that is what :func:`neutralise` does. Numbers stay numbers: numeric columns are not
touched, and neither is text that is just a signed number (``-9.33``, ``-1,200.50``,
``-4.5%``, as the report's tables print them), which a spreadsheet reads as that number
and nothing else.

>>> neutralise('=HYPERLINK("http://x","y")')
'\\'=HYPERLINK("http://x","y")'
>>> [neutralise(v) for v in ("+1+1", "-2+3", "@SUM(A1)", "\\t=1", "道路维护", "", 12)]
["'+1+1", "'-2+3", "'@SUM(A1)", "'\\t=1", '道路维护', '', 12]
>>> [neutralise(v) for v in ("-9.33", "-1,200.50", "-4.5%", "-1e5", "- 3")]
['-9.33', '-1,200.50', '-4.5%', "'-1e5", "'- 3"]
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

#: The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


#: Text that is only a signed number (a spreadsheet reads it as that number, no formula).
_PLAIN_NUMBER = re.compile(r"[+-]?\d{1,3}(?:,\d{3})*(?:\.\d+)?%?|[+-]?\d+(?:\.\d+)?%?")


def neutralise(value: object) -> object:
    """``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) \
            and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are :func:`neutralise`-d; numbers untouched."""
    out = frame.copy(deep=False)
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        out[column] = series.map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out


#: Line ending of the CSVs outturn writes. With ``\r\n`` the writer quotes any cell that
#: holds a ``\r`` or ``\n``; with pandas' default ``\n`` a lone ``\r`` stays unquoted, and
#: a spreadsheet would start a new row there — where ``=…`` after it would be live again.
CSV_LINE_END = "\r\n"


def write_safe_csv(frame: pd.DataFrame, target: object, **options: object) -> None:
    """``frame`` as CSV for Excel (UTF-8 with BOM), no text cell a live formula."""
    neutralise_frame(frame).to_csv(target, index=False, encoding="utf-8-sig",  # type: ignore[call-overload]
                                   lineterminator=CSV_LINE_END, **options)


def text_only(workbook: Any) -> None:
    """Make every formula cell of an openpyxl ``workbook`` a text cell, before it is saved.

    openpyxl stores a string that begins with ``=`` as a formula. outturn writes no
    formulas of its own (every figure is computed and written as a value), so any
    formula cell holds text from data: it is written as that text (a shared string,
    which Excel and WPS show and never run) — exactly what the data says, no prefix.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
