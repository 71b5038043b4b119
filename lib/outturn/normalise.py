"""Turn one raw text table into a typed table of the data model, keeping every row.

For one source file this module:

1. maps source headers to code names through the alias table, reading the amount unit
   from the header (``金额（万元）``), else from a title line (``单位：万元``), else from
   the caller — never guessing;
2. recognises total and subtotal rows (合计, 小计, 总计), checks them against the detail
   rows and keeps them out of the data;
3. parses every cell (amounts to 分, codes as strings, dates, years, categories) and runs
   the table's row rules (``outturn.validate``);
4. splits the rows into accepted (typed) and rejected (the source text plus the reasons),
   and reconciles rows and amounts in against rows and amounts out, to the 分.

Nothing here reads or writes files beyond the :class:`~outturn.readers.RawTable` it is
given, so it is tested on hand-built tables.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from outturn import parsing
from outturn.aliases import canonical_value, known_values, resolve_header
from outturn.money import fen_to_yuan
from outturn.problems import InputError, Problem
from outturn.readers import RawTable
from outturn.schema import TABLES, Field, Table
from outturn.validate import check_rules

#: Expected digit counts of classification codes.
CODE_LENGTHS: dict[str, tuple[int, ...]] = {"func_code": (3, 5, 7), "econ_code": (3, 5)}

#: Columns that may be absent because they are derived.
DERIVABLE: dict[str, set[str]] = {"payments": {"year"}, "budget": {"adjusted_budget"}}

#: A total row's label (合计, 小计, 总计, 本页合计：…), blanks allowed anywhere; RE2 syntax.
_SPACE = r"[\s\x{3000}]*"
_TOTAL_LABEL_SPACED = (f"^{_SPACE}(?:(?:本页|本表|全部|总|部门|单位|全年){_SPACE})?"
                       f"(?:合{_SPACE}计|小{_SPACE}计|总{_SPACE}计){_SPACE}[:：]?{_SPACE}$")
_TITLE_UNIT = re.compile(r"(?:单位|金额单位|计量单位)\s*[:：]\s*(万元|元)")

ROW_COLUMNS = ("_file", "_sheet", "_row")

#: Code columns with about one value per row: kept as text, not categorical.
UNIQUE_CODES = frozenset({"voucher_id"})

#: Amount columns whose blank cells mean "not given" rather than zero.
OPTIONAL_AMOUNTS = frozenset({"adjusted_budget", "funds_received"})

#: Descriptive columns exports carry beside codes; outturn derives them, so they are
#: read past without a warning.
DESCRIPTIVE = frozenset({"dept_name", "unit_name", "project_name", "func_name", "econ_name"})


@dataclass
class Normalised:
    """The outcome of normalising one source table."""

    table: Table
    file: str
    sheet: str
    #: Accepted rows: the table's columns, typed, plus ``_file``, ``_sheet``, ``_row``.
    frame: pd.DataFrame
    #: Rejected rows: the source text under canonical column names, the amounts that could
    #: be read as ``<column>_fen``, plus ``_file``, ``_sheet``, ``_row`` and ``_reason``.
    rejected: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    #: Money totals of the detail rows in 分: column → (in, accepted, rejected).
    totals: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    #: Totals stated by the file's own 合计/总计 rows (column → 分), when present.
    declared: dict[str, int] = field(default_factory=dict)
    rows_in: int = 0
    total_rows: int = 0
    #: Detail rows whose amount could not be read (their amount is in no total).
    unreadable_amounts: int = 0
    #: For identifier columns (voucher ids): whether all of the file's values differ.
    unique_columns: dict[str, bool] = field(default_factory=dict)


@dataclass
class _Errors:
    """Row-level problems collected while normalising, by position in the frame."""

    raw: pd.DataFrame
    rows: np.ndarray
    file: str
    sheet: str
    problems: list[Problem] = field(default_factory=list)
    reasons: dict[int, list[str]] = field(default_factory=dict)

    def add(self, mask: np.ndarray | pd.Series, source_col: str, rule: str, advice: str,
            severity: str = "error", values: pd.Series | None = None) -> None:
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        texts = (values if values is not None else self.raw[source_col]) \
            if source_col else None
        for pos in positions:
            value = "" if texts is None else str(texts.iloc[pos])
            self.problems.append(Problem(
                file=self.file, sheet=self.sheet, row=int(self.rows[pos]), column=source_col,
                value=value, rule=rule, advice=advice, severity=severity))  # type: ignore[arg-type]
            if severity == "error":
                self.reasons.setdefault(int(pos), []).append(
                    f"{source_col}: {rule}" if source_col else rule)


def map_headers(raw: RawTable, table: Table) -> tuple[dict[str, str], dict[str, str], list[Problem]]:
    """Source column for each canonical column, the unit each header declares, and warnings."""
    mapping: dict[str, str] = {}
    units: dict[str, str] = {}
    problems: list[Problem] = []
    for source in raw.frame.columns:
        resolved = resolve_header(source)
        if resolved.column in DESCRIPTIVE and resolved.column not in table.columns:
            continue
        if resolved.column is None or resolved.column not in table.columns:
            problems.append(Problem(
                file=str(raw.path), sheet=raw.sheet, column=source, severity="warning",
                rule=f"column not used by the {table.name} table",
                advice="rename it to a known header (docs/data-model.md) if it should be read"))
            continue
        if resolved.column in mapping:
            raise InputError([Problem(
                file=str(raw.path), sheet=raw.sheet, column=source,
                rule=f"two columns mean {resolved.column}: {mapping[resolved.column]!r} and "
                     f"{source!r}", advice="delete or rename one of them")])
        mapping[resolved.column] = source
        if resolved.unit:
            units[resolved.column] = resolved.unit
    missing = [f for f in table.fields if f.required and f.name not in mapping
               and f.name not in DERIVABLE.get(table.name, set())]
    if missing:
        raise InputError([Problem(
            file=str(raw.path), sheet=raw.sheet, column=f.zh,
            rule=f"required column {f.zh} ({f.name}) is missing",
            advice=f"add a column headed {f.zh}") for f in missing])
    return mapping, units, problems


def _title_unit(raw: RawTable) -> str | None:
    for line in raw.titles:
        match = _TITLE_UNIT.search(line)
        if match:
            return match.group(1)
    return None


def _money_units(raw: RawTable, table: Table, mapping: dict[str, str], units: dict[str, str],
                 unit: str | None) -> dict[str, str]:
    """Unit of every money column present: header, else title line, else the caller's."""
    fallback = _title_unit(raw) or unit
    out: dict[str, str] = {}
    missing = []
    for name in table.of_kind("money"):
        if name not in mapping:
            continue
        chosen = units.get(name) or fallback
        if chosen is None:
            missing.append(mapping[name])
        else:
            out[name] = chosen
    if missing:
        raise InputError([Problem(
            file=str(raw.path), sheet=raw.sheet, column=col,
            rule="the amount unit (元 or 万元) is not stated",
            advice="state it in the header, e.g. 金额（元） or 年初预算数（万元）, or in a title "
                   "line 单位：万元, or pass --unit") for col in missing])
    return out


def _arrow(values: pd.Series) -> pa.ChunkedArray:
    """The column as Arrow strings (zero-copy for pandas' Arrow-backed ``str``)."""
    arr = pa.array(values, type=pa.large_string(), from_pandas=True)
    return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])


def _may_contain(arr: pa.ChunkedArray, needle: bytes) -> bool:
    """Whether any cell could contain ``needle``: a scan of the raw UTF-8 data buffers.

    The buffers are viewed, not copied; candidates for the needle's first byte are
    checked for the rest of it.
    """
    for chunk in arr.chunks:
        data = chunk.buffers()[2]
        if data is None:
            continue
        view = np.frombuffer(data, dtype=np.uint8)
        hits = np.flatnonzero(view[: len(view) - len(needle) + 1] == needle[0])
        for offset, byte in enumerate(needle[1:], start=1):
            hits = hits[view[hits + offset] == byte]
        if len(hits):
            return True
    return False


def _empty_rows(raw: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is blank: spacing in the export, not data.

    Only rows whose first cell is at most a few bytes long can be blank, so the text of
    the other columns is looked at for those rows alone.
    """
    if raw.empty:
        return np.zeros(0, dtype=bool)
    first = _arrow(raw[raw.columns[0]])
    short = pc.fill_null(pc.less_equal(pc.binary_length(first), 4), True)
    candidates = np.flatnonzero(short.to_numpy(zero_copy_only=False))
    empty = np.zeros(len(raw), dtype=bool)
    if len(candidates):
        cells = raw.iloc[candidates]
        blank = np.ones(len(candidates), dtype=bool)
        for col in cells.columns:
            blank &= (cells[col].fillna("").str.strip() == "").to_numpy(dtype=bool)
        empty[candidates] = blank
    return empty


def find_total_rows(raw: pd.DataFrame, text_columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Masks of total (合计/总计) and subtotal (小计) rows, judged by their text cells.

    Every label ends in 计, so a column whose bytes hold no 计 is skipped after one byte
    search; only columns that do are matched cell by cell (in Arrow's regex engine).
    """
    total = np.zeros(len(raw), dtype=bool)
    subtotal = np.zeros(len(raw), dtype=bool)
    for col in text_columns:
        arr = _arrow(raw[col])
        if not _may_contain(arr, "计".encode()):
            continue
        match = pc.match_substring_regex(arr, _TOTAL_LABEL_SPACED)
        match = pc.fill_null(match, False).to_numpy(zero_copy_only=False)
        if match.any():
            is_sub = pc.fill_null(pc.match_substring_regex(arr, f"小{_SPACE}计"), False) \
                .to_numpy(zero_copy_only=False)
            subtotal |= match & is_sub
            total |= match & ~is_sub
    return total, subtotal & ~total


def normalise(raw: RawTable, table_name: str, *, unit: str | None = None) -> Normalised:
    """Parse, check and split one raw table; see the module docstring."""
    table = TABLES[table_name]
    file, sheet = str(raw.path), raw.sheet
    mapping, header_units, problems = map_headers(raw, table)
    money_units = _money_units(raw, table, mapping, header_units, unit)

    src = raw.frame
    text_cols = [mapping[f.name] for f in table.fields if f.name in mapping
                 and f.kind != "money"]
    total_mask, sub_mask = find_total_rows(src, text_cols)
    detail = ~(total_mask | sub_mask | _empty_rows(src))

    errs = _Errors(src, raw.source_rows, file, sheet)
    out: dict[str, pd.Series] = {}
    unique_columns: dict[str, bool] = {}
    n = len(src)
    fields = [f for f in table.fields if f.name in mapping]
    # columns parse independently and mostly inside pyarrow, which releases the GIL
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(
            lambda f: _parse_field(f, src[mapping[f.name]], money_units.get(f.name)), fields))
    for f, parsed in zip(fields, results, strict=True):
        col = mapping[f.name]
        if f.kind == "category":
            values, bad = parsed
            out[f.name] = values
            errs.add(bad & detail, col, f"unknown {f.zh}",
                     f"use one of {'、'.join(known_values(f.name))}")
            continue
        if f.kind == "text":
            out[f.name] = parsed
            continue
        bad = (parsed.errors != "").to_numpy()
        if f.kind == "number":
            # numbers of indicators may be text (qualitative); only weights must be numeric
            if f.name == "weight":
                errs.add(bad & detail, col, "weight is not a number", "enter points, e.g. 5")
            out[f.name] = parsed.values
            continue
        if bad.any():
            for reason in pd.unique(parsed.errors[bad & detail]):
                errs.add((parsed.errors == reason).to_numpy() & detail, col, str(reason),
                         _advice_for(f.kind, money_units.get(f.name)))
        out[f.name] = parsed.values
        if "unique" in parsed.values.attrs:
            unique_columns[f.name] = bool(parsed.values.attrs.pop("unique"))

    typed = pd.DataFrame(out, index=pd.RangeIndex(n))
    _fill_defaults(typed, table)
    _derive(typed, table, mapping, errs, detail)

    # row rules, on detail rows whose cells all parsed
    parse_bad = np.zeros(n, dtype=bool)
    parse_bad[list(errs.reasons)] = True
    checkable = detail & ~parse_bad
    candidates = typed if checkable.all() else typed[checkable]
    for failure in check_rules(table.name, _fill_for_rules(candidates, table)):
        source_col = mapping.get(failure.column, failure.column)
        pos = np.zeros(n, dtype=bool)
        pos[failure.index] = True
        errs.add(pos, source_col, failure.rule, failure.advice)

    declared = _check_totals(typed, table, mapping, total_mask, sub_mask, detail, errs)

    rejected_mask = np.zeros(n, dtype=bool)
    rejected_mask[list(errs.reasons)] = True
    rejected_mask &= detail
    accepted_mask = detail & ~rejected_mask

    frame = typed.copy(deep=False) if accepted_mask.all() else typed[accepted_mask]
    if "year" in frame.columns:
        frame["year"] = frame["year"].astype("int64")  # every accepted row has its year
    # one category each: a 5M-row file costs 5M small codes, not 5M copies of its path
    frame["_file"] = pd.Categorical.from_codes(np.zeros(len(frame), dtype=np.int8), [file])
    frame["_sheet"] = pd.Categorical.from_codes(np.zeros(len(frame), dtype=np.int8), [sheet])
    frame["_row"] = raw.source_rows[accepted_mask]
    frame = frame.reset_index(drop=True)

    rejected = pd.DataFrame({name: src[col][rejected_mask].to_numpy()
                             for name, col in mapping.items()}, dtype="str")
    for c in table.of_kind("money"):
        if c in typed.columns:
            rejected[f"{c}_fen"] = typed[c][rejected_mask].to_numpy()
    rejected["_file"] = file
    rejected["_sheet"] = sheet
    rejected["_row"] = raw.source_rows[rejected_mask]
    rejected["_reason"] = ["; ".join(errs.reasons[int(p)]) for p in np.flatnonzero(rejected_mask)]
    rejected = rejected.reset_index(drop=True)

    money_cols = [c for c in table.of_kind("money") if c in typed.columns]
    sums = {}
    unreadable = 0
    for c in money_cols:
        # exact int64 sums with numpy masks (unreadable cells count as 0 and are counted)
        values = typed[c].to_numpy(dtype=np.int64, na_value=0)
        if c in mapping:
            unreadable += int((detail & typed[c].isna().to_numpy()).sum())
        sums[c] = (int(values[detail].sum()), int(values[accepted_mask].sum()),
                   int(values[rejected_mask].sum()))
    result = Normalised(table, file, sheet, frame, rejected, problems + errs.problems, sums,
                        declared, rows_in=int(detail.sum()),
                        total_rows=int((total_mask | sub_mask).sum()),
                        unreadable_amounts=unreadable, unique_columns=unique_columns)
    return result


def _parse_field(f: Field, values: pd.Series, unit: str | None) -> Any:
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
            # hashed here, beside the other columns' parsing, for the duplicate check
            parsed.values.attrs["unique"] = pd.Index(parsed.values).is_unique
            return parsed
        return _parse_categorical(values, CODE_LENGTHS.get(f.name))
    if f.kind == "category":
        return _canonical(f.name, values)
    if f.kind == "text":
        return parsing.clean_text(values)
    parser = {"date": parsing.parse_dates, "year": parsing.parse_years,
              "number": parsing.parse_numbers}[f.kind]
    return parser(values)


def _advice_for(kind: str, unit: str | None) -> str:
    return {
        "money": f"enter a number of {unit} such as 1234.56 (blank or - for zero)",
        "code": "enter the code as digits, e.g. 2120101 (functional) or 30201 (economic)",
        "date": "enter a date such as 2022-03-01",
        "year": "enter a year such as 2022",
    }.get(kind, "correct the value")


def _parse_categorical(values: pd.Series, lengths: tuple[int, ...] | None) -> parsing.Parsed:
    """Parse a code column with few distinct values into a pandas ``Categorical``.

    Department, unit, project and classification codes repeat across millions of rows:
    each distinct cell is parsed once and the result spread by position. Categorical
    columns then make matching, duplicate checks and the Parquet dictionary nearly free.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    parsed = parsing.parse_codes(pd.Series(uniques, dtype=object), lengths)
    # cells that differ only in blanks or width parse to the same code: one category each
    recode, categories = pd.factorize(parsed.values)
    out = pd.Categorical.from_codes(recode[codes] if len(codes) else codes,
                                    categories=pd.Index(categories, dtype="str"))
    error_codes, reasons = pd.factorize(parsed.errors)
    errors = pd.Categorical.from_codes(error_codes[codes] if len(codes) else codes,
                                       categories=pd.Index(reasons, dtype="str"))
    return parsing.Parsed(pd.Series(out, index=values.index),
                          pd.Series(errors, index=values.index))


def _canonical(column: str, text: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Map categorical spellings to canonical values; flag unknown and blank ones.

    Each distinct raw spelling is cleaned and looked up once (``canonical_value`` folds
    width and blanks), then spread to the rows by position.
    """
    codes, uniques = pd.factorize(text, use_na_sentinel=False)
    canon = [canonical_value(column, u) if isinstance(u, str) and u.strip() else None
             for u in uniques]
    recode, categories = pd.factorize(pd.Series([c or "" for c in canon], dtype="str"))
    values = pd.Categorical.from_codes(recode[codes] if len(codes) else codes,
                                       categories=pd.Index(categories, dtype="str"))
    bad = np.array([c is None for c in canon], dtype=bool)[codes]
    return pd.Series(values, index=text.index), bad


def _fill_defaults(typed: pd.DataFrame, table: Table) -> None:
    for f in table.fields:
        if f.name in typed.columns:
            if f.kind == "money" and not f.nullable and f.default is not None:
                typed[f.name] = typed[f.name].fillna(f.default)
            continue
        if f.default is not None:
            typed[f.name] = f.default
            if f.kind == "money":
                typed[f.name] = typed[f.name].astype("int64")
            else:
                typed[f.name] = typed[f.name].astype("str")
        elif f.nullable:
            typed[f.name] = pd.Series(pd.NA, index=typed.index,
                                      dtype="Int64" if f.kind == "money" else "Float64")


def _derive(typed: pd.DataFrame, table: Table, mapping: dict[str, str], errs: _Errors,
            detail: np.ndarray) -> None:
    """Columns derived from others: payment year from date, adjusted budget from phases."""
    if table.name == "payments":
        dates = typed["date"].to_numpy(dtype="datetime64[s]")
        years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
        year_from_date = pd.Series(pd.arrays.IntegerArray(years, np.isnat(dates)),
                                   index=typed.index)
        if "year" not in typed.columns:
            typed["year"] = year_from_date
        else:  # a blank 年度 cell takes the year of its date
            typed["year"] = typed["year"].fillna(year_from_date)
    if table.name == "budget":
        derived = typed["original_budget"] + typed["supplementary"] - typed["reduction"]
        if "adjusted_budget" not in typed.columns:
            typed["adjusted_budget"] = derived
        else:
            typed["adjusted_budget"] = typed["adjusted_budget"].fillna(derived)
    if table.name == "indicators":
        typed["target_value"] = parsing.parse_numbers(typed["target"]).values
        typed["actual_value"] = parsing.parse_numbers(typed["actual"]).values


def _fill_for_rules(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Give rule checks plain dtypes (int64 money) on rows that parsed (no deep copy)."""
    money = {f.name: "int64" for f in table.fields
             if f.name in frame.columns and f.kind == "money" and not f.nullable}
    return frame.astype(money) if money else frame


def _check_totals(typed: pd.DataFrame, table: Table, mapping: dict[str, str],
                  total_mask: np.ndarray, sub_mask: np.ndarray, detail: np.ndarray,
                  errs: _Errors) -> dict[str, int]:
    """Check 合计/总计 rows against all detail rows and 小计 rows against the rows above."""
    declared: dict[str, int] = {}
    money = [c for c in table.of_kind("money") if c in mapping]
    if not (total_mask.any() or sub_mask.any()):
        return declared
    for c in money:
        values = typed[c].fillna(0).astype("int64").to_numpy()
        detail_values = np.where(detail, values, 0)
        grand = int(detail_values.sum())
        for pos in np.flatnonzero(total_mask):
            stated = int(values[pos])
            declared[c] = stated
            if stated != grand:
                _total_problem(errs, pos, mapping[c], stated, grand, "the detail rows")
        start = 0
        for pos in np.flatnonzero(sub_mask):
            expected = int(detail_values[start:pos].sum())
            if int(values[pos]) != expected:
                _total_problem(errs, pos, mapping[c], int(values[pos]), expected,
                               "the detail rows above it")
            start = pos + 1
    return declared


def _total_problem(errs: _Errors, pos: int, column: str, stated: int, expected: int,
                   what: str) -> None:
    errs.problems.append(Problem(
        file=errs.file, sheet=errs.sheet, row=int(errs.rows[pos]), column=column,
        value=str(errs.raw[column].iloc[pos]),
        rule=f"total row states {fen_to_yuan(stated)} 元 but {what} add up to "
             f"{fen_to_yuan(expected)} 元",
        advice="check for missing or extra detail rows; total rows are not counted as data",
    ))
