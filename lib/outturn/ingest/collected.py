"""Everything :func:`outturn.ingest.collect.collect` read from a raw folder, checked and
not yet written: the accepted and rejected rows of each table, the problems, the files
as normalised, the profiles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from outturn.ingest.normalise import Normalised
from outturn.ingest.rowproblems import Listing
from outturn.ingest.streamed import StreamedRows
from outturn.problems import Problem


@dataclass
class Collected:
    """Everything read from a raw folder, checked, not yet written."""

    tables: dict[str, pd.DataFrame]
    rejected: dict[str, pd.DataFrame]
    problems: list[Problem]
    files: list[Normalised]
    profiles: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    inputs: list[Path] = field(default_factory=list)
    #: Rows listed per check so far, when the payments are checked batch by batch
    #: (:mod:`outturn.ingest.stream`); ``None`` when every table is checked whole.
    listing: Listing | None = None
    #: The payments read in batches, whose rows are on disk, not in ``tables``.
    streamed: StreamedRows | None = None

    @property
    def error_count(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")
