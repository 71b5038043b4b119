"""Read processed data: one department-year at a time, without touching the rest.

Each table is stored as ``<table>/year=<Y>/dept_code=<D>/part-0.parquet`` inside the
current snapshot, so loading a department-year opens only its own files and memory
does not grow with the size of the whole ledger. Names (department, unit, project),
the payment month and the classification columns are added on load
(:mod:`outturn.store.enrich`).

Department codes given here (from the command line, a notebook parameter or a stale
snapshot) are checked against ``outturn.identifiers.CODE_PATTERN`` and every path is
resolved inside the snapshot before it is opened: ``--dept ../x`` is a clear
:class:`~outturn.problems.OutturnError`, never a read outside the processed folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from outturn.problems import OutturnError
from outturn.schema import OPTIONAL_LEDGERS, TABLES
from outturn.store.enrich import enrich_indicators, enrich_ledgers, enrich_named
from outturn.store.layout import DEFAULT_PROCESSED, DEPARTMENTS_FILE, partition, profile_file
from outturn.store.model import DeptYear
from outturn.store.snapshot import current_path, read_manifest


def departments(processed_dir: Path | str = DEFAULT_PROCESSED) -> pd.DataFrame:
    """The departments and units table of the current snapshot."""
    folder = current_path(Path(processed_dir))
    assert folder is not None
    return pd.read_parquet(folder / DEPARTMENTS_FILE)


def resolve_dept(dept: str, processed_dir: Path | str = DEFAULT_PROCESSED) -> tuple[str, str]:
    """A department's (code, name) from its code, its full name or a unique part of it."""
    table = departments(processed_dir).drop_duplicates("dept_code")
    dept = str(dept).strip()
    for column in ("dept_code", "dept_name"):
        hit = table[table[column] == dept]
        if len(hit) == 1:
            return str(hit.iloc[0]["dept_code"]), str(hit.iloc[0]["dept_name"])
    partial = table[table["dept_name"].str.contains(dept, regex=False)]
    if len(partial) == 1:
        return str(partial.iloc[0]["dept_code"]), str(partial.iloc[0]["dept_name"])
    known = "; ".join(f"{c} {n}" for c, n in zip(table["dept_code"], table["dept_name"],
                                                    strict=True))
    what = "matches several departments" if len(partial) > 1 else "is not a known department"
    raise OutturnError(f"{dept!r} {what}. Known departments: {known}")


#: pandas dtype of each column kind, for empty tables.
KIND_DTYPES = {"code": "str", "text": "str", "category": "str", "money": "int64",
               "year": "int64", "date": "datetime64[s]", "number": "float64"}
#: Columns stored besides a table's own (provenance, and the budget match of payments).
STORED_EXTRAS = {"_file": "str", "_sheet": "str", "_row": "int64"}


def empty_table(name: str) -> pd.DataFrame:
    """A table with no rows but every stored column, typed as a loaded one would be."""
    table = TABLES[name]
    dtypes = {f.name: ("Int64" if f.kind == "money" and f.nullable else KIND_DTYPES[f.kind])
              for f in table.fields}
    dtypes |= STORED_EXTRAS
    if name == "payments":
        dtypes["budgeted"] = "bool"
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in dtypes.items()})


#: Stored columns no figure across departments needs: each voucher's own text and where
#: each row came from. They are most of a ledger's bytes; ``lean`` reads skip them.
BULK_COLUMNS = frozenset({"voucher_id", "memo", "_file", "_sheet", "_row"})


def read_table(name: str, year: int, dept_code: str,
               processed_dir: Path | str = DEFAULT_PROCESSED, *,
               exclude: frozenset[str] = frozenset()) -> pd.DataFrame:
    """One department-year of a partitioned table (empty, with its columns, if absent),
    without the stored columns named in ``exclude`` (which are then not read at all)."""
    folder = current_path(Path(processed_dir))
    assert folder is not None
    part = partition(folder / name, year, dept_code)
    if not part.is_dir():
        return empty_table(name).drop(columns=list(exclude), errors="ignore")
    dataset = pq.ParquetDataset(part)
    table = dataset.read(columns=[c for c in dataset.schema.names if c not in exclude])
    # repeated text is stored dictionary-encoded; hand it back as plain strings
    plain = pa.schema([pa.field(f.name, pa.large_string()) if pa.types.is_dictionary(f.type)
                       else f for f in table.schema])
    frame = table.cast(plain).to_pandas()
    frame.insert(0, "year", int(year))
    frame.insert(1, "dept_code", str(dept_code))
    frame["year"] = frame["year"].astype("int64")
    frame["dept_code"] = frame["dept_code"].astype("str")
    return frame


def available_years(dept_code: str, processed_dir: Path | str = DEFAULT_PROCESSED) -> list[int]:
    """Years for which a department has processed data."""
    manifest = read_manifest(Path(processed_dir))
    return sorted({int(y) for y, d in manifest["department_years"] if d == dept_code})


def read_profile(dept_code: str, year: int,
                 processed_dir: Path | str = DEFAULT_PROCESSED) -> dict[str, Any]:
    """The department's profile for the year (empty mapping when none was supplied)."""
    folder = current_path(Path(processed_dir))
    assert folder is not None
    path = profile_file(folder, dept_code, year)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def load(dept: str, year: int, processed_dir: Path | str = DEFAULT_PROCESSED) -> DeptYear:
    """Load one department-year (department by code or name)."""
    code, name = resolve_dept(dept, processed_dir)
    years = available_years(code, processed_dir)
    if int(year) not in years:
        have = ", ".join(map(str, years)) or "none"
        raise OutturnError(f"{name} ({code}) has no data for {year}; years available: {have}")
    budget, payments, indicators = _enriched(code, int(year), processed_dir)
    depts = departments(processed_dir)
    optional = {name: read_table(name, int(year), code, processed_dir) for name in OPTIONAL_LEDGERS}
    return DeptYear(
        dept_code=code, dept_name=name, year=int(year),
        budget=budget, payments=payments, indicators=indicators,
        profile=read_profile(code, year, processed_dir),
        data_version=read_manifest(Path(processed_dir))["data_version"],
        **{n: enrich_named(t, depts) if len(t) else None for n, t in optional.items()},
    )


def ledgers(code: str, year: int, processed_dir: Path | str = DEFAULT_PROCESSED, *,
            lean: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A department-year's budget lines and payments, enriched as :func:`load` gives them;
    ``lean`` leaves out :data:`BULK_COLUMNS` (for figures across many departments)."""
    exclude = BULK_COLUMNS if lean else frozenset()
    return enrich_ledgers(read_table("budget", year, code, processed_dir, exclude=exclude),
                          read_table("payments", year, code, processed_dir, exclude=exclude),
                          departments(processed_dir))


def _enriched(code: str, year: int, processed_dir: Path | str
              ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A department-year's tables with names, month and classification added on read.

    Derived columns are computed here rather than stored, so the snapshot holds only
    validated facts and a department-year's few thousand rows are classified in
    milliseconds.
    """
    budget, payments = ledgers(code, year, processed_dir)
    indicators = enrich_indicators(read_table("indicators", year, code, processed_dir),
                                   departments(processed_dir))
    return budget, payments, indicators


def load_years(dept: str, years: list[int] | None = None,
               processed_dir: Path | str = DEFAULT_PROCESSED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Budget and payments of a department over several years (all available by default)."""
    code, _ = resolve_dept(dept, processed_dir)
    chosen = years or available_years(code, processed_dir)
    tables = [_enriched(code, int(y), processed_dir) for y in chosen]
    budgets = [t[0] for t in tables]
    payments = [t[1] for t in tables]
    return (pd.concat(budgets, ignore_index=True) if budgets else pd.DataFrame(),
            pd.concat(payments, ignore_index=True) if payments else pd.DataFrame())


def previous_payments(dy: DeptYear,
                      processed_dir: Path | str = DEFAULT_PROCESSED) -> pd.DataFrame | None:
    """The department's payments of the year before, or ``None`` when there are none."""
    previous = previous_year(dy, processed_dir)
    return None if previous is None else previous.payments


def previous_year(dy: DeptYear,
                  processed_dir: Path | str = DEFAULT_PROCESSED) -> DeptYear | None:
    """The same department's year before, or ``None`` when there is none."""
    if dy.year - 1 not in available_years(dy.dept_code, processed_dir):
        return None
    return load(dy.dept_code, dy.year - 1, processed_dir)
