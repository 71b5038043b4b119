"""What every cell parser shares: the :class:`Parsed` result, the error messages, the
character classes a cell may hold, and the chunked, threaded pyarrow helpers the parsers
run on (see :mod:`outturn.ingest.parsing` for the whole design). Its underscored names
are the parsers' shared internals, imported by the ``parse_*`` modules of this package only.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import NamedTuple, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


class Parsed(NamedTuple):
    """A parsed column: typed ``values`` and per-cell ``errors`` ("" when the cell is good)."""

    values: pd.Series
    errors: pd.Series


# ---------------------------------------------------------------------------------------
# Error reasons (short English, shown to users next to the cell).

NOT_A_NUMBER = "not a number"
TOO_PRECISE = "more precise than 1 分"
BAD_SEPARATORS = "misplaced thousands separator"
TOO_LARGE = "too large"
NOT_A_DATE = "not a date"
NO_SUCH_DATE = "no such date"
SERIAL_OUT_OF_RANGE = "Excel date serial outside 20000–80000"
NOT_A_YEAR = "not a year"
#: Fiscal years accepted by :func:`parse_years` (inclusive).
YEAR_RANGE: tuple[int, int] = (1990, 2100)
YEAR_OUT_OF_RANGE = f"year outside {YEAR_RANGE[0]}–{YEAR_RANGE[1]}"

# Per-parser error tables: an error code (uint8) indexes into these; code 0 means "no error".
_AMOUNT_ERRORS = ("", NOT_A_NUMBER, TOO_PRECISE, BAD_SEPARATORS, TOO_LARGE)
_A_OK, _A_NAN, _A_PRECISE, _A_SEP, _A_LARGE = range(5)
_DATE_ERRORS = ("", NOT_A_DATE, NO_SUCH_DATE, SERIAL_OUT_OF_RANGE)
_D_OK, _D_NAD, _D_NOSUCH, _D_SERIAL = range(4)
_YEAR_ERRORS = ("", NOT_A_YEAR, YEAR_OUT_OF_RANGE)
_Y_OK, _Y_NAY, _Y_RANGE = range(3)
_NUMBER_ERRORS = ("", NOT_A_NUMBER, BAD_SEPARATORS)
_N_OK, _N_NAN, _N_SEP = range(3)

# ---------------------------------------------------------------------------------------
# Character classes (RE2 syntax for pyarrow; RE2's \s and \d are ASCII-only).

#: Characters that mean "nothing here" when a cell holds only them (and whitespace).
DASHES = "-—–―－−﹣"
_DASHES_RE = r"^[-—–―－−﹣]*$"
#: Characters an amount cell may contain before normalisation; anything else is rejected
#: up front, so that NFKC cannot turn e.g. "²" or "①" into a digit.
_AMOUNT_CHARS_RE = r"^[0-9０-９.．,，+＋\-－−﹣—–―()（）\s\x{3000}元万eEｅＥ¥￥]*$"
_DATE_CHARS_RE = r"^[0-9０-９.．\-－/／\s\x{3000}:：年月日号T]*$"
_NUMBER_CHARS_RE = (
    r"^[0-9０-９.．,，+＋\-－−﹣()（）\s\x{3000}eEｅＥ%％‰<>＜＞=＝≥≤≧≦"
    r"万亿不低少小于高超过大多等达到约以上下内]*$"
)

_EMPTY = pa.scalar("", pa.large_string())
_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
#: Decimal digits of the fractional part of one unit that 1 分 corresponds to.
_FEN_DIGITS: dict[int, int] = {1: 0, 100: 2, 1_000_000: 6}
#: Total digits a fast-path decimal may have: 10**18 分 < 2**63, so it always fits int64.
_FAST_PRECISION = 18


# ---------------------------------------------------------------------------------------
# Plumbing: raw cells → one pyarrow large_string array; chunked, threaded evaluation.


def _render_cell(cell: object) -> str | None:
    """Render one non-string cell (as openpyxl or pandas hand it over) as text, or ``None``.

    Floats go through their shortest repr (``2120101.0``, ``1e+16``), never through binary
    rounding; dates and datetimes become ``YYYY-MM-DD`` (a datetime keeps its wall-clock date).
    """
    if cell is None or cell is pd.NA or cell is pd.NaT:
        return None
    if isinstance(cell, str):
        # Lone surrogates cannot be UTF-8 encoded; such a cell is garbage either way.
        return cell.encode("utf-8", "replace").decode("utf-8")
    if isinstance(cell, bool | np.bool_):
        return str(bool(cell))
    if isinstance(cell, int | np.integer):
        return str(int(cell))
    if isinstance(cell, float | np.floating):
        return None if cell != cell else repr(float(cell))
    if isinstance(cell, np.datetime64):
        return None if np.isnat(cell) else _render_cell(pd.Timestamp(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def _string_cells(values: pd.Series) -> pa.LargeStringArray | None:
    """The cells as a pyarrow ``large_string`` array if they are all text or missing, else ``None``.

    ``str`` columns are handed over without copying; object columns holding only strings
    and missing values are converted in C.
    """
    if isinstance(values.dtype, pd.StringDtype):
        arr: pa.Array | pa.ChunkedArray = pa.array(values.array)
    else:
        try:
            arr = pa.array(values.to_numpy(dtype=object), type=pa.large_string(),
                           from_pandas=True)
        except (pa.ArrowException, TypeError, ValueError):
            return None
    if isinstance(arr, pa.ChunkedArray):
        # keep the reader's chunks: combining them would copy the whole column
        if arr.num_chunks == 1:
            arr = arr.chunk(0)
        elif arr.num_chunks == 0:
            arr = pa.array([], type=pa.large_string())
    return arr if arr.type == pa.large_string() else arr.cast(pa.large_string())


def _text_array(values: pd.Series) -> pa.LargeStringArray:
    """The cells as one pyarrow ``large_string`` array, missing → null.

    Non-string cells (numbers, dates from openpyxl) are rendered by :func:`_render_cell`.
    """
    arr = _string_cells(values)
    if arr is None:
        arr = pa.array([_render_cell(c) for c in values.to_numpy(dtype=object)],
                       type=pa.large_string())
    return arr


def _workers() -> int:
    try:
        return max(1, min(8, len(os.sched_getaffinity(0))))
    except AttributeError:  # not on Linux
        return max(1, min(8, os.cpu_count() or 1))


#: Columns shorter than this are parsed in one piece on the calling thread.
_MIN_CHUNK = 1 << 18

_R = TypeVar("_R")


def _map_chunks(func: Callable[[pa.LargeStringArray], _R],
                arr: pa.LargeStringArray | pa.ChunkedArray) -> list[_R]:
    """Apply ``func`` to consecutive slices of ``arr`` on worker threads, in order.

    A chunked array (as pyarrow's CSV reader produces) is cut along its chunks, so no
    column is ever copied into one buffer.

    A slice whose strict fast path fails only costs its own slow path, and pyarrow kernels
    release the GIL, so the slices really run in parallel.
    """
    n, workers = len(arr), _workers()
    pieces = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    if n <= _MIN_CHUNK or workers == 1:
        return [func(p) for p in pieces] if len(pieces) > 1 else \
            [func(pieces[0] if pieces else pa.array([], type=pa.large_string()))]
    size = max(_MIN_CHUNK, -(-n // (4 * workers)))
    parts = [p.slice(start, size) for p in pieces for start in range(0, len(p), size)]
    with ThreadPoolExecutor(max_workers=min(workers, len(parts))) as pool:
        return list(pool.map(func, parts))


def _np_bool(mask: pa.Array) -> np.ndarray:
    """A pyarrow boolean array as a numpy bool array, null → False."""
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)


def _matches(arr: pa.Array, pattern: str) -> np.ndarray:
    """Which cells match the RE2 ``pattern`` (null cells do not)."""
    return _np_bool(pc.match_substring_regex(arr, pattern))


def _keep_only(arr: pa.LargeStringArray, keep: np.ndarray) -> pa.LargeStringArray:
    """``arr`` with every cell outside ``keep`` turned null, without copying the strings."""
    offset = arr.offset
    bits = np.concatenate([np.zeros(offset, dtype=bool), keep]) if offset else keep
    bitmap = pa.py_buffer(np.packbits(bits, bitorder="little").tobytes())
    buffers = arr.buffers()
    return pa.LargeStringArray.from_buffers(len(arr), buffers[1], buffers[2], null_bitmap=bitmap,
                                            offset=offset)


#: Cells cast as a probe before a whole chunk is cast. A failing pyarrow cast costs about a
#: microsecond per bad cell (it does not stop at the first), so a chunk that is mostly not
#: castable is better sent straight to the regex path.
_PROBE = 1024


def _try_cast(arr: pa.Array, target: pa.DataType) -> pa.Array | None:
    """``arr`` strictly cast to ``target``, or ``None`` if any (non-null) cell does not cast."""
    try:
        if len(arr) > 4 * _PROBE:
            probe = np.linspace(0, len(arr) - 1, _PROBE).astype(np.int64)
            pc.cast(arr.take(pa.array(probe)), target)
        return pc.cast(arr, target)
    except pa.ArrowInvalid:
        return None


def _empty_strings(n: int) -> pa.LargeStringArray:
    """``n`` empty strings, built without a per-cell loop."""
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(np.zeros(n + 1, dtype=np.int64)),
                                            pa.py_buffer(b""))


def _str_series(arr: pa.Array | pa.ChunkedArray, like: pd.Series) -> pd.Series:
    """Wrap a pyarrow string array as a ``str`` Series with ``like``'s index and name."""
    return pd.Series(pd.array(arr, dtype="str"), index=like.index, name=like.name, copy=False)


def _errors(codes: np.ndarray, messages: Sequence[str], like: pd.Series) -> pd.Series:
    """The ``errors`` Series: message ``messages[code]`` per cell, ``""`` for code 0."""
    if not codes.any():
        return _str_series(_empty_strings(len(codes)), like)
    table = pa.array(list(messages), type=pa.large_string())
    return _str_series(pc.take(table, pa.array(codes)), like)


def _int_parts(parts: pa.Array, missing: int = -1) -> np.ndarray:
    """Digit strings (from a regex group) as int64; ``""`` and null → ``missing``."""
    digits = pc.if_else(pc.equal(parts, ""), pa.scalar(None, parts.type), parts)
    return np.array(pc.fill_null(pc.cast(digits, pa.int64()), missing).to_numpy(
        zero_copy_only=False))


def _normalise(arr: pa.Array) -> pa.Array:
    """Trim surrounding whitespace (incl. U+3000) and fold full-width forms (NFKC)."""
    return pc.utf8_trim_whitespace(pc.utf8_normalize(pc.utf8_trim_whitespace(arr), "NFKC"))


# ---------------------------------------------------------------------------------------
# Blanks and plain text.


def is_dash_or_blank(values: pd.Series) -> pd.Series:
    """Which cells mean "nothing": missing, empty, whitespace, or only dashes (``-``, ``——`` …).

    Ledgers print a dash for a zero amount or an empty field; callers use this to tell such
    cells apart from text that fails to parse.
    """
    arr = _text_array(values)
    blank = _np_bool(pc.or_kleene(pc.is_null(arr),
                                  pc.match_substring_regex(pc.utf8_trim_whitespace(arr),
                                                           _DASHES_RE)))
    return pd.Series(blank, index=values.index, name=values.name, dtype=bool)


def clean_text(values: pd.Series) -> pd.Series:
    """Free text with surrounding whitespace (incl. U+3000) removed and missing cells as ``""``.

    Chinese text is kept as written (no NFKC: full-width punctuation in names is meaningful).
    Non-string cells are rendered as text (``2120101.0`` stays ``2120101.0``).
    """
    arr = pc.fill_null(pc.utf8_trim_whitespace(_text_array(values)), "")
    return _str_series(arr, values)


