"""The evaluator's judgements of the manual 自评表 lines: one file, read and checked here.

A department-year's ``judgements.toml`` sits beside its ``profile.toml`` and gives, for
each manual 三级指标, the points (or share of the weight) and the reason::

    ["服务对象满意度"]
    points = 4.5
    reason = "问卷调查满意度95%"

Ingest reads it to report a bad file at once, and records where it lives; the scoring
engine reads it again when it scores (:mod:`outturn.scoring.judged`), so an evaluator who
changes one judgement re-scores without re-ingesting. Both go through :func:`read_judgements`,
so what ingest accepts and what scoring accepts cannot differ.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from outturn.problems import Problem

#: The file name, beside ``profile.toml``.
JUDGEMENTS_FILE = "judgements.toml"
#: Keys a profile snapshot carries to find the file again when scoring.
RAW_DIR_KEY = "raw_dir"
FILE_KEY = "judgements_file"
#: The judgements as read at ingest (used when the raw folder is not reachable).
COPY_KEY = "judgements"


def read_judgements(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The judgements of one file and its problems; ``None`` when the file is unusable.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / JUDGEMENTS_FILE
    ...     _ = p.write_text('["满意度"]\\npoints = 4\\nreason = "调查"\\n', encoding="utf-8")
    ...     read_judgements(p)[0]
    {'满意度': {'points': 4, 'reason': '调查'}}
    """
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        return None, [Problem(file=str(path), rule=f"not valid TOML: {exc}",
                              advice="fix the syntax: one [\"三级指标\"] table (name in "
                                     "quotes) with points and reason each")]
    problems = check_judgements(data, path)
    return (None if problems else data), problems


def check_judgements(judgements: dict[str, Any], path: Path) -> list[Problem]:
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
