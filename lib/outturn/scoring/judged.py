"""Where the scoring engine finds the evaluator's judgements: the raw file, read now.

Ingest records, in each profile it publishes, the raw folder it read and where that
department-year's ``judgements.toml`` belongs (:mod:`outturn.judgements`). Scoring reads
that file at the moment it scores, so an evaluator changes a judgement and re-scores (or
re-runs the report, whose skip hash covers the file) without re-ingesting. When the raw
folder is not reachable (a snapshot copied to another machine), the copy taken at ingest
is used instead, and a judgements file that is deleted is a judgement withdrawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from outturn.identifiers import UnsafeIdentifier, safe_join
from outturn.judgements import COPY_KEY, FILE_KEY, RAW_DIR_KEY, read_judgements
from outturn.scoring.indicators import ScoringError


def judgements_file(profile: Mapping[str, Any]) -> Path | None:
    """The raw ``judgements.toml`` of a profile, present or not, when its raw folder (and
    the profile's folder in it) can still be reached; ``None`` otherwise. The path is
    joined under the recorded raw folder with :func:`~outturn.identifiers.safe_join`, so a
    link placed there since ingest cannot lead scoring outside it."""
    raw, relative = profile.get(RAW_DIR_KEY), profile.get(FILE_KEY)
    if not raw or not relative:
        return None
    try:
        path = safe_join(Path(raw), *Path(relative).parts)
    except UnsafeIdentifier:
        return None
    return path if path.parent.is_dir() else None


def current_judgements(profile: Mapping[str, Any]) -> dict[str, Any]:
    """The judgement entries to score with: the raw file as it is now where reachable,
    else the copy taken at ingest. A file that has become invalid is a
    :class:`~outturn.scoring.indicators.ScoringError` saying which and why."""
    path = judgements_file(profile)
    if path is None:
        return dict(profile.get(COPY_KEY, {}))
    if not path.is_file():
        return {}
    entries, problems = read_judgements(path)
    if entries is None:
        raise ScoringError("; ".join(str(p) for p in problems))
    return entries


def judgements_hint(profile: Mapping[str, Any], dept_code: str, year: int) -> str:
    """Where to write a department-year's judgements, for messages that ask for one."""
    path = judgements_file(profile)
    where = str(path) if path is not None else \
        f"data/raw/profiles/{dept_code}/{int(year)}/judgements.toml"
    return f"{where} (docs/scoring.md); scoring reads it when it scores, no re-ingest needed"
