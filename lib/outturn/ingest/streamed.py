"""What an ingest that reads the payments in batches knows about the rows it wrote.

A large payments ledger is not held in memory (:mod:`outturn.ingest.stream`): its
accepted rows go to the snapshot's partitions and its rejected rows to the rejected-rows
file as they are checked. What the reconciliation, the manifest and the command line
need about them is counted here, at the moment each row is written, so that "rows in =
accepted + rejected" is checked against what is on disk, not against what was meant.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

#: Payments files at least this large together are read in batches (smaller ones whole).
STREAM_MIN_BYTES = 64 << 20
#: Rows per batch: what one batch costs in memory (about 0.3 GB per million rows).
BATCH_ROWS = 1_000_000


@dataclass(frozen=True)
class StreamOptions:
    """When and how payments are read in batches.

    The payments of a raw folder are streamed when its payments files together are at
    least ``min_bytes`` long (many small files fill memory as one large one does); then
    every payments file goes through the batch path, so the checks across files
    (duplicate vouchers) see them all alike.
    """

    batch_rows: int = BATCH_ROWS
    min_bytes: int = STREAM_MIN_BYTES
    #: Hash buckets the voucher ids are spilled to (0: about one per batch of rows).
    buckets: int = 0
    #: Threads the tasks run on when no cluster is used (None: one per core; 1: one task
    #: after another). The snapshot is the same bytes either way.
    workers: int | None = None


@dataclass
class Sources:
    """Source files (and sheets) numbered in the order first seen: what the voucher
    buckets store instead of the names, once per row."""

    names: list[tuple[str, str]] = field(default_factory=list)
    _numbers: dict[tuple[str, str], int] = field(default_factory=dict)

    def number(self, file: str, sheet: str) -> int:
        key = (file, sheet)
        if key not in self._numbers:
            self._numbers[key] = len(self.names)
            self.names.append(key)
        return self._numbers[key]


@dataclass
class SourceCount:
    """Rows and 分 of one source file (and sheet) as written: accepted and rejected."""

    accepted: int = 0
    rejected: int = 0
    accepted_fen: dict[str, int] = field(default_factory=dict)
    rejected_fen: dict[str, int] = field(default_factory=dict)

    def add(self, accepted: bool, rows: int, fen: dict[str, int]) -> None:
        if accepted:
            self.accepted += rows
        else:
            self.rejected += rows
        sums = self.accepted_fen if accepted else self.rejected_fen
        for column, value in fen.items():
            sums[column] = sums.get(column, 0) + value


@dataclass
class StreamedRows:
    """The streamed table's rows as written into the staging snapshot."""

    table: str
    #: (file, sheet) → what was written of it.
    sources: dict[tuple[str, str], SourceCount] = field(default_factory=dict)
    #: The department-years written, as (year, dept_code).
    partitions: set[tuple[int, str]] = field(default_factory=set)
    #: Payments summed by year, department and source of funds (for the balance check).
    payment_sums: pd.DataFrame = field(default_factory=pd.DataFrame)

    def count(self, file: str, sheet: str) -> SourceCount:
        return self.sources.setdefault((file, sheet), SourceCount())

    @property
    def accepted(self) -> int:
        return sum(c.accepted for c in self.sources.values())

    @property
    def rejected(self) -> int:
        return sum(c.rejected for c in self.sources.values())
