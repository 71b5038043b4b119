"""Dates: ledger cells (text in the usual Chinese and ISO spellings, Excel serials,
Python dates from openpyxl) → datetime64, with a reason for each cell that is not a date.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.types import infer_dtype, is_datetime64_any_dtype

from outturn.ingest.parse_core import (
    _D_NAD,
    _D_NOSUCH,
    _D_OK,
    _D_SERIAL,
    _DASHES_RE,
    _DATE_CHARS_RE,
    _DATE_ERRORS,
    Parsed,
    _errors,
    _int_parts,
    _keep_only,
    _map_chunks,
    _matches,
    _normalise,
    _np_bool,
    _string_cells,
    _text_array,
    _try_cast,
)

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


