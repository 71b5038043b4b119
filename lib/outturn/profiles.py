"""Department profiles: who the department is, what it set out to do, and its own words.

A profile lives in ``data/raw/profiles/<dept_code>/<year>/``: ``profile.toml`` holds the
facts (name, units, duties, staffing, targets) and Markdown files beside it hold the
narrative blocks of the report's qualitative sections (``overview.md``,
``performance.md``, ``problems.md``, ``measures.md``, ``application.md``; any other
``*.md`` is kept under its file name too). ``judgements.toml``, when present, holds the
evaluator's points and reasons for the manual lines of the 自评表.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from outturn.problems import Problem

PROFILE_FILE = "profile.toml"
#: The evaluator's judgements of manual 自评表 lines, keyed by 三级指标 name.
JUDGEMENTS_FILE = "judgements.toml"
REQUIRED_KEYS = ("dept_code", "year", "dept_name")


def read_profile(folder: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Read one profile folder; return the profile (or ``None``) and its problems."""
    path = folder / PROFILE_FILE
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
    expected = (folder.parent.name, folder.name)
    if (data["dept_code"], str(data["year"])) != expected:
        problems.append(Problem(
            file=str(path), column="dept_code/year",
            value=f"{data['dept_code']}/{data['year']}",
            rule=f"profile says {data['dept_code']}/{data['year']} but sits in folder "
                 f"{expected[0]}/{expected[1]}",
            advice="move the file to profiles/<dept_code>/<year>/ or correct the keys"))
        return None, problems
    narrative = {md.stem: md.read_text(encoding="utf-8").strip()
                 for md in sorted(folder.glob("*.md"))}
    data["narrative"] = {**data.get("narrative", {}), **narrative}
    judged = folder / JUDGEMENTS_FILE
    if judged.exists():
        try:
            with open(judged, "rb") as fh:
                data["judgements"] = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            return None, [Problem(file=str(judged), rule=f"not valid TOML: {exc}",
                                  advice="fix the syntax: one [\"三级指标\"] table (name in "
                                         "quotes) with points and reason each")]
        problems += _check_judgements(data["judgements"], judged)
        if problems:
            return None, problems
    return data, problems


def _check_judgements(judgements: dict[str, Any], path: Path) -> list[Problem]:
    """Each evaluator judgement needs numeric points or share, and a reason."""
    out = []
    for name, entry in judgements.items():
        numeric = isinstance(entry, dict) and any(
            isinstance(entry.get(k), int | float) for k in ("points", "share"))
        if not numeric or not str(entry.get("reason", "")).strip():
            out.append(Problem(file=str(path), column=name, value=str(entry),
                               rule="a judgement needs points or share (a number) and a reason",
                               advice=f"write [\"{name}\"] with points = 4.5 and reason = \"…\""))
    return out


def find_profiles(root: Path) -> list[Path]:
    """Profile folders under ``root`` (``<dept_code>/<year>/profile.toml``), sorted."""
    return sorted(p.parent for p in root.glob(f"*/*/{PROFILE_FILE}"))
