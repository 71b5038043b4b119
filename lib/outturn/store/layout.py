"""Where each file of a snapshot lives: the one home of the processed layout.

A snapshot folder holds the partitioned tables (``<table>/year=<year>/dept_code=<code>/``,
Parquet), ``departments.parquet``, one profile per department-year
(``profiles/<code>/<year>.json``), the rejected rows, the problems and the
reconciliation. Ingest writes with these functions and the store reads with them, and the
report's skip hash lists a department-year's files with :func:`department_year_files`, so
what is written, what is read and what is hashed cannot drift apart. Every identifier
from data passes :func:`outturn.identifiers.safe_join`.
"""

from __future__ import annotations

from pathlib import Path

from outturn.identifiers import check_code, safe_join
from outturn.schema import LEDGER_TABLES

#: Where ingest writes and everything else reads, unless told otherwise.
DEFAULT_PROCESSED = Path("data/processed")

#: The tables stored partitioned by year and department.
PARTITIONED: tuple[str, ...] = LEDGER_TABLES
DEPARTMENTS_FILE = "departments.parquet"
PROFILES_DIR = "profiles"
REJECTED_DIR = "rejected"
PROBLEMS_FILE = "problems.csv"
RECONCILIATION_FILE = "reconciliation.csv"


def partition(table_folder: Path, year: int, dept_code: str) -> Path:
    """The folder of one department-year inside a partitioned table's folder."""
    return safe_join(table_folder, f"year={int(year)}",
                     f"dept_code={check_code(dept_code, 'department code')}")


def profile_file(snapshot: Path, dept_code: str, year: int) -> Path:
    """The profile of one department-year."""
    return safe_join(snapshot, PROFILES_DIR, check_code(dept_code, "department code"),
                     f"{int(year)}.json")


def department_year_files(snapshot: Path, dept_code: str, year: int) -> list[Path]:
    """Every file that holds one department-year's data (present or not: a profile that
    is absent is a fact about the department-year too)."""
    files: list[Path] = []
    for table in PARTITIONED:
        files += sorted(partition(snapshot / table, year, dept_code).glob("*.parquet"))
    files.append(profile_file(snapshot, dept_code, year))
    return files
