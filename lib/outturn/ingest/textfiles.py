"""Read CSV and tab-separated text exports as string tables, naming every byte not read.

What this module decides:

- the text encoding: a byte-order mark (UTF-8, UTF-16), UTF-16 without one (told by its
  zero bytes), else UTF-8 tried strictly, else GB18030 (a superset of GBK and GB2312).
  A file that is neither but looks like another encoding (Big5, Shift-JIS …) is named as
  such, not reported as a file without a header;
- bytes that do not decode: when the encoding is otherwise certain (the header reads,
  and such bytes are on a few lines) each is named by line and byte offset and its row is
  rejected, the rest of the file is kept; otherwise the file is refused naming the first;
- the delimiter: tab when the header line holds more tabs than commas (the "Unicode
  text" export of Excel and WPS), else comma;
- which row is the header (titles such as ``2022年度部门预算明细表`` come first) and the
  line each data row has in the file, as a text editor shows it.

Clean files are read with pyarrow's multi-threaded reader (columns whose values repeat
arrive dictionary-encoded as pandas ``Categorical``), keeping empty lines as empty rows so
line numbers stay exact; files with ragged rows or undecodable bytes go through Python's
csv module, which reports them line by line.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from outturn.aliases import resolve_header
from outturn.ingest.rawtable import (
    MAX_LINE_BYTES,
    MAX_TITLE_ROWS,
    CellIssue,
    RawTable,
    find_header,
    first_long_line,
    header_names,
    known_header_count,
)
from outturn.problems import InputError, Problem
from outturn.schema import REPEATED_COLUMNS

#: Bytes looked at to detect a file's encoding, delimiter and header.
SNIFF_BYTES = 1 << 20
#: Lines with undecodable bytes a file may have and still be read (the rest kept):
#: this many, or this share of its lines, whichever is more.
MAX_BAD_LINES, MAX_BAD_SHARE = 10, 0.01
#: pyarrow's block: larger than any line allowed, so a block always holds whole lines.
_BLOCK_BYTES = 1 << 26
#: Python's csv module refuses fields beyond this (its default, 128 KiB, is below the line
#: limit; a field longer than a line is refused as a line too long).
csv.field_size_limit(MAX_LINE_BYTES)
#: Arrow type of columns whose values repeat (codes, categories, dates).
_DICTIONARY = pa.dictionary(pa.int32(), pa.large_string())
#: Encodings outturn reads, and what charset-normalizer calls them.
_READ = {"utf_8", "utf-8", "utf-8-sig", "gb18030", "gbk", "gb2312", "utf_16", "utf-16",
         "utf-16-le", "utf-16-be", "ascii"}
_NAMES = {"big5": "Big5 (traditional Chinese)", "cp950": "Big5 (traditional Chinese)",
          "big5hkscs": "Big5-HKSCS (traditional Chinese)", "shift_jis": "Shift-JIS (Japanese)",
          "cp932": "Shift-JIS (Japanese)", "euc_jp": "EUC-JP (Japanese)",
          "euc_kr": "EUC-KR (Korean)", "cp949": "EUC-KR (Korean)"}
_SAVE_AS = "open it in Excel or WPS and save it as CSV UTF-8 (or GB18030), then run again"


@dataclass(frozen=True)
class BadBytes:
    """Bytes that do not decode in the file's encoding: where they are and what they are."""

    offset: int
    data: bytes
    line: int

    def describe(self, encoding: str) -> str:
        shown = " ".join(f"0x{b:02X}" for b in self.data[:4])
        return f"byte(s) {shown} at byte offset {self.offset:,} are not valid {encoding}"

    def where(self) -> str:
        shown = " ".join(f"0x{b:02X}" for b in self.data[:4])
        return f"line {self.line}, byte offset {self.offset:,}: {shown}"


_spans = threading.local()


def _record(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    _spans.found.append((exc.start, exc.end))
    return "\ufffd", exc.end


codecs.register_error("outturn-record", _record)


def decode(data: bytes, encoding: str) -> tuple[str, list[BadBytes]]:
    """``data`` as text, with ``�`` for each undecodable run, and where the runs are."""
    _spans.found = []
    text = data.decode(encoding, errors="outturn-record")
    spans, _spans.found = _spans.found, []
    if not spans:
        return text, []
    found: list[tuple[int, int]] = []
    for start, end in spans:  # adjacent bad bytes are one run
        if found and found[-1][1] == start:
            found[-1] = (found[-1][0], end)
        else:
            found.append((start, end))
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0x0A)
    step = 2 if encoding.startswith("utf-16") else 1  # the line of a UTF-16 file's byte
    lines = np.searchsorted(newlines, [s for s, _ in found]) + 1 if step == 1 else \
        [data[:s].decode(encoding, errors="replace").count("\n") + 1 for s, _ in found]
    return text, [BadBytes(s, data[s:e], int(n)) for (s, e), n in zip(found, lines, strict=True)]


def _utf16(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` for UTF-16 text without a BOM (ASCII leaves zero bytes)."""
    head = np.frombuffer(sample[: 1 << 14][: len(sample[: 1 << 14]) // 2 * 2], dtype=np.uint8)
    if len(head) < 4:
        return None
    even, odd = (head[0::2] == 0).mean(), (head[1::2] == 0).mean()
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _tolerable(bad: list[BadBytes], text: str) -> bool:
    lines = len({b.line for b in bad})
    return lines <= max(MAX_BAD_LINES, MAX_BAD_SHARE * (text.count("\n") + 1))


def detect_encoding(sample: bytes) -> str:
    """Name the encoding of text bytes (``utf-8-sig``, ``utf-16``, ``utf-8``, ``gb18030`` …).

    UTF-8 is tried strictly first (a GBK file almost never decodes as UTF-8), then
    GB18030. When neither decodes every byte, the one in which the header reads is
    chosen if the undecodable bytes are on a few lines (they are named, their rows
    rejected); a GB18030 that decodes but shows no header is kept for the header search
    to report. Else the file is refused, naming the encoding it looks like when that is
    one outturn does not read.
    """
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    wide = _utf16(sample)
    if wide:
        return wide
    # a multi-byte character may be cut at the end of the sample
    body = sample if len(sample) < SNIFF_BYTES else sample[:-4]
    text, bad = decode(body, "utf-8")
    if not bad:
        return "utf-8"
    tried = {"utf-8": (text, bad), "gb18030": decode(body, "gb18030")}
    headed = {e: _has_header(t) for e, (t, _) in tried.items()}
    for encoding, (text, bad) in tried.items():
        if headed[encoding] and (not bad or _tolerable(bad, text)):
            return encoding
    if not tried["gb18030"][1]:
        return "gb18030"
    foreign = unsupported_encoding(body)
    first = tried["utf-8"][1][0]
    raise InputError([Problem(
        file="", row=first.line, value=first.data.hex(" "),
        rule=foreign or f"text encoding not recognised: bytes that are valid neither as "
                        f"UTF-8 nor as GB18030 on {len({b.line for b in bad}):,} line(s) "
                        f"(the first: {first.where()})", advice=_SAVE_AS)])


def _has_header(text: str) -> bool:
    """Whether a header row stands among the first lines of ``text``."""
    lines = text.splitlines()[: MAX_TITLE_ROWS + 1] or [""]
    rows = csv.reader(lines, delimiter=_delimiter(lines[0]))
    try:
        return any(known_header_count(r) >= 2 for r in rows)
    except csv.Error:  # a field beyond the limit: not a header
        return False


def unsupported_encoding(sample: bytes) -> str | None:
    """A rule text naming the encoding ``sample`` looks like, if outturn does not read it."""
    from charset_normalizer import from_bytes

    best = from_bytes(sample[: 1 << 16]).best()
    if best is None or best.encoding.lower() in _READ:
        return None
    name = _NAMES.get(best.encoding.lower(), best.encoding)
    return f"the text looks like {name} encoding, which outturn does not read"


def _delimiter(header_line: str) -> str:
    return "\t" if header_line.count("\t") > header_line.count(",") else ","


def too_long(path: Path, line: int | None, length: int | None = None) -> InputError:
    size = f" ({length:,} bytes)" if length else ""
    return InputError([Problem(
        file=str(path), row=line,
        rule=f"a line is longer than {MAX_LINE_BYTES:,} bytes{size}",
        advice="this is not a ledger export (or line breaks were lost): check the file, "
               "re-export it, and run again")])


def _csv_error(path: Path, line: int, exc: csv.Error) -> InputError:
    """What Python's csv module could not read, as a problem naming the line."""
    if "field larger" in str(exc):
        return too_long(path, line)
    return InputError([Problem(file=str(path), row=line, rule=f"the line cannot be read as "
                               f"CSV ({exc})", advice="check the quoting and line breaks of "
                               "this line, or export the file again")])


def read_csv(path: Path, encoding: str | None = None) -> RawTable:
    """Read a CSV or tab-separated export as text, detecting encoding, delimiter, header."""
    layout, clean = sniff(path, encoding)
    if not clean:
        return _read_python(layout)
    try:
        return _read_arrow(layout)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        if "straddl" in str(exc):
            raise too_long(path, *first_long_line(path)) from None
        # ragged rows, bytes that do not decode, a header with no line after it: the
        # Python reader reads or reports them line by line
        return _read_python(layout)


def sniff(path: Path, encoding: str | None = None) -> tuple[Layout, bool]:
    """The file's encoding, delimiter, header and titles, from its first megabyte; and
    whether those bytes all decode (else only the line-by-line reader will do)."""
    with open(path, "rb") as fh:
        sample = fh.read(SNIFF_BYTES)
    try:
        enc = encoding or detect_encoding(sample)
    except InputError as exc:
        raise InputError([Problem(**{**p.__dict__, "file": str(path)})
                          for p in exc.problems]) from None
    head_text = sample.decode(enc, errors="replace")
    if len(sample) == SNIFF_BYTES and "\n" not in head_text:
        raise too_long(path, 1)
    delimiter = _delimiter(head_text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(head_text, newline=""), delimiter=delimiter)
    try:
        head_rows = list(itertools.islice(reader, MAX_TITLE_ROWS + 1))
    except csv.Error as exc:
        raise _csv_error(path, reader.line_num, exc) from None
    try:
        header_idx = find_header(head_rows, path, read_as=_shown(enc))
    except InputError:
        foreign = unsupported_encoding(sample) if encoding is None else None
        if foreign:
            raise InputError([Problem(file=str(path), rule=foreign, advice=_SAVE_AS)]) from None
        raise
    names = header_names(head_rows[header_idx], path, row=header_idx + 1)
    titles = tuple("".join(r).strip() for r in head_rows[:header_idx])
    layout = Layout(path, enc, delimiter, header_idx, names, titles)
    return layout, not decode(sample if len(sample) < SNIFF_BYTES else sample[:-4], enc)[1]


def _shown(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8", "gb18030": "GB18030"}.get(
        encoding, encoding.upper())


@dataclass(frozen=True)
class Layout:
    """What the sniffing found: everything the two readers need."""

    path: Path
    encoding: str
    delimiter: str
    header_idx: int
    names: list[str]
    titles: tuple[str, ...]

    def table(self, frame: pd.DataFrame, rows: np.ndarray,
              issues: list[CellIssue] | None = None) -> RawTable:
        return RawTable(frame, self.path, rows, self.header_idx + 1, encoding=self.encoding,
                        titles=self.titles, issues=issues or [])


def arrow_options(layout: Layout, block_bytes: int = _BLOCK_BYTES) -> dict[str, object]:
    """pyarrow's CSV options for a file: every cell text, repeated columns dictionary-
    encoded, empty lines kept as rows (so each row's line is known), one line per row."""
    enc = layout.encoding
    return {
        "read_options": pacsv.ReadOptions(
            encoding="utf8" if enc in ("utf-8", "utf-8-sig", "utf8") else enc,
            skip_rows=layout.header_idx + 1, column_names=layout.names,
            block_size=block_bytes),
        "convert_options": pacsv.ConvertOptions(
            column_types={name: _DICTIONARY if resolve_header(name).column in REPEATED_COLUMNS
                          else pa.large_string() for name in layout.names},
            strings_can_be_null=False, quoted_strings_can_be_null=False),
        "parse_options": pacsv.ParseOptions(delimiter=layout.delimiter,
                                            newlines_in_values=False, ignore_empty_lines=False),
    }


def _read_arrow(layout: Layout) -> RawTable:
    table = pacsv.read_csv(layout.path, **arrow_options(layout))  # type: ignore[arg-type]
    check_line_lengths(table, layout)
    frame = table.to_pandas()
    first = layout.header_idx + 2
    return layout.table(frame, np.arange(first, first + len(frame), dtype=np.int64))


def check_line_lengths(table: pa.Table, layout: Layout, first_row: int = 0) -> None:
    """Refuse lines beyond :data:`MAX_LINE_BYTES`; the widest cells bound them cheaply."""
    widest = 0
    for column in table.columns:  # chunk by chunk: nothing is copied
        widest += max((int(pc.max(pc.binary_length(
            chunk.dictionary if isinstance(chunk.type, pa.DictionaryType) else chunk)).as_py() or 0)
            for chunk in column.chunks), default=0)
    if widest + len(table.columns) <= MAX_LINE_BYTES:
        return
    lengths = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:
        lengths += pc.fill_null(pc.binary_length(column.cast(pa.large_string())), 0) \
            .to_numpy(zero_copy_only=False)
    lengths += len(table.columns)
    long = np.flatnonzero(lengths > MAX_LINE_BYTES)
    if len(long):
        raise too_long(layout.path, layout.header_idx + 2 + first_row + int(long[0]),
                        int(lengths[long[0]]))


def _read_python(layout: Layout) -> RawTable:
    """Line-exact reading for ragged rows and undecodable bytes."""
    text, bad = decode(layout.path.read_bytes(), layout.encoding)
    if bad and not _tolerable(bad, text):
        first = bad[0]
        raise InputError([Problem(
            file=str(layout.path), row=first.line, value=first.data.hex(" "),
            rule=f"{len({b.line for b in bad}):,} lines hold bytes that are not valid "
                 f"{_shown(layout.encoding)} (the first: line {first.line}, "
                 f"{first.describe(_shown(layout.encoding))})", advice=_SAVE_AS)])
    bad_on = {}
    for b in bad:
        bad_on.setdefault(b.line, b)
    names, width = layout.names, len(layout.names)
    records: list[list[str]] = []
    rows: list[int] = []
    problems: list[Problem] = []
    issues: list[CellIssue] = []
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""),
                        delimiter=layout.delimiter)
    try:
        for i, cells in enumerate(reader):
            if i <= layout.header_idx or not any(c.strip() for c in cells):
                continue
            if len(cells) > width and not any(c.strip() for c in cells[width:]):
                cells = cells[:width]
            elif len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            elif len(cells) > width:
                problems.append(Problem(
                    file=str(layout.path), row=reader.line_num,
                    value=layout.delimiter.join(cells[width:]),
                    rule=f"row has {len(cells)} cells but the header has {width}",
                    advice="remove the extra cells or quote values that contain commas"))
                continue
            if reader.line_num in bad_on:
                found = bad_on[reader.line_num]
                issues.extend(CellIssue(len(records), names[j], f"bytes that are not valid "
                                        f"{_shown(layout.encoding)}, so the text cannot be read",
                                        _SAVE_AS, found.where())
                              for j, c in enumerate(cells) if "\ufffd" in c)
            records.append(cells)
            rows.append(reader.line_num)
    except csv.Error as exc:
        raise _csv_error(layout.path, reader.line_num, exc) from None
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame(records, columns=names, dtype="str")
    return layout.table(frame, np.asarray(rows, dtype=np.int64), issues)
