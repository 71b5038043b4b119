"""``outturn ingest``: raw ledgers in, one validated and reconciled snapshot out.

Flow: :func:`outturn.ingest.collect.collect` (read, normalise, cross-check) → write a
snapshot in staging (Parquet partitioned by ``year``/``dept_code``, rejected rows with
their reasons, the problem list, the reconciliation, a manifest) → publish it
atomically (:mod:`outturn.store.snapshot`). The data version is a hash of the input files, so
the same inputs always give the same version and the same tables.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from outturn.cells import write_safe_csv
from outturn.ingest.arrow_out import to_arrow
from outturn.ingest.collect import Collected, collect, input_files
from outturn.ingest.reconcile import reconcile
from outturn.ingest.streamed import StreamOptions
from outturn.ingest.tasks import Tasks
from outturn.problems import problems_frame
from outturn.store import snapshot
from outturn.store.layout import (
    DEPARTMENTS_FILE,
    PARTITIONED,
    PROBLEMS_FILE,
    RECONCILIATION_FILE,
    REJECTED_DIR,
    partition,
    profile_file,
)
from outturn.version import __version__


@dataclass
class IngestResult:
    """What an ingest produced and where."""

    snapshot: Path
    data_version: str
    collected: Collected
    reconciliation: pd.DataFrame

    @property
    def balanced(self) -> bool:
        return bool(self.reconciliation["balanced"].all())

    @property
    def rows_rejected(self) -> int:
        """Rejected rows of every table, those read in batches included."""
        return sum(len(f) for f in self.collected.rejected.values()) + (
            self.collected.streamed.rejected if self.collected.streamed else 0)


def data_version(paths: list[Path], root: Path) -> str:
    """A short hash of the input files' names and bytes (and the outturn version)."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode("utf-8"))
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


def _write_partitioned(frame: pd.DataFrame, folder: Path) -> None:
    """One Parquet file per year × department: ``year=Y/dept_code=D/part-0.parquet``.

    Rows are put in partition order with one stable sort of integer keys and one
    ``take``; the partitions, zero-copy slices of that table, are written by a small
    thread pool (pyarrow releases the GIL). ``year`` and ``dept_code`` live in the folder
    names only, as in hive partitioning.

    Every partition folder is checked before anything is written: its department code
    must match ``outturn.identifiers.CODE_PATTERN`` and its path must resolve inside
    ``folder``. Validation rejects such rows already; this guards the writer itself, so
    a code like ``../x`` or ``115/x`` can never place or mix Parquet files elsewhere.
    """
    from outturn.identifiers import check_code

    years = frame["year"].to_numpy(dtype=np.int64)
    dept_codes, depts = pd.factorize(frame["dept_code"])
    for code in depts:
        check_code(code, "department code")
    key = (years - years.min()) * (len(depts) + 1) + dept_codes
    order = np.argsort(key, kind="stable")
    # one take into partition order (repeated text is dictionary-encoded first, so it is
    # mostly small integers that move); each partition is then a zero-copy slice
    table = to_arrow(frame.drop(columns=["year", "dept_code"]), order)
    dictionary_columns = [f.name for f in table.schema if pa.types.is_dictionary(f.type)]
    sorted_key = key[order]
    starts = np.concatenate([[0], np.flatnonzero(np.diff(sorted_key)) + 1])
    stops = np.concatenate([starts[1:], [len(order)]])
    parts = [partition(folder, years[row], depts[dept_codes[row]]) for row in order[starts].tolist()]

    def write_one(part: Path, start: int, stop: int) -> None:
        part.mkdir(parents=True, exist_ok=True)
        pq.write_table(table.slice(start, stop - start), part / "part-0.parquet",
                       row_group_size=1 << 20, use_dictionary=dictionary_columns)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(write_one, parts, starts.tolist(), stops.tolist()))


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """CSV for people: UTF-8 with BOM so Excel shows Chinese correctly, and no text from a
    ledger that Excel would run as a formula (:mod:`outturn.cells`)."""
    write_safe_csv(frame, path)


def write(collected: Collected, processed_dir: Path, version: str,
          reconciliation: pd.DataFrame, staging: Path | None = None) -> Path:
    """Write a complete snapshot and publish it; returns the snapshot folder. Payments
    read in batches are in ``staging`` already."""
    staging = staging or snapshot.new_staging(processed_dir)
    try:
        _write_snapshot(collected, staging, version, reconciliation)
    except BaseException:
        snapshot.discard(staging)  # a failed run leaves nothing behind
        raise
    return snapshot.publish(staging, processed_dir)


def _write_snapshot(collected: Collected, staging: Path, version: str,
                    reconciliation: pd.DataFrame) -> None:
    """Every file of a snapshot, written into ``staging``."""
    frames = collected.tables
    departments = frames["departments"]
    for name in PARTITIONED:
        if len(frames[name]):
            _write_partitioned(frames[name], staging / name)
    pq.write_table(pa.Table.from_pandas(departments, preserve_index=False),
                   staging / DEPARTMENTS_FILE)
    rejected_dir = staging / REJECTED_DIR
    rejected_dir.mkdir(exist_ok=True)  # payments read in batches wrote theirs
    for name, frame in collected.rejected.items():
        if len(frame):
            _write_csv(frame, rejected_dir / f"{name}.csv")
    _write_csv(problems_frame(collected.problems), staging / PROBLEMS_FILE)
    _write_csv(reconciliation, staging / RECONCILIATION_FILE)
    for (dept, year), profile in sorted(collected.profiles.items()):
        target = profile_file(staging, dept, year)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(profile, ensure_ascii=False, indent=2, sort_keys=True),
                          encoding="utf-8")
    keys = [frames[n][["year", "dept_code"]].drop_duplicates() for n in PARTITIONED
            if len(frames[n])]
    found = {(int(y), str(d)) for y, d in pd.concat(keys).itertuples(index=False)} \
        if keys else set()
    rows = {name: len(frame) for name, frame in frames.items()}
    rejected = {name: len(frame) for name, frame in collected.rejected.items()}
    if (streamed := collected.streamed) is not None:
        found |= streamed.partitions
        rows[streamed.table] += streamed.accepted
        rejected[streamed.table] += streamed.rejected
    partitions = sorted(found)
    snapshot.write_manifest(staging, {
        "data_version": version,
        "outturn_version": __version__,
        "inputs": [str(p) for p in collected.inputs],
        "rows": rows,
        "rejected": rejected,
        "errors": collected.error_count,
        "department_years": [list(p) for p in partitions],
    })


#: Payments files of 64 MiB and more together are read in batches of a million rows.
DEFAULT_STREAM = StreamOptions()


def ingest(raw_dir: Path | str, processed_dir: Path | str, *, unit: str | None = None,
           wait: float = snapshot.DEFAULT_WAIT,
           notify: Callable[[str], None] | None = None,
           stream: StreamOptions | None = DEFAULT_STREAM,
           scheduler: str | None = None) -> IngestResult:
    """Read ``raw_dir``, write a new current snapshot under ``processed_dir``.

    One ingest runs at a time per processed folder: if another holds it, this one waits
    up to ``wait`` seconds (calling ``notify`` once with whom it waits for), then stops
    with an :class:`~outturn.problems.OutturnError` naming the holder.

    A large payments ledger is read in batches (``stream``; ``None`` reads every file
    whole): memory then depends on the batch, not on the ledger
    (:mod:`outturn.ingest.stream`).

    With ``scheduler`` (an address, or ``local:N``: :mod:`outturn.cluster`) the batch
    path's tasks run on that Dask cluster's workers, which write into the staging folder
    themselves; the snapshot is the one this machine would write, published the same way.
    Workers do not share this process's working folder, so both folders are then made
    absolute (files are named by their absolute paths), and both must be on a filesystem
    every worker shares. Payments too small to be read in batches are read here.
    """
    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    if scheduler is None:
        return _ingest(raw_dir, processed_dir, unit, wait, notify, stream, None)
    from outturn.cluster import connect
    from outturn.ingest.tasks import OnCluster

    with connect(scheduler) as client:
        return _ingest(raw_dir.absolute(), processed_dir.absolute(), unit, wait, notify, stream,
                       OnCluster(client))


def _ingest(raw_dir: Path, processed_dir: Path, unit: str | None, wait: float,
            notify: Callable[[str], None] | None, stream: StreamOptions | None,
            tasks: Tasks | None) -> IngestResult:
    with snapshot.writing(processed_dir, wait=wait, notify=notify):
        staging = snapshot.new_staging(processed_dir)
        try:
            # hashing the inputs releases the GIL: it runs beside the parsing, nearly free
            with ThreadPoolExecutor(max_workers=1) as pool:
                hashing = pool.submit(data_version, input_files(raw_dir), raw_dir)
                collected = collect(raw_dir, unit=unit, stream=stream, staging=staging,
                                    tasks=tasks)
                version = hashing.result()
            reconciliation = reconcile(collected)
        except BaseException:
            snapshot.discard(staging)  # a failed run leaves nothing behind
            raise
        folder = write(collected, processed_dir, version, reconciliation, staging)
    return IngestResult(folder, version, collected, reconciliation)
