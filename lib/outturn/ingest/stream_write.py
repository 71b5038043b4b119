"""Write what the batch path accepts and rejects, as it goes, counting every row.

- :class:`RejectedRows`: the rejected rows of the streamed table, one CSV piece per
  attempt at reading a file (an attempt abandoned for a re-read is dropped whole), joined
  under one header at the end, in reading order;
- :func:`second_pass`: the spilled accepted rows read back department-year by
  department-year in slices of at most a batch, checked (:mod:`outturn.ingest.stream_checks`)
  and written into ``year=Y/dept_code=D/part-0.parquet`` with one Parquet writer open
  per department-year being written, closed when its last piece is in.

Rows and 分 are counted per source file and sheet at the moment they are written
(:class:`~outturn.ingest.streamed.StreamedRows`), so the reconciliation checks what is
on disk.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from outturn.cells import write_safe_csv
from outturn.ingest.arrow_out import to_arrow
from outturn.ingest.spill import Partition, Piece, Spill
from outturn.ingest.stream_checks import SliceChecks, rejected_columns
from outturn.ingest.streamed import StreamedRows
from outturn.money import exact_sum
from outturn.store.layout import partition

Counts = dict[tuple[str, str], tuple[int, dict[str, int]]]


def source_counts(frame: pd.DataFrame, money: dict[str, str]) -> Counts:
    """Rows and exact 分 (``money``: name counted → column holding its 分) per source."""
    if frame.empty:
        return {}
    out: Counts = {}
    groups = frame.groupby([frame["_file"].astype("str"), frame["_sheet"].astype("str")],
                           sort=False, observed=True)
    for (file, sheet), rows in groups.indices.items():
        sums = {name: exact_sum(frame[column].iloc[rows].fillna(0).to_numpy(dtype=np.int64))
                for name, column in money.items() if column in frame.columns}
        out[(str(file), str(sheet))] = (len(rows), sums)
    return out


def add_counts(streamed: StreamedRows, counts: Counts, accepted: bool) -> None:
    for (file, sheet), (rows, sums) in counts.items():
        streamed.count(file, sheet).add(accepted, rows, sums)


class RejectedRows:
    """The streamed table's rejected rows (see the module docstring)."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder, self.name = folder, name
        self.columns = rejected_columns(name)
        self.money = {c.removesuffix("_fen"): c for c in self.columns if c.endswith("_fen")}
        self.parts: list[Path] = []
        self._made = 0

    def open(self) -> RejectedPart:
        self._made += 1
        return RejectedPart(self, self.folder / f"rejected-{self._made:06d}.csv")

    def finish(self, target: Path) -> None:
        """Header, then every committed piece in order (UTF-8 with BOM, as ingest's CSVs)."""
        write_safe_csv(pd.DataFrame(columns=self.columns), target)
        with open(target, "ab") as out:
            for part in self.parts:
                with open(part, "rb") as piece:
                    shutil.copyfileobj(piece, out, 1 << 20)
                part.unlink()


class RejectedPart:
    """The rejected rows of one attempt at a file, or of the second pass."""

    def __init__(self, owner: RejectedRows, path: Path) -> None:
        self.owner, self.path = owner, path
        self.counts: list[Counts] = []
        self._fh = open(path, "w", encoding="utf-8", newline="")  # closed by commit or discard

    def write(self, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        frame = frame.reindex(columns=self.owner.columns)
        self.counts.append(source_counts(frame, self.owner.money))
        write_safe_csv(frame, self._fh, header=False)

    def commit(self, streamed: StreamedRows) -> None:
        self._fh.close()
        self.owner.parts.append(self.path)
        for counts in self.counts:
            add_counts(streamed, counts, accepted=False)

    def discard(self) -> None:
        self._fh.close()
        self.path.unlink(missing_ok=True)


class _Writers:
    """One Parquet writer per department-year being written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.open: dict[Partition, tuple[pq.ParquetWriter, pa.Schema]] = {}

    def write(self, part: Partition, table: pa.Table) -> None:
        if part not in self.open:
            target = partition(self.folder, *part)
            target.mkdir(parents=True, exist_ok=True)
            dictionary = [f.name for f in table.schema if pa.types.is_dictionary(f.type)]
            writer = pq.ParquetWriter(target / "part-0.parquet", table.schema,
                                      use_dictionary=dictionary)
            self.open[part] = (writer, table.schema)
        writer, schema = self.open[part]
        if not table.schema.equals(schema, check_metadata=False):
            table = table.cast(schema)
        writer.write_table(table, row_group_size=1 << 20)

    def close(self, part: Partition) -> None:
        if part in self.open:
            self.open.pop(part)[0].close()


def _read_slice(spill: Spill, pieces: list[tuple[Partition, Piece]]) -> pd.DataFrame:
    batches = [spill.read(piece) for _, piece in pieces]
    metadata = batches[0].schema.metadata
    table = pa.concat_tables([pa.Table.from_batches([b]).replace_schema_metadata(None)
                              for b in batches])
    return table.replace_schema_metadata(metadata).to_pandas()


def second_pass(spill: Spill, checks: SliceChecks, rejected: RejectedRows,
                streamed: StreamedRows, folder: Path, batch_rows: int) -> None:
    """Check and write every spilled department-year (see the module docstring)."""
    writers = _Writers(folder)
    left = {part: len(pieces) for part, pieces in spill.index.items()}
    part_rejected = rejected.open()
    pending: list[tuple[Partition, Piece]] = []
    held = 0

    def flush() -> None:
        frame = _read_slice(spill, pending)
        kept, moved = checks.run(frame)
        part_rejected.write(moved)
        add_counts(streamed, source_counts(kept, {"amount": "amount"}), accepted=True)
        parts = list(dict.fromkeys(p for p, _ in pending))
        for p, _ in pending:
            left[p] -= 1
        if len(kept):
            years = kept["year"].to_numpy(dtype=np.int64)
            depts, labels = pd.factorize(kept["dept_code"])
            table = to_arrow(kept.drop(columns=["year", "dept_code", "_seq"]))
            change = np.flatnonzero((years[1:] != years[:-1]) | (depts[1:] != depts[:-1])) + 1
            starts = np.concatenate([[0], change]).tolist()
            stops = [*starts[1:], len(kept)]
            runs = [((int(years[a]), str(labels[depts[a]])), a, b)
                    for a, b in zip(starts, stops, strict=True)]
            with ThreadPoolExecutor(max_workers=min(len(runs), os.cpu_count() or 2)) as pool:
                list(pool.map(lambda run: writers.write(run[0], table.slice(run[1], run[2] - run[1])),
                              runs))
            streamed.partitions.update(p for p, _, _ in runs)
        for p in parts:
            if not left[p]:
                writers.close(p)

    for part in sorted(spill.index):
        for piece in spill.index[part]:
            if pending and held + piece[2] > batch_rows:
                flush()
                pending, held = [], 0
            pending.append((part, piece))
            held += piece[2]
    if pending:
        flush()
    part_rejected.commit(streamed)
    spill.close()
