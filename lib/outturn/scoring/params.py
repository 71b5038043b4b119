"""The parameter types of scoring methods and metrics: :class:`Param` and its checks.

Each method (:data:`outturn.scoring.methods.METHODS`) and each metric
(:data:`outturn.scoring.metric_values.METRICS`) registers the parameters it accepts with
its function. A rule of a rule set (``outturn.scoring.rules``) may give a parameter only
if its method or its metric lists it, with a value of the listed type; a misspelt name
(``bassis:`` for ``basis:``) is therefore an error naming the allowed names, never a
parameter silently ignored while its default applies. docs/scoring.md prints the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: A check of one value: the reason it is wrong, or "" when it is fine.
Check = Callable[[Any], str]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def number(value: Any) -> str:
    """number (5, 0.5, -2; not quoted, not true/false)"""
    return "" if _is_number(value) else f"must be a number, not {value!r}"


def positive(value: Any) -> str:
    """number above 0"""
    return number(value) or ("" if value > 0 else f"must be above 0, not {value!r}")


def non_negative(value: Any) -> str:
    """number of at least 0"""
    return number(value) or ("" if value >= 0 else f"must be at least 0, not {value!r}")


def flag(value: Any) -> str:
    """true or false"""
    return "" if isinstance(value, bool) else f"must be true or false, not {value!r}"


def text(value: Any) -> str:
    """text"""
    return "" if isinstance(value, str) and value.strip() else f"must be a text, not {value!r}"


def month(value: Any) -> str:
    """whole number 1–12"""
    ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 12
    return "" if ok else f"must be a month from 1 to 12, not {value!r}"


def one_of(*choices: str) -> Check:
    """One of ``choices`` (text)."""
    def check(value: Any) -> str:
        return "" if value in choices else f"must be one of {', '.join(choices)}, not {value!r}"
    check.__doc__ = f"one of {', '.join(choices)}"
    return check


def band_table(value: Any) -> str:
    """list of [upper bound or null, points] pairs"""
    if not isinstance(value, list) or not value:
        return f"must be a list of [upper bound or null, points] pairs, not {value!r}"
    for pair in value:
        if not (isinstance(pair, list) and len(pair) == 2 and (pair[0] is None or _is_number(pair[0]))
                and _is_number(pair[1])):
            return f"must be a list of [upper bound or null, points] pairs; {pair!r} is not one"
    return ""


@dataclass(frozen=True)
class Param:
    """One parameter a method or metric accepts."""

    name: str
    check: Check
    required: bool = False
    #: what it does, in a few words (printed in docs/scoring.md)
    doc: str = ""

    @property
    def kind(self) -> str:
        """The type in words, from the check's docstring."""
        return (self.check.__doc__ or "").strip().rstrip(".")


#: Methods that only go with one metric (and that metric only with them).
PAIRED: dict[str, str] = {"indicators": "indicators", "manual": "manual"}
