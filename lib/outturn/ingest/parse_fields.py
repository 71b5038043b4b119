"""Codes, years and plain numbers: ledger cells → text codes of the allowed lengths,
budget years, and exact numbers (indicator targets and results), each bad cell with its
reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Context, Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from outturn.ingest.parse_core import (
    _DASHES_RE,
    _EMPTY,
    _N_NAN,
    _N_SEP,
    _NUMBER_CHARS_RE,
    _NUMBER_ERRORS,
    _Y_NAY,
    _Y_OK,
    _Y_RANGE,
    _YEAR_ERRORS,
    YEAR_RANGE,
    Parsed,
    _errors,
    _int_parts,
    _map_chunks,
    _matches,
    _normalise,
    _np_bool,
    _str_series,
    _text_array,
    _try_cast,
)

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
