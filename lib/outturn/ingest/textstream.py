"""Read a large CSV or tab-separated export in batches of rows, in bounded memory.

The file is sniffed as :func:`outturn.ingest.textfiles.read_csv` sniffs it (encoding,
delimiter, header, title lines: all from its first megabyte, so they hold for the whole
file), then read by pyarrow's streaming reader (``pyarrow.csv.open_csv``) block by block.
Each batch is a :class:`~outturn.ingest.rawtable.RawTable` of exactly ``batch_rows`` rows
(the last one fewer) whose rows carry the line numbers they have in the file, so a
problem found in batch 40 names its line as a file read whole would.

A file the streaming reader cannot read — bytes that do not decode, ragged rows, no
line after the header — raises :class:`NotStreamable`: such a file is read whole by the
line-by-line reader, which names every such line (the caller starts the file again).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from outturn.ingest.rawtable import RawTable, first_long_line
from outturn.ingest.textfiles import Layout, arrow_options, check_line_lengths, sniff, too_long
from outturn.problems import OutturnError

#: pyarrow's block in the streaming reader: above the longest line allowed, so a block
#: holds whole lines, and small beside a batch.
STREAM_BLOCK_BYTES = 1 << 24


T = TypeVar("T")
_DONE = object()


def prefetched(items: Iterator[T]) -> Iterator[T]:
    """``items``, with the next one made in a thread while the caller works on this one.

    Reading and parsing a batch (pyarrow, which frees the GIL) then runs beside the
    normalising of the one before it: on two cores the CSV read nearly disappears from
    the time. At most one batch waits, so memory grows by one batch. What ``items``
    raises is raised here, in order; a caller that stops early stops the thread.
    """
    ready: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def put(value: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(value, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((item, None)):
                    return
        except BaseException as exc:  # handed to the caller, raised there
            put((None, exc))
            return
        put((_DONE, None))

    thread = threading.Thread(target=produce, name="outturn-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item, exc = ready.get()
            if exc is not None:
                raise exc
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        thread.join()


class NotStreamable(OutturnError):
    """The file must be read whole, line by line (see the module docstring). The batch
    path catches it and reads the file again; it never reaches a user."""


def csv_batches(path: Path, batch_rows: int, encoding: str | None = None) -> Iterator[RawTable]:
    """The file's rows in batches of ``batch_rows`` (see the module docstring).

    Raises :class:`NotStreamable` (before or between batches) for a file only the
    line-by-line reader reads, and :class:`~outturn.problems.InputError` for one that
    cannot be read at all (a line beyond the limit).
    """
    layout, clean = sniff(path, encoding)
    if not clean:
        raise NotStreamable(str(path))
    first_line = layout.header_idx + 2
    pending: list[pa.RecordBatch] = []
    held = offset = 0
    try:
        reader = pacsv.open_csv(path, **arrow_options(layout, STREAM_BLOCK_BYTES))  # type: ignore[arg-type]
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            pending.append(batch)
            held += batch.num_rows
            while held >= batch_rows:
                table = pa.Table.from_batches(pending)
                pending, held = table.slice(batch_rows).to_batches(), held - batch_rows
                yield _raw(table.slice(0, batch_rows), layout, first_line, offset)
                offset += batch_rows
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        if "straddl" in str(exc):
            raise too_long(path, *first_long_line(path)) from None
        raise NotStreamable(str(path)) from exc
    if held:
        yield _raw(pa.Table.from_batches(pending), layout, first_line, offset)


def _raw(table: pa.Table, layout: Layout, first_line: int, offset: int) -> RawTable:
    """One batch as the raw table of a file read whole would hold those rows."""
    check_line_lengths(table, layout, offset)
    frame = table.to_pandas()
    rows = np.arange(first_line + offset, first_line + offset + len(frame), dtype=np.int64)
    return layout.table(frame, rows)
