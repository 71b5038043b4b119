"""Repeated voucher ids across every batch of every payments file, in bounded memory.

A voucher id may appear once per department-year. Read in batches, a repeat can be
millions of rows after the first, in another batch or another file, and a set of every id
would cost memory in proportion to the ledger. Instead each batch's (department, year,
voucher id) keys are spilled to one of ``buckets`` files by a 64-bit fingerprint, so a key
and its repeats always land in the same bucket; once every batch is read, the buckets are
checked one at a time (each a task: :func:`bucket_repeats`). In a bucket, only rows
whose fingerprint repeats are compared by their exact key (a fingerprint only narrows
the search: two ids are repeats only if they are equal), and the first occurrence in
reading order is kept, as a file read whole keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from outturn.ingest.crosscheck import DUPLICATE_ADVICE, duplicate_rules
from outturn.ingest.rowproblems import MAX_LISTED
from outturn.problems import Problem

_SCHEMA = pa.schema([("h", pa.uint64()), ("seq", pa.int64()), ("attempt", pa.int32()),
                     ("src", pa.int32()), ("row", pa.int64()), ("dept_code", pa.large_string()),
                     ("year", pa.int64()), ("voucher_id", pa.large_string())])
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit moves about half the output bits."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * _M1
        x = (x ^ (x >> np.uint64(27))) * _M2
        return x ^ (x >> np.uint64(31))


#: Bytes of a text read into its fingerprint from the start (and 8 from the end): a
#: fingerprint only narrows the search, so texts alike in those bytes are just compared.
_HEAD_BYTES = 64


def large_strings(values: pd.Series) -> pa.Array:
    """The texts as one Arrow ``large_string`` array; a categorical of texts is decoded by
    Arrow, without a Python string per row."""
    if isinstance(values.dtype, pd.CategoricalDtype) and \
            pd.api.types.is_string_dtype(values.cat.categories.dtype):
        arr = pa.array(values, from_pandas=True)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        return arr.dictionary_decode().cast(pa.large_string())
    arr = pa.array(values.astype("str"), type=pa.large_string(), from_pandas=True)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def fingerprint(values: pd.Series) -> np.ndarray:
    """A 64-bit fingerprint of each text, from its length, its first 64 bytes and its
    last 8, read 8 bytes at a time from Arrow's UTF-8 buffer (no Python per text)."""
    arr = large_strings(values)
    arr = pa.concat_arrays([arr]) if arr.offset else arr  # offsets from zero
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[: len(arr) + 1]
    data = arr.buffers()[2]
    size = int(offsets[-1])
    padded = np.zeros(size + 16, dtype=np.uint8)
    if size:
        padded[:size] = np.frombuffer(data, dtype=np.uint8)[:size]
    # the 8 bytes from every byte position, as one unaligned little-endian word each
    words = np.ndarray((size + 8,), dtype="<u8", buffer=padded, strides=(1,))
    starts, lengths = offsets[:-1], np.diff(offsets)
    h = _mix(lengths.astype(np.uint64) + _M2)
    longest = int(lengths.max()) if len(lengths) else 0
    for j in range(0, min(longest, _HEAD_BYTES), 8):
        rest = lengths - j
        word = words[np.where(rest > 0, starts + j, size)]
        keep = np.clip(rest, 0, 8).astype(np.uint64) * np.uint64(8)
        with np.errstate(over="ignore"):
            mask = np.where(keep >= 64, ~np.uint64(0), (np.uint64(1) << (keep & np.uint64(63)))
                            - np.uint64(1))
            h = np.where(rest > 0, _mix(h ^ (word & mask) + np.uint64(j + 1) * _M1), h)
    if longest > _HEAD_BYTES:
        tail = words[np.where(lengths > _HEAD_BYTES, starts + lengths - 8, size)]
        with np.errstate(over="ignore"):
            h = np.where(lengths > _HEAD_BYTES, _mix(h ^ tail), h)
    return h


def key_fingerprints(frame: pd.DataFrame) -> np.ndarray:
    """The fingerprint of each payment's (department, year, voucher id)."""
    dept = frame["dept_code"]
    if isinstance(dept.dtype, pd.CategoricalDtype):  # each distinct code once
        table = np.append(fingerprint(pd.Series(dept.cat.categories.astype("str"))),
                          np.zeros(1, dtype=np.uint64))
        dept_h = table[dept.cat.codes.to_numpy()]
    else:
        dept_h = fingerprint(dept)
    year = frame["year"].to_numpy(dtype=np.int64).astype(np.uint64)
    with np.errstate(over="ignore"):
        return _mix(fingerprint(frame["voucher_id"]) ^ _mix(dept_h + _mix(year)))


@dataclass
class Duplicates:
    """Every repeated voucher after its first, by ``seq`` (reading order), with where it
    is and where its id was first seen (``src`` numbers index the sources)."""

    seq: np.ndarray
    src: np.ndarray
    row: np.ndarray
    first_src: np.ndarray
    first_row: np.ndarray
    voucher_id: np.ndarray

    def find(self, seq: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which of ``seq`` are repeats, and their positions in this table."""
        at = np.searchsorted(self.seq, seq).clip(0, max(len(self.seq) - 1, 0))
        hit = (self.seq[at] == seq) if len(self.seq) else np.zeros(len(seq), dtype=bool)
        return hit, at[hit]

    def rules(self, at: np.ndarray, sources: list[tuple[str, str]]) -> pd.Series:
        """The rule text of the repeats at positions ``at``."""
        first = [sources[s] for s in self.first_src[at].tolist()]
        return duplicate_rules(pd.Series([f for f, _ in first], dtype="str"),
                               pd.Series([s for _, s in first], dtype="str"),
                               pd.Series(self.first_row[at], dtype="int64").astype("str"))

    def problems(self, sources: list[tuple[str, str]]) -> list[Problem]:
        """The first repeats listed one by one and the rest in one line, as a ledger
        checked whole lists them."""
        listed = np.arange(min(len(self.seq), MAX_LISTED))
        rules = self.rules(listed, sources).tolist()
        out = [Problem(file=sources[s][0], sheet=sources[s][1], row=int(r), column="凭证号",
                       value=str(v), rule=rule, advice=DUPLICATE_ADVICE)
               for s, r, v, rule in zip(self.src[listed].tolist(), self.row[listed].tolist(),
                                        self.voucher_id[listed].tolist(), rules, strict=True)]
        if len(self.seq) > len(listed):
            out.append(Problem(
                file=sources[int(self.src[0])][0], column="凭证号",
                rule=f"duplicate voucher id: {len(self.seq) - len(listed):,} more row(s) "
                     f"like the {len(listed):,} above",
                advice=DUPLICATE_ADVICE + " (every row is in the rejected rows with its reason)"))
        return out


class VoucherBuckets:
    """The voucher keys of every batch, spilled by fingerprint to ``count`` bucket files."""

    def __init__(self, folder: Path, count: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.count = max(1, count)
        self.paths = [folder / f"vouchers-{i:04d}.arrow" for i in range(self.count)]
        self._writers: dict[int, pa.ipc.RecordBatchStreamWriter] = {}
        #: Attempts at reading a file that were abandoned (the file was read again).
        self.void: set[int] = set()

    def add(self, frame: pd.DataFrame, seq: np.ndarray, attempt: int, src: np.ndarray) -> None:
        """Spill the keys of one batch's accepted payments."""
        if frame.empty:
            return
        h = key_fingerprints(frame)
        bucket = (h % np.uint64(self.count)).astype(np.int64)
        order = np.argsort(bucket, kind="stable")
        table = pa.table({
            "h": h, "seq": seq, "attempt": np.full(len(frame), attempt, dtype=np.int32),
            "src": src.astype(np.int32), "row": frame["_row"].to_numpy(dtype=np.int64),
            "dept_code": large_strings(frame["dept_code"]),
            "year": frame["year"].to_numpy(dtype=np.int64),
            "voucher_id": large_strings(frame["voucher_id"]),
        }, schema=_SCHEMA).take(pa.array(order))
        sorted_bucket = bucket[order]
        starts = np.searchsorted(sorted_bucket, np.arange(self.count + 1))
        for b in np.flatnonzero(np.diff(starts)).tolist():
            if b not in self._writers:
                self._writers[b] = pa.ipc.new_stream(self.paths[b], _SCHEMA)
            self._writers[b].write_table(table.slice(starts[b], starts[b + 1] - starts[b]))

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()

    def written(self) -> list[Path | None]:
        """Each bucket's file, ``None`` where no key went."""
        return [self.paths[b] if b in self._writers else None for b in range(self.count)]


@dataclass(frozen=True)
class BucketPart:
    """One file's keys in one bucket, and how to put them in the ingest's reading order:
    ``seq`` moved by ``offset``, local source numbers mapped by ``sources``, the keys of
    ``void`` attempts left out."""

    path: Path
    offset: int
    sources: tuple[int, ...]
    void: frozenset[int]


def bucket_repeats(parts: list[BucketPart], exclude: frozenset[tuple[int, str]]) -> pd.DataFrame:
    """The repeats of one bucket (every file's part of it, in reading order): a task of
    its own. Only rows whose fingerprint repeats are compared by their exact key; the
    first in reading order is kept. Department-years in ``exclude`` (rejected whole) are
    left out, as a ledger checked whole leaves them out."""
    tables = []
    for part in parts:
        with pa.OSFile(str(part.path)) as source:
            table = pa.ipc.open_stream(source).read_all()
        if part.void:
            table = table.filter(pa.array(~np.isin(table.column("attempt").to_numpy(),
                                                    list(part.void))))
        seq = table.column("seq").to_numpy() + np.int64(part.offset)
        src = np.asarray(part.sources, dtype=np.int32)[table.column("src").to_numpy()]
        table = table.set_column(1, "seq", pa.array(seq)).set_column(3, "src", pa.array(src))
        tables.append(table)
    empty = pd.DataFrame(columns=[*_SCHEMA.names, "first_src", "first_row"])
    if not tables:
        return empty
    table = pa.concat_tables(tables)
    h = table.column("h").to_numpy()
    values, counts = np.unique(h, return_counts=True)
    candidates = np.isin(h, values[counts > 1])
    if not candidates.any():
        return empty
    rows = table.filter(pa.array(candidates)).to_pandas()
    if exclude:
        keys = pd.MultiIndex.from_arrays([rows["year"], rows["dept_code"]])
        rows = rows[~keys.isin(list(exclude))]
    rows = rows.sort_values("seq", kind="stable")
    key = ["dept_code", "year", "voucher_id"]
    dup = rows.duplicated(key, keep="first").to_numpy()
    if not dup.any():
        return empty
    groups = rows.groupby(key, sort=False, observed=True)
    rows = rows.assign(first_src=groups["src"].transform("first"),
                       first_row=groups["row"].transform("first"))
    return rows[dup]


def gather_repeats(found: list[pd.DataFrame]) -> Duplicates:
    """Every bucket's repeats as one :class:`Duplicates`, in reading order."""
    found = [f for f in found if len(f)]
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return Duplicates(empty, empty, empty, empty, empty, np.zeros(0, dtype=object))
    every = pd.concat(found, ignore_index=True).sort_values("seq", kind="stable")
    return Duplicates(*(every[c].to_numpy(dtype=np.int64) for c in
                        ("seq", "src", "row", "first_src", "first_row")),
                      every["voucher_id"].to_numpy(dtype=object))
