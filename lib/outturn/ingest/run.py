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
import pyarrow.compute as pc
import pyarrow.parquet as pq

from outturn.cells import write_safe_csv
from outturn.ingest.collect import Collected, collect, input_files
from outturn.ingest.reconcile import reconcile
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


def data_version(paths: list[Path], root: Path) -> str:
    """A short hash of the input files' names and bytes (and the outturn version)."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode("utf-8"))
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


#: Text columns that are usually unique per row: dictionary-encoded only when they repeat.
UNIQUE_TEXT = frozenset({"voucher_id", "memo"})


def _encode_column(column: pa.ChunkedArray, name: str) -> pa.ChunkedArray:
    """Dictionary-encode repeated text (smaller, faster to move and to write)."""
    if not _is_text(column):
        return column
    if name in UNIQUE_TEXT:
        sample = column.slice(0, 10_000)
        if len(sample) and len(pc.unique(sample)) > len(sample) // 2:
            return column
    return pc.dictionary_encode(column)


def _to_arrow(frame: pd.DataFrame, order: np.ndarray | None = None) -> pa.Table:
    """The frame as an Arrow table with repeated text dictionary-encoded, its rows in
    ``order`` when given.

    Columns are converted on threads (pyarrow releases the GIL); the reordering of a long
    text column, the slowest single step, is cut into pieces that run side by side.
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    workers = os.cpu_count() or 2
    with ThreadPoolExecutor(max_workers=workers) as pool:
        encoded = list(pool.map(lambda i: _encode_column(table.column(i), table.column_names[i]),
                                range(table.num_columns)))
        if order is None:
            columns = encoded
        else:
            pieces = [(i, piece) for i, column in enumerate(encoded)
                      for piece in np.array_split(order, workers
                                                  if _is_text(column) and len(order) > 1 << 20
                                                  else 1)]
            taken = list(pool.map(lambda job: encoded[job[0]].take(pa.array(job[1])), pieces))
            columns = [pa.chunked_array([c for (j, _), t in zip(pieces, taken, strict=True)
                                         if j == i for c in t.chunks], type=encoded[i].type)
                       for i in range(len(encoded))]
    return pa.Table.from_arrays(columns, schema=pa.schema(
        [pa.field(f.name, c.type) for f, c in zip(table.schema, columns, strict=True)],
        metadata=table.schema.metadata))


def _is_text(column: pa.ChunkedArray) -> bool:
    return pa.types.is_large_string(column.type) or pa.types.is_string(column.type)


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
    table = _to_arrow(frame.drop(columns=["year", "dept_code"]), order)
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
          reconciliation: pd.DataFrame) -> Path:
    """Write a complete snapshot and publish it; returns the snapshot folder."""
    staging = snapshot.new_staging(processed_dir)
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
    rejected_dir.mkdir()
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
    partitions = sorted({(int(y), str(d)) for y, d in pd.concat(keys).itertuples(index=False)}) \
        if keys else []
    snapshot.write_manifest(staging, {
        "data_version": version,
        "outturn_version": __version__,
        "inputs": [str(p) for p in collected.inputs],
        "rows": {name: len(frame) for name, frame in frames.items()},
        "rejected": {name: len(frame) for name, frame in collected.rejected.items()},
        "errors": collected.error_count,
        "department_years": [list(p) for p in partitions],
    })


def ingest(raw_dir: Path | str, processed_dir: Path | str, *, unit: str | None = None,
           wait: float = snapshot.DEFAULT_WAIT,
           notify: Callable[[str], None] | None = None) -> IngestResult:
    """Read ``raw_dir``, write a new current snapshot under ``processed_dir``.

    One ingest runs at a time per processed folder: if another holds it, this one waits
    up to ``wait`` seconds (calling ``notify`` once with whom it waits for), then stops
    with an :class:`~outturn.problems.OutturnError` naming the holder.
    """
    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    with snapshot.writing(processed_dir, wait=wait, notify=notify):
        # hashing the inputs releases the GIL: it runs beside the parsing, nearly for free
        with ThreadPoolExecutor(max_workers=1) as pool:
            hashing = pool.submit(data_version, input_files(raw_dir), raw_dir)
            collected = collect(raw_dir, unit=unit)
            version = hashing.result()
        reconciliation = reconcile(collected)
        folder = write(collected, processed_dir, version, reconciliation)
    return IngestResult(folder, version, collected, reconciliation)
