"""Amounts: ledger cells → exact 分 (int64), never through ``float``; refunds in brackets,
full-width digits, thousands separators and 元/万元 units understood, anything more
precise than 1 分 reported, not rounded.
"""

from __future__ import annotations

import re
import sys
from decimal import Context, Decimal, Inexact, InvalidOperation

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from outturn.ingest.parse_core import (
    _A_LARGE,
    _A_NAN,
    _A_OK,
    _A_PRECISE,
    _A_SEP,
    _AMOUNT_CHARS_RE,
    _AMOUNT_ERRORS,
    _DASHES_RE,
    _FAST_PRECISION,
    _FEN_DIGITS,
    _INT64_MAX,
    _INT64_MIN,
    Parsed,
    _errors,
    _keep_only,
    _map_chunks,
    _matches,
    _np_bool,
    _text_array,
    _try_cast,
)
from outturn.money import FEN_PER_UNIT

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


