"""The first pass over one payments file read in batches: one task, on this machine or on
a worker of a Dask cluster (:mod:`outturn.ingest.stream` runs one per file).

The task reads its file batch by batch (or whole, when the streaming reader cannot read
it), normalises each batch, runs the row-by-row checks (a department's own folder, known
department and unit codes), and writes everything it accepts or rejects into its own
folder of the staging snapshot: the accepted rows by department-year
(:mod:`outturn.ingest.spill`), their voucher keys by hash bucket
(:mod:`outturn.ingest.dedupe`), its rejected rows. What it returns
(:class:`FilePassed`) is small and numbered from zero within the file — its rows'
reading order, its sources, its problems as listed per rule — so the ingest can put the
files together in reading order, exactly as one pass over every file would have
(:meth:`outturn.ingest.stream.PaymentStream.first_pass`).

A task only writes under its own folder and clears it first, so a task the cluster runs
again (its worker was lost) starts from nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from outturn.ingest.collected import Collected
from outturn.ingest.crosscheck import check_org_codes
from outturn.ingest.dedupe import VoucherBuckets
from outturn.ingest.folders import check_ownership
from outturn.ingest.normalise import FileState, Normalised, normalise
from outturn.ingest.readfile import failed, read_file
from outturn.ingest.rowproblems import ListedCall, RecordedListing
from outturn.ingest.spill import Partition, Piece, Spill
from outturn.ingest.stream_write import Counts, RejectedPart
from outturn.ingest.streamed import Sources
from outturn.ingest.textstream import NotStreamable, csv_batches, prefetched
from outturn.money import exact_sum
from outturn.problems import InputError
from outturn.schema import TABLES

TABLE = "payments"
_TEXT = (".csv", ".txt", ".tsv")


@dataclass(frozen=True)
class FileJob:
    """What one file's task needs: the file, where to write, what to check against."""

    path: Path
    raw_dir: Path
    folder: Path
    unit: str | None
    batch_rows: int
    buckets: int
    rejected_columns: list[str]


@dataclass
class FilePassed:
    """One file's first pass, numbered within the file (see the module docstring)."""

    job: FileJob
    #: The file as normalised (its problems, counts and totals; no rows).
    files: list[Normalised]
    #: Accepted rows: their department-year pieces in this file's spill files.
    pieces: list[tuple[Partition, Piece]]
    spill_files: list[Path]
    #: This file's voucher keys, per bucket (``None``: no key in that bucket).
    bucket_files: list[Path | None]
    #: Accepted rows (their ``seq`` run from 0 to ``accepted - 1``).
    accepted: int
    #: (file, sheet) of the local source numbers in the bucket files.
    sources: list[tuple[str, str]]
    #: Attempts whose keys are void (the file was read again whole).
    void: set[int]
    #: The rejected rows' CSV piece and what it holds, per source.
    rejected: Path
    rejected_counts: list[Counts]
    ownership: list[ListedCall]
    org: list[ListedCall]
    #: Department-year → [exact 分, rows, first row].
    sums: dict[Partition, list] = field(default_factory=dict)


@dataclass
class _Attempt:
    """One attempt at reading the file: all of it kept, or all of it dropped."""

    number: int
    rejected: RejectedPart
    pieces: list[tuple[Partition, Piece]] = field(default_factory=list)
    sums: dict[Partition, list] = field(default_factory=dict)
    ownership: list = field(default_factory=list)
    org: list = field(default_factory=list)
    seq: int = 0


def read_payments_file(job: FileJob, departments: pd.DataFrame) -> FilePassed:
    """The task: one payments file's first pass (see the module docstring), its codes
    checked against ``departments``."""
    return _FilePass(job, departments).run()


class _FilePass:
    def __init__(self, job: FileJob, departments: pd.DataFrame) -> None:
        self.job, self.departments = job, departments
        shutil.rmtree(job.folder, ignore_errors=True)  # a task run again starts afresh
        job.folder.mkdir(parents=True)
        self.spill = Spill(job.folder / "rows")
        self.buckets = VoucherBuckets(job.folder / "vouchers", job.buckets)
        self.ownership, self.org = RecordedListing(), RecordedListing()
        self.sources = Sources()
        self._attempts = 0

    def run(self) -> FilePassed:
        attempt, files = self._read()
        attempt.rejected.close()
        self.buckets.close()
        job = self.job
        return FilePassed(
            job, files, attempt.pieces, list(self.spill.files), self.buckets.written(),
            attempt.seq, self.sources.names, self.buckets.void, attempt.rejected.path,
            attempt.rejected.counts,
            self.ownership.cut(attempt.ownership), self.org.cut(attempt.org), attempt.sums)

    def _read(self) -> tuple[_Attempt, list[Normalised]]:
        """The file in batches when it can be, else whole (after dropping the attempt)."""
        path, job = self.job.path, self.job
        if path.suffix.lower() in _TEXT:
            attempt, state = self._attempt(), FileState()
            summary = None
            try:
                with _Behind(self._take) as behind:
                    for raw in prefetched(csv_batches(path, job.batch_rows)):
                        norm = normalise(raw, TABLE, unit=job.unit, state=state)
                        behind.submit(norm, attempt)
                        summary = merge_batch(summary, norm)
                if summary is not None:
                    declared, problems = state.finish(summary.file, summary.sheet)
                    summary.declared = declared
                    summary.problems += problems + state.listing.summaries()
                    return attempt, [summary]
            except InputError as exc:  # the file cannot be read: it is refused whole
                self._drop(attempt)
                return self._attempt(), [failed(path, TABLE, "", exc.problems)]
            except NotStreamable:
                pass
            self._drop(attempt)
        attempt = self._attempt()
        norms = read_file(path, TABLE, unit=job.unit)
        for norm in norms:
            self._take(norm, attempt)
        return attempt, [merge_batch(None, n) for n in norms]

    def _attempt(self) -> _Attempt:
        self._attempts += 1
        part = RejectedPart(self.job.folder / f"rejected-{self._attempts}.csv",
                            self.job.rejected_columns)
        return _Attempt(self._attempts, part)

    def _drop(self, attempt: _Attempt) -> None:
        """Forget an attempt: its rejected rows, its voucher keys, what it listed."""
        attempt.rejected.discard()
        self.buckets.void.add(attempt.number)
        self.ownership, self.org = RecordedListing(), RecordedListing()

    def _take(self, norm: Normalised, attempt: _Attempt) -> None:
        """One batch's rows after normalising: the row-by-row checks, then to disk."""
        empty = {name: pd.DataFrame(columns=[*TABLES[name].columns, "_file", "_sheet", "_row"])
                 for name in TABLES}
        mini = Collected({**empty, TABLE: norm.frame}, {TABLE: pd.DataFrame()}, [], [],
                         listing=self.ownership)
        check_ownership(mini, self.job.raw_dir)
        attempt.ownership += mini.problems
        mini.problems, mini.listing = [], self.org
        mini.tables["departments"] = self.departments
        check_org_codes(mini)
        attempt.org += mini.problems
        attempt.rejected.write(norm.rejected)
        attempt.rejected.write(mini.rejected[TABLE])
        accepted = mini.tables[TABLE]
        if accepted.empty:
            return
        seq = np.arange(attempt.seq, attempt.seq + len(accepted), dtype=np.int64)
        attempt.seq += len(accepted)
        accepted = accepted.assign(_seq=seq)
        attempt.pieces += self.spill.write(accepted)
        src = np.full(len(accepted), self.sources.number(norm.file, norm.sheet), dtype=np.int32)
        self.buckets.add(accepted, seq, attempt.number, src)
        _add_sums(accepted, attempt.sums)


class _Behind:
    """Runs ``take`` on each batch in a thread of its own, one batch behind the caller:
    while batch *k* is checked and written, batch *k + 1* is normalised.

    The batches are taken in order, one at a time (``take`` keeps the file's order and
    counters), and at most one waits, so memory grows by one batch. What ``take`` raises
    is raised by the next ``submit`` or on leaving; leaving, for any reason, waits until
    the batch being taken is done, so nothing writes after the caller goes on.
    """

    def __init__(self, take: Callable[..., None]) -> None:
        self.take = take
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outturn-take")
        self.pending: Future[None] | None = None

    def submit(self, *args: object) -> None:
        self._wait()
        self.pending = self.pool.submit(self.take, *args)

    def _wait(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.result()

    def __enter__(self) -> _Behind:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        try:
            if exc_type is None:
                self._wait()  # its error is this block's error
            elif self.pending is not None:
                wait([self.pending])  # already failing: finish, and keep the first error
        finally:
            self.pool.shutdown(wait=True)


def _add_sums(pay: pd.DataFrame, sums: dict[Partition, list]) -> None:
    """The 分 of each department-year (exact), its rows and its first row."""
    groups = pay.groupby(["year", "dept_code"], sort=False, observed=True)
    amounts = pay["amount"].to_numpy(dtype=np.int64)
    for (year, dept), rows in groups.indices.items():
        part = (int(year), str(dept))
        total = exact_sum(amounts[rows])
        entry = sums.setdefault(part, [0, 0, pay.iloc[int(rows[0])]])
        entry[0] += total
        entry[1] += len(rows)


def merge_batch(summary: Normalised | None, batch: Normalised) -> Normalised:
    """A file's result from its batches: problems, row counts and totals added up; its
    rows are on disk, not here."""
    if summary is None:
        return Normalised(batch.table, batch.file, batch.sheet, batch.frame.iloc[:0],
                          batch.rejected.iloc[:0], list(batch.problems), dict(batch.totals),
                          dict(batch.declared), batch.rows_in, batch.total_rows,
                          batch.unreadable_amounts, dict(batch.unique_columns))
    summary.problems += batch.problems
    for column, (total_in, acc, rej) in batch.totals.items():
        a, b, c = summary.totals.get(column, (0, 0, 0))
        summary.totals[column] = (a + total_in, b + acc, c + rej)
    summary.rows_in += batch.rows_in
    summary.total_rows += batch.total_rows
    summary.unreadable_amounts += batch.unreadable_amounts
    return summary
