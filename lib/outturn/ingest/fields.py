"""Parse one source column by the kind of the field it holds.

Each function here takes the raw text of one column and returns typed values with a
per-cell error; ``normalise`` runs them on worker threads, one column each.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from outturn.aliases import canonical_value
from outturn.ingest import parsing
from outturn.schema import Field

#: Expected digit counts of classification codes.
CODE_LENGTHS: dict[str, tuple[int, ...]] = {"func_code": (3, 5, 7), "econ_code": (3, 5)}

#: Code columns with about one value per row: kept as text, not categorical.
UNIQUE_CODES = frozenset({"voucher_id"})

#: Amount columns whose blank cells mean "not given" rather than zero.
OPTIONAL_AMOUNTS = frozenset({"adjusted_budget", "funds_received"})


def parse_field(f: Field, values: pd.Series, unit: str | None) -> Any:
    """Parse one source column by the kind of its field (runs on a worker thread)."""
    if f.kind == "money":
        parsed = parsing.parse_amounts(values, unit or "元")
        if f.name in OPTIONAL_AMOUNTS:
            # a blank here means "not given" (derived or unknown), not zero
            blank = parsing.clean_text(values) == ""
            parsed = parsing.Parsed(parsed.values.mask(blank), parsed.errors)
        return parsed
    if f.kind == "code":
        if f.name in UNIQUE_CODES:
            parsed = parsing.parse_codes(values, CODE_LENGTHS.get(f.name))
            # hashed here, beside the other columns' parsing, for the duplicate check: in
            # Arrow, which releases the GIL (``pd.Index(…).is_unique`` first copies every
            # code to a Python string, holding it)
            count = pc.count_distinct(pa.array(parsed.values, from_pandas=True), mode="all")
            parsed.values.attrs["unique"] = count.as_py() == len(parsed.values)
            return parsed
        return parse_categorical(values, CODE_LENGTHS.get(f.name))
    if f.kind == "category":
        return canonical(f.name, values)
    if f.kind == "text":
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes, uniques = distinct(values)
            return pd.Series(parsing.clean_text(uniques).array.take(codes), index=values.index)
        return parsing.clean_text(values)
    parser = {"date": parsing.parse_dates, "year": parsing.parse_years,
              "number": parsing.parse_numbers}[f.kind]
    if isinstance(values.dtype, pd.CategoricalDtype):
        # the reader delivered repeated values dictionary-encoded: parse each one once
        codes, uniques = distinct(values)
        parsed = parser(uniques)
        return parsing.Parsed(
            pd.Series(parsed.values.array.take(codes), index=values.index),
            pd.Series(parsed.errors.array.take(codes), index=values.index))
    return parser(values)


def distinct(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Integer codes of the cells and the distinct cells they point to (missing included).

    Categorical columns (as the CSV reader delivers repeated values) give them for free;
    other columns are factorised.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype(np.int64)
        uniques = [*values.cat.categories.astype("str"), None]
        return np.where(codes < 0, len(uniques) - 1, codes), pd.Series(uniques, dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, pd.Series(uniques, dtype=object)


def advice_for(kind: str, unit: str | None) -> str:
    return {
        "money": f"enter a number of {unit} such as 1234.56 (blank or - for zero)",
        "code": "enter the code as digits, e.g. 2120101 (functional) or 30201 (economic)",
        "date": "enter a date such as 2022-03-01",
        "year": "enter a year such as 2022",
    }.get(kind, "correct the value")


def parse_categorical(values: pd.Series, lengths: tuple[int, ...] | None) -> parsing.Parsed:
    """Parse a code column with few distinct values into a pandas ``Categorical``.

    Department, unit, project and classification codes repeat across millions of rows:
    each distinct cell is parsed once and the result spread by position. Categorical
    columns then make matching, duplicate checks and the Parquet dictionary nearly free.
    """
    codes, uniques = distinct(values)
    parsed = parsing.parse_codes(uniques, lengths)
    # cells that differ only in blanks or width parse to the same code: one category each
    recode, categories = pd.factorize(parsed.values)
    out = pd.Categorical.from_codes(recode[codes] if len(codes) else codes,
                                    categories=pd.Index(categories, dtype="str"))
    error_codes, reasons = pd.factorize(parsed.errors)
    errors = pd.Categorical.from_codes(error_codes[codes] if len(codes) else codes,
                                       categories=pd.Index(reasons, dtype="str"))
    return parsing.Parsed(pd.Series(out, index=values.index),
                          pd.Series(errors, index=values.index))


def canonical(column: str, text: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Map categorical spellings to canonical values; flag unknown and blank ones.

    Each distinct raw spelling is cleaned and looked up once (``canonical_value`` folds
    width and blanks), then spread to the rows by position.
    """
    codes, uniques = distinct(text)
    canon = [canonical_value(column, u) if isinstance(u, str) and u.strip() else None
             for u in uniques]
    recode, categories = pd.factorize(pd.Series([c or "" for c in canon], dtype="str"))
    values = pd.Categorical.from_codes(recode[codes] if len(codes) else codes,
                                       categories=pd.Index(categories, dtype="str"))
    bad = np.array([c is None for c in canon], dtype=bool)[codes]
    return pd.Series(values, index=text.index), bad
