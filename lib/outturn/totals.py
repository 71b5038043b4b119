"""Total and subtotal rows (合计, 小计, 总计) and blank rows of a raw table.

Exports carry total rows among the data. They are found by their label, kept out of the
data, and checked: a 合计/总计 row against the sum of all detail rows, a 小计 row against
the detail rows since the previous 小计. Blank rows (spacing in the export) are simply
not data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from outturn.money import fen_to_yuan
from outturn.problems import Problem

#: A total row's label (合计, 小计, 总计, 本页合计：…), blanks allowed anywhere; RE2 syntax.
_SPACE = r"[\s\x{3000}]*"
_TOTAL_LABEL_SPACED = (f"^{_SPACE}(?:(?:本页|本表|全部|总|部门|单位|全年){_SPACE})?"
                       f"(?:合{_SPACE}计|小{_SPACE}计|总{_SPACE}计){_SPACE}[:：]?{_SPACE}$")


def _arrow(values: pd.Series) -> pa.ChunkedArray:
    """The column as Arrow strings (zero-copy for pandas' Arrow-backed ``str``)."""
    arr = pa.array(values, type=pa.large_string(), from_pandas=True)
    return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])


def _matches(arr: pa.ChunkedArray, pattern: str) -> np.ndarray:
    return pc.fill_null(pc.match_substring_regex(arr, pattern), False) \
        .to_numpy(zero_copy_only=False)


def _may_contain(arr: pa.ChunkedArray, needle: bytes) -> bool:
    """Whether any cell could contain ``needle``: a scan of the raw UTF-8 data buffers.

    The buffers are viewed, not copied; candidates for the needle's first byte are
    checked for the rest of it.
    """
    for chunk in arr.chunks:
        data = chunk.buffers()[2]
        if data is None:
            continue
        view = np.frombuffer(data, dtype=np.uint8)
        hits = np.flatnonzero(view[: len(view) - len(needle) + 1] == needle[0])
        for offset, byte in enumerate(needle[1:], start=1):
            hits = hits[view[hits + offset] == byte]
        if len(hits):
            return True
    return False


def empty_rows(raw: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is blank: spacing in the export, not data.

    Only rows whose first cell is at most a few bytes long can be blank, so the text of
    the other columns is looked at for those rows alone.
    """
    if raw.empty:
        return np.zeros(0, dtype=bool)
    first = raw[raw.columns[0]]
    if isinstance(first.dtype, pd.CategoricalDtype):
        lengths = np.append(first.cat.categories.astype("str").str.len().to_numpy(), 0)
        short = lengths[first.cat.codes.to_numpy()] <= 4
    else:
        short = pc.fill_null(pc.less_equal(pc.binary_length(_arrow(first)), 4), True) \
            .to_numpy(zero_copy_only=False)
    candidates = np.flatnonzero(short)
    empty = np.zeros(len(raw), dtype=bool)
    if len(candidates):
        cells = raw.iloc[candidates]
        blank = np.ones(len(candidates), dtype=bool)
        for col in cells.columns:
            text = cells[col].astype(object).fillna("").astype("str")
            blank &= (text.str.strip() == "").to_numpy(dtype=bool)
        empty[candidates] = blank
    return empty


def find_total_rows(raw: pd.DataFrame, text_columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Masks of total (合计/总计) and subtotal (小计) rows, judged by their text cells.

    Every label ends in 计, so a column whose bytes hold no 计 is skipped after one byte
    search; only columns that do are matched cell by cell (in Arrow's regex engine).
    """
    total = np.zeros(len(raw), dtype=bool)
    subtotal = np.zeros(len(raw), dtype=bool)
    for col in text_columns:
        values = raw[col]
        if isinstance(values.dtype, pd.CategoricalDtype):
            # dictionary-encoded by the reader: judge each distinct label once
            categories = _arrow(pd.Series(values.cat.categories.astype("str")))
            codes = values.cat.codes.to_numpy()
            label = np.append(_matches(categories, _TOTAL_LABEL_SPACED), False)
            sub = np.append(_matches(categories, f"小{_SPACE}计"), False)
            match, is_sub = label[codes], sub[codes]  # code -1 (missing) hits the False
        else:
            arr = _arrow(values)
            if not _may_contain(arr, "计".encode()):
                continue
            match = _matches(arr, _TOTAL_LABEL_SPACED)
            is_sub = _matches(arr, f"小{_SPACE}计") if match.any() else match
        if match.any():
            subtotal |= match & is_sub
            total |= match & ~is_sub
    return total, subtotal & ~total


def check_totals(amounts: dict[str, pd.Series], raw: pd.DataFrame, rows: np.ndarray,
                 total_mask: np.ndarray, sub_mask: np.ndarray, detail: np.ndarray,
                 file: str, sheet: str) -> tuple[dict[str, int], list[Problem]]:
    """Check total rows; return the totals they state (分) and the mismatches found.

    ``amounts`` maps each source money column (as headed in ``raw``) to its parsed 分.
    """
    declared: dict[str, int] = {}
    problems: list[Problem] = []
    if not (total_mask.any() or sub_mask.any()):
        return declared, problems

    def mismatch(pos: int, column: str, stated: int, expected: int, what: str) -> None:
        problems.append(Problem(
            file=file, sheet=sheet, row=int(rows[pos]), column=column,
            value=str(raw[column].iloc[pos]),
            rule=f"total row states {fen_to_yuan(stated)} 元 but {what} add up to "
                 f"{fen_to_yuan(expected)} 元",
            advice="check for missing or extra detail rows; total rows are not counted as data",
        ))

    for c, parsed in amounts.items():
        values = parsed.fillna(0).astype("int64").to_numpy()
        detail_values = np.where(detail, values, 0)
        grand = int(detail_values.sum())
        for pos in np.flatnonzero(total_mask):
            stated = int(values[pos])
            declared[c] = stated
            if stated != grand:
                mismatch(pos, c, stated, grand, "the detail rows")
        start = 0
        for pos in np.flatnonzero(sub_mask):
            expected = int(detail_values[start:pos].sum())
            if int(values[pos]) != expected:
                mismatch(pos, c, int(values[pos]), expected, "the detail rows above it")
            start = pos + 1
    return declared, problems
