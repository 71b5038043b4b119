"""PEFA aggregation: the dimension letters of an indicator combined into its score.

The PEFA 2016 Framework combines an indicator's dimensions with one of two methods
(``docs/pefa.md``): M1, weakest link, for PI-2, and M2, averaging by the official
conversion table, for PI-3. Both take letters A–D (:data:`outturn.metrics.pefa_bands.LETTERS`)
and return a score such as ``"C+"``.
"""

from __future__ import annotations

from collections.abc import Iterable

from outturn.metrics.pefa_bands import RANK

__all__ = ["m1", "m2"]

# M2 conversion table for two dimensions, keyed by the sorted pair (order does not matter).
_M2_TWO: dict[tuple[str, ...], str] = {
    tuple(sorted(pair)): score
    for pair, score in {
        "DD": "D", "DC": "D+", "DB": "C", "DA": "C+",
        "CC": "C", "CB": "C+", "CA": "B",
        "BB": "B", "BA": "B+",
        "AA": "A",
    }.items()
}  # fmt: skip


def _check_letters(letters: Iterable[str], func: str) -> list[str]:
    """The letters as a list, or ValueError if empty or any is not A, B, C or D."""
    out = list(letters)
    if not out:
        raise ValueError(f"{func}: no dimension letters given")
    bad = [x for x in out if x not in RANK]
    if bad:
        raise ValueError(f"{func}: dimension letters must be A, B, C or D; got {bad!r}")
    return out


def m1(letters: Iterable[str]) -> str:
    """Weakest-link aggregation (M1): the lowest letter, "+" if any other is higher.

    >>> m1(["C", "B", "A"]), m1(["C", "C", "C"]), m1(["D", "A", "A"])
    ('C+', 'C', 'D+')
    """
    seq = _check_letters(letters, "m1")
    lowest = max(seq, key=RANK.__getitem__)
    plus = any(RANK[x] < RANK[lowest] for x in seq)
    return lowest + ("+" if plus else "")


def m2(letters: Iterable[str]) -> str:
    """Averaging aggregation (M2) for two dimensions, by the official conversion table.

    DD→D, DC→D+, DB→C, DA→C+, CC→C, CB→C+, CA→B, BB→B, BA→B+, AA→A; the order of the
    dimensions does not matter. Only the two-dimension table is implemented (PI-3 has
    two dimensions); other counts raise ValueError.

    >>> m2(["A", "D"]), m2(["B", "C"])
    ('C+', 'C+')
    """
    seq = _check_letters(letters, "m2")
    if len(seq) != 2:
        raise ValueError(f"m2: only the two-dimension conversion table is implemented; got {len(seq)}")
    return _M2_TWO[tuple(sorted(seq))]
