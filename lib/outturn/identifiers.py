"""Safe identifiers: the one pattern for department and unit codes, and path joins that
cannot leave their root.

Department codes become folder names (``dept_code=115`` partitions in the snapshot,
``outputs/<year>/115/`` report folders, ``profiles/115/``) and link targets in the index
page; unit codes sit beside them in the same rows. A code read from a ledger is
therefore data that ends up in a path, and a code such as ``../../data/raw`` or
``115/x`` must never get there. :data:`CODE_PATTERN` is the only definition of what a
code may look like: ingest rejects rows whose codes do not match it (``outturn.ingest.validate``)
and every place that builds a path from a code checks it again with :func:`check_code`
and :func:`safe_join`, so a stale snapshot or a hand-typed ``--dept`` cannot escape either.

A code is 1–32 ASCII letters, digits, ``-``, ``_`` and ``.``, starting and ending with a
letter or digit, without ``..`` and not a Windows device name (``CON``, ``NUL``,
``COM1`` …). That keeps out path separators (``/``, ``\\``), dots-only names (``.``,
``..``), hidden names (a leading dot), whitespace, control characters and NUL, and ``:``
(so no code reads as a ``javascript:`` link or a Windows drive). Chinese characters are
not allowed: the codes of the budget systems are digits (``115``, ``115001``, ``015``),
and ASCII names travel through zip files, Windows shares and URLs unchanged.

>>> [is_safe_code(c) for c in ("115", "115001", "015", "P1", "LL115-2022_a.1")]
[True, True, True, True, True]
>>> [is_safe_code(c) for c in ("", "..", ".", "115/x", "a\\x00b", "javascript:x", ".115")]
[False, False, False, False, False, False, False]
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from outturn.problems import OutturnError

#: Longest code accepted (the budget systems' codes are 3–15 characters).
MAX_CODE_LENGTH = 32

#: The one pattern of department and unit codes (see the module docstring).
CODE_PATTERN = (
    r"(?!.*\.\.)"                                      # no ".." anywhere
    r"(?!(?i:con|prn|aux|nul|com[1-9]|lpt[1-9])(?:\.|$))"  # no Windows device names
    rf"[A-Za-z0-9](?:[A-Za-z0-9._-]{{0,{MAX_CODE_LENGTH - 2}}}[A-Za-z0-9])?"
)
_CODE_RE = re.compile(CODE_PATTERN, re.ASCII)

#: What the pattern allows, in words (problem messages and docs quote it).
CODE_RULE = (f"not a valid code: a code is 1–{MAX_CODE_LENGTH} letters, digits, '-', '_' or "
             "'.', starting and ending with a letter or digit")
#: What to do about a code that does not match.
CODE_ADVICE = ("enter the code as the budget system writes it, e.g. 115 or 115001: no '/', "
               "'\\', ':', spaces, control characters or '..'")


class UnsafeIdentifier(OutturnError):
    """A code or path part that could leave its folder or break a link (see the module)."""


def is_safe_code(text: object) -> bool:
    """Whether ``text`` is a string matching :data:`CODE_PATTERN`.

    >>> is_safe_code("115"), is_safe_code("115 "), is_safe_code("x" * 33), is_safe_code(115)
    (True, False, False, False)
    >>> is_safe_code("nul"), is_safe_code("nul1"), is_safe_code("a..b"), is_safe_code("a.b")
    (False, True, False, True)
    """
    return isinstance(text, str) and _CODE_RE.fullmatch(text) is not None


def check_code(text: object, what: str = "code") -> str:
    """``text`` when it is a safe code, else :class:`UnsafeIdentifier` saying why.

    >>> check_code("115", "department code")
    '115'
    >>> check_code("../x", "department code")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    outturn.identifiers.UnsafeIdentifier: department code '../x': not a valid code: a code is 1–32 ...
    """
    if not is_safe_code(text):
        raise UnsafeIdentifier(f"{what} {text!r}: {CODE_RULE}")
    return str(text)


def unsafe_codes(values: pd.Series) -> np.ndarray:
    """Which cells hold a non-empty code that does not match :data:`CODE_PATTERN`.

    Empty cells are not flagged (whether a code is required is a rule of its own).
    Categorical columns are checked once per category, so a million repeated codes cost
    a handful of regex matches.

    >>> unsafe_codes(pd.Series(["115", "", "115/x", None])).tolist()
    [False, False, True, False]
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        bad_categories = np.array([_unsafe(c) for c in values.cat.categories], dtype=bool)
        codes = values.cat.codes.to_numpy()
        return np.where(codes < 0, False, bad_categories[np.maximum(codes, 0)]) \
            if len(bad_categories) else np.zeros(len(values), dtype=bool)
    return np.fromiter((_unsafe(v) for v in values), dtype=bool, count=len(values))


def _unsafe(value: object) -> bool:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return False
    return value != "" and not is_safe_code(value)


def safe_join(root: Path | str, *parts: str) -> Path:
    """``root / part / …`` resolved, or :class:`UnsafeIdentifier` if it could escape.

    Each part must be one name (not empty, no ``/``, ``\\`` or NUL, not ``.`` or ``..``),
    and the resolved result (symlinks followed) must lie strictly inside the resolved
    root. Callers write and remove only paths this returns, so a name from data can
    neither climb out of its folder nor alias the folder itself.

    >>> root = Path("/srv/outputs")
    >>> safe_join(root, "2022", "115") == root.resolve() / "2022" / "115"
    True
    >>> safe_join(root, "2022", "../../data/raw")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    outturn.identifiers.UnsafeIdentifier: '../../data/raw' cannot be used as a folder or file name ...
    """
    base = Path(root).resolve()
    for part in parts:
        if (not isinstance(part, str) or part in ("", ".", "..")
                or any(c in part for c in "/\\\x00")):
            raise UnsafeIdentifier(
                f"{part!r} cannot be used as a folder or file name under {base}: it must be "
                "one name without '/', '\\', NUL, '.' or '..'")
    try:
        target = base.joinpath(*parts).resolve()
    except (OSError, ValueError) as exc:  # a symlink loop, a name too long …
        raise UnsafeIdentifier(f"{'/'.join(parts)!r} under {base} cannot be resolved: {exc}") \
            from exc
    if not parts:
        return base
    if target == base or not target.is_relative_to(base):
        raise UnsafeIdentifier(f"{'/'.join(parts)!r} leads to {target}, outside {base}; "
                               "a symlink or a name from the data points elsewhere")
    return target
