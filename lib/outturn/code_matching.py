"""Which known code a user meant: "did you mean" matching for classification and org codes.

Pure string functions, kept apart from the code tables (:mod:`outturn.classify`) that
call them: the leading zeros a spreadsheet dropped (:func:`lost_zeros`), and the nearest
known code of a mistyped one by common prefix first, then edit distance
(:func:`nearest_code`), because hierarchical codes are most reliable in their leading digits.
"""

from __future__ import annotations

from collections.abc import Iterable


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: single-character insertions, deletions and substitutions."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def lost_zeros(code: str, known: Iterable[str]) -> str | None:
    """The known code ``code`` is, once the leading zeros a spreadsheet dropped are back.

    Excel and WPS read a column of digits as numbers, so ``015`` becomes ``15``.

    >>> lost_zeros("15", ["015", "115"]), lost_zeros("15001", ["015001"]), lost_zeros("15", ["150"])
    ('015', '015001', None)
    """
    text = str(code)
    if not text.isdigit():
        return None
    matches = sorted(k for k in set(known) if len(k) > len(text) and k.isdigit()
                     and k.endswith(text) and not k[: len(k) - len(text)].strip("0"))
    return matches[0] if matches else None


def nearest_code(code: str, known: Iterable[str], min_prefix: int = 3) -> str | None:
    """The known code most likely meant by an unknown ``code``, for "did you mean" messages.

    Classification codes are hierarchical, so the leading digits are the most reliable
    part of a mistyped code. The rule, in order of preference:

    1. the longest common prefix with ``code``, which must be at least ``min_prefix``
       characters (by default a whole 类), or all but the last character of a code
       shorter than that — below that nothing is suggested and ``None`` is returned;
    2. among those, the longest (most specific) known code;
    3. then the smallest edit distance (:func:`edit_distance`) to ``code``;
    4. then, for codes of the same length, the numerically closest; finally the smallest.

    So a typo in the last digit (2120108) suggests a sibling 项 (2120107), an unknown 项
    under a known 款 (2120150) suggests a 项 of that 款, and a code sharing no 类 with any
    known code gives ``None``.

    >>> nearest_code("30232", ["30231", "30239", "302"])
    '30231'
    """
    text = str(code)
    needed = max(1, min(min_prefix, len(text) - 1))
    best: tuple[int, int, int, float, str] | None = None
    for candidate in set(known):
        prefix = _common_prefix(text, candidate)
        if prefix < needed:
            continue
        numeric_gap: float = float("inf")
        if len(candidate) == len(text) and candidate.isdigit() and text.isdigit():
            numeric_gap = abs(int(candidate) - int(text))
        key = (-prefix, -len(candidate), edit_distance(text, candidate), numeric_gap, candidate)
        if best is None or key < best:
            best = key
    return None if best is None else best[-1]
