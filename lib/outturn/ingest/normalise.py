"""Turn one raw text table into a typed table of the data model, keeping every row.

For one source file this module:

1. maps source headers to code names through the alias table, reading the amount unit
   from the header (``金额（万元）``), else from a title line (``单位：万元``), else from
   the caller — never guessing;
2. recognises total and subtotal rows (合计, 小计, 总计), checks them against the detail
   rows and keeps them out of the data;
3. parses every cell (amounts to 分, codes as strings, dates, years, categories) and runs
   the table's row rules (``outturn.ingest.validate``);
4. splits the rows into accepted (typed) and rejected (the source text plus the reasons),
   and reconciles rows and amounts in against rows and amounts out, to the 分.

Nothing here reads or writes files beyond the :class:`~outturn.ingest.readers.RawTable` it is
given, so it is tested on hand-built tables.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from outturn.aliases import known_values, resolve_header
from outturn.ingest import parsing
from outturn.ingest.fields import advice_for, parse_field
from outturn.ingest.readers import RawTable
from outturn.ingest.rowproblems import Listing, RowErrors, cell_issue_errors, unchecked_totals
from outturn.ingest.totals import TotalsCarry, check_totals, empty_rows, find_total_rows
from outturn.ingest.validate import ADVICE, check_rules
from outturn.money import MAX_ROW_FEN, exact_sum
from outturn.problems import InputError, Problem
from outturn.schema import TABLES, Table

#: Columns that may be absent because they are derived.
DERIVABLE: dict[str, set[str]] = {"payments": {"year"}, "budget": {"adjusted_budget"}}

_TITLE_UNIT = re.compile(r"(?:单位|金额单位|计量单位)\s*[:：]\s*(万元|元)")

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
class FileState:
    """What the batches of one file share while they are normalised one after another
    (:mod:`outturn.ingest.stream`): rows listed per rule, the totals carried forward, and
    how many batches came before (the header's warnings are the first batch's alone)."""

    listing: Listing = field(default_factory=Listing)
    carry: TotalsCarry = field(default_factory=TotalsCarry)
    batches: int = 0
    #: Source money column → its canonical name (what the declared totals are keyed by).
    money_columns: dict[str, str] = field(default_factory=dict)

    def finish(self, file: str, sheet: str) -> tuple[dict[str, int], list[Problem]]:
        """The file's declared totals (by canonical column) and its 合计 rows' mismatches."""
        declared, problems = self.carry.finish(file, sheet)
        return {self.money_columns.get(k, k): v for k, v in declared.items()}, problems


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


def normalise(raw: RawTable, table_name: str, *, unit: str | None = None,
              state: FileState | None = None) -> Normalised:
    """Parse, check and split one raw table; see the module docstring.

    With ``state`` the table is one batch of a file read in batches: problems are listed
    up to the cap per rule across the batches, and total rows wait for the whole file.
    """
    table = TABLES[table_name]
    file, sheet = str(raw.path), raw.sheet
    mapping, header_units, problems = map_headers(raw, table)
    if state is not None:
        problems = problems if state.batches == 0 else []
        state.batches += 1
    money_units = _money_units(raw, table, mapping, header_units, unit)

    src = raw.frame
    text_cols = [mapping[f.name] for f in table.fields if f.name in mapping
                 and f.kind != "money"]
    summary = find_total_rows(src, text_cols)
    detail = ~(summary.any | empty_rows(src))

    errs = RowErrors(src, raw.source_rows, file, sheet,
                     listing=state.listing if state is not None else None)
    unreadable_cells = cell_issue_errors(raw, set(mapping.values()), detail, errs)
    readable = {col: ~mask for col, mask in unreadable_cells.items()}
    everywhere = np.ones(len(src), dtype=bool)
    out: dict[str, pd.Series] = {}
    unique_columns: dict[str, bool] = {}
    n = len(src)
    fields = [f for f in table.fields if f.name in mapping]
    # columns parse independently and mostly inside pyarrow, which releases the GIL
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(
            lambda f: parse_field(f, src[mapping[f.name]], money_units.get(f.name)), fields))
    for f, parsed in zip(fields, results, strict=True):
        col = mapping[f.name]
        if f.kind == "category":
            values, bad = parsed
            out[f.name] = values
            errs.add(bad & detail & readable.get(col, everywhere), col, f"unknown {f.zh}",
                     ADVICE.get(f.name) or f"use one of {'、'.join(known_values(f.name))}")
            continue
        if f.kind == "text":
            out[f.name] = parsed
            continue
        bad = (parsed.errors != "").to_numpy() & readable.get(col, everywhere)
        if f.kind == "number":
            # numbers of indicators may be text (qualitative); only weights must be numeric
            if f.name == "weight":
                errs.add(bad & detail, col, "weight is not a number", "enter points, e.g. 5")
            out[f.name] = parsed.values
            continue
        if bad.any():
            for reason in pd.unique(parsed.errors[bad & detail]):
                errs.add((parsed.errors == reason).to_numpy() & detail, col, str(reason),
                         advice_for(f.kind, money_units.get(f.name)))
        out[f.name] = parsed.values
        if "unique" in parsed.values.attrs:
            unique_columns[f.name] = bool(parsed.values.attrs.pop("unique"))

    typed = pd.DataFrame(out, index=pd.RangeIndex(n))
    _reject_beyond_any_budget(typed, table, mapping, errs, detail)
    _fill_defaults(typed, table)
    _derive(typed, table, mapping, errs, detail)

    # row rules, on detail rows whose cells all parsed
    parse_bad = errs.mask(n)
    checkable = detail & ~parse_bad
    candidates = typed if checkable.all() else typed[checkable]
    failures: dict[tuple[str, str, str], list[int]] = {}
    for failure in check_rules(table.name, _fill_for_rules(candidates, table)):
        key = (mapping.get(failure.column) or _zh(table, failure.column), failure.rule,
               failure.advice)
        failures.setdefault(key, []).append(failure.index)
    for (source_col, rule, advice), positions in failures.items():
        errs.add(np.asarray(positions, dtype=np.int64), source_col, rule, advice)

    money_in_file = [c for c in table.of_kind("money") if c in mapping]
    if state is not None:
        state.money_columns.update({mapping[c]: c for c in money_in_file})
    stated, total_problems = check_totals(
        {mapping[c]: typed[c] for c in money_in_file}, src, raw.source_rows,
        summary, detail, file, sheet, carry=state.carry if state is not None else None)
    total_problems = unchecked_totals(raw, summary.any, unreadable_cells,
                                       total_problems, stated, errs)
    declared = {c: stated[mapping[c]] for c in money_in_file if mapping[c] in stated}
    errs.problems.extend(total_problems)

    rejected_mask = errs.mask(n) & detail
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
            # the nullable integers themselves: a float column would round above 2^53 分
            rejected[f"{c}_fen"] = typed[c][rejected_mask].array
    rejected["_file"] = file
    rejected["_sheet"] = sheet
    rejected["_row"] = raw.source_rows[rejected_mask]
    rejected["_reason"] = errs.reasons(n, np.flatnonzero(rejected_mask))
    rejected = rejected.reset_index(drop=True)

    money_cols = [c for c in table.of_kind("money") if c in typed.columns]
    sums = {}
    unreadable = 0
    for c in money_cols:
        # exact int64 sums with numpy masks (unreadable cells count as 0 and are counted)
        values = typed[c].to_numpy(dtype=np.int64, na_value=0)
        if c in mapping:
            unreadable += int((detail & typed[c].isna().to_numpy()).sum())
        sums[c] = (exact_sum(values[detail]), exact_sum(values[accepted_mask]),
                   exact_sum(values[rejected_mask]))
    result = Normalised(table, file, sheet, frame, rejected, problems + errs.problems, sums,
                        declared, rows_in=int(detail.sum()),
                        total_rows=int(summary.any.sum()),
                        unreadable_amounts=unreadable, unique_columns=unique_columns)
    return result


def _zh(table: Table, column: str) -> str:
    """The Chinese name of a column the file does not have (the user's word for it)."""
    return table.field(column).zh if column in table.columns else column


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


def _reject_beyond_any_budget(typed: pd.DataFrame, table: Table, mapping: dict[str, str],
                              errs: RowErrors, detail: np.ndarray) -> None:
    """Amounts above :data:`~outturn.money.MAX_ROW_FEN` (1 万亿元) are errors, not data."""
    for c in table.of_kind("money"):
        if c not in typed.columns or c not in mapping:
            continue
        values = typed[c].to_numpy(dtype=np.int64, na_value=0)
        big = (values > MAX_ROW_FEN) | (values < -MAX_ROW_FEN)
        errs.add(big & detail, mapping[c], "amount beyond any real budget (more than 1 万亿元 "
                 "in one row)", "check the unit (元 or 万元) and the decimal point of this amount")


def _derive(typed: pd.DataFrame, table: Table, mapping: dict[str, str], errs: RowErrors,
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
            stated = typed["year"]
            outside = (stated.notna() & year_from_date.notna()
                       & (stated != year_from_date)).to_numpy(dtype=bool, na_value=False)
            errs.add(outside & detail, mapping.get("date", ""),
                     "payment dated outside the year stated in its 年度 column; it is counted "
                     "in the stated 年度", "check the date, or move the row to the ledger of "
                     "the year it belongs to", severity="warning")
            typed["year"] = stated.fillna(year_from_date)
        # rows whose date did not parse already carry that error; this names the empty ones
        no_year = typed["year"].isna().to_numpy(dtype=bool, na_value=True) & detail \
            & ~errs.mask(len(typed))
        errs.add(no_year, mapping.get("date", ""), "empty 支付日期: the payment's year "
                 "cannot be known", "enter the payment date (e.g. 2022-06-30)")
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


