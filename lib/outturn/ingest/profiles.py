"""Department profiles: who the department is, what it set out to do, and its own words.

A profile lives in ``data/raw/profiles/<dept_code>/<year>/``: ``profile.toml`` holds the
facts (name, units, duties, staffing, targets) and Markdown files beside it hold the
narrative blocks of the report's qualitative sections (``overview.md``,
``performance.md``, ``problems.md``, ``measures.md``, ``application.md``, ``other.md``; any other
``*.md`` is kept under its file name too). ``judgements.toml``, when present, holds the
evaluator's points and reasons for the manual lines of the 自评表.

Only what lies inside the raw folder is read. A profile folder, ``profile.toml``, a
Markdown file or ``judgements.toml`` that resolves outside it (a symlink to elsewhere
on the machine) is not followed: it is skipped with a warning naming it, so no system
file can end up in a snapshot or a report. The folder's name is the department code, so
it must match ``outturn.identifiers.CODE_PATTERN``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from outturn.identifiers import CODE_ADVICE, CODE_RULE, is_safe_code
from outturn.judgements import COPY_KEY, FILE_KEY, JUDGEMENTS_FILE, RAW_DIR_KEY, read_judgements
from outturn.problems import Problem

PROFILE_FILE = "profile.toml"
REQUIRED_KEYS = ("dept_code", "year", "dept_name")


def raw_root_of(folder: Path) -> Path:
    """The raw folder of a profile folder ``<raw>/profiles/<dept_code>/<year>``.

    >>> raw_root_of(Path("data/raw/profiles/115/2022")).as_posix()
    'data/raw'
    """
    return folder.parents[min(2, len(folder.parents) - 1)]


def escape_warning(path: Path, root: Path) -> Problem | None:
    """A warning when ``path`` resolves outside ``root`` (a symlink leading elsewhere)."""
    try:
        resolved, base = path.resolve(), root.resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        resolved, base = Path(f"<{exc}>"), root
    if resolved.is_relative_to(base):
        return None
    return Problem(file=str(path), severity="warning",
                   rule=f"leads outside {root} (to {resolved}): not followed, skipped",
                   advice="copy the file or folder into the raw folder instead of linking "
                          "to it from elsewhere")


def read_profile(folder: Path, raw_root: Path | None = None, dept_code: str | None = None,
                 ) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Read one profile folder; return the profile (or ``None``) and its problems.

    Nothing outside ``raw_root`` (by default the raw folder the profile folder sits in,
    :func:`raw_root_of`) is read: see the module docstring. ``dept_code`` is the department
    the folder belongs to when it is not the folder's parent (a department's own folder,
    ``<raw>/<dept_code>/profiles/<year>/``).
    """
    root = raw_root if raw_root is not None else raw_root_of(folder)
    path = folder / PROFILE_FILE
    for item in (folder, path):
        escaped = escape_warning(item, root)
        if escaped is not None:
            return None, [escaped]
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        return None, [Problem(file=str(path), rule=f"not valid TOML: {exc}",
                              advice="fix the syntax (strings in quotes, one key per line)")]
    problems = [
        Problem(file=str(path), column=key, rule=f"required key {key} is missing",
                advice=f"add a line such as {key} = …")
        for key in REQUIRED_KEYS if key not in data
    ]
    if problems:
        return None, problems
    data["dept_code"] = str(data["dept_code"])
    data["year"] = int(data["year"])
    if not is_safe_code(data["dept_code"]):
        return None, [Problem(file=str(path), column="dept_code", value=data["dept_code"],
                              rule=CODE_RULE, advice=CODE_ADVICE)]
    expected = (dept_code or folder.parent.name, folder.name)
    if (data["dept_code"], str(data["year"])) != expected:
        problems.append(Problem(
            file=str(path), column="dept_code/year",
            value=f"{data['dept_code']}/{data['year']}",
            rule=f"profile says {data['dept_code']}/{data['year']} but sits in the folder of "
                 f"{expected[0]}/{expected[1]}",
            advice="move the file to profiles/<dept_code>/<year>/ (or <dept_code>/profiles/"
                   "<year>/) or correct the keys"))
        return None, problems
    narrative = {}
    for md in sorted(folder.glob("*.md")):
        escaped = escape_warning(md, root)
        if escaped is not None:
            problems.append(escaped)
        else:
            narrative[md.stem] = md.read_text(encoding="utf-8").strip()
    data["narrative"] = {**data.get("narrative", {}), **narrative}
    judged = folder / JUDGEMENTS_FILE
    data[RAW_DIR_KEY] = str(root.resolve())
    data[FILE_KEY] = judged.resolve().relative_to(root.resolve()).as_posix() \
        if folder.resolve().is_relative_to(root.resolve()) else ""
    escaped = escape_warning(judged, root) if judged.exists() else None
    if escaped is not None:
        problems.append(escaped)
    elif judged.exists():
        judgements, judged_problems = read_judgements(judged)
        if judgements is None:
            return None, problems + judged_problems
        data[COPY_KEY] = judgements
    return data, problems


def find_profiles(root: Path) -> list[Path]:
    """Profile folders under ``root`` (``<dept_code>/<year>/profile.toml``), sorted.

    Folders that are symlinks are listed too, so that :func:`read_profile` can name the
    ones leading outside the raw folder in a warning instead of dropping them silently.
    """
    return sorted(p.parent for p in root.glob(f"*/*/{PROFILE_FILE}"))
