"""Turning raw ledger cells into typed columns: amounts, dates, codes, years, numbers, text.

Budget systems export the same figure many ways: ``1,234.50``, ``１２３４．５``, ``(1,234.50)``
for a refund, ``—`` for nothing, ``1.2345E+6`` when Excel got there first. Every reader
sends its raw cells through the functions here, so a new spelling only has to be taught once.

Each ``parse_*`` function takes a :class:`pandas.Series` of raw cells (``str``/``object``
dtype; ``None``/``NaN`` allowed; the Python objects openpyxl returns are accepted too) and
returns a :class:`Parsed` pair ``(values, errors)`` with the input's index. ``errors`` is a
``str`` Series holding ``""`` for good cells and a short English reason for bad ones, so a
caller can report every bad cell of a file at once instead of stopping at the first.
Parsers never raise on bad cell content.

Amounts are exact: they are converted with decimal arithmetic (pyarrow's decimal cast, or
:class:`decimal.Decimal` for the rare odd cell), never through ``float``, and an amount more
precise than 1 分 is reported rather than rounded.

The functions are vectorised. Each column is cut into chunks that worker threads (pyarrow
kernels release the GIL) push through a fast path first: one strict pyarrow cast of the
whole chunk, which succeeds for clean exports. Only when that fails are cells sorted with
pyarrow regex kernels into plain ones (cast in bulk) and odd ones (normalised with string
kernels; a Python loop is left only for the genuinely unusual, e.g. scientific notation).

This module is the front: the shared core is :mod:`~outturn.ingest.parse_core`, the parsers
live by kind in :mod:`~outturn.ingest.parse_amounts`, :mod:`~outturn.ingest.parse_dates` and
:mod:`~outturn.ingest.parse_fields` (codes, years, numbers).
"""

from __future__ import annotations

from outturn.ingest.parse_amounts import (
    parse_amounts,
)
from outturn.ingest.parse_core import (
    BAD_SEPARATORS,
    NO_SUCH_DATE,
    NOT_A_DATE,
    NOT_A_NUMBER,
    NOT_A_YEAR,
    SERIAL_OUT_OF_RANGE,
    TOO_LARGE,
    TOO_PRECISE,
    YEAR_OUT_OF_RANGE,
    YEAR_RANGE,
    Parsed,
    clean_text,
    is_dash_or_blank,
)
from outturn.ingest.parse_dates import (
    parse_dates,
)
from outturn.ingest.parse_fields import (
    parse_codes,
    parse_numbers,
    parse_years,
)

__all__ = [
    "BAD_SEPARATORS",
    "NOT_A_DATE",
    "NOT_A_NUMBER",
    "NOT_A_YEAR",
    "NO_SUCH_DATE",
    "SERIAL_OUT_OF_RANGE",
    "TOO_LARGE",
    "TOO_PRECISE",
    "YEAR_OUT_OF_RANGE",
    "YEAR_RANGE",
    "Parsed",
    "clean_text",
    "is_dash_or_blank",
    "parse_amounts",
    "parse_codes",
    "parse_dates",
    "parse_numbers",
    "parse_years",
]
