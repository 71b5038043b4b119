"""Total, subtotal and other summary rows of a raw table, and its blank rows.

Exports carry summary rows among the data. They are found by their label standing alone
in any text cell of the row (blanks, full-width spaces and a trailing colon allowed, so
"支付本月合计电费" in a 摘要 stays data), kept out of the data, counted as total rows, and
checked where they can be:

- **totals** (合计, 总计, 本页合计, 本年合计 …) against the sum of all detail rows;
- **subtotals** (小计, and the period totals of accounting systems: 本月合计, 本期合计,
  本季合计) against the detail rows since the previous subtotal;
- **running totals** (累计, 本年累计, and the page carry-overs 过次页 / 承前页 / 转下页 /
  承上页) against the detail rows from the start of the table down to them;
- **opening balances** (上年结转, 期初余额, 年初余额 …) are not data and not checked: they
  state money of an earlier period, which no detail row of this table adds up to.

A summary row whose amount cell is blank states nothing for that column and is not
checked there. Blank rows (spacing in the export) are simply not data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from outturn.money import fen_to_yuan
from outturn.problems import Problem

#: Labels of summary rows, blanks allowed anywhere; RE2 syntax (matched in Arrow).
_SPACE = r"[\s\x{3000}]*"


def _label(body: str) -> str:
    """A pattern for a cell holding only ``body`` (and blanks, and a trailing colon)."""
    return f"^{_SPACE}(?:{body}){_SPACE}[:：]?{_SPACE}$"


def _spaced(*words: str) -> str:
    return "|".join(_SPACE.join(word) for word in words)


_TOTAL_LABEL_SPACED = _label(
    f"(?:(?:本页|本表|全部|总|部门|单位|全年|本年){_SPACE})?(?:{_spaced('合计', '小计', '总计')})")
_SUB_WORD = f"小{_SPACE}计"
_PERIOD_LABEL = _label(f"(?:{_spaced('本月', '本期', '本季', '本季度', '当月')}){_SPACE}"
                       f"(?:{_spaced('合计', '小计')})")
_RUNNING_LABEL = _label(_spaced("累计", "本年累计", "本期累计", "本季累计", "全年累计",
                                "过次页", "承前页", "转下页", "承上页", "转次页", "接上页"))
_OPENING_LABEL = _label(_spaced("上年结转", "上期结转", "上年结余", "期初余额", "年初余额",
                                "期初数", "年初数"))
@dataclass
class SummaryRows:
    """Masks of the summary rows of a table, by kind (see the module docstring)."""

    total: np.ndarray
    subtotal: np.ndarray
    running: np.ndarray
    opening: np.ndarray

    @property
    def any(self) -> np.ndarray:
        return self.total | self.subtotal | self.running | self.opening


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


#: Patterns by kind, and the characters a cell must hold to be any of them.
_KINDS = {"total": _TOTAL_LABEL_SPACED, "period": _PERIOD_LABEL, "running": _RUNNING_LABEL,
          "opening": _OPENING_LABEL}
_ANY_LABEL = "|".join(f"(?:{p})" for p in _KINDS.values())
_NEEDLES = ("计", "页", "转", "余", "初")


def _labels(values: pd.Series) -> dict[str, np.ndarray]:
    """Masks of one text column's cells holding each kind of label (plus ``sub``).

    One regex pass finds every summary label; only the (few) cells it finds are matched
    kind by kind.
    """
    n = len(values)
    if isinstance(values.dtype, pd.CategoricalDtype):
        # dictionary-encoded by the reader: judge each distinct label once
        arr = _arrow(pd.Series(values.cat.categories.astype("str")))
        codes = values.cat.codes.to_numpy()
    else:
        arr = _arrow(values)
        if not any(_may_contain(arr, needle.encode()) for needle in _NEEDLES):
            return {}
        codes = None
    hits = np.flatnonzero(_matches(arr, _ANY_LABEL))
    if not len(hits):
        return {}
    found = pa.chunked_array([arr.take(pa.array(hits))])
    out = {}
    for kind, pattern in {**_KINDS, "sub": _SUB_WORD}.items():
        mask = np.zeros(len(arr) + 1, dtype=bool)  # the extra False: code -1 (missing)
        mask[hits] = _matches(found, pattern)
        out[kind] = mask[codes] if codes is not None else mask[:n]
    return out


def find_total_rows(raw: pd.DataFrame, text_columns: list[str]) -> SummaryRows:
    """The summary rows of ``raw``, judged by its text cells (see the module docstring).

    Every label holds one of a few characters, so a column whose bytes hold none of them
    is skipped after a byte search; the others are matched in Arrow's regex engine.
    """
    n = len(raw)
    found = {kind: np.zeros(n, dtype=bool) for kind in (*_KINDS, "sub")}
    for col in text_columns:
        labels = _labels(raw[col])
        if labels:
            found["sub"] |= labels["total"] & labels["sub"]
            for kind in _KINDS:
                found[kind] |= labels[kind]
    total = found["total"] & ~found["sub"]
    subtotal = (found["sub"] | found["period"]) & ~total
    running = found["running"] & ~(total | subtotal)
    opening = found["opening"] & ~(total | subtotal | running)
    return SummaryRows(total, subtotal, running, opening)


def _mismatch(file: str, sheet: str, row: int, column: str, value: str, stated: int,
              expected: int, what: str) -> Problem:
    return Problem(
        file=file, sheet=sheet, row=row, column=column, value=value,
        rule=f"total row states {fen_to_yuan(stated)} 元 but {what} add up to "
             f"{fen_to_yuan(expected)} 元",
        advice="check for missing or extra detail rows; total rows are not counted as data")


@dataclass
class TotalsCarry:
    """What the summary rows of a file read in batches need from the batches before.

    Per source money column: the sum of all detail rows so far (a 合计 row is checked
    against the whole file, so its check waits for :meth:`finish`: the row may come
    first or last), the detail rows since the last subtotal, which may have started in
    an earlier batch, and the running total from the first row (for 累计 rows).
    """

    grand: dict[str, int] = field(default_factory=dict)
    since: dict[str, int] = field(default_factory=dict)
    #: 合计 rows waiting for the whole file: (row, column, cell text, stated 分).
    pending: list[tuple[int, str, str, int]] = field(default_factory=list)

    def finish(self, file: str, sheet: str) -> tuple[dict[str, int], list[Problem]]:
        """The totals the file's 合计 rows state, and their mismatches with all its rows."""
        declared: dict[str, int] = {}
        problems = []
        for row, column, value, stated in self.pending:
            declared[column] = stated
            grand = self.grand.get(column, 0)
            if stated != grand:
                problems.append(_mismatch(file, sheet, row, column, value, stated, grand,
                                          "the detail rows"))
        return declared, problems


def check_totals(amounts: dict[str, pd.Series], raw: pd.DataFrame, rows: np.ndarray,
                 summary: SummaryRows, detail: np.ndarray, file: str, sheet: str,
                 carry: TotalsCarry | None = None) -> tuple[dict[str, int], list[Problem]]:
    """Check summary rows; return the totals they state (分) and the mismatches found.

    ``amounts`` maps each source money column (as headed in ``raw``) to its parsed 分.
    With ``carry`` the table is one batch of a file: subtotals and running totals count
    the batches before, and 合计 rows are checked by :meth:`TotalsCarry.finish`.
    """
    declared: dict[str, int] = {}
    problems: list[Problem] = []
    if carry is None and not (summary.total.any() or summary.subtotal.any()
                              or summary.running.any()):
        return declared, problems

    def mismatch(pos: int, column: str, stated: int, expected: int, what: str) -> None:
        problems.append(_mismatch(file, sheet, int(rows[pos]), column,
                                  str(raw[column].iloc[pos]), stated, expected, what))

    for c, parsed in amounts.items():
        stated_at = parsed.notna().to_numpy(dtype=bool)  # a blank amount states nothing
        values = parsed.fillna(0).astype("int64").to_numpy()
        detail_values = np.where(detail, values, 0)
        before = carry.grand.get(c, 0) if carry else 0
        grand = int(detail_values.sum())
        for pos in np.flatnonzero(summary.total):
            stated = int(values[pos])
            if carry is not None:
                carry.pending.append((int(rows[pos]), c, str(raw[c].iloc[pos]), stated))
                continue
            declared[c] = stated
            if stated != grand:
                mismatch(pos, c, stated, grand, "the detail rows")
        start, since = 0, carry.since.get(c, 0) if carry else 0
        for pos in np.flatnonzero(summary.subtotal):
            expected = since + int(detail_values[start:pos].sum())
            if stated_at[pos] and int(values[pos]) != expected:
                mismatch(pos, c, int(values[pos]), expected, "the detail rows above it")
            start, since = pos + 1, 0
        running = np.cumsum(detail_values)
        for pos in np.flatnonzero(summary.running & stated_at):
            expected = before + int(running[pos])
            if int(values[pos]) != expected:
                mismatch(pos, c, int(values[pos]), expected,
                         "the detail rows from the first down to it")
        if carry is not None:
            carry.grand[c] = before + grand
            carry.since[c] = since + int(detail_values[start:].sum())
    return declared, problems
