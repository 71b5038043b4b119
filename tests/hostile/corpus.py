"""Helpers of the hostile corpus (``from corpus import …`` in ``test_hostile_*.py``).

The hostile corpus: ledgers of the kinds finance clerks really send, and hostile values.

Every case builds a small raw folder (the ``raw_dir`` ledgers of ``tests/conftest.py``
with one file changed), runs what a user runs, and asserts two things: the exact place a
problem is reported (file, sheet, row, column, value), and that nothing is lost — rows
and 分 in equal accepted plus rejected for every file (:func:`assert_conserved`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from outturn.problems import Problem


def assert_conserved(result) -> None:  # type: ignore[no-untyped-def]
    """Rows and 分 in equal accepted plus rejected, for every file, sheet and money column."""
    rec = result.reconciliation
    assert len(rec), "the reconciliation lists no file"
    assert (rec["rows_in"] == rec["rows_accepted"] + rec["rows_rejected"]).all(), rec.to_string()
    money = rec[rec["column"] != ""]
    for row in money.itertuples():  # Python ints: sums beyond int64 stay exact
        assert int(row.in_fen) == int(row.accepted_fen) + int(row.rejected_fen), money.to_string()
    assert result.balanced, rec.to_string()


def problems_where(problems: Iterable[Problem], **where: object) -> list[Problem]:
    """The problems whose fields equal ``where`` (``rule`` matches as a substring)."""
    out = []
    for p in problems:
        ok = True
        for key, value in where.items():
            have = getattr(p, key)
            if key in ("rule", "advice"):
                ok &= str(value) in str(have)
            elif key == "file":
                ok &= Path(str(have)).name == Path(str(value)).name
            else:
                ok &= have == value
        if ok:
            out.append(p)
    return out


def one_problem(problems: Iterable[Problem], **where: object) -> Problem:
    """The single problem matching ``where`` (fails, listing all problems, otherwise)."""
    problems = list(problems)
    found = problems_where(problems, **where)
    assert len(found) == 1, f"expected one problem like {where}, got {len(found)}:\n" + \
        "\n".join(f"  {p}" for p in problems)
    return found[0]


def files_under(root: Path) -> set[Path]:
    """Every file below ``root`` (to prove nothing was written outside a folder)."""
    return {p for p in root.rglob("*")} if root.exists() else set()
