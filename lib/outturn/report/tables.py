"""The 尾差 policy: how printed parts and printed totals relate, in one place.

Every money figure is its own exact amount rounded half-up (:func:`outturn.money.fen_to_wan`)
and never altered to make a column add up; a 合计 is the exact total rounded the same way.
So the printed parts of a table may differ from its printed total by a few 0.01 — the
尾差 every official table has. Where they do, the table says so with :data:`TAIL_NOTE`,
the sentence official tables use. The relations a table's figures should satisfy are
declared with the table (:class:`RowSum`, :class:`ColumnDiff`); :func:`tail_note` tests
them on the printed cells, and the claims check (:mod:`outturn.report.claims`) asserts
that no table breaks one without the note.

Shares that must add to 100 % (a composition) are the exception: they are apportioned by
largest remainder (:func:`apportion`), so they add to exactly 100.00 %.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pandas as pd

#: the note a table carries when its printed parts and printed total differ
TAIL_NOTE = "因四舍五入，合计数与分项之和可能存在尾差"


@dataclass(frozen=True)
class RowSum:
    """Rows ``parts`` (positions) add up to row ``total`` in each of ``columns``."""

    parts: tuple[int, ...]
    total: int
    columns: tuple[str, ...]


@dataclass(frozen=True)
class ColumnDiff:
    """Column ``result`` is ``minuend − subtrahend`` in each of ``rows`` (positions)."""

    result: str
    minuend: str
    subtrahend: str
    rows: tuple[int, ...]


Relation = RowSum | ColumnDiff


def _value(text: object) -> Decimal | None:
    """A printed figure as a Decimal; ``None`` for a cell that is not a figure (—, 无)."""
    try:
        return Decimal(str(text).rstrip("%").lstrip("+"))
    except InvalidOperation:
        return None


def broken(frame: pd.DataFrame, relations: Sequence[Relation]) -> list[str]:
    """Each relation the printed cells of ``frame`` do not satisfy, in words."""
    out = []
    cells: dict[str, list[object]] = {}  # each column's cells, read once (not cell by cell)

    def column(name: str) -> list[object]:
        if name not in cells:
            cells[name] = frame[name].tolist()
        return cells[name]

    for rel in relations:
        if isinstance(rel, RowSum):
            for col in rel.columns:
                parts = [_value(column(col)[i]) for i in rel.parts]
                total = _value(column(col)[rel.total])
                if total is None or any(p is None for p in parts):
                    continue
                got = sum(parts, Decimal(0))  # type: ignore[arg-type]
                if got != total:
                    out.append(f"{col}: parts add up to {got}, total printed {total}")
        else:
            for i in rel.rows:
                a, b, r = (_value(column(c)[i]) for c in (rel.minuend, rel.subtrahend, rel.result))
                if None not in (a, b, r) and a - b != r:  # type: ignore[operator]
                    out.append(f"{rel.result} row {i + 1}: {a} − {b} printed as {r}")
    return out


def tail_note(frame: pd.DataFrame, relations: Sequence[Relation], note: str) -> str:
    """``note`` with :data:`TAIL_NOTE` added when a relation is broken by rounding."""
    if not broken(frame, relations) or TAIL_NOTE in note:
        return note
    return f"{note}；{TAIL_NOTE}" if note else TAIL_NOTE


def apportion(amounts: Sequence[int], places: int = 2) -> list[Decimal]:
    """Percent shares of ``amounts`` (non-negative integers) that add to exactly 100,
    by largest remainder: each share is floored to ``places`` decimals, and the units
    left over go to the largest remainders (ties to the earlier part).

    >>> apportion([1, 1, 1])
    [Decimal('33.34'), Decimal('33.33'), Decimal('33.33')]
    >>> apportion([269167, 21812])
    [Decimal('92.50'), Decimal('7.50')]
    >>> apportion([0, 0])
    [Decimal('0.00'), Decimal('0.00')]
    """
    total = sum(amounts)
    scale = 100 * 10**places
    quantum = Decimal(1).scaleb(-places)
    if total <= 0 or any(a < 0 for a in amounts):
        return [Decimal(0).quantize(quantum) for _ in amounts]
    floors = [a * scale // total for a in amounts]
    remainders = [a * scale % total for a in amounts]
    left = scale - sum(floors)
    order = sorted(range(len(amounts)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += 1
    return [(Decimal(f) * quantum).quantize(quantum) for f in floors]
