"""The layout of a raw folder: shared table folders, and one folder per department.

::

    data/raw/
      departments.csv                  every department's units (shared)
      budget/ payments/ indicators/ income/ balances/ procurement/
      profiles/<dept_code>/<year>/     profile.toml, narrative *.md, judgements.toml
      <dept_code>/                     one department's own folder, all optional:
        departments.csv                its rows of the departments table
        budget/ payments/ …            its ledgers, laid out as the shared folders
        profiles/<year>/               its profiles

A bureau adds a department by dropping its folder in; nothing shared is edited. A
department folder's name must be a safe code (:data:`outturn.identifiers.CODE_PATTERN`),
and every row its files hold must belong to that department: a row naming another one is
rejected (:func:`check_ownership`), so no department's data can be slipped in through
another's folder. Any other folder is named in a warning, never passed over in silence.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from outturn.identifiers import is_safe_code
from outturn.ingest.profiles import PROFILE_FILE, find_profiles
from outturn.ingest.rejects import reject_rows
from outturn.ingest.rowproblems import MAX_LISTED
from outturn.problems import Problem
from outturn.schema import LEDGER_TABLES

if TYPE_CHECKING:
    from outturn.ingest.collect import Collected

#: The folder of profiles, shared (``profiles/<dept>/<year>``) or a department's own
#: (``<dept>/profiles/<year>``).
PROFILES_DIR = "profiles"
#: Folder names at the top of a raw folder that hold one table for every department.
SHARED_FOLDERS: tuple[str, ...] = (*LEDGER_TABLES, PROFILES_DIR)


def department_folders(raw_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The departments' own folders of ``raw_dir``, sorted, and a warning for each other
    folder (or link to one) that is not read."""
    folders: list[Path] = []
    warnings: list[Problem] = []
    for child in sorted(raw_dir.iterdir()) if raw_dir.is_dir() else []:
        if child.name in SHARED_FOLDERS or child.name.startswith(".") or not child.is_dir():
            continue
        if child.is_symlink():
            warnings.append(Problem(
                file=str(child), severity="warning",
                rule="the folder is a symbolic link, which is not followed: its files are not read",
                advice="copy the department's folder into the raw folder instead of linking to it"))
        elif is_safe_code(child.name):
            folders.append(child)
        else:
            warnings.append(Problem(
                file=str(child), severity="warning",
                rule="neither a table folder (" + ", ".join(SHARED_FOLDERS) + ") nor a "
                     "department's folder (named by its department code): its files are not read",
                advice="move the files into a table folder, or rename the folder to the "
                       "department code"))
    return folders, warnings


def owner_of(path: Path | str, raw_dir: Path) -> str | None:
    """The department whose own folder holds ``path``; ``None`` for the shared folders.

    >>> [owner_of(f"raw/{p}", Path("raw")) for p in ("122/budget/a.csv", "budget/a.csv", "departments.csv")]
    ['122', None, None]
    """
    try:
        parts = Path(path).relative_to(raw_dir).parts
    except ValueError:
        return None
    if len(parts) < 2 or parts[0] in SHARED_FOLDERS or not is_safe_code(parts[0]):
        return None  # a file at the top (departments.csv) or in a shared folder
    return parts[0]


def profile_folders(raw_dir: Path) -> list[tuple[Path, str | None]]:
    """Every profile folder with the department it belongs to when that is not its
    parent folder's name (``None`` for the shared ``profiles/<dept>/<year>``)."""
    out: list[tuple[Path, str | None]] = [(p, None) for p in find_profiles(raw_dir / PROFILES_DIR)]
    for folder in department_folders(raw_dir)[0]:
        out += [(p.parent, folder.name)
                for p in sorted((folder / PROFILES_DIR).glob(f"*/{PROFILE_FILE}"))]
    return out


def check_ownership(collected: Collected, raw_dir: Path) -> None:
    """Reject every row of a department's own folder that names another department."""
    for name, frame in collected.tables.items():
        if not len(frame) or "dept_code" not in frame.columns:
            continue
        names = frame["_file"].cat.categories \
            if isinstance(frame["_file"].dtype, pd.CategoricalDtype) else frame["_file"].unique()
        if all(owner_of(str(f), raw_dir) is None for f in names):
            continue  # no file of the table is in a department's own folder
        files = frame["_file"].astype("str")
        owners = files.map({f: owner_of(f, raw_dir) for f in files.unique()})
        foreign = (owners.notna() & (owners != frame["dept_code"].astype("str"))).to_numpy()
        if not foreign.any():
            continue
        rows = frame[foreign]
        listing, key = collected.listing, ("ownership", name)
        count = int(foreign.sum())
        shown = MAX_LISTED if listing is None else listing.allow(key, count)
        for (f, sheet, row, code), owner in zip(
                rows[["_file", "_sheet", "_row", "dept_code"]].head(shown).itertuples(index=False),
                owners[foreign].head(shown), strict=True):
            collected.problems.append(Problem(
                file=str(f), sheet=str(sheet), row=int(row), column="dept_code", value=str(code),
                rule=f"the row names department {code}, but the file is in the folder of "
                     f"department {owner}",
                advice=f"move the row to the folder of department {code} (or the shared "
                       f"{name} folder), or correct its department code"))
        first_file = str(rows["_file"].iloc[0])

        def summary(extra: int, _shown: int, first_file: str = first_file) -> Problem:
            return Problem(file=first_file, column="dept_code",
                           rule=f"{extra:,} more row(s) of other departments in "
                                "a department's own folder",
                           advice="every row is in the rejected rows with its reason")

        if listing is not None:
            listing.more(key, count - min(shown, count), summary)
        elif count > MAX_LISTED:
            collected.problems.append(summary(count - MAX_LISTED, MAX_LISTED))
        reasons = pd.Series(np.where(foreign, "the row names another department than the "
                                     "folder it is in", ""), index=frame.index)
        reject_rows(collected, name, foreign, reasons)
