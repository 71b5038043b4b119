"""The payments' checks of the second pass, slice by slice, adding up what the ledger's
warnings need: the checks of :mod:`outturn.ingest.crosscheck` for payments read in
batches (:mod:`outturn.ingest.stream`).

Every check here is either row by row (against the budget, which is in memory) or a sum
over rows that is added up across slices: unbudgeted payments per budget key, codes
missing from the code table per file, the 三公 payments of budget lines without an
economic code, payments per source of funds. Rows of a department-year beyond any budget
and repeated vouchers are rejected here, found before this pass from the whole ledger.
The warnings at the end are those a ledger checked whole gets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from outturn import classify
from outturn.ingest.collected import Collected
from outturn.ingest.crosscheck import (
    TOO_BIG,
    budget_flags,
    class_code_problem,
    distinct_pairs,
    unbudgeted_problems,
)
from outturn.ingest.dedupe import Duplicates
from outturn.ingest.rejects import reject_rows
from outturn.ingest.sangong_check import sangong_problems
from outturn.problems import Problem
from outturn.sangong_items import funding_lines, items_of_codes
from outturn.schema import MATCH_KEY, TABLES
from outturn.vocabulary import SANGONG_CATEGORIES

_CODE_COLUMNS = (("func_code", "functional"), ("econ_code", "economic"))
_ROW_INFO = ["_file", "_sheet", "_row", "voucher_id", "project_code", "func_code",
             "econ_code", "expense_kind", "unit_code", "fund_type", "_seq"]


def _first(frame: pd.DataFrame, position: int) -> pd.Series:
    """What a warning needs of one payment (not the whole row: it is kept to the end)."""
    # column by column: ``iloc`` of one row across columns of many dtypes costs a
    # millisecond, and a ledger's warnings ask for thousands of rows
    columns = [c for c in (*_ROW_INFO, "year") if c in frame.columns]
    return pd.Series([frame[c].iat[position] for c in columns], index=columns, dtype=object,
                     name=frame.index[position])


@dataclass
class _Line:
    """The 三公 payments of one budget line without an economic code, so far."""

    items: set[str] = field(default_factory=set)
    payments: int = 0
    amount: int = 0
    first: pd.Series | None = None


@dataclass
class CheckState:
    """What the checks found in some slices, to be added to another's (a group's
    findings, found on a worker, added in the order of the groups)."""

    unbudgeted: dict[tuple[str, ...], list]
    unknown: dict[tuple[str, int, str, str], pd.Series]
    known: dict[tuple[str, int], dict[str, tuple[str, str] | None]]
    lines: dict[object, _Line]
    other_lines: set[object]
    sums: dict[tuple[int, str, str], int]


def _earlier(a: pd.Series | None, b: pd.Series) -> pd.Series:
    """Of two rows, the one read first."""
    return b if a is None or b["_seq"] < a["_seq"] else a


@dataclass
class SliceChecks:
    """The second pass's checks, run on one slice of accepted payments at a time."""

    budget: pd.DataFrame
    duplicates: Duplicates
    #: Department-years rejected whole: (year, dept_code).
    too_big: set[tuple[int, str]]
    sources: list[tuple[str, str]]
    unbudgeted: dict[tuple[str, ...], list] = field(default_factory=dict)
    unknown: dict[tuple[str, int, str, str], pd.Series] = field(default_factory=dict)
    _known: dict[tuple[str, int], dict[str, tuple[str, str] | None]] = field(default_factory=dict)
    lines: dict[object, _Line] = field(default_factory=dict)
    other_lines: set[object] = field(default_factory=set)
    sums: dict[tuple[int, str, str], int] = field(default_factory=dict)
    #: Projects with a budget line without an economic code (found from ``budget`` when
    #: not given: :meth:`fresh` hands them on rather than looking again).
    bare_projects: set[str] | None = None

    def __post_init__(self) -> None:
        if self.bare_projects is not None:
            self._bare_projects = self.bare_projects
            return
        bare = self.budget["econ_code"].astype("str") == "" if len(self.budget) else None
        self._bare_projects = set(self.budget.loc[bare, "project_code"].astype("str")) \
            if bare is not None and bare.any() else set()

    def fresh(self) -> SliceChecks:
        """The same checks with nothing found yet (for a task of its own)."""
        return SliceChecks(self.budget, self.duplicates, self.too_big, self.sources,
                           bare_projects=self._bare_projects)

    def state(self) -> CheckState:
        return CheckState(self.unbudgeted, self.unknown, self._known, self.lines,
                          self.other_lines, self.sums)

    def absorb(self, found: CheckState) -> None:
        """Add what other slices' checks found, slices read after these (which first row
        is kept is decided by reading order, so the result is that of one pass)."""
        for key, (count, total, first) in found.unbudgeted.items():
            entry = self.unbudgeted.setdefault(key, [0, 0, None])
            entry[0] += count
            entry[1] += total
            entry[2] = _earlier(entry[2], first)
        for key, row in found.unknown.items():
            self.unknown[key] = _earlier(self.unknown.get(key), row)
        for key, codes in found.known.items():
            self._known.setdefault(key, {}).update(codes)
        for line, entry in found.lines.items():
            mine = self.lines.setdefault(line, _Line())
            mine.items |= entry.items
            mine.payments += entry.payments
            mine.amount += entry.amount
            if entry.first is not None:
                mine.first = _earlier(mine.first, entry.first)
        self.other_lines |= found.other_lines
        for key, value in found.sums.items():
            self.sums[key] = self.sums.get(key, 0) + value

    def run(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Check one slice: its accepted rows (with ``budgeted``) and its rejected rows."""
        frame = frame.reset_index(drop=True)
        big = np.zeros(len(frame), dtype=bool)
        for year, dept in self.too_big:
            big |= ((frame["year"] == year) & (frame["dept_code"] == dept)).to_numpy(dtype=bool)
        repeat, at = self.duplicates.find(frame["_seq"].to_numpy(dtype=np.int64))
        at = at[~big[repeat]]  # a department-year rejected whole is rejected for that
        repeat &= ~big
        bad = big | repeat
        mini = Collected({"payments": frame}, {"payments": pd.DataFrame()}, [], [])
        if bad.any():
            reasons = pd.Series("", index=frame.index, dtype="str")
            reasons[big] = TOO_BIG
            if repeat.any():
                rules = self.duplicates.rules(at, self.sources)
                reasons.iloc[np.flatnonzero(repeat)] = ("voucher_id: " + rules).tolist()
            reject_rows(mini, "payments", bad, reasons)
        kept = mini.tables["payments"]
        budgeted, keys = budget_flags(kept, self.budget)
        kept["budgeted"] = budgeted
        self._add_unbudgeted(kept, budgeted, keys)
        self._add_unknown_codes(kept)
        self._add_sangong(kept)
        self._add_sums(kept)
        return kept, mini.rejected["payments"]

    def _add_unbudgeted(self, pay: pd.DataFrame, budgeted: np.ndarray, keys: np.ndarray) -> None:
        positions = np.flatnonzero(~budgeted)
        if not len(positions):
            return
        found, first, inverse = np.unique(keys[positions], return_index=True, return_inverse=True)
        counts = np.bincount(inverse, minlength=len(found))
        totals = np.zeros(len(found), dtype=np.int64)
        np.add.at(totals, inverse, pay["amount"].to_numpy(dtype=np.int64)[positions])
        match = pay[list(MATCH_KEY)].iloc[positions[first]].astype("str")
        for i, count, total in zip(range(len(first)), counts.tolist(), totals.tolist(),
                                   strict=True):
            pos = int(positions[first[i]])
            key = tuple(match.iloc[i])
            entry = self.unbudgeted.get(key)
            if entry is None:
                self.unbudgeted[key] = [count, total, _first(pay, pos)]
            else:
                entry[0] += count
                entry[1] += total
                if pay["_seq"].iloc[pos] < entry[2]["_seq"]:
                    entry[2] = _first(pay, pos)

    def _add_unknown_codes(self, pay: pd.DataFrame) -> None:
        for column, kind in _CODE_COLUMNS:
            distinct = distinct_pairs(pay, column, "year")
            for year, group in distinct[distinct[column] != ""].groupby("year"):
                known = self._known.setdefault((column, int(year)), {})
                new = [c for c in group[column].astype("str") if c not in known]
                if new:
                    info = classify.unknown_codes(pd.Series(new, dtype="str"), kind, int(year))
                    known.update(dict.fromkeys(new))
                    known.update({r.code: (r.nearest, r.nearest_name)
                                  for r in info.itertuples(index=False)})
                bad = [c for c in group[column].astype("str") if known[c] is not None]
                if not bad:
                    continue
                where = pay[pay[column].isin(bad).to_numpy(dtype=bool)
                            & (pay["year"] == year).to_numpy()]
                for pos in np.flatnonzero(~where.duplicated([column, "_file"]).to_numpy()):
                    row = where.iloc[pos]
                    key = (column, int(year), str(row[column]), str(row["_file"]))
                    if key not in self.unknown or row["_seq"] < self.unknown[key]["_seq"]:
                        self.unknown[key] = row

    def _add_sangong(self, pay: pd.DataFrame) -> None:
        if not self._bare_projects or pay.empty:
            return
        # only a payment of a project with such a line can be charged to one
        mine = pay["project_code"].isin(self._bare_projects).to_numpy(dtype=bool)
        if not mine.any():
            return
        items = items_of_codes(pay["econ_code"])
        sangong = np.flatnonzero((items != "") & mine)
        if len(sangong):
            line_of = funding_lines(self.budget, pay.iloc[sangong])
            positions, lines = sangong[line_of >= 0], line_of[line_of >= 0]
            self._add_lines(pay, positions, lines, items[positions])
        # a line also funds other spending when a payment of no 三公 item is charged to it
        # (which line a payment is charged to depends on its key alone: each key once)
        rest = np.flatnonzero((items == "") & mine)
        if len(rest):
            keys = pay[[*MATCH_KEY, "econ_code"]].iloc[rest].drop_duplicates()
            rest_lines = funding_lines(self.budget, keys)
            self.other_lines.update(rest_lines[rest_lines >= 0].tolist())

    def _add_lines(self, pay: pd.DataFrame, positions: np.ndarray, lines: np.ndarray,
                   items: np.ndarray) -> None:
        """Add the 三公 payments at ``positions`` to the lines that fund them, line by line
        (a slice holds many payments of few lines: the sums are taken in numpy)."""
        if not len(positions):
            return
        found, inverse = np.unique(lines, return_inverse=True)
        counts = np.bincount(inverse, minlength=len(found))
        totals = np.zeros(len(found), dtype=np.int64)
        np.add.at(totals, inverse, pay["amount"].to_numpy(dtype=np.int64)[positions])
        seqs = pay["_seq"].to_numpy(dtype=np.int64)[positions]
        by_line = np.lexsort((seqs, inverse))  # each line's payments, earliest first
        starts = np.flatnonzero(np.r_[True, np.diff(inverse[by_line]) != 0])
        kinds = pd.DataFrame({"line": inverse, "item": items}).drop_duplicates()
        line_items = kinds.groupby("line")["item"].agg(set)
        for k, (line, count, total) in enumerate(zip(found.tolist(), counts.tolist(),
                                                     totals.tolist(), strict=True)):
            entry = self.lines.setdefault(line, _Line())
            entry.items |= {str(item) for item in line_items.iloc[k]}
            entry.payments += count
            entry.amount += total
            first = by_line[starts[k]]
            if entry.first is None or seqs[first] < entry.first["_seq"]:
                entry.first = _first(pay, int(positions[first]))

    def _add_sums(self, pay: pd.DataFrame) -> None:
        if pay.empty:
            return
        sums = pay.groupby(["year", "dept_code", "fund_type"], observed=True)["amount"].sum()
        for (year, dept, fund), value in sums.items():  # type: ignore[misc]
            key = (int(year), str(dept), str(fund))
            self.sums[key] = self.sums.get(key, 0) + int(value)

    # -- the warnings, once every slice is checked ---------------------------------------

    def class_code_problems(self) -> list[Problem]:
        order = {c: i for i, (c, _) in enumerate(_CODE_COLUMNS)}
        kinds = dict(_CODE_COLUMNS)
        out = []
        for (column, year, code, _), row in sorted(
                self.unknown.items(), key=lambda kv: (order[kv[0][0]], kv[0][1], kv[1]["_seq"])):
            near, near_name = self._known[(column, year)][code] or ("", "")
            out.append(class_code_problem(row, "payments", column, kinds[column], year,
                                          near, near_name))
        return out

    def unbudgeted_problems(self) -> list[Problem]:
        return unbudgeted_problems([(row, count, total)
                                    for count, total, row in self.unbudgeted.values()])

    def sangong_problems(self) -> list[Problem]:
        found, firsts = [], []
        for line in sorted(self.lines):
            entry = self.lines[line]
            kinds = [c for c in SANGONG_CATEGORIES if c in entry.items]
            other = line in self.other_lines
            found.append({"line": line, "items": "、".join(kinds), "other": other,
                          "payments": entry.payments, "amount": entry.amount,
                          "first": len(firsts),
                          "item": kinds[0] if len(kinds) == 1 and not other else ""})
            firsts.append(entry.first)
        frame = pd.DataFrame(found, columns=["line", "items", "other", "payments", "amount",
                                             "first", "item"])
        return sangong_problems(self.budget, frame, lambda i: firsts[i])

    def payment_sums(self) -> pd.DataFrame:
        """Payments per year, department and source of funds (the balance check's)."""
        rows = [(y, d, f, a) for (y, d, f), a in sorted(self.sums.items())]
        frame = pd.DataFrame(rows, columns=["year", "dept_code", "fund_type", "amount"])
        return frame.astype({"year": "int64", "dept_code": "str", "fund_type": "str",
                             "amount": "int64"})


#: The columns of a streamed table's rejected rows, the same in every batch.
def rejected_columns(name: str) -> list[str]:
    """Every field (money also as exact 分), then where the row is from and why."""
    out = []
    for f in TABLES[name].fields:
        out.append(f.name)
        if f.kind == "money":
            out.append(f"{f.name}_fen")
    return [*out, "_file", "_sheet", "_row", "_reason"]
