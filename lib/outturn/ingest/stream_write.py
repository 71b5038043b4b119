"""Write what the batch path accepts and rejects, as it goes, counting every row.

- :class:`RejectedRows`: the rejected rows of the streamed table, one CSV piece per
  attempt at reading a file (an attempt abandoned for a re-read is dropped whole), joined
  under one header at the end, in reading order;
- the second pass (:func:`plan`, :func:`write_group`): the spilled accepted rows read
  back department-year by department-year in slices of at most a batch, checked
  (:mod:`outturn.ingest.stream_checks`) and written into
  ``year=Y/dept_code=D/part-0.parquet`` with one Parquet writer open per department-year
  being written, closed when its last piece is in. Slices that share a department-year
  form one group, a task of its own: each department-year is written by one task.

Rows and 分 are counted per source file and sheet at the moment they are written
(:class:`~outturn.ingest.streamed.StreamedRows`), so the reconciliation checks what is
on disk.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from outturn.cells import write_safe_csv
from outturn.ingest.arrow_out import to_arrow
from outturn.ingest.spill import Partition, Piece, SpillSet
from outturn.ingest.stream_checks import CheckState, SliceChecks, rejected_columns
from outturn.ingest.streamed import StreamedRows
from outturn.money import exact_sum
from outturn.store.layout import partition

Counts = dict[tuple[str, str], tuple[int, dict[str, int]]]


def source_counts(frame: pd.DataFrame, money: dict[str, str]) -> Counts:
    """Rows and exact 分 (``money``: name counted → column holding its 分) per source."""
    if frame.empty:
        return {}
    out: Counts = {}
    # grouped by the categories' codes: text is not made for every row to group it
    files, file_names = _codes(frame["_file"])
    sheets, sheet_names = _codes(frame["_sheet"])
    groups = pd.Series(np.zeros(len(frame))).groupby([files, sheets], sort=False)
    for (f, sh), rows in groups.indices.items():
        file, sheet = file_names[f], sheet_names[sh]
        sums = {name: exact_sum(frame[column].iloc[rows].fillna(0).to_numpy(dtype=np.int64))
                for name, column in money.items() if column in frame.columns}
        out[(str(file), str(sheet))] = (len(rows), sums)
    return out


def _codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each row's number and the texts numbered (a categorical's own codes when it is one)."""
    if isinstance(column.dtype, pd.CategoricalDtype) and not column.isna().any():
        return column.cat.codes.to_numpy(), [str(c) for c in column.cat.categories]
    codes, names = pd.factorize(column.astype("str"))
    return codes, [str(n) for n in names]


def add_counts(streamed: StreamedRows, counts: Counts, accepted: bool) -> None:
    for (file, sheet), (rows, sums) in counts.items():
        streamed.count(file, sheet).add(accepted, rows, sums)


class RejectedRows:
    """The streamed table's rejected rows (see the module docstring)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.columns = rejected_columns(name)
        self.parts: list[Path] = []

    def finish(self, target: Path) -> None:
        """Header, then every committed piece in order (UTF-8 with BOM, as ingest's CSVs)."""
        write_safe_csv(pd.DataFrame(columns=self.columns), target)
        with open(target, "ab") as out:
            for part in self.parts:
                with open(part, "rb") as piece:
                    shutil.copyfileobj(piece, out, 1 << 20)
                part.unlink()


class RejectedPart:
    """The rejected rows of one attempt at a file, or of one group of the second pass,
    in a CSV piece of their own (no header), and what they hold per source."""

    def __init__(self, path: Path, columns: list[str]) -> None:
        self.path, self.columns = path, columns
        self.money = {c.removesuffix("_fen"): c for c in columns if c.endswith("_fen")}
        self.counts: list[Counts] = []
        self._fh = open(path, "w", encoding="utf-8", newline="")  # closed by close or discard

    def write(self, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        frame = frame.reindex(columns=self.columns)
        self.counts.append(source_counts(frame, self.money))
        write_safe_csv(frame, self._fh, header=False)

    def close(self) -> None:
        self._fh.close()

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


#: The pieces checked and written together: at most a batch of rows, unless one
#: department-year's piece is larger.
Slice = list[tuple[Partition, Piece]]


@dataclass(frozen=True)
class GroupJob:
    """One task of the second pass: slices in order, every department-year of them
    whole (so its Parquet file is written by this task alone)."""

    slices: list[Slice]
    rejected: Path
    folder: Path


@dataclass
class GroupWritten:
    """What one group wrote: its rows counted per source, in the order written, its
    department-years, and its checks' findings."""

    accepted: list[Counts]
    rejected: list[Counts]
    partitions: set[Partition]
    found: CheckState | None


def plan(spill: SpillSet, batch_rows: int) -> list[list[Slice]]:
    """The second pass's slices, department-year by department-year in order, grouped so
    that a department-year spread over several slices is in one group."""
    slices: list[Slice] = []
    pending: Slice = []
    held = 0
    for part in sorted(spill.index):
        pieces = spill.index[part]
        if pending and held + sum(piece[2] for piece in pieces) > batch_rows:
            slices.append(pending)  # cut before a department-year that would overflow it
            pending, held = [], 0
        for piece in pieces:
            if pending and held + piece[2] > batch_rows:
                slices.append(pending)  # a department-year larger than a batch
                pending, held = [], 0
            pending.append((part, piece))
            held += piece[2]
    if pending:
        slices.append(pending)
    groups: list[list[Slice]] = []
    for one in slices:
        if groups and groups[-1][-1][-1][0] == one[0][0]:
            groups[-1].append(one)
        else:
            groups.append([one])
    return groups


def write_group(job: GroupJob, spill: SpillSet, checks: SliceChecks, columns: list[str],
                fresh: bool) -> GroupWritten:
    """The task: check and write one group's slices (see the module docstring). With
    ``fresh`` the checks start from nothing and their findings come back (a task on a
    worker); without, they add up in ``checks`` itself (every group in this process)."""
    if fresh:
        checks = checks.fresh()
    writers = _Writers(job.folder)
    rejected = RejectedPart(job.rejected, columns)
    done = GroupWritten([], rejected.counts, set(), None)
    left: dict[Partition, int] = {}
    for one in job.slices:
        for part, _ in one:
            left[part] = left.get(part, 0) + 1
    for one in job.slices:
        kept, moved = checks.run(spill.read([piece for _, piece in one]))
        rejected.write(moved)
        done.accepted.append(source_counts(kept, {"amount": "amount"}))
        if len(kept):
            done.partitions.update(_write_runs(kept, writers))
        for part, _ in one:
            left[part] -= 1
            if not left[part]:
                writers.close(part)
    rejected.close()
    done.found = checks.state() if fresh else None
    return done


def _write_runs(kept: pd.DataFrame, writers: _Writers) -> list[Partition]:
    """Write a checked slice's rows, each department-year's run to its writer."""
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
    return [p for p, _, _ in runs]
