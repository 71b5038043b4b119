"""Payments read in batches: ingest in memory bounded by the batch, not by the ledger.

A payments ledger of tens of millions of rows does not fit in memory as one table. When
the payments files are large (:class:`~outturn.ingest.streamed.StreamOptions`), every
payments file goes this way; the other tables (departments, budget, indicators …) are
small and are read and checked whole, as before. The checks keep their order
(:func:`outturn.ingest.crosscheck.cross_check` calls :meth:`PaymentStream.after` after
each) and their results are those of a ledger checked whole:

1. **first pass**, one task per file (:mod:`outturn.ingest.file_pass`), batch by batch
   (:mod:`outturn.ingest.textstream`):
   normalise (problems listed up to the cap per rule across the batches, total rows
   checked against the whole file), then the row-by-row checks (a department's folder,
   known department and unit codes). Rejected rows go to the rejected-rows file; accepted
   ones are spilled to disk by department-year (:mod:`outturn.ingest.spill`), their
   voucher keys to hash buckets (:mod:`outturn.ingest.dedupe`), their 分 added up per
   department-year. A file the streaming reader cannot read is started again and read
   whole (everything of the abandoned attempt is dropped). The files' results are put
   together in reading order: rows numbered across files, sources numbered once, the cap
   per rule applied across files (:func:`outturn.ingest.rowproblems.replay`);
2. **between the passes**: department-years beyond any real budget, and repeated
   voucher ids, one task per bucket;
3. **second pass** (:mod:`outturn.ingest.stream_write`): each department-year read back
   in slices, checked against the budget (:mod:`outturn.ingest.stream_checks`), written
   into the staging snapshot; one task per group of slices, the groups' findings added
   up in order.

The tasks run in this process, or on a Dask cluster (:mod:`outturn.ingest.tasks`,
``outturn ingest --scheduler``): the staging folder, where every task writes, must then
be on a filesystem every worker shares, and so must the raw folder. The spill folder
lives inside the staging folder and is removed before the snapshot is published.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from outturn.ingest.collected import Collected
from outturn.ingest.crosscheck import magnitude_problem
from outturn.ingest.dedupe import BucketPart, Duplicates, bucket_repeats, gather_repeats
from outturn.ingest.file_pass import FileJob, FilePassed, read_payments_file
from outturn.ingest.normalise import Normalised
from outturn.ingest.rowproblems import Listing, replay
from outturn.ingest.spill import Partition, SpillSet
from outturn.ingest.stream_checks import SliceChecks
from outturn.ingest.stream_write import GroupJob, RejectedRows, add_counts, plan, write_group
from outturn.ingest.streamed import Sources, StreamedRows, StreamOptions
from outturn.ingest.tasks import InProcess, Tasks
from outturn.money import MAX_DEPT_YEAR_FEN
from outturn.problems import Problem
from outturn.store.layout import REJECTED_DIR

TABLE = "payments"
SPILL_DIR = ".spill"


def streams(paths: list[Path], options: StreamOptions | None) -> bool:
    """Whether the payments are read in batches: together at least ``min_bytes`` long
    (many files each small can add up to more than memory, as one large file can)."""
    return options is not None and bool(paths) and \
        sum(p.stat().st_size for p in paths) >= options.min_bytes


class PaymentStream:
    """The batch path for one ingest's payments (see the module docstring)."""

    def __init__(self, collected: Collected, raw_dir: Path, paths: list[Path],
                 unit: str | None, options: StreamOptions, staging: Path,
                 tasks: Tasks | None = None) -> None:
        self.collected, self.raw_dir, self.paths, self.unit = collected, raw_dir, paths, unit
        self.options, self.staging = options, staging
        self.tasks: Tasks = tasks or InProcess(options.workers)
        self.folder = staging / SPILL_DIR
        total = sum(p.stat().st_size for p in paths)
        buckets = options.buckets or max(1, min(256, total // (options.batch_rows * 64) + 1))
        self.bucket_count = int(buckets)
        self.buckets: list[list[BucketPart]] = [[] for _ in range(self.bucket_count)]
        self.spill = SpillSet()
        self.rejected = RejectedRows(TABLE)
        self.streamed = StreamedRows(TABLE)
        self.files: dict[Path, list[Normalised]] = {}
        self.sources = Sources()
        self.sums: dict[Partition, list] = {}
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
            found = self.tasks.map(bucket_repeats, [parts for parts in self.buckets if parts],
                                   frozenset(self.too_big), name="vouchers")
            self.duplicates = gather_repeats(found)
            problems.extend(self.duplicates.problems(self.sources.names))
            self.checks = SliceChecks(self.collected.tables["budget"], self.duplicates,
                                      self.too_big, self.sources.names)
            self.second_pass(self.checks)
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

    # -- the first pass: one task per file, put together in reading order -----------------

    def first_pass(self) -> tuple[list[Problem], list[Problem]]:
        """Read every payments file; the ownership and the org-code problems."""
        jobs = [FileJob(path, self.raw_dir, self.folder / "files" / f"{i:06d}", self.unit,
                        self.options.batch_rows, self.bucket_count, self.rejected.columns)
                for i, path in enumerate(self.paths)]
        passed = self.tasks.map(read_payments_file, jobs, self.collected.tables["departments"],
                                name="read")
        ownership_listing, org_listing = Listing(), Listing()
        ownership: list[Problem] = []
        org: list[Problem] = []
        offset = 0
        for done in passed:
            self._add_file(done, offset)
            ownership += replay(done.ownership, ownership_listing)
            org += replay(done.org, org_listing)
            offset += done.accepted
        return (ownership + ownership_listing.summaries(), org + org_listing.summaries())

    def _add_file(self, done: FilePassed, offset: int) -> None:
        """One file's first pass, after every file before it (``offset`` rows accepted)."""
        self.files[done.job.path] = done.files
        self.spill.add(done.spill_files, done.pieces, offset)
        sources = tuple(self.sources.number(*key) for key in done.sources)
        void = frozenset(done.void)
        for bucket, path in enumerate(done.bucket_files):
            if path is not None:
                self.buckets[bucket].append(BucketPart(path, offset, sources, void))
        self.rejected.parts.append(done.rejected)
        for counts in done.rejected_counts:
            add_counts(self.streamed, counts, accepted=False)
        for part, (total, rows, first) in done.sums.items():
            entry = self.sums.setdefault(part, [0, 0, first])
            entry[0] += total
            entry[1] += rows

    def _magnitudes(self) -> list[Problem]:
        out = []
        for (year, dept), (total, rows, first) in sorted(self.sums.items(),
                                                         key=lambda kv: (kv[0][1], kv[0][0])):
            if abs(total) > MAX_DEPT_YEAR_FEN:
                self.too_big.add((year, dept))
                out.append(magnitude_problem(first, TABLE, "amount", dept, year, total, rows))
        return out

    # -- the second pass: one task per group of department-years ---------------------------

    def second_pass(self, checks: SliceChecks) -> None:
        """Check and write every department-year; the groups' rows counted in order."""
        groups = plan(self.spill, self.options.batch_rows)
        jobs = [GroupJob(slices, self.folder / f"second-{g:06d}.csv", self.staging / TABLE)
                for g, slices in enumerate(groups)]
        written = self.tasks.map(write_group, jobs, self.spill, checks, self.rejected.columns,
                                 self.tasks.isolated, name="write")
        for done in written:
            for counts in done.accepted:
                add_counts(self.streamed, counts, accepted=True)
            self.streamed.partitions |= done.partitions
            if done.found is not None:
                checks.absorb(done.found)
        for done in written:  # the second pass's rejected rows come after the first's
            for counts in done.rejected:
                add_counts(self.streamed, counts, accepted=False)
        self.rejected.parts += [job.rejected for job in jobs]
