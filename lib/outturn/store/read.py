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
from outturn.store.snapshot import MANIFEST, current_path, read_manifest


def departments(processed_dir: Path | str = DEFAULT_PROCESSED) -> pd.DataFrame:
    """The departments and units table of the current snapshot."""
    return pd.read_parquet(_snapshot(processed_dir) / DEPARTMENTS_FILE)


def _snapshot(processed_dir: Path | str) -> Path:
    """The folder of the current snapshot, resolved once by a caller that reads several
    of its files (so they all come from the same snapshot)."""
    folder = current_path(Path(processed_dir))
    assert folder is not None
    return folder


def resolve_dept(dept: str, processed_dir: Path | str = DEFAULT_PROCESSED) -> tuple[str, str]:
    """A department's (code, name) from its code, its full name or a unique part of it."""
    return _resolve(dept, departments(processed_dir))


def _resolve(dept: str, departments_table: pd.DataFrame) -> tuple[str, str]:
    """:func:`resolve_dept` in a departments table already read."""
    table = departments_table.drop_duplicates("dept_code")
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
    return _read_table(_snapshot(processed_dir), name, year, dept_code, exclude)


def _read_table(folder: Path, name: str, year: int, dept_code: str,
                exclude: frozenset[str] = frozenset()) -> pd.DataFrame:
    """:func:`read_table` from the snapshot ``folder``."""
    part = partition(folder / name, year, dept_code)
    if not part.is_dir():
        return empty_table(name).drop(columns=list(exclude), errors="ignore")
    return _read_partition(part, year, dept_code, exclude)


def _read_partition(part: Path, year: int, dept_code: str, exclude: frozenset[str]) -> pd.DataFrame:
    """The rows of one existing partition folder, with its year and department columns."""
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
    return _years_of(read_manifest(Path(processed_dir)), dept_code)


def _years_of(manifest: dict[str, Any], dept_code: str) -> list[int]:
    return sorted({int(y) for y, d in manifest["department_years"] if d == dept_code})


def read_profile(dept_code: str, year: int,
                 processed_dir: Path | str = DEFAULT_PROCESSED) -> dict[str, Any]:
    """The department's profile for the year (empty mapping when none was supplied)."""
    return _read_profile(_snapshot(processed_dir), dept_code, year)


def _read_profile(folder: Path, dept_code: str, year: int) -> dict[str, Any]:
    path = profile_file(folder, dept_code, year)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def load(dept: str, year: int, processed_dir: Path | str = DEFAULT_PROCESSED) -> DeptYear:
    """Load one department-year (department by code or name).

    The snapshot is resolved, and its departments table and manifest are read, once: a
    department-year is a dozen small files, and reading the shared ones again for each
    of them was a good part of the cost of a load.
    """
    folder = _snapshot(processed_dir)
    depts = pd.read_parquet(folder / DEPARTMENTS_FILE)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    code, name = _resolve(dept, depts)
    years = _years_of(manifest, code)
    if int(year) not in years:
        have = ", ".join(map(str, years)) or "none"
        raise OutturnError(f"{name} ({code}) has no data for {year}; years available: {have}")
    budget, payments, indicators = _enriched(folder, code, int(year), depts)
    optional = {name: _optional_table(folder, name, int(year), code) for name in OPTIONAL_LEDGERS}
    return DeptYear(
        dept_code=code, dept_name=name, year=int(year),
        budget=budget, payments=payments, indicators=indicators,
        profile=_read_profile(folder, code, year),
        data_version=manifest["data_version"],
        **{n: enrich_named(t, depts) if t is not None and len(t) else None
           for n, t in optional.items()},
    )


def _optional_table(folder: Path, name: str, year: int, dept_code: str) -> pd.DataFrame | None:
    """An optional ledger's rows, ``None`` when the department-year has no partition (most
    give none: no empty table is built just to be found empty)."""
    part = partition(folder / name, year, dept_code)
    return _read_partition(part, year, dept_code, frozenset()) if part.is_dir() else None


def ledgers(code: str, year: int, processed_dir: Path | str = DEFAULT_PROCESSED, *,
            lean: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A department-year's budget lines and payments, enriched as :func:`load` gives them;
    ``lean`` leaves out :data:`BULK_COLUMNS` (for figures across many departments)."""
    folder = _snapshot(processed_dir)
    return _ledgers(folder, code, year, pd.read_parquet(folder / DEPARTMENTS_FILE),
                    BULK_COLUMNS if lean else frozenset())


def _ledgers(folder: Path, code: str, year: int, depts: pd.DataFrame,
             exclude: frozenset[str] = frozenset()) -> tuple[pd.DataFrame, pd.DataFrame]:
    return enrich_ledgers(_read_table(folder, "budget", year, code, exclude),
                          _read_table(folder, "payments", year, code, exclude), depts)


def _enriched(folder: Path, code: str, year: int, depts: pd.DataFrame
              ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A department-year's tables with names, month and classification added on read.

    Derived columns are computed here rather than stored, so the snapshot holds only
    validated facts and a department-year's few thousand rows are classified in
    milliseconds.
    """
    budget, payments = _ledgers(folder, code, year, depts)
    indicators = enrich_indicators(_read_table(folder, "indicators", year, code), depts)
    return budget, payments, indicators


def load_years(dept: str, years: list[int] | None = None,
               processed_dir: Path | str = DEFAULT_PROCESSED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Budget and payments of a department over several years (all available by default)."""
    folder = _snapshot(processed_dir)
    depts = pd.read_parquet(folder / DEPARTMENTS_FILE)
    code, _ = _resolve(dept, depts)
    chosen = years or available_years(code, processed_dir)
    tables = [_enriched(folder, code, int(y), depts) for y in chosen]
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
