"""Read and normalise one ledger file: one result per data sheet, problems kept.

What stops a file (or a sheet) being read comes back as an empty result carrying the
problems, so one bad file never hides the others.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from outturn.ingest.normalise import Normalised, normalise
from outturn.ingest.readers import read_tables
from outturn.problems import InputError, Problem
from outturn.schema import TABLES


def read_file(path: Path, table: str, *, unit: str | None = None,
              sheet: str | int | None = None, encoding: str | None = None) -> list[Normalised]:
    """Read and normalise one file: one result per data sheet (one for a text file).

    File-level problems come back as an empty table carrying them, per sheet where the
    sheet is known; what the reader did not read (hidden sheets …) rides on the first.
    """
    try:
        raws, notes = read_tables(path, sheet=sheet, encoding=encoding)
    except InputError as exc:
        return [failed(path, table, "", exc.problems)]
    out = []
    for raw in raws:
        try:
            out.append(normalise(raw, table, unit=unit))
        except InputError as exc:
            out.append(failed(path, table, raw.sheet, exc.problems))
    out[0].problems[:0] = notes
    return out


def failed(path: Path, table: str, sheet: str, problems: list[Problem]) -> Normalised:
    """An empty result carrying the problems that stopped a file (or sheet) being read."""
    empty = pd.DataFrame(columns=[*TABLES[table].columns, "_file", "_sheet", "_row"])
    problems = [p if p.file else Problem(**{**p.__dict__, "file": str(path)}) for p in problems]
    return Normalised(TABLES[table], str(path), sheet, empty, pd.DataFrame(), problems)
