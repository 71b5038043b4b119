"""Payments read in batches: ingest in memory bounded by the batch, not by the ledger.

A payments ledger of tens of millions of rows does not fit in memory as one table. When
a payments file is large (:class:`~outturn.ingest.streamed.StreamOptions`), every
payments file goes this way; the other tables (departments, budget, indicators …) are
small and are read and checked whole, as before. The checks keep their order
(:func:`outturn.ingest.crosscheck.cross_check` calls :meth:`PaymentStream.after` after
each) and their results are those of a ledger checked whole:

1. **first pass**, file by file and batch by batch (:mod:`outturn.ingest.textstream`):
   normalise (problems listed up to the cap per rule across the batches, total rows
   checked against the whole file), then the row-by-row checks (a department's folder,
   known department and unit codes). Rejected rows go to the rejected-rows file; accepted
   ones are spilled to disk by department-year (:mod:`outturn.ingest.spill`), their
   voucher keys to hash buckets (:mod:`outturn.ingest.dedupe`), their 分 added up per
   department-year. A file the streaming reader cannot read is started again and read
   whole (everything of the abandoned attempt is dropped);
2. **between the passes**: department-years beyond any real budget, and repeated
   voucher ids, bucket by bucket;
3. **second pass** (:mod:`outturn.ingest.stream_write`): each department-year read back
   in slices, checked against the budget (:mod:`outturn.ingest.stream_checks`), written
   into the staging snapshot.

The spill folder lives inside the staging folder and is removed before it is published.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from outturn.ingest.collected import Collected
from outturn.ingest.crosscheck import check_org_codes, magnitude_problem
from outturn.ingest.dedupe import Duplicates, VoucherBuckets
from outturn.ingest.folders import check_ownership
from outturn.ingest.normalise import FileState, Normalised, normalise
from outturn.ingest.readfile import failed, read_file
from outturn.ingest.rowproblems import Listing
from outturn.ingest.spill import Partition, Piece, Spill
from outturn.ingest.stream_checks import SliceChecks
from outturn.ingest.stream_write import RejectedPart, RejectedRows, second_pass
from outturn.ingest.streamed import StreamedRows, StreamOptions
from outturn.ingest.textstream import NotStreamable, csv_batches
from outturn.money import MAX_DEPT_YEAR_FEN, exact_sum
from outturn.problems import InputError, Problem
from outturn.schema import TABLES
from outturn.store.layout import REJECTED_DIR

TABLE = "payments"
_TEXT = (".csv", ".txt", ".tsv")
SPILL_DIR = ".spill"


def streams(paths: list[Path], options: StreamOptions | None) -> bool:
    """Whether the payments are read in batches: any file at least ``min_bytes`` long."""
    return options is not None and any(p.stat().st_size >= options.min_bytes for p in paths)


@dataclass
class _Attempt:
    """One attempt at reading one file: all of it kept, or all of it dropped."""

    number: int
    rejected: RejectedPart
    pieces: list[tuple[Partition, Piece]] = field(default_factory=list)
    ownership: list[Problem] = field(default_factory=list)
    org: list[Problem] = field(default_factory=list)
    sums: dict[Partition, list] = field(default_factory=dict)


class PaymentStream:
    """The batch path for one ingest's payments (see the module docstring)."""

    def __init__(self, collected: Collected, raw_dir: Path, paths: list[Path],
                 unit: str | None, options: StreamOptions, staging: Path) -> None:
        self.collected, self.raw_dir, self.paths, self.unit = collected, raw_dir, paths, unit
        self.options, self.staging = options, staging
        self.folder = staging / SPILL_DIR
        self.spill = Spill(self.folder / "rows")
        total = sum(p.stat().st_size for p in paths)
        buckets = options.buckets or max(1, min(256, total // (options.batch_rows * 64) + 1))
        self.buckets = VoucherBuckets(self.folder / "vouchers", int(buckets))
        self.rejected = RejectedRows(self.folder, TABLE)
        self.streamed = StreamedRows(TABLE)
        self.files: dict[Path, list[Normalised]] = {}
        self.sources: list[tuple[str, str]] = []
        self._source_no: dict[tuple[str, str], int] = {}
        self.ownership_listing, self.org_listing = Listing(), Listing()
        self.sums: dict[Partition, list] = {}
        self.seq = 0
        self._attempts = 0
        self.too_big: set[Partition] = set()
        self.duplicates: Duplicates | None = None
        self.checks: SliceChecks | None = None
        self.mark = len(collected.problems)  # where the payments' ownership problems go

    # -- the hook: each check's part for the payments ------------------------------------

    def after(self, check: str) -> None:
        """Add the payments' part of ``check`` (see :func:`~outturn.ingest.crosscheck.cross_check`)."""
        problems = self.collected.problems
        if check == "org codes":
            ownership, org = self.first_pass()
            problems[self.mark:self.mark] = ownership
            problems.extend(org)
        elif check == "magnitudes":
            problems.extend(self._magnitudes())
        elif check == "vouchers":
            self.duplicates = self.buckets.duplicates(self.too_big)
            problems.extend(self.duplicates.problems(self.sources))
            self.checks = SliceChecks(self.collected.tables["budget"], self.duplicates,
                                      self.too_big, self.sources)
            second_pass(self.spill, self.checks, self.rejected, self.streamed,
                        self.staging / TABLE, self.options.batch_rows)
            self.streamed.payment_sums = self.checks.payment_sums()
            self.collected.streamed = self.streamed
        elif check == "class codes" and self.checks is not None:
            problems.extend(self.checks.class_code_problems())
        elif check == "budget" and self.checks is not None:
            problems.extend(self.checks.unbudgeted_problems())
        elif check == "三公" and self.checks is not None:
            problems.extend(self.checks.sangong_problems())
        elif check == "balances":
            self._finish()

    def _finish(self) -> None:
        target = self.staging / REJECTED_DIR
        target.mkdir(exist_ok=True)
        if self.streamed.rejected:
            self.rejected.finish(target / f"{TABLE}.csv")
        shutil.rmtree(self.folder)

    # -- the first pass -------------------------------------------------------------------

    def first_pass(self) -> tuple[list[Problem], list[Problem]]:
        """Read every payments file; the ownership and the org-code problems."""
        ownership: list[Problem] = []
        org: list[Problem] = []
        for path in self.paths:
            attempt = self._read(path)
            self.spill.commit(attempt.pieces)
            attempt.rejected.commit(self.streamed)
            ownership += attempt.ownership
            org += attempt.org
            for part, (total, rows, first) in attempt.sums.items():
                entry = self.sums.setdefault(part, [0, 0, first])
                entry[0] += total
                entry[1] += rows
        return (ownership + self.ownership_listing.summaries(),
                org + self.org_listing.summaries())

    def _read(self, path: Path) -> _Attempt:
        """One file, in batches when it can be, else whole (after dropping the attempt)."""
        saved = [(dict(x.listed), dict(x.extra)) for x in (self.ownership_listing, self.org_listing)]
        if path.suffix.lower() in _TEXT:
            attempt, state = self._attempt(), FileState()
            summary = None
            try:
                for raw in csv_batches(path, self.options.batch_rows):
                    norm = normalise(raw, TABLE, unit=self.unit, state=state)
                    self._take(norm, attempt)
                    summary = _merge(summary, norm)
                if summary is not None:
                    declared, problems = state.finish(summary.file, summary.sheet)
                    summary.declared = declared
                    summary.problems += problems + state.listing.summaries()
                    self.files[path] = [summary]
                    return attempt
            except InputError as exc:  # the file cannot be read: it is refused whole
                self._drop(attempt, saved)
                self.files[path] = [failed(path, TABLE, "", exc.problems)]
                return self._attempt()
            except NotStreamable:
                pass
            self._drop(attempt, saved)
        attempt = self._attempt()
        norms = read_file(path, TABLE, unit=self.unit)
        for norm in norms:
            self._take(norm, attempt)
        self.files[path] = [_merge(None, n) for n in norms]
        return attempt

    def _attempt(self) -> _Attempt:
        self._attempts += 1
        return _Attempt(self._attempts, self.rejected.open())

    def _drop(self, attempt: _Attempt, saved: list[tuple[dict, dict]]) -> None:
        attempt.rejected.discard()
        self.buckets.void.add(attempt.number)
        for listing, (listed, extra) in zip((self.ownership_listing, self.org_listing), saved,
                                            strict=True):
            listing.listed, listing.extra = listed, extra

    def _source(self, file: str, sheet: str) -> int:
        key = (file, sheet)
        if key not in self._source_no:
            self._source_no[key] = len(self.sources)
            self.sources.append(key)
        return self._source_no[key]

    def _take(self, norm: Normalised, attempt: _Attempt) -> None:
        """One batch's rows after normalising: the row-by-row checks, then to disk."""
        empty = {name: pd.DataFrame(columns=[*TABLES[name].columns, "_file", "_sheet", "_row"])
                 for name in TABLES}
        mini = Collected({**empty, TABLE: norm.frame}, {TABLE: pd.DataFrame()}, [], [],
                         listing=self.ownership_listing)
        check_ownership(mini, self.raw_dir)
        attempt.ownership += mini.problems
        mini.problems, mini.listing = [], self.org_listing
        mini.tables["departments"] = self.collected.tables["departments"]
        check_org_codes(mini)
        attempt.org += mini.problems
        attempt.rejected.write(norm.rejected)
        attempt.rejected.write(mini.rejected[TABLE])
        accepted = mini.tables[TABLE]
        if accepted.empty:
            return
        seq = np.arange(self.seq, self.seq + len(accepted), dtype=np.int64)
        self.seq += len(accepted)
        accepted = accepted.assign(_seq=seq)
        attempt.pieces += self.spill.write(accepted)
        src = np.full(len(accepted), self._source(norm.file, norm.sheet), dtype=np.int32)
        self.buckets.add(accepted, seq, attempt.number, src)
        self._add_sums(accepted, attempt)

    def _add_sums(self, pay: pd.DataFrame, attempt: _Attempt) -> None:
        """The 分 of each department-year (exact), its rows and its first row."""
        groups = pay.groupby(["year", "dept_code"], sort=False, observed=True)
        amounts = pay["amount"].to_numpy(dtype=np.int64)
        for (year, dept), rows in groups.indices.items():
            part = (int(year), str(dept))
            total = exact_sum(amounts[rows])
            entry = attempt.sums.setdefault(part, [0, 0, pay.iloc[int(rows[0])]])
            entry[0] += total
            entry[1] += len(rows)

    def _magnitudes(self) -> list[Problem]:
        out = []
        for (year, dept), (total, rows, first) in sorted(self.sums.items(),
                                                         key=lambda kv: (kv[0][1], kv[0][0])):
            if abs(total) > MAX_DEPT_YEAR_FEN:
                self.too_big.add((year, dept))
                out.append(magnitude_problem(first, TABLE, "amount", dept, year, total, rows))
        return out


def _merge(summary: Normalised | None, batch: Normalised) -> Normalised:
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
