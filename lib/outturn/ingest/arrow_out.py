"""Accepted rows as the Arrow tables the snapshot's Parquet files are written from.

Repeated text (codes, categories, provenance) is dictionary-encoded, which makes the
tables smaller, faster to reorder and to write, and gives Parquet dictionary columns.
Both writers use it — the one of an ingest held in memory (:mod:`outturn.ingest.run`) and
the one of payments read in batches (:mod:`outturn.ingest.stream_write`) — so a
department-year's file has the same columns and types either way.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Text columns that are usually unique per row: dictionary-encoded only when they repeat.
UNIQUE_TEXT = frozenset({"voucher_id", "memo"})


def encode_column(column: pa.ChunkedArray, name: str) -> pa.ChunkedArray:
    """Dictionary-encode repeated text (smaller, faster to move and to write)."""
    if not is_text(column):
        return column
    if name in UNIQUE_TEXT:
        sample = column.slice(0, 10_000)
        if len(sample) and len(pc.unique(sample)) > len(sample) // 2:
            return column
    return pc.dictionary_encode(column)


def to_arrow(frame: pd.DataFrame, order: np.ndarray | None = None) -> pa.Table:
    """The frame as an Arrow table with repeated text dictionary-encoded, its rows in
    ``order`` when given.

    Columns are converted on threads (pyarrow releases the GIL); the reordering of a long
    text column, the slowest single step, is cut into pieces that run side by side.
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    workers = os.cpu_count() or 2
    with ThreadPoolExecutor(max_workers=workers) as pool:
        encoded = list(pool.map(lambda i: encode_column(table.column(i), table.column_names[i]),
                                range(table.num_columns)))
        if order is None:
            columns = encoded
        else:
            pieces = [(i, piece) for i, column in enumerate(encoded)
                      for piece in np.array_split(order, workers
                                                  if is_text(column) and len(order) > 1 << 20
                                                  else 1)]
            taken = list(pool.map(lambda job: encoded[job[0]].take(pa.array(job[1])), pieces))
            columns = [pa.chunked_array([c for (j, _), t in zip(pieces, taken, strict=True)
                                         if j == i for c in t.chunks], type=encoded[i].type)
                       for i in range(len(encoded))]
    return pa.Table.from_arrays(columns, schema=pa.schema(
        [pa.field(f.name, c.type) for f, c in zip(table.schema, columns, strict=True)],
        metadata=table.schema.metadata))


def is_text(column: pa.ChunkedArray) -> bool:
    return pa.types.is_large_string(column.type) or pa.types.is_string(column.type)
