"""Accepted rows of each batch, kept on disk in partition order until every batch is read.

A payment can only be written to the snapshot once the checks that need every payment
have run (a voucher id repeated in a later batch, a department-year whose money adds up
beyond any budget). Each batch's accepted rows are therefore spilled to one Arrow IPC file
in the staging folder, the rows of each department-year together as one record batch; a
:class:`SpillSet` puts every file's pieces together and says where each department-year's
are. The second pass reads them back
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
    """One file's spilled accepted rows (the first pass of one payments file)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.files: list[Path] = []

    def write(self, frame: pd.DataFrame) -> list[tuple[Partition, Piece]]:
        """Spill one batch's accepted rows; returns its pieces (numbered in ``files``)."""
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
        number = len(self.files)
        path = self.folder / f"rows-{number:06d}.arrow"
        self.files.append(path)
        pieces = []
        with pa.ipc.new_file(path, table.schema) as writer:
            for i, (start, stop) in enumerate(zip(starts.tolist(), stops.tolist(), strict=True)):
                row = int(order[start])
                writer.write_batch(table.slice(start, stop - start).to_batches()[0])
                pieces.append(((int(years[row]), str(depts[codes[row]])),
                               (number, i, stop - start)))
        return pieces


class SpillSet:
    """Every file's spilled rows, in reading order: where each department-year's pieces
    are (``index``, pieces numbered in ``files``), and by how much each spill file's
    ``_seq`` is moved so that it counts the rows of every file before it (``offsets``)."""

    def __init__(self) -> None:
        self.index: dict[Partition, list[Piece]] = {}
        self.files: list[Path] = []
        self.offsets: list[int] = []

    def add(self, files: list[Path], pieces: list[tuple[Partition, Piece]], offset: int) -> None:
        """One file's spill (read after every file before it), its ``_seq`` moved by ``offset``."""
        first = len(self.files)
        self.files += files
        self.offsets += [offset] * len(files)
        for part, (number, batch, rows) in pieces:
            self.index.setdefault(part, []).append((first + number, batch, rows))

    def read(self, pieces: list[Piece]) -> pd.DataFrame:
        """Pieces back as one frame, ``_seq`` in reading order across files. Read, not
        memory-mapped: mapped pages of every spill file would count as the process's
        resident memory until it ends."""
        readers: dict[int, pa.ipc.RecordBatchFileReader] = {}
        batches = []
        for number, batch, _ in pieces:
            if number not in readers:
                readers[number] = pa.ipc.open_file(pa.OSFile(str(self.files[number])))
            batches.append(readers[number].get_batch(batch))
        metadata = batches[0].schema.metadata
        table = pa.concat_tables([pa.Table.from_batches([b]).replace_schema_metadata(None)
                                  for b in batches])
        frame = table.replace_schema_metadata(metadata).to_pandas()
        shift = np.repeat([self.offsets[n] for n, _, _ in pieces], [r for _, _, r in pieces])
        frame["_seq"] = frame["_seq"].to_numpy(dtype=np.int64) + shift
        return frame
