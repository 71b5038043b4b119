"""Read every raw file, normalise it and check the tables against each other.

``collect`` is the read-only half of ingest (``outturn validate`` stops here): it finds
the files of ``data/raw/`` by folder (``departments.*``, ``budget/``, ``payments/``,
``indicators/`` …, ``profiles/``, and the same inside each department's own folder:
:mod:`outturn.ingest.folders`), normalises each one, then runs the checks that need
more than one file (:mod:`outturn.ingest.crosscheck`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from outturn.ingest.collected import Collected
from outturn.ingest.crosscheck import cross_check
from outturn.ingest.folders import PROFILES_DIR, check_ownership, department_folders, profile_folders
from outturn.ingest.profiles import PROFILE_FILE, escape_warning, read_profile
from outturn.ingest.readers import REFUSED_SUFFIXES, SUPPORTED_SUFFIXES
from outturn.ingest.readfile import read_file
from outturn.ingest.rejects import concat_rejected
from outturn.ingest.stream import PaymentStream, streams
from outturn.ingest.streamed import StreamOptions
from outturn.ingest.tasks import Tasks
from outturn.problems import InputError, Problem
from outturn.schema import LEDGER_TABLES, TABLES


def _candidates(raw_dir: Path) -> tuple[dict[str, list[Path]], list[Problem]]:
    """Ledger files by table, and warnings for the links that are not followed.

    A file that is a symlink is read only if it resolves inside ``raw_dir``; a folder that
    is a symlink is never walked into. Either way a link left out is named, so no file is
    passed over without a word, and nothing outside the raw folder is read.
    """
    found: dict[str, list[Path]] = {name: [] for name in TABLES}
    links: list[Problem] = []
    readable = (*SUPPORTED_SUFFIXES, *REFUSED_SUFFIXES)  # refused ones: by name, in read_raw

    def keep(path: Path, table: str) -> None:
        if path.suffix.lower() not in readable or path.name.startswith(("~$", ".")):
            return
        if path.is_symlink() and (warning := escape_warning(path, raw_dir)) is not None:
            links.append(warning)
        elif path.is_file():
            found[table].append(path)
        elif path.is_symlink():
            links.append(Problem(file=str(path), severity="warning", rule="the link leads to "
                                 "no file, so nothing is read from it",
                                 advice="remove the link, or copy the ledger it meant here"))

    dept_folders, others = department_folders(raw_dir)
    links.extend(others)
    for root in (raw_dir, *dept_folders):  # the shared folders, then each department's own
        for path in sorted(root.glob("departments.*")):
            keep(path, "departments")
        for name in LEDGER_TABLES:
            folder = root / name
            if folder.is_symlink():
                links.append(_linked_folder(folder))
                continue
            for parent, dirs, files in os.walk(folder):  # symlinked folders are not walked
                for d in sorted(dirs):
                    if (Path(parent) / d).is_symlink():
                        links.append(_linked_folder(Path(parent) / d))
                for f in sorted(files):
                    keep(Path(parent) / f, name)
    for paths in found.values():
        paths.sort()
    return found, links


def _linked_folder(folder: Path) -> Problem:
    return Problem(file=str(folder), severity="warning",
                   rule="the folder is a symbolic link, which is not followed: its files "
                        "are not read", advice="copy the files into the raw folder instead "
                        "of linking to a folder")


def discover(raw_dir: Path) -> dict[str, list[Path]]:
    """Source files by table, sorted so every run reads them in the same order."""
    return _candidates(raw_dir)[0]


def input_files(raw_dir: Path) -> list[Path]:
    """Every file ingest reads from ``raw_dir`` (ledgers and profiles), in a fixed order."""
    found = discover(raw_dir)
    inputs = [p for paths in found.values() for p in paths]
    profile_dirs = [raw_dir / PROFILES_DIR, *(f / PROFILES_DIR for f in department_folders(raw_dir)[0])]
    for profile_dir in profile_dirs:
        if profile_dir.is_dir():
            inputs += sorted(p for p in profile_dir.rglob("*")
                             if p.is_file() and escape_warning(p, raw_dir) is None)
    return inputs


def table_of(path: Path, raw_dir: Path | None = None) -> str:
    """Which table a file holds, from its folder (or its name for departments)."""
    parts = path.resolve().relative_to(raw_dir.resolve()).parts if raw_dir else path.parts
    for part in parts:
        if part in LEDGER_TABLES:
            return part
    if path.stem.startswith("departments"):
        return "departments"
    raise InputError([Problem(
        file=str(path), rule="cannot tell which table this file holds",
        advice="put it under budget/, payments/ or indicators/, or name it departments.csv")])


def collect(raw_dir: Path, *, unit: str | None = None, stream: StreamOptions | None = None,
            staging: Path | None = None, tasks: Tasks | None = None) -> Collected:
    """Read, normalise and cross-check every file of a raw folder.

    With ``stream`` and a large payments file, the payments are read in batches and
    written into ``staging`` as they are checked (:mod:`outturn.ingest.stream`); their
    rows are then not in ``tables`` but counted in ``streamed``; their tasks run on
    ``tasks`` (default: here, one after another).
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise InputError([Problem(file=str(raw_dir), rule="folder not found",
                                  advice="pass the folder that holds departments.csv, budget/, "
                                         "payments/ …")])
    found, links = _candidates(raw_dir)
    if not found["departments"]:
        raise InputError([Problem(file=str(raw_dir / "departments.csv"),
                                  rule="no departments file",
                                  advice="add departments.csv listing every department and unit")])
    batched = found["payments"] if staging is not None and streams(found["payments"], stream) \
        else []
    read = {p: read_file(p, name, unit=unit) for name, paths in found.items() for p in paths
            if p not in batched}
    files = [norm for norms in read.values() for norm in norms]
    problems = links + [p for f in files for p in f.problems]
    tables = {name: _concat([f.frame for f in files if f.table.name == name], name)
              for name in TABLES}
    rejected = {name: concat_rejected([f.rejected for f in files if f.table.name == name])
                for name in TABLES}
    profiles = _read_profiles(raw_dir, problems)
    collected = Collected(tables, rejected, problems, files, profiles, input_files(raw_dir))
    check_ownership(collected, raw_dir)
    if not batched:
        cross_check(collected)
        return collected
    assert stream is not None and staging is not None
    front = len(links) + sum(len(f.problems) for f in files)
    payments = PaymentStream(collected, raw_dir, batched, unit, stream, staging, tasks)
    cross_check(collected, after=payments.after)
    # each file's own problems in the order of the files, then the checks' problems
    read.update(payments.files)
    collected.files = [norm for name, paths in found.items() for p in paths for norm in read[p]]
    collected.problems = (links + [p for f in collected.files for p in f.problems]
                          + collected.problems[front:])
    return collected


def _read_profiles(raw_dir: Path, problems: list[Problem]) -> dict[tuple[str, int], dict[str, Any]]:
    """Every profile of the raw folder by department-year; a second profile of the same
    department-year (shared and in the department's folder) is an error, and the first
    read is kept."""
    profiles: dict[tuple[str, int], dict[str, Any]] = {}
    where: dict[tuple[str, int], Path] = {}
    for folder, dept in profile_folders(raw_dir):
        profile, found_problems = read_profile(folder, raw_dir, dept)
        problems.extend(found_problems)
        if profile is None:
            continue
        key = (profile["dept_code"], profile["year"])
        if key in profiles:
            problems.append(Problem(
                file=str(folder / PROFILE_FILE),
                rule=f"a second profile of {key[0]}/{key[1]}: the one in {where[key]} is used",
                advice="keep one profile per department-year, in the shared profiles folder "
                       "or in the department's own folder"))
            continue
        profiles[key], where[key] = profile, folder
    return profiles


def _concat(frames: list[pd.DataFrame], name: str) -> pd.DataFrame:
    """Stack the accepted rows of a table's files; provenance columns stay categorical."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=[*TABLES[name].columns, "_file", "_sheet", "_row"])
    # categorical columns (codes, provenance) stay categorical only if the categories agree
    for column in frames[0].columns:
        if all(isinstance(f[column].dtype, pd.CategoricalDtype) for f in frames):
            categories = pd.unique(pd.concat([pd.Series(f[column].cat.categories, dtype="str")
                                              for f in frames]))
            frames = [f.assign(**{column: f[column].cat.set_categories(categories)})
                      for f in frames]
    return pd.concat(frames, ignore_index=True)
