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
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from decimal import Context, Decimal, Inexact, InvalidOperation
from typing import NamedTuple, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.types import infer_dtype, is_datetime64_any_dtype

from outturn.money import FEN_PER_UNIT

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


# ---------------------------------------------------------------------------------------
# Amounts.


def _unscaled(decimals: pa.Array, fen_digits: int) -> np.ndarray:
    """The unscaled integers of a ``decimal128(18, fen_digits)`` array as int64 (null → 0).

    With ``fen_digits`` matching the unit, the unscaled value *is* the amount in 分.
    """
    n = len(decimals)
    if sys.byteorder == "little":
        # Little-endian two's complement: the low 64-bit word is the value, as |v| < 10**18.
        words = np.frombuffer(decimals.buffers()[1], dtype=np.int64)
        out = words[2 * decimals.offset: 2 * (decimals.offset + n): 2].copy()
    else:  # pragma: no cover - no big-endian CI
        scaled = pc.multiply(decimals, pa.scalar(Decimal(10**fen_digits)))
        out = pc.cast(pc.fill_null(scaled, 0), pa.int64()).to_numpy(zero_copy_only=False).copy()
    if decimals.null_count:
        out[decimals.is_null().to_numpy(zero_copy_only=False)] = 0
    return out


def _plain_pattern(fen_digits: int, sign: bool = False) -> str:
    """RE2 pattern of a number the fast decimal cast takes without overflow or loss.

    At most ``18 - fen_digits`` integer digits and ``fen_digits`` significant fraction
    digits; trailing zeros beyond them carry no precision and are allowed (``1.500`` 元).
    """
    head = "^[-+]?" if sign else "^"
    whole = rf"[0-9]{{1,{_FAST_PRECISION - fen_digits}}}"
    return rf"{head}{whole}(?:\.[0-9]{{0,{fen_digits}}}0{{0,16}})?$"


#: Shape of an unsigned decimal the exact (slow) conversion takes, incl. scientific notation.
_DECIMAL_SHAPE = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")

_EXACT = Context(prec=80, Emax=10**6, Emin=-(10**6), traps=[Inexact, InvalidOperation])


def _exact_fen(body: str, scale: int) -> tuple[int, int]:
    """Exact 分 of an unsigned decimal string in a unit worth ``scale`` 分: ``(fen, code)``."""
    if not _DECIMAL_SHAPE.fullmatch(body):
        return 0, _A_NAN
    try:
        number = Decimal(body)
    except (InvalidOperation, ValueError, OverflowError):  # an absurd exponent
        return 0, _A_LARGE
    if number.is_zero():
        return 0, _A_OK
    if number.adjusted() > 20:
        return 0, _A_LARGE
    if number.adjusted() < -40:
        return 0, _A_PRECISE
    try:
        fen = _EXACT.multiply(number, Decimal(scale))
    except Inexact:
        return 0, _A_PRECISE
    if fen != fen.to_integral_value():
        return 0, _A_PRECISE
    as_int = int(fen)
    if not _INT64_MIN <= as_int <= _INT64_MAX:
        return 0, _A_LARGE
    return as_int, _A_OK


def _fold_wide(text: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray, np.ndarray]:
    """Normalise the non-ASCII amount cells (the rare ones), leaving ASCII cells untouched.

    Folds full-width forms (NFKC), reads and removes a trailing ``元``/``万元`` and a ``¥``.
    Returns ``(text, allowed, in_yuan, in_wan)``; ``allowed`` is False for cells holding
    characters no amount may hold (checked before NFKC, so ``²`` cannot become a digit).
    """
    n = len(text)
    allowed = np.ones(n, dtype=bool)
    in_yuan = np.zeros(n, dtype=bool)
    in_wan = np.zeros(n, dtype=bool)
    wide = ~_np_bool(pc.string_is_ascii(text))
    if not wide.any():
        return text, allowed, in_yuan, in_wan
    where = np.flatnonzero(wide)
    sub = text.take(pa.array(where))
    allowed[where] = _matches(sub, _AMOUNT_CHARS_RE)
    sub = pc.utf8_trim_whitespace(pc.utf8_normalize(sub, "NFKC"))
    sub = pc.replace_substring(sub, "−", "-")
    # A unit written in the cell itself wins over the column's unit: the cell says what it is.
    wan = _matches(sub, r"万元$")
    in_wan[where] = wan
    in_yuan[where] = _matches(sub, r"元$") & ~wan
    sub = pc.replace_substring_regex(sub, r"\s*万?元$", "")
    sub = pc.replace_substring_regex(sub, r"^(\(?)\s*([-+]?)\s*¥\s*", r"\1\2")
    sub = pc.replace_substring_regex(sub, r"^¥\s*([-+])\s*", r"\1")
    return pc.replace_with_mask(text, pa.array(wide), sub), allowed, in_yuan, in_wan


def _strip_where(text: pa.Array, mask: np.ndarray, start: int, stop: int | None) -> pa.Array:
    """Cut cells under ``mask`` to ``[start:stop]`` code units and trim them; others as they are."""
    if not mask.any():
        return text
    cut = pc.utf8_trim_whitespace(pc.utf8_slice_codeunits(text, start, stop))
    return pc.if_else(pa.array(mask), cut, text)


def _amounts_odd(cells: pa.Array, scale: int) -> tuple[np.ndarray, np.ndarray]:
    """Parse the amount cells the fast path could not take (non-null ones): ``(fen, codes)``.

    Vectorised normalisation with pyarrow string kernels; a Python loop with exact
    :class:`~decimal.Decimal` arithmetic only for what remains after that (scientific
    notation, excess precision, huge numbers, malformed text).
    """
    n = len(cells)
    fen = np.zeros(n, dtype=np.int64)
    code = np.zeros(n, dtype=np.uint8)

    text, allowed, in_yuan, in_wan = _fold_wide(pc.utf8_trim_whitespace(cells))
    code[~allowed] = _A_NAN
    zero = _matches(text, _DASHES_RE)

    paren = _np_bool(pc.and_(pc.starts_with(text, "("), pc.ends_with(text, ")")))
    text = _strip_where(text, paren, 1, -1)
    minus = _np_bool(pc.starts_with(text, "-"))
    signed = minus | _np_bool(pc.starts_with(text, "+"))
    text = _strip_where(text, signed, 1, None)
    code[~zero & paren & signed] = _A_NAN
    twice = _np_bool(pc.or_(pc.starts_with(text, "-"), pc.starts_with(text, "+")))
    code[~zero & twice] = _A_NAN  # "--5", "+-5": the pyarrow cast below would take "-5"

    commas = _np_bool(pc.match_substring(text, ","))
    if commas.any():
        grouped = _matches(text, r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?$")
        code[~zero & commas & ~grouped & (code == _A_OK)] = _A_SEP
        text = pc.replace_substring(text, ",", "")

    convert = (code == _A_OK) & ~zero
    cell_scale = np.where(in_wan, FEN_PER_UNIT["万元"],
                          np.where(in_yuan, FEN_PER_UNIT["元"], scale))
    leftover = convert.copy()
    for unit_scale in np.unique(cell_scale[convert]).tolist():
        digits = _FEN_DIGITS[unit_scale]
        target = pa.decimal128(_FAST_PRECISION, digits)
        group = convert & (cell_scale == unit_scale)
        decimals = _try_cast(_keep_only(text, group), target)
        if decimals is None:
            group &= _matches(text, _plain_pattern(digits))
            decimals = pc.cast(_keep_only(text, group), target)
        fen[group] = _unscaled(decimals, digits)[group]
        leftover &= ~group
    if leftover.any():
        where = np.flatnonzero(leftover)
        bodies = text.take(pa.array(where)).to_pylist()
        for i, body in zip(where.tolist(), bodies, strict=True):
            fen[i], code[i] = _exact_fen(body, int(cell_scale[i]))

    fen = np.where(minus ^ paren, -fen, fen)
    fen[code != _A_OK] = 0
    return fen, code


def _amounts_chunk(arr: pa.LargeStringArray, scale: int) -> tuple[np.ndarray, np.ndarray]:
    """Parse one chunk of amount cells to ``(fen, error codes)``; null cells are 0 分."""
    digits = _FEN_DIGITS[scale]
    target = pa.decimal128(_FAST_PRECISION, digits)
    decimals = _try_cast(arr, target)  # Clean exports: one strict, exact cast.
    if decimals is not None:
        return _unscaled(decimals, digits), np.zeros(len(arr), dtype=np.uint8)
    plain = _matches(arr, _plain_pattern(digits, sign=True))
    fen = _unscaled(pc.cast(_keep_only(arr, plain), target), digits)
    code = np.zeros(len(arr), dtype=np.uint8)
    odd = ~plain & ~arr.is_null().to_numpy(zero_copy_only=False)
    if odd.any():
        where = np.flatnonzero(odd)
        fen[where], code[where] = _amounts_odd(arr.take(pa.array(where)), scale)
    return fen, code


def parse_amounts(values: pd.Series, unit: str) -> Parsed:
    """Parse money cells into exact integer 分 (``Int64``; ``<NA>`` where the cell is bad).

    ``unit`` is the column's unit: ``"元"``, ``"万元"`` or ``"分"``. Accepted: plain numbers,
    thousands separators (``,`` or ``，``), full-width digits, surrounding whitespace (incl.
    U+3000), a leading ``+``/``-``/``−``, parentheses for negatives (``(1,234.00)``,
    ``（1,234.00）``), a leading ``¥``, scientific notation (``1.2E+5``), and a trailing ``元`` /
    ``万元``, which overrides the column unit for that cell (the cell says what it is).
    Missing, blank and dash-only cells (``-``, ``—``, ``——`` …) are 0 分, as ledgers print them.

    Conversion is decimal and exact; a cell more precise than 1 分 (``"1.005"`` 元) is an
    error, never rounded. Errors: ``"not a number"``, ``"more precise than 1 分"``,
    ``"misplaced thousands separator"`` (``"1,23"``), ``"too large"`` (beyond int64 分).
    """
    if unit not in FEN_PER_UNIT:
        raise ValueError(f"unknown amount unit {unit!r}; expected one of {list(FEN_PER_UNIT)}")
    scale = FEN_PER_UNIT[unit]
    arr = _text_array(values)
    parts = _map_chunks(lambda chunk: _amounts_chunk(chunk, scale), arr)
    fen = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    code = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.uint8)
    bad = code != _A_OK
    fen[bad] = 0
    out = pd.Series(pd.arrays.IntegerArray(fen, bad), index=values.index, name=values.name,
                    copy=False)
    return Parsed(out, _errors(code, _AMOUNT_ERRORS, values))


# ---------------------------------------------------------------------------------------
# Dates.

_NAT = np.iinfo(np.int64).min
_SECONDS_PER_DAY = 86_400
#: Excel (1900 date system) serial of 1970-01-01; valid for serials after 1900-03-01.
_EXCEL_EPOCH_SERIAL = 25_569
_SERIAL_RANGE = (20_000, 80_000)
#: 0001-01-01 in days since the epoch; pyarrow would accept year 0, Python cannot hold it.
_DAY_ONE = -719_162
_TIME = r"(?:(?:\s+|T)(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]+)?)?)?"
_DATE_RE = (
    r"^(?:(?P<y1>[0-9]{4})\s*[-/.年]\s*(?P<m1>[0-9]{1,2})\s*[-/.月]\s*(?P<d1>[0-9]{1,2})\s*[日号]?"
    + _TIME
    + r"|(?P<y2>[0-9]{4})(?P<m2>[0-9]{2})(?P<d2>[0-9]{2})"
    + r"|(?P<serial>[0-9]{5})(?:\.[0-9]*)?)$"
)


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _days_from_ymd(year: np.ndarray, month: np.ndarray, day: np.ndarray,
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970-01-01 of calendar dates, and which of them exist (no 2022-02-30).

    Integer arithmetic on the proleptic Gregorian calendar (H. Hinnant's days_from_civil),
    so a whole column is converted without per-cell date objects.
    """
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = _MONTH_DAYS[np.clip(month, 0, 12)] + ((month == 2) & leap)
    exists = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
    shifted = year - (month <= 2)
    era = np.floor_divide(shifted, 400)
    year_of_era = shifted - era * 400
    day_of_year = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - 719_468, exists


def _dates_odd(cells: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Parse non-ISO, non-null date cells to ``(days since epoch or NaT, error codes)``."""
    n = len(cells)
    days = np.full(n, _NAT, dtype=np.int64)
    code = np.zeros(n, dtype=np.uint8)
    allowed = _matches(pc.utf8_trim_whitespace(cells), _DATE_CHARS_RE)
    text = _normalise(cells)
    blank = _matches(text, _DASHES_RE)
    parts = pc.extract_regex(text, _DATE_RE)
    matched = _np_bool(pc.is_valid(parts)) & allowed
    field = {name: _int_parts(pc.struct_field(parts, name)) for name in
             ("y1", "m1", "d1", "y2", "m2", "d2", "serial")}
    ymd = field["y1"] >= 0
    year = np.where(ymd, field["y1"], field["y2"])
    month = np.where(ymd, field["m1"], field["m2"])
    day = np.where(ymd, field["d1"], field["d2"])
    serial = field["serial"]
    is_serial = serial >= 0
    calendar_days, exists = _days_from_ymd(year, month, day)
    in_range = (serial >= _SERIAL_RANGE[0]) & (serial <= _SERIAL_RANGE[1])

    good_serial = matched & is_serial & in_range
    good_ymd = matched & ~is_serial & exists
    days[good_serial] = serial[good_serial] - _EXCEL_EPOCH_SERIAL
    days[good_ymd] = calendar_days[good_ymd]
    code[~matched] = _D_NAD
    code[matched & is_serial & ~in_range] = _D_SERIAL
    code[matched & ~is_serial & ~exists] = _D_NOSUCH
    code[blank] = _D_OK
    return days, code


def _dates_chunk(arr: pa.LargeStringArray) -> tuple[np.ndarray, np.ndarray]:
    """Parse one chunk of date cells to ``(days since 1970-01-01 or NaT, error codes)``."""
    stamps = _try_cast(arr, pa.timestamp("s"))  # Strict ISO 8601: no 2022-02-30, no zones.
    if stamps is not None:
        secs = pc.fill_null(pc.cast(stamps, pa.int64()), _NAT).to_numpy(zero_copy_only=False)
        days = np.where(secs == _NAT, _NAT, np.floor_divide(secs, _SECONDS_PER_DAY))
        code = np.where((days != _NAT) & (days < _DAY_ONE), _D_NOSUCH, _D_OK).astype(np.uint8)
        return days, code
    days = np.full(len(arr), _NAT, dtype=np.int64)
    code = np.zeros(len(arr), dtype=np.uint8)
    # Bare ISO dates by position (the strict cast failed on some cell of the chunk, maybe
    # only on one of these, e.g. 2022-02-30), the rest through the general path.
    iso = _matches(arr, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    if iso.any():
        only = _keep_only(arr, iso)
        year, month, day = (_int_parts(pc.utf8_slice_codeunits(only, start, start + width))
                            for start, width in ((0, 4), (5, 2), (8, 2)))
        iso_days, exists = _days_from_ymd(year, month, day)
        days[iso & exists] = iso_days[iso & exists]
        code[iso & ~exists] = _D_NOSUCH
    rest = ~iso & ~arr.is_null().to_numpy(zero_copy_only=False)
    if rest.any():
        where = np.flatnonzero(rest)
        days[where], code[where] = _dates_odd(arr.take(pa.array(where)))
    return days, code


def _seconds_series(days: np.ndarray, like: pd.Series) -> pd.Series:
    """Days since the epoch (NaT sentinel kept) as a ``datetime64[s]`` Series at midnight."""
    secs = np.where(days == _NAT, _NAT, days * _SECONDS_PER_DAY)
    return pd.Series(secs.view("datetime64[s]"), index=like.index, name=like.name, copy=False)


def _datetime_days(values: pd.Series) -> np.ndarray | None:
    """Days since the epoch of a datetime-like column, or ``None`` if it is not one.

    Time zones are dropped keeping the wall-clock date (what the ledger printed).
    """
    series = values
    if not is_datetime64_any_dtype(series.dtype):
        if series.dtype != object or infer_dtype(series, skipna=True) not in (
                "datetime", "date", "datetime64"):
            return None
        try:
            series = pd.to_datetime(series)
        except (TypeError, ValueError, OverflowError):
            return None
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_localize(None)
    secs = series.to_numpy(dtype="datetime64[s]").view(np.int64)
    return np.where(secs == _NAT, _NAT, np.floor_divide(secs, _SECONDS_PER_DAY))


def parse_dates(values: pd.Series) -> Parsed:
    """Parse date cells into a ``datetime64[s]`` Series at midnight (time of day dropped).

    Accepted: ``2022-03-01``, ``2022/3/1``, ``2022.3.1``, ``2022年3月1日``, ``20220301``, the
    same followed by a time (``2022-03-01 00:00:00``, ``2022-03-01T10:20:00``), full-width
    digits, Excel serial numbers of the 1900 date system (``44621`` → 2022-03-01; 20000–80000,
    a fractional part is dropped) and the ``datetime``/``date``/``Timestamp`` objects openpyxl
    returns. Missing, blank and dash-only cells are ``NaT`` without an error (whether a date
    is required is checked elsewhere). Errors: ``"not a date"``, ``"no such date"``
    (``2022-02-30``), ``"Excel date serial outside 20000–80000"``.
    """
    # Object columns of strings skip the (full-scan) check for datetime objects.
    arr = None if is_datetime64_any_dtype(values.dtype) else _string_cells(values)
    if arr is None:
        days = _datetime_days(values)
        if days is not None:
            return Parsed(_seconds_series(days, values),
                          _errors(np.zeros(len(days), dtype=np.uint8), _DATE_ERRORS, values))
        arr = _text_array(values)
    parts = _map_chunks(_dates_chunk, arr)
    days = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    code = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.uint8)
    days[code != _D_OK] = _NAT
    return Parsed(_seconds_series(days, values), _errors(code, _DATE_ERRORS, values))


# ---------------------------------------------------------------------------------------
# Codes.


def _lengths_message(lengths: Sequence[int]) -> str:
    """``expected 7 digits``, ``expected 5 or 7 digits``, ``expected 3, 5 or 7 digits``."""
    names = [str(n) for n in sorted(set(lengths))]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"expected {listed} digits"


def _codes_chunk(arr: pa.LargeStringArray, lengths: tuple[int, ...] | None,
                 ) -> tuple[pa.Array, np.ndarray]:
    """Parse one chunk of code cells to ``(codes, error codes)``; bad codes are null."""
    if lengths:
        clean = r"^(?:" + "|".join(f"[0-9]{{{n}}}" for n in sorted(set(lengths))) + r")$"
    else:
        clean = r"^[0-9A-Za-z]+$"
    # blank cells are common (no project code on basic expenditure) and already clean;
    # identifiers such as LL115-2022-000123 are clean printable ASCII
    if lengths:
        fast = _matches(arr, clean[:-1] + "?$")
    else:
        fast = (_matches(arr, r"^[!-~]*$") & ~_matches(arr, r"^[0-9]+\.0+$")
                & ~_matches(arr, r"^-+$"))
    code = np.zeros(len(arr), dtype=np.uint8)
    if fast.all():
        return arr, code
    rest = np.flatnonzero(~fast)
    odd = _normalise(arr.take(pa.array(rest)))
    odd = pc.replace_substring_regex(odd, r"^([0-9]+)\.0+$", r"\1")
    blank = _np_bool(pc.or_kleene(pc.is_null(odd), pc.match_substring_regex(odd, _DASHES_RE)))
    odd = pc.if_else(pa.array(blank), _EMPTY, odd)
    if lengths:
        bad = ~blank & ~_matches(odd, clean)
        odd = pc.if_else(pa.array(bad), pa.scalar(None, pa.large_string()), odd)
        code[rest[bad]] = 1
    out = pc.replace_with_mask(arr, pa.array(~fast), odd)
    return out, code


def parse_codes(values: pd.Series, lengths: tuple[int, ...] | None = None) -> Parsed:
    """Parse classification/identifier codes, kept as strings (leading zeros matter).

    Whitespace (incl. U+3000) is stripped, full-width characters folded (NFKC), and the
    Excel artefact of a code stored as a number (``2120101.0``) undone. With ``lengths``
    (e.g. ``(3, 5, 7)`` for functional codes) a code must be all digits of one of those
    lengths, else the error reads ``"expected 3, 5 or 7 digits"`` and the value is missing.
    Missing, blank and dash-only cells become ``""`` without an error (whether a code is
    required is checked elsewhere).
    """
    messages = ("", _lengths_message(lengths)) if lengths else ("",)
    parts = _map_chunks(lambda chunk: _codes_chunk(chunk, lengths), _text_array(values))
    codes = pa.chunked_array([p[0] for p in parts], type=pa.large_string())
    code = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.uint8)
    return Parsed(_str_series(codes, values), _errors(code, messages, values))


# ---------------------------------------------------------------------------------------
# Years.

_YEAR_RE = r"^(?P<year>[0-9]{4})(?:\.0*)?\s*(?:年度?)?$"


def _years_chunk(arr: pa.LargeStringArray) -> tuple[np.ndarray, np.ndarray]:
    """Parse one chunk of year cells to ``(years, error codes)``; 0 where missing or bad."""
    code = np.zeros(len(arr), dtype=np.uint8)
    cast = _try_cast(arr, pa.int64())
    if cast is None:
        text = _normalise(arr)
        blank = _np_bool(pc.or_kleene(pc.is_null(text),
                                      pc.match_substring_regex(text, _DASHES_RE)))
        years = _int_parts(pc.struct_field(pc.extract_regex(text, _YEAR_RE), "year"), 0)
        code[~blank & (years == 0)] = _Y_NAY
    else:
        years = np.array(pc.fill_null(cast, 0).to_numpy(zero_copy_only=False))
        blank = arr.is_null().to_numpy(zero_copy_only=False)
    code[~blank & (code == _Y_OK) & ((years < 1000) | (years > 9999))] = _Y_NAY
    out_of_range = (years < YEAR_RANGE[0]) | (years > YEAR_RANGE[1])
    code[~blank & (code == _Y_OK) & out_of_range] = _Y_RANGE
    years[code != _Y_OK] = 0
    return years, code


def parse_years(values: pd.Series) -> Parsed:
    """Parse fiscal years (``2022``, ``2022年``, ``2022年度``, ``2022.0``) into ``Int64``.

    Years must lie in 1990–2100 (``"year outside 1990–2100"``); other text is ``"not a
    year"``. Missing, blank and dash-only cells are ``<NA>`` without an error (payments may
    leave the year to be taken from the date).
    """
    arr = _text_array(values)
    parts = _map_chunks(_years_chunk, arr)
    years = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    code = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.uint8)
    missing = (code != _Y_OK) | arr.is_null().to_numpy(zero_copy_only=False) | (years == 0)
    out = pd.Series(pd.arrays.IntegerArray(years, missing), index=values.index,
                    name=values.name, copy=False)
    return Parsed(out, _errors(code, _YEAR_ERRORS, values))


# ---------------------------------------------------------------------------------------
# Measured numbers (indicator targets and results).

_COMPARATORS = (
    "<=", ">=", "<", ">", "=", "≥", "≤", "≧", "≦",
    "不低于", "不少于", "不小于", "不高于", "不超过", "不大于", "不多于",
    "大于等于", "小于等于", "大于", "小于", "高于", "低于", "超过", "达到", "约",
)
_NUMBER_RE = (
    r"^(?:" + "|".join(sorted(_COMPARATORS, key=len, reverse=True)) + r")?\s*"
    r"(?P<sign>[-+]?)\s*"
    r"(?P<body>[0-9][0-9,]*(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?)\s*"
    r"(?P<mult>[万亿]?)\s*(?:%|‰)?\s*(?:以上|以下|以内)?$"
)
_MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}
#: Context for scaling measured numbers: plenty of digits before the float conversion.
_WIDE = Context(prec=60, Emax=10**6, Emin=-(10**6))


def _numbers_chunk(arr: pa.LargeStringArray) -> tuple[np.ndarray, np.ndarray]:
    """Parse one chunk of number cells to ``(float64, error codes)``; NaN where blank or bad."""
    n = len(arr)
    numbers = np.full(n, np.nan)
    code = np.zeros(n, dtype=np.uint8)
    allowed = _matches(pc.utf8_trim_whitespace(arr), _NUMBER_CHARS_RE)
    text = pc.replace_substring(_normalise(arr), "−", "-")
    blank = _np_bool(pc.or_kleene(pc.is_null(text), pc.match_substring_regex(text, _DASHES_RE)))
    parts = pc.extract_regex(text, _NUMBER_RE)
    matched = _np_bool(pc.is_valid(parts)) & allowed
    body = pc.struct_field(parts, "body")
    commas = _matches(body, ",")
    grouped = _matches(body, r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$")
    code[~blank & ~matched] = _N_NAN
    code[~blank & matched & commas & ~grouped] = _N_SEP
    good = ~blank & (code == 0)
    if not good.any():
        return numbers, code
    body = pc.replace_substring(body, ",", "")
    signed = pc.binary_join_element_wise(pc.struct_field(parts, "sign"), body, _EMPTY)
    mult = pc.struct_field(parts, "mult")
    scaled = _matches(mult, r"^.+$")
    direct = good & ~scaled
    if direct.any():
        zero = pa.scalar("0", pa.large_string())
        cast = pc.cast(pc.if_else(pa.array(direct), signed, zero), pa.float64())
        numbers[direct] = cast.to_numpy(zero_copy_only=False)[direct]
    if (good & scaled).any():
        texts, mults = signed.to_pylist(), mult.to_pylist()
        for i in np.flatnonzero(good & scaled).tolist():
            try:
                numbers[i] = float(_WIDE.multiply(Decimal(texts[i]), _MULTIPLIERS[mults[i]]))
            except ArithmeticError:  # an absurd exponent
                numbers[i] = np.inf
    overflow = good & ~np.isfinite(numbers)  # "1e400"
    code[overflow] = _N_NAN
    numbers[overflow] = np.nan
    return numbers, code


def parse_numbers(values: pd.Series) -> Parsed:
    """Parse measured quantities (indicator targets and results) into ``float64``.

    Accepted: ``95``, ``99.79``, ``1,174``, ``95%`` (→ 95: the unit lives in 计量单位),
    a leading comparison (``≥95%``, ``>=95``, ``不低于95%``), a trailing ``以上``/``以下``/
    ``以内``, and ``万``/``亿`` multipliers (``1.4万`` → 14000, scaled exactly). Missing,
    blank and dash-only cells are NaN without an error; text such as ``达成`` is NaN with
    ``"not a number"`` (the caller decides whether that matters, e.g. qualitative indicators).
    """
    parts = _map_chunks(_numbers_chunk, _text_array(values))
    numbers = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0)
    code = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.uint8)
    out = pd.Series(numbers, index=values.index, name=values.name, dtype="float64", copy=False)
    return Parsed(out, _errors(code, _NUMBER_ERRORS, values))
