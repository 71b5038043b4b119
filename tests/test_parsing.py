"""Tests for outturn.ingest.parsing: every accepted spelling, every rejection, and properties."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from unittest.mock import patch

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from outturn.ingest import parse_core
from outturn.ingest.parsing import (
    BAD_SEPARATORS,
    NO_SUCH_DATE,
    NOT_A_DATE,
    NOT_A_NUMBER,
    NOT_A_YEAR,
    SERIAL_OUT_OF_RANGE,
    TOO_LARGE,
    TOO_PRECISE,
    YEAR_OUT_OF_RANGE,
    Parsed,
    clean_text,
    is_dash_or_blank,
    parse_amounts,
    parse_codes,
    parse_dates,
    parse_numbers,
    parse_years,
)


def one(parse: Callable[..., Parsed], cell: object, *args: object) -> tuple[object, str]:
    """Parse a single cell (in an object Series, as readers may hand it over)."""
    result = parse(pd.Series([cell], dtype=object), *args)
    return result.values.iloc[0], result.errors.iloc[0]


def small_chunks() -> object:
    """Force the chunked, threaded code path on small inputs."""
    return patch.multiple(parse_core, _MIN_CHUNK=3, _PROBE=2)


# ---------------------------------------------------------------------------------------
# Amounts


@pytest.mark.parametrize(
    ("cell", "unit", "fen"),
    [
        ("1234.5", "元", 123_450),
        ("1234.56", "元", 123_456),
        ("1234", "元", 123_400),
        ("0", "元", 0),
        ("1,234,567.89", "元", 123_456_789),
        ("1，234，567.89", "元", 123_456_789),
        ("１２３．４５", "元", 12_345),
        ("１，２３４．５６", "元", 123_456),
        ("  12.5  ", "元", 1_250),
        ("\u300012.5\u3000", "元", 1_250),
        ("\t12.5\n", "元", 1_250),
        ("+5", "元", 500),
        ("＋5", "元", 500),
        ("-5", "元", -500),
        ("－5", "元", -500),
        ("−5", "元", -500),
        ("- 5", "元", -500),
        ("-1,234.50", "元", -123_450),
        ("(1,234.00)", "元", -123_400),
        ("（1,234.00）", "元", -123_400),
        ("( 1234 )", "元", -123_400),
        ("(0)", "元", 0),
        ("", "元", 0),
        ("   ", "元", 0),
        ("\u3000", "元", 0),
        (None, "元", 0),
        (np.nan, "元", 0),
        (pd.NA, "元", 0),
        ("-", "元", 0),
        ("—", "元", 0),
        ("–", "元", 0),
        ("——", "元", 0),
        ("--", "元", 0),
        ("－", "元", 0),
        (" — ", "元", 0),
        ("12元", "元", 1_200),
        ("12 元", "元", 1_200),
        ("1,234.5元", "元", 123_450),
        ("-12元", "元", -1_200),
        ("(1,234.00)元", "元", -123_400),
        ("1.5万元", "元", 1_500_000),  # the cell's own unit wins
        ("1.5万元", "万元", 1_500_000),
        ("12元", "万元", 1_200),
        ("1.2E+5", "元", 12_000_000),
        ("1.2e5", "元", 12_000_000),
        ("1E-2", "元", 1),
        ("-1.2E+5", "元", -12_000_000),
        ("1.500", "元", 150),
        ("1.50000000000000000000000", "元", 150),
        ("5.", "元", 500),
        (".5", "元", 50),
        ("007", "元", 700),
        ("¥1,234.00", "元", 123_400),
        ("￥12", "元", 1_200),
        ("-¥5", "元", -500),
        ("0.015", "万元", 15_000),
        ("0.000001", "万元", 1),
        ("2909.79", "万元", 2_909_790_000),
        ("1,234.123456", "万元", 1_234_123_456),
        ("1.2e-3", "万元", 1_200),
        ("12345", "分", 12_345),
        ("-7", "分", -7),
        ("1.0", "分", 1),
        ("1000000000000000.00", "元", 10**17),
        ("-1000000000000000.00", "元", -(10**17)),
        ("1,000,000,000,000,000.00", "元", 10**17),
        ("100000000000", "万元", 10**17),
        ("92233720368547758.07", "元", 2**63 - 1),
        ("-92233720368547758.07", "元", -(2**63 - 1)),
    ],
)
def test_amount_accepted(cell: object, unit: str, fen: int) -> None:
    value, error = one(parse_amounts, cell, unit)
    assert error == ""
    assert value == fen


@pytest.mark.parametrize(
    ("cell", "unit", "reason"),
    [
        ("abc", "元", NOT_A_NUMBER),
        ("12.3.4", "元", NOT_A_NUMBER),
        ("1,23", "元", BAD_SEPARATORS),
        ("1,2345", "元", BAD_SEPARATORS),
        (",123", "元", BAD_SEPARATORS),
        ("1.005", "元", TOO_PRECISE),
        ("0.001", "元", TOO_PRECISE),
        ("1E-3", "元", TOO_PRECISE),
        ("0.0000001", "万元", TOO_PRECISE),
        ("0.5", "分", TOO_PRECISE),
        ("1e30", "元", TOO_LARGE),
        ("92233720368547758.08", "元", TOO_LARGE),
        ("-92233720368547758.08", "元", TOO_LARGE),  # the range is symmetric
        ("99999999999999999999", "元", TOO_LARGE),
        ("1e999999999999", "元", TOO_LARGE),
        ("(-5)", "元", NOT_A_NUMBER),
        ("-(5)", "元", NOT_A_NUMBER),
        ("--5", "元", NOT_A_NUMBER),
        ("+-5", "元", NOT_A_NUMBER),
        ("()", "元", NOT_A_NUMBER),
        ("(5", "元", NOT_A_NUMBER),
        ("5-", "元", NOT_A_NUMBER),
        ("1 234", "元", NOT_A_NUMBER),
        ("1.5万", "元", NOT_A_NUMBER),
        ("5元元", "元", NOT_A_NUMBER),
        ("nan", "元", NOT_A_NUMBER),
        ("inf", "元", NOT_A_NUMBER),
        ("Infinity", "元", NOT_A_NUMBER),
        ("0x10", "元", NOT_A_NUMBER),
        ("1_000", "元", NOT_A_NUMBER),
        ("1²", "元", NOT_A_NUMBER),  # NFKC would make this "12"
        ("①", "元", NOT_A_NUMBER),
        ("١٢", "元", NOT_A_NUMBER),  # Arabic-Indic digits
        ("e5", "元", NOT_A_NUMBER),
        (".", "元", NOT_A_NUMBER),
        ("——5", "元", NOT_A_NUMBER),
        ("True", "元", NOT_A_NUMBER),
    ],
)
def test_amount_rejected(cell: str, unit: str, reason: str) -> None:
    value, error = one(parse_amounts, cell, unit)
    assert error == reason
    assert value is pd.NA


def test_amount_unknown_unit() -> None:
    with pytest.raises(ValueError, match="unit"):
        parse_amounts(pd.Series(["1"]), "千元")


@pytest.mark.parametrize(
    ("cell", "fen"),
    [(1234, 123_400), (np.int64(-5), -500), (1234.5, 123_450), (0.1, 10), (1e16, 10**18),
     (Decimal("12.34"), 1_234), (float("nan"), 0), (None, 0)],
)
def test_amount_from_python_objects(cell: object, fen: int) -> None:
    """openpyxl hands over numbers, not text; floats go through their shortest repr."""
    assert one(parse_amounts, cell, "元") == (fen, "")


def test_amount_float_artefact_is_reported_not_rounded() -> None:
    assert one(parse_amounts, 0.1 + 0.2, "元") == (pd.NA, TOO_PRECISE)


def test_amounts_shape_dtype_index_name() -> None:
    raw = pd.Series(["1.00", "abc", None, "2.5"], index=[10, 20, 30, 40], name="金额")
    values, errors = parse_amounts(raw, "元")
    assert str(values.dtype) == "Int64"
    assert errors.dtype == "str"
    assert list(values.index) == list(errors.index) == [10, 20, 30, 40]
    assert values.name == errors.name == "金额"
    assert values.tolist() == [100, pd.NA, 0, 250]
    assert errors.tolist() == ["", NOT_A_NUMBER, "", ""]


def test_amounts_clean_column_is_exact_and_errorless() -> None:
    raw = pd.Series(["12345.67", "-0.01", "0", "99999999999.99"])
    values, errors = parse_amounts(raw, "元")
    assert values.tolist() == [1_234_567, -1, 0, 9_999_999_999_999]
    assert (errors == "").all()


def test_amounts_empty_series() -> None:
    values, errors = parse_amounts(pd.Series([], dtype="str"), "元")
    assert len(values) == len(errors) == 0
    assert str(values.dtype) == "Int64"


def test_amounts_numeric_dtypes() -> None:
    assert parse_amounts(pd.Series([1, -2]), "元").values.tolist() == [100, -200]
    assert parse_amounts(pd.Series([1.25, np.nan]), "万元").values.tolist() == [1_250_000, 0]


def test_amounts_python_string_dtype() -> None:
    raw = pd.Series(["1,000.00", None], dtype="string[python]")
    assert parse_amounts(raw, "元").values.tolist() == [100_000, 0]


def test_amounts_chunked_path_matches_cell_by_cell() -> None:
    cells = ["1.00", "-", "(2.00)", "x", "3", "1,23", "4.5", None, "1e2", "1.005", "６", "7元"] * 3
    with small_chunks():
        batch = parse_amounts(pd.Series(cells, dtype=object), "元")
    for i, cell in enumerate(cells):
        assert (batch.values.iloc[i], batch.errors.iloc[i]) == one(parse_amounts, cell, "元")


def test_amounts_large_column_mixed_paths() -> None:
    """Above the chunk size: clean chunks take the fast cast, dirty ones the slow paths."""
    n = 600_000
    rng = np.random.default_rng(7)
    fen = rng.integers(-(10**12), 10**12, n)
    cells = np.array([f"{'-' if f < 0 else ''}{abs(f) // 100}.{abs(f) % 100:02d}" for f in fen],
                     dtype=object)
    cells[-5:] = ["—", "1,234.00", "(5.00)", "abc", None]
    values, errors = parse_amounts(pd.Series(cells).astype("str"), "元")
    assert (values.iloc[:-5].to_numpy(dtype=np.int64) == fen[:-5]).all()
    assert values.iloc[-5:].tolist() == [0, 123_400, -500, pd.NA, 0]
    assert errors.iloc[-5:].tolist() == ["", "", "", NOT_A_NUMBER, ""]
    assert (errors.iloc[:-5] == "").all()


# ---------------------------------------------------------------------------------------
# Dates

MARCH_1 = pd.Timestamp("2022-03-01")


@pytest.mark.parametrize(
    "cell",
    [
        "2022-03-01", "2022/3/1", "2022/03/01", "2022.3.1", "2022.03.01", "2022-3-1",
        "2022年3月1日", "2022年03月01日", "2022 年 3 月 1 日", "２０２２年３月１日",
        "２０２２－０３－０１",
        "20220301", "2022-03-01 00:00:00", "2022-03-01T10:20:00", "2022-03-01T10:20",
        "2022-03-01 23:59:59.999", "2022/3/1 8:05", "2022年3月1日 10:20:00", " 2022-03-01\u3000",
        "44621", "44621.0", "44621.75", 44621, 44621.5, 20220301,
        date(2022, 3, 1), datetime(2022, 3, 1, 10, 20), pd.Timestamp("2022-03-01 23:00"),
        np.datetime64("2022-03-01T12:00"),
        datetime(2022, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=8))),
    ],
)
def test_date_accepted(cell: object) -> None:
    assert one(parse_dates, cell) == (MARCH_1, "")


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("2022-02-30", NO_SUCH_DATE), ("2022-02-29", NO_SUCH_DATE), ("2022/13/1", NO_SUCH_DATE),
        ("2022年2月30日", NO_SUCH_DATE), ("20220230", NO_SUCH_DATE), ("2022-00-10", NO_SUCH_DATE),
        ("1900-02-29", NO_SUCH_DATE), ("0000-01-01", NO_SUCH_DATE),
        ("abc", NOT_A_DATE), ("2022", NOT_A_DATE), ("2022-03", NOT_A_DATE),
        ("2022-03-01T25:00:00", NOT_A_DATE), ("2022-03-01+08:00", NOT_A_DATE),
        ("2022-03-01T10:00:00+08:00", NOT_A_DATE), ("3/1/2022", NOT_A_DATE),
        ("2022-03-01 abc", NOT_A_DATE), ("２０２２-0²-01", NOT_A_DATE), ("22-3-1", NOT_A_DATE),
        ("12345", SERIAL_OUT_OF_RANGE), ("80001", SERIAL_OUT_OF_RANGE),
        (99999, SERIAL_OUT_OF_RANGE),
        ("1234", NOT_A_DATE), ("123456", NOT_A_DATE),
    ],
)
def test_date_rejected(cell: object, reason: str) -> None:
    value, error = one(parse_dates, cell)
    assert error == reason
    assert value is pd.NaT


@pytest.mark.parametrize("cell", ["", "  ", None, np.nan, "-", "—", "——", pd.NaT])
def test_date_blank_is_missing_without_error(cell: object) -> None:
    value, error = one(parse_dates, cell)
    assert value is pd.NaT
    assert error == ""


def test_dates_excel_serials() -> None:
    values, errors = parse_dates(pd.Series(["20000", "44562", "44621", "80000"]))
    assert values.tolist() == [pd.Timestamp(d) for d in
                               ("1954-10-03", "2022-01-01", "2022-03-01", "2119-01-11")]
    assert (errors == "").all()


def test_dates_dtype_and_index() -> None:
    raw = pd.Series(["2022-03-01", "bad", None], index=["a", "b", "c"], name="支付日期")
    values, errors = parse_dates(raw)
    assert values.dtype == "datetime64[s]"
    assert list(values.index) == ["a", "b", "c"]
    assert values.name == "支付日期"
    assert errors.tolist() == ["", NOT_A_DATE, ""]


def test_dates_from_datetime_column() -> None:
    raw = pd.Series(pd.to_datetime(["2022-03-01 10:00", None, "1999-12-31 23:59"]))
    values, errors = parse_dates(raw)
    assert values.tolist()[0] == MARCH_1 and values.tolist()[2] == pd.Timestamp("1999-12-31")
    assert values.isna().tolist() == [False, True, False]
    assert (errors == "").all()


def test_dates_from_timezone_aware_column_keep_wall_date() -> None:
    raw = pd.Series(pd.to_datetime(["2022-03-01 23:30"]).tz_localize("Asia/Shanghai"))
    assert parse_dates(raw).values.tolist() == [MARCH_1]


def test_dates_object_column_mixing_objects_and_text() -> None:
    raw = pd.Series([datetime(2022, 3, 1, 9), "2022/3/1", 44621, None, "x"], dtype=object)
    values, errors = parse_dates(raw)
    assert values.tolist()[:3] == [MARCH_1] * 3
    assert errors.tolist() == ["", "", "", "", NOT_A_DATE]


def test_dates_time_dropped_on_fast_path() -> None:
    raw = pd.Series(["2022-03-01T10:20:00", "1960-06-30 23:59:59", "2022-03-01"])
    values, _ = parse_dates(raw)
    assert values.tolist() == [MARCH_1, pd.Timestamp("1960-06-30"), MARCH_1]


def test_dates_chunked_path_matches_cell_by_cell() -> None:
    cells = ["2022-03-01", "2022-02-30", "2022/3/1", "x", None, "44621", "20220301",
             "2022-03-01 10:00:00", "", "2024-02-29"] * 3
    with small_chunks():
        batch = parse_dates(pd.Series(cells, dtype=object))
    for i, cell in enumerate(cells):
        expected = one(parse_dates, cell)
        got = (batch.values.iloc[i], batch.errors.iloc[i])
        assert (pd.isna(got[0]) and pd.isna(expected[0])) or got[0] == expected[0]
        assert got[1] == expected[1]


# ---------------------------------------------------------------------------------------
# Codes

FUNC = (3, 5, 7)


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("2120101", "2120101"), (" 2120101 ", "2120101"), ("\u30002120101\u3000", "2120101"),
        ("２１２０１０１", "2120101"), ("2120101.0", "2120101"), ("2120101.00", "2120101"),
        (2120101, "2120101"), (2120101.0, "2120101"), ("212", "212"), ("21201", "21201"),
        ("0120101", "0120101"), ("", ""), (None, ""), (np.nan, ""), ("—", ""), ("  ", ""),
    ],
)
def test_code_accepted(cell: object, code: str) -> None:
    assert one(parse_codes, cell, FUNC) == (code, "")


@pytest.mark.parametrize("cell", ["2120", "21201011", "212010a", "212 0101", "2120101.5", "-212"])
def test_code_rejected(cell: object) -> None:
    value, error = one(parse_codes, cell, FUNC)
    assert error == "expected 3, 5 or 7 digits"
    assert pd.isna(value)


def test_code_length_messages() -> None:
    assert one(parse_codes, "1", (7,))[1] == "expected 7 digits"
    assert one(parse_codes, "1", (5, 7))[1] == "expected 5 or 7 digits"


@pytest.mark.parametrize(
    ("cell", "code"),
    [("00123", "00123"), (" A-01 ", "A-01"), ("ＸＭ２０２２", "XM2022"), ("12.0", "12"),
     ("2022.10", "2022.10"), ("部门", "部门"), (None, ""), ("-", "")],
)
def test_code_free_form(cell: object, code: str) -> None:
    assert one(parse_codes, cell) == (code, "")


def test_codes_dtype_and_chunks() -> None:
    cells = ["2120101", " 212 ", "x", None, "21201.0"] * 4
    with small_chunks():
        values, errors = parse_codes(pd.Series(cells, dtype=object), FUNC)
    assert values.dtype == "str" and errors.dtype == "str"
    assert values.iloc[:5].tolist()[:2] == ["2120101", "212"]
    assert values.iloc[3] == "" and values.iloc[4] == "21201" and pd.isna(values.iloc[2])
    assert errors.iloc[:5].tolist() == ["", "", "expected 3, 5 or 7 digits", "", ""]


# ---------------------------------------------------------------------------------------
# Years


@pytest.mark.parametrize(
    ("cell", "year"),
    [("2022", 2022), ("2022年", 2022), ("2022年度", 2022), ("2022.0", 2022), (" 2022 ", 2022),
     ("２０２２", 2022), (2022, 2022), (2022.0, 2022), ("1990", 1990), ("2100", 2100)],
)
def test_year_accepted(cell: object, year: int) -> None:
    assert one(parse_years, cell) == (year, "")


@pytest.mark.parametrize(
    ("cell", "reason"),
    [("1989", YEAR_OUT_OF_RANGE), ("2101", YEAR_OUT_OF_RANGE), ("0", NOT_A_YEAR),
     ("1000", YEAR_OUT_OF_RANGE), ("99999", NOT_A_YEAR), (1989, YEAR_OUT_OF_RANGE),
     ("abc", NOT_A_YEAR), ("22", NOT_A_YEAR), ("2022.5", NOT_A_YEAR), ("2022-03-01", NOT_A_YEAR),
     ("0000", NOT_A_YEAR)],
)
def test_year_rejected(cell: object, reason: str) -> None:
    value, error = one(parse_years, cell)
    assert error == reason
    assert value is pd.NA


@pytest.mark.parametrize("cell", ["", None, np.nan, "—"])
def test_year_blank_is_missing_without_error(cell: object) -> None:
    assert one(parse_years, cell) == (pd.NA, "")


def test_years_dtype() -> None:
    assert str(parse_years(pd.Series(["2022", None])).values.dtype) == "Int64"


# ---------------------------------------------------------------------------------------
# Numbers


@pytest.mark.parametrize(
    ("cell", "number"),
    [("95", 95.0), ("95%", 95.0), ("95％", 95.0), ("≥95%", 95.0), (">=95", 95.0), ("≤5", 5.0),
     ("＞90", 90.0), ("不低于90%", 90.0), ("95%以上", 95.0), ("99.79", 99.79),
     ("1.4万", 14_000.0), ("2.5亿", 250_000_000.0), ("8337.395", 8337.395), ("1,174", 1174.0),
     ("-3", -3.0), ("−3", -3.0), ("１００", 100.0), (" 7 ", 7.0), ("1e3", 1000.0), (".5", 0.5),
     (95, 95.0), (99.5, 99.5)],
)
def test_number_accepted(cell: object, number: float) -> None:
    assert one(parse_numbers, cell) == (number, "")


@pytest.mark.parametrize(
    ("cell", "reason"),
    [("达成", NOT_A_NUMBER), ("较上年提高", NOT_A_NUMBER), ("abc", NOT_A_NUMBER),
     ("1,17", BAD_SEPARATORS), ("nan", NOT_A_NUMBER), ("inf", NOT_A_NUMBER),
     ("95天", NOT_A_NUMBER), ("1²", NOT_A_NUMBER), ("1e400", NOT_A_NUMBER)],
)
def test_number_rejected(cell: str, reason: str) -> None:
    value, error = one(parse_numbers, cell)
    assert error == reason
    assert np.isnan(value)


@pytest.mark.parametrize("cell", ["", None, np.nan, "  ", "—"])
def test_number_blank_is_nan_without_error(cell: object) -> None:
    value, error = one(parse_numbers, cell)
    assert np.isnan(value) and error == ""


def test_numbers_dtype() -> None:
    assert parse_numbers(pd.Series(["1", "x"])).values.dtype == "float64"


# ---------------------------------------------------------------------------------------
# Text and blanks


def test_clean_text() -> None:
    raw = pd.Series(["\u3000 局本级 \u3000", None, np.nan, "（全角）保留", "a  b", 12],
                    dtype=object)
    cleaned = clean_text(raw)
    assert cleaned.tolist() == ["局本级", "", "", "（全角）保留", "a  b", "12"]
    assert cleaned.dtype == "str"


def test_is_dash_or_blank() -> None:
    raw = pd.Series(["-", " — ", "——", "--", "–", "", "\u3000", None, np.nan, "0", "x", "-5"],
                    dtype=object)
    flags = is_dash_or_blank(raw)
    assert flags.dtype == bool
    assert flags.tolist() == [True] * 9 + [False] * 3


# ---------------------------------------------------------------------------------------
# Properties

FULL_WIDTH = str.maketrans("0123456789.,-+()", "０１２３４５６７８９．，－＋（）")
LIMIT = 10**13


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    return sep.join([digits[:head], *(digits[i:i + 3] for i in range(head, len(digits), 3))])


def format_amount(fen: int, places: int, style: str, suffix: str) -> str:
    """Write ``fen`` in a unit with ``places`` decimals (2 for 元, 6 for 万元) in one style."""
    scale = 10**places
    whole, frac = divmod(abs(fen), scale)
    digits = str(whole)
    if style in ("thousands", "fullwidth_comma", "parentheses", "fullwidth"):
        digits = _group(digits, "，" if style == "fullwidth_comma" else ",")
    body = f"{digits}.{frac:0{places}d}"
    if style == "parentheses":
        text = f"({body})" if fen < 0 else body
    elif style == "fullwidth_parentheses":
        text = f"（{body}）" if fen < 0 else body
    elif style == "unicode_minus":
        text = f"−{body}" if fen < 0 else f"+{body}"
    else:
        text = f"-{body}" if fen < 0 else body
    if style == "fullwidth":
        text = text.translate(FULL_WIDTH)
    if style == "suffix":
        text += suffix
    if style == "padded":
        text = f"\u3000 {text} \u3000"
    return text


STYLES = ["plain", "thousands", "fullwidth_comma", "fullwidth", "parentheses",
          "fullwidth_parentheses", "unicode_minus", "suffix", "padded"]
UNITS = [("元", 2), ("万元", 6)]


@given(
    st.lists(st.tuples(st.integers(-LIMIT, LIMIT), st.sampled_from(STYLES)), min_size=1,
             max_size=30),
    st.sampled_from(UNITS),
)
def test_property_amount_round_trip(cells: list[tuple[int, str]], unit: tuple[str, int]) -> None:
    """(a) Any fen written in any supported style parses back to exactly that fen."""
    name, places = unit
    texts = [format_amount(fen, places, style, name) for fen, style in cells]
    values, errors = parse_amounts(pd.Series(texts), name)
    assert errors.tolist() == [""] * len(cells), texts
    assert values.tolist() == [fen for fen, _ in cells], texts


@given(st.integers(-LIMIT, LIMIT), st.sampled_from(STYLES), st.sampled_from(UNITS))
def test_property_amount_single_cell_round_trip(fen: int, style: str, unit: tuple[str, int],
                                                ) -> None:
    name, places = unit
    assert one(parse_amounts, format_amount(fen, places, style, name), name) == (fen, "")


@given(
    st.lists(st.tuples(st.integers(-LIMIT, LIMIT), st.sampled_from(STYLES)), max_size=40),
    st.sampled_from(UNITS),
)
def test_property_sum_preserved(cells: list[tuple[int, str]], unit: tuple[str, int]) -> None:
    """(c) The sum of parsed 分 equals the sum of the integers behind the strings."""
    name, places = unit
    texts = [format_amount(fen, places, style, name) for fen, style in cells]
    with small_chunks():
        values, errors = parse_amounts(pd.Series(texts, dtype="str"), name)
    assert (errors == "").all()
    assert int(values.sum()) == sum(fen for fen, _ in cells)


AMOUNT_ALPHABET = "0123456789.,+-()元万eE ，．（）－＋−—–¥\u3000０１９x"


def _consistent(parsed: Parsed, blank: pd.Series | None = None) -> None:
    """Every cell is either a value or has a non-empty error, never both or neither.

    With ``blank`` given, those cells may also be missing without an error (dates, years).
    """
    assert len(parsed.values) == len(parsed.errors)
    missing = parsed.values.isna().to_numpy()
    failed = (parsed.errors != "").to_numpy()
    assert not (failed & ~missing).any()
    allowed = failed if blank is None else failed | blank.to_numpy()
    assert (missing == allowed).all() if blank is None else (missing <= allowed).all()


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(), st.text(alphabet=AMOUNT_ALPHABET, max_size=12), st.none()),
                max_size=20),
       st.sampled_from(["元", "万元", "分"]))
def test_property_amounts_never_raise(cells: list[str | None], unit: str) -> None:
    """(b) Arbitrary text never raises; each cell is a value or carries a reason."""
    parsed = parse_amounts(pd.Series(cells, dtype=object), unit)
    _consistent(parsed)
    for i, cell in enumerate(cells):  # batch and single-cell parses agree
        assert (parsed.values.iloc[i], parsed.errors.iloc[i]) == one(parse_amounts, cell, unit)


@given(st.lists(st.text(), max_size=10))
def test_property_other_parsers_never_raise(cells: list[str]) -> None:
    series = pd.Series(cells, dtype=object)
    blank = is_dash_or_blank(series)
    _consistent(parse_dates(series), blank)
    _consistent(parse_years(series), blank)
    _consistent(parse_codes(series, FUNC))
    numbers, errors = parse_numbers(series)
    assert (numbers.notna() <= (errors == "")).all()
    assert len(clean_text(series)) == len(is_dash_or_blank(series)) == len(cells)


def _full_width(text: str) -> str:
    return text.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))


DATE_FORMATS: list[Callable[[date], object]] = [
    lambda d: d.isoformat(),
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: d.strftime("%Y%m%d"),
    lambda d: f"{d.isoformat()} 00:00:00",
    lambda d: f"{d.isoformat()}T10:20:00",
    lambda d: _full_width(d.isoformat()),
    lambda d: d,
    lambda d: datetime(d.year, d.month, d.day, 13, 45),
    lambda d: pd.Timestamp(d),
]
EXCEL_DAY_ZERO = date(1899, 12, 30)


@given(st.lists(st.tuples(st.dates(date(1950, 1, 1), date(2099, 12, 31)),
                          st.integers(0, len(DATE_FORMATS) + 1)), min_size=1, max_size=20))
def test_property_dates_round_trip(cells: list[tuple[date, int]]) -> None:
    """(d) Any date 1950–2099 written in any supported format parses back to itself."""
    raw: list[object] = []
    for day, style in cells:
        serial = (day - EXCEL_DAY_ZERO).days
        if style >= len(DATE_FORMATS) and not 20_000 <= serial <= 80_000:
            style = 0
        if style == len(DATE_FORMATS):
            raw.append(str(serial))
        elif style == len(DATE_FORMATS) + 1:
            raw.append(f"{serial}.25")
        else:
            raw.append(DATE_FORMATS[style](day))
    values, errors = parse_dates(pd.Series(raw, dtype=object))
    assert errors.tolist() == [""] * len(cells), raw
    assert values.tolist() == [pd.Timestamp(day) for day, _ in cells], raw


@given(st.dates(date(1950, 1, 1), date(2099, 12, 31)), st.sampled_from(range(len(DATE_FORMATS))))
def test_property_single_date_round_trip(day: date, style: int) -> None:
    assert one(parse_dates, DATE_FORMATS[style](day)) == (pd.Timestamp(day), "")
