"""Accepted rows of each batch, kept on disk in partition order until every batch is read.

A payment can only be written to the snapshot once the checks that need every payment
have run (a voucher id repeated in a later batch, a department-year whose money adds up
beyond any budget). Each batch's accepted rows are therefore spilled to one Arrow IPC file
in the staging folder, the rows of each department-year together as one record batch, and
an index says where each department-year's pieces are. The second pass reads them back
department-year by department-year, in the order the batches were read,
so every partition's rows keep their order in the source and a rerun writes the same
bytes.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

#: A department-year: (year, department code).
Partition = tuple[int, str]
#: One piece of a department-year's rows: (spill file number, record batch, rows).
Piece = tuple[int, int, int]


def uniform_dictionaries(table: pa.Table) -> pa.Table:
    """Dictionary columns with int32 indices, so that batches whose categoricals differ in
    size (int8 or int16 codes in pandas) still stack into one table."""
    fields = [pa.field(f.name, pa.dictionary(pa.int32(), f.type.value_type))
              if pa.types.is_dictionary(f.type) else f for f in table.schema]
    target = pa.schema(fields, metadata=table.schema.metadata)
    return table if target.equals(table.schema) else table.cast(target)


class Spill:
    """The spilled accepted rows of every batch, and where each department-year's are."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.index: dict[Partition, list[Piece]] = {}
        self._files: list[Path] = []
        self._readers: dict[int, pa.ipc.RecordBatchFileReader] = {}

    def write(self, frame: pd.DataFrame) -> list[tuple[Partition, Piece]]:
        """Spill one batch's accepted rows; returns its pieces, for :meth:`commit` once
        the file they came from has been read to its end."""
        if frame.empty:
            return []
        years = frame["year"].to_numpy(dtype=np.int64)
        codes, depts = pd.factorize(frame["dept_code"])
        key = (years - years.min()) * (len(depts) + 1) + codes
        order = np.argsort(key, kind="stable")
        table = uniform_dictionaries(pa.Table.from_pandas(frame, preserve_index=False))
        taking = pa.array(order)
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:  # take frees the GIL
            columns = list(pool.map(lambda c: c.take(taking).combine_chunks(), table.columns))
        table = pa.Table.from_arrays(columns, schema=table.schema)
        sorted_key = key[order]
        starts = np.concatenate([[0], np.flatnonzero(np.diff(sorted_key)) + 1])
        stops = np.concatenate([starts[1:], [len(order)]])
        number = len(self._files)
        path = self.folder / f"rows-{number:06d}.arrow"
        self._files.append(path)
        pieces = []
        with pa.ipc.new_file(path, table.schema) as writer:
            for i, (start, stop) in enumerate(zip(starts.tolist(), stops.tolist(), strict=True)):
                row = int(order[start])
                writer.write_batch(table.slice(start, stop - start).to_batches()[0])
                pieces.append(((int(years[row]), str(depts[codes[row]])),
                               (number, i, stop - start)))
        return pieces

    def commit(self, pieces: list[tuple[Partition, Piece]]) -> None:
        """Make pieces part of the data (a file read to its end, not started again)."""
        for part, piece in pieces:
            self.index.setdefault(part, []).append(piece)

    def read(self, piece: Piece) -> pa.RecordBatch:
        """One piece back. Read, not memory-mapped: mapped pages of every spill file would
        count as the process's resident memory until it ends."""
        number, batch, _ = piece
        if number not in self._readers:
            self._readers[number] = pa.ipc.open_file(pa.OSFile(str(self._files[number])))
        return self._readers[number].get_batch(batch)

    def close(self) -> None:
        self._readers.clear()
