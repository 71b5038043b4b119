"""The parameters each scoring method and each metric accepts, with their types: one table.

A rule of a rule set (``outturn.scoring.rules``) may give a parameter only if its method
or its metric lists it here; its value must have the listed type. A misspelt name
(``bassis:`` for ``basis:``) is therefore an error naming the allowed names, never a
parameter silently ignored while its default applies. docs/scoring.md prints this table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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


#: Parameters of each method.
METHOD_PARAMS: dict[str, tuple[Param, ...]] = {
    "proportional": (
        Param("rounding", one_of("none", "two", "whole"), doc="points exact, to 2 decimals, or whole"),
    ),
    "deduction": (
        Param("threshold", number, True, "the value up to which the full weight is given"),
        Param("per", non_negative, True, "points off per step beyond the threshold"),
        Param("step", positive, doc="size of a step in percentage points (default 1)"),
        Param("side", one_of("above", "below"), doc="deduct above (default) or below the threshold"),
        Param("whole_steps", flag, doc="count completed steps only (default false)"),
        Param("floor", non_negative, doc="the lowest points (default 0)"),
    ),
    "bands": (
        Param("bands", band_table, True, "[[upper bound or null, points], …], increasing"),
    ),
    "full_if": (
        Param("op", one_of("<=", ">=", "=="), True, "the comparison"),
        Param("limit", number, True, "the value compared with"),
    ),
    "manual": (),
    "indicators": (
        Param("level1", text, True, "the block of the indicator table (产出指标 …)"),
        Param("level3", text, doc="one indicator of that block"),
        Param("scope", text, doc="a project's indicators instead of the department's (部门)"),
    ),
}

#: Parameters of each metric (added to its method's).
METRIC_PARAMS: dict[str, tuple[Param, ...]] = {
    "execution_rate": (
        Param("denominator", one_of("adjusted", "original", "received"),
              doc="budget the rate is taken against (default adjusted)"),
    ),
    "adjustment_rate": (),
    "control_rate": (),
    "completion_rate": (),
    "balance_rate": (),
    "sangong_change_rate": (
        Param("basis", one_of("budget", "actual"),
              doc="compare 预算数 (budget) or 支出数 (actual, the default) with last year"),
    ),
    "sangong_control_rate": (),
    "staffing_control_rate": (),
    "building_control_rate": (),
    "progress_gap": (Param("month", month, doc="the month compared (default 12)"),),
    "indicators": (),
    "manual": (),
}

#: Methods that only go with one metric (and that metric only with them).
PAIRED: dict[str, str] = {"indicators": "indicators", "manual": "manual"}


def allowed(method: str, metric: str) -> dict[str, Param]:
    """The parameters a rule with ``method`` and ``metric`` may give, by name."""
    return {p.name: p for p in (*METHOD_PARAMS[method], *METRIC_PARAMS[metric])}


def problems(method: str, metric: str, params: Mapping[str, Any]) -> list[str]:
    """What is wrong with ``params`` for ``method`` and ``metric``, in words (empty: fine)."""
    table = allowed(method, metric)
    names = ", ".join(table) or "none"
    out = [f"unknown parameter {name!r} for method {method} and metric {metric}; "
           f"allowed: {names}" for name in params if name not in table]
    out += [f"method {method} needs parameter {p.name} ({p.kind})"
            for p in table.values() if p.required and p.name not in params]
    out += [f"parameter {name} {why}" for name, value in params.items() if name in table
            if (why := table[name].check(value))]
    return out
