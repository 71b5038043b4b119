"""Problems found in input files, and the exceptions that carry them.

A problem always says where (file, sheet, row as the user sees it in the source), what
(column as written in the source, the offending value), which rule it broke and what to
do. Readers and validators collect every problem of a file instead of stopping at the
first, so a user fixes a file in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

import pandas as pd

Severity = Literal["error", "warning"]

PROBLEM_COLUMNS = ("severity", "file", "sheet", "row", "column", "value", "rule", "advice")


@dataclass(frozen=True)
class Problem:
    """One problem in one place of one input file.

    ``row`` is the 1-based line (CSV) or row (XLSX) number the user sees in the source,
    or ``None`` for problems of the whole file or column. ``severity`` ``error`` rejects
    the row (or the file when ``row`` is ``None``); ``warning`` keeps it.
    """

    file: str
    rule: str
    advice: str
    row: int | None = None
    column: str = ""
    value: str = ""
    sheet: str = ""
    severity: Severity = "error"

    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        value = f" value {self.value!r}:" if self.value != "" else ""
        return f"{self.severity}: {self.location()}:{value} {self.rule}. {self.advice}"


class OutturnError(Exception):
    """The root of every error outturn raises: a user-facing message that says what to do
    next. Callers (the CLI, the batch, notebooks) catch this one class; subclasses keep
    ``ValueError``, ``KeyError`` or ``RuntimeError`` as a second base where callers rely
    on it."""


@dataclass
class InputError(OutturnError):
    """Raised when input cannot be used at all (e.g. a file without required columns)."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        if len(self.problems) == 1:  # one problem: one line
            return str(self.problems[0])
        head = f"{len(self.problems)} problem(s) in the input:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """Problems as a table (one row each), in the order found."""
    rows = [asdict(p) for p in problems]
    frame = pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS))
    return frame.astype({"row": "Int64"})
