"""Row problems collected while a table is normalised, and the cells a reader flagged.

:class:`RowErrors` gathers, per rule, the positions of the rows that break it, lists the
first :data:`MAX_LISTED` of each as problems and sums up the rest, and joins each
rejected row's reasons only at the end (vector operations, not an object per row).
The two functions turn the reader's :class:`~outturn.ingest.rawtable.CellIssue` s (a formula
never calculated, undecodable bytes) into row problems, and keep total rows whose
amount could not be read out of the total checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from outturn.ingest.rawtable import RawTable
from outturn.problems import Problem

#: Rows listed one by one per column and rule; beyond that one summary problem says how
#: many more there are (every one of them is in the rejected rows with its reason).
MAX_LISTED = 1000


@dataclass
class Listing:
    """Rows listed so far per rule, shared by the batches of a file read in pieces.

    A file read whole lists the first :data:`MAX_LISTED` rows of each rule and one line
    summing up the rest. Read in batches, each batch asks :meth:`allow` how many of its
    rows may still be listed, and reports the rest with :meth:`more`; the summary lines,
    with the counts of all batches, come from :meth:`summaries` once the file is read.
    """

    listed: dict[tuple[str, ...], int] = field(default_factory=dict)
    extra: dict[tuple[str, ...], tuple[Callable[[int, int], Problem], int]] = field(
        default_factory=dict)

    def allow(self, key: tuple[str, ...], wanted: int) -> int:
        """How many of ``wanted`` rows of rule ``key`` to list (and count them listed)."""
        done = self.listed.get(key, 0)
        take = max(0, min(wanted, MAX_LISTED - done))
        self.listed[key] = done + take
        return take

    def more(self, key: tuple[str, ...], count: int,
             summary: Callable[[int, int], Problem]) -> None:
        """``count`` rows of rule ``key`` not listed; ``summary(extra, listed)`` says so."""
        if count:
            self.extra[key] = (summary, self.extra.get(key, (summary, 0))[1] + count)

    def summaries(self) -> list[Problem]:
        """One problem per rule with rows beyond the listed ones, in the order first seen."""
        return [make(extra, self.listed.get(key, 0)) for key, (make, extra) in self.extra.items()]


@dataclass
class ListedCall:
    """One check's call on a :class:`RecordedListing`: the rows it listed, how many more it
    had, and the summary line it would give for them."""

    key: tuple[str, ...]
    problems: list[Problem]
    extra: int = 0
    summary: Callable[[int, int], Problem] | None = None


@dataclass
class RecordedListing(Listing):
    """A :class:`Listing` for one file checked on its own (a task of an ingest spread over
    workers) that remembers each call, so that :func:`replay` can later apply the cap per
    rule across every file, in the order the files are read, as one shared listing would
    have. Each :meth:`allow` is followed by exactly the problems it allowed in ``target``
    (what every check does), so the calls cut ``target`` into each call's problems."""

    calls: list[tuple[tuple[str, ...], int]] = field(default_factory=list)
    extras: list[tuple[int, Callable[[int, int], Problem]]] = field(default_factory=list)

    def allow(self, key: tuple[str, ...], wanted: int) -> int:
        take = super().allow(key, wanted)
        self.calls.append((key, take))
        self.extras.append((0, _no_summary))
        return take

    def more(self, key: tuple[str, ...], count: int,
             summary: Callable[[int, int], Problem]) -> None:
        super().more(key, count, summary)
        self.extras[-1] = (self.extras[-1][0] + count, summary)

    def cut(self, problems: list[Problem]) -> list[ListedCall]:
        """Every call, with its problems from ``problems`` (all the calls' problems)."""
        out, at = [], 0
        for (key, take), (extra, summary) in zip(self.calls, self.extras, strict=True):
            out.append(ListedCall(key, problems[at:at + take], extra, summary))
            at += take
        if at != len(problems):
            raise AssertionError(f"{len(problems)} problems for {at} listed rows")
        return out


def _no_summary(extra: int, shown: int) -> Problem:  # pragma: no cover - never called
    raise AssertionError("a listing call without rows beyond the cap has no summary")


def replay(calls: list[ListedCall], listing: Listing) -> list[Problem]:
    """The problems ``calls`` (of files checked one by one, in reading order) list under
    the one ``listing`` shared by every file: each rule keeps its first :data:`MAX_LISTED`
    rows across the files, and the rest go to the listing's summary lines.

    A file's call listed ``min(wanted, cap left in the file)``; the shared listing has at
    most that much left, so taking its allowance from the file's listed rows gives the
    rows a shared listing would have listed.
    """
    out: list[Problem] = []
    for call in calls:
        take = listing.allow(call.key, len(call.problems))
        out += call.problems[:take]
        more = len(call.problems) - take + call.extra
        if more and call.summary is not None:
            listing.more(call.key, more, call.summary)
    return out


@dataclass
class RowErrors:
    """Row-level problems collected while normalising, by position in the frame.

    Reasons are kept as (positions, text) pairs and joined per row only at the end, so a
    file whose every row is bad costs vector operations, not millions of Python objects.
    """

    raw: pd.DataFrame
    rows: np.ndarray
    file: str
    sheet: str
    problems: list[Problem] = field(default_factory=list)
    parts: list[tuple[np.ndarray, str]] = field(default_factory=list)
    #: Shared with the other batches of the file when it is read in batches.
    listing: Listing | None = None

    def add(self, where: np.ndarray | pd.Series, source_col: str, rule: str, advice: str,
            severity: str = "error", details: list[str] | None = None) -> None:
        """Record ``rule`` broken at ``where`` (a boolean mask or an array of positions).

        ``details`` (one per position) say exactly where in the row, e.g. the cell.
        """
        where = np.asarray(where)
        positions = np.flatnonzero(where) if where.dtype == bool else where.astype(np.int64)
        if not len(positions):
            return
        key = (self.file, self.sheet, source_col, rule, severity)
        listed = positions[:MAX_LISTED if self.listing is None
                           else self.listing.allow(key, len(positions))]
        # a column the file lacks (its value a default) is named, with no value to show
        values = self.raw[source_col].iloc[listed].astype("str").tolist() \
            if source_col in self.raw.columns else [""] * len(listed)
        rules = [f"{rule} ({d})" for d in details[:len(listed)]] if details else [rule] * len(listed)
        self.problems.extend(
            Problem(file=self.file, sheet=self.sheet, row=int(self.rows[pos]),
                    column=source_col, value=value, rule=text, advice=advice,
                    severity=severity)  # type: ignore[arg-type]
            for pos, value, text in zip(listed, values, rules, strict=True))
        def summary(extra: int, shown: int) -> Problem:
            return Problem(
                file=self.file, sheet=self.sheet, column=source_col, severity=severity,  # type: ignore[arg-type]
                rule=f"{rule}: {extra:,} more row(s) like the {shown:,} above",
                advice=advice + " (every row is in the rejected rows)")

        if self.listing is not None:
            self.listing.more(key, len(positions) - len(listed), summary)
        elif len(positions) > len(listed):
            self.problems.append(summary(len(positions) - len(listed), len(listed)))
        if severity == "error":
            self.parts.append((positions, f"{source_col}: {rule}" if source_col else rule))

    def mask(self, n: int) -> np.ndarray:
        """Rows with at least one error."""
        bad = np.zeros(n, dtype=bool)
        for positions, _ in self.parts:
            bad[positions] = True
        return bad

    def reasons(self, n: int, positions: np.ndarray) -> list[str]:
        """The joined reasons of the rows at ``positions``."""
        text = np.full(n, "", dtype=object)
        for where, reason in self.parts:
            current = text[where]
            text[where] = np.where(current == "", reason, current + "; " + reason)
        return text[positions].tolist()



def cell_issue_errors(raw: RawTable, used: set[str], detail: np.ndarray,
                 errs: RowErrors) -> dict[str, np.ndarray]:
    """Reject the rows whose cells the reader could not read (formulas never calculated,
    undecodable bytes); such cells in unused columns are warnings. Returns, per column,
    the mask of those cells, so parsing does not report them a second time."""
    masks: dict[str, np.ndarray] = {}
    groups: dict[tuple[str, str, str], list[tuple[int, str]]] = {}
    for issue in raw.issues:
        masks.setdefault(issue.column, np.zeros(len(raw.frame), dtype=bool))[issue.position] = True
        groups.setdefault((issue.column, issue.rule, issue.advice), []).append(
            (issue.position, issue.detail))
    for (column, rule, advice), found in groups.items():
        found = [(p, d) for p, d in found if detail[p]]
        if found:
            errs.add(np.asarray([p for p, _ in found], dtype=np.int64), column, rule, advice,
                     severity="error" if column in used else "warning",
                     details=[d for _, d in found])
    return masks


def unchecked_totals(raw: RawTable, totals: np.ndarray, unreadable: dict[str, np.ndarray],
                      problems: list[Problem], stated: dict[str, int],
                      errs: RowErrors) -> list[Problem]:
    """Total rows whose amount the reader could not read (a ``=SUM()`` never calculated)
    are not checked: their mismatch is replaced by a warning saying so, and what they
    state is not taken as the file's declared total."""
    skipped: set[tuple[int, str]] = set()
    for column, mask in unreadable.items():
        for pos in np.flatnonzero(mask & totals):
            row = int(raw.source_rows[pos])
            skipped.add((row, column))
            stated.pop(column, None)
            errs.problems.append(Problem(
                file=str(raw.path), sheet=raw.sheet, row=row, column=column,
                value=str(raw.frame[column].iloc[pos]), severity="warning",
                rule="total row holds a formula without a calculated value, so it is not "
                     "checked (the detail rows are read as usual)",
                advice="open the workbook in Excel or WPS so the formulas are calculated, "
                       "save it, and run again to have the total checked"))
    return [p for p in problems if (p.row, p.column) not in skipped]
