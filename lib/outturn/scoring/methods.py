"""Scoring methods a rule set can name, each returning a :class:`Score` with its reason.

A rule set (``outturn.scoring.rules``) says which metric a rule reads and which of these
methods turns the metric's value into points:

- ``proportional``: weight × value (a rate), capped at the weight;
- ``deduction``: full weight up to a threshold, then a deduction per point (or per step
  of points) beyond it, never below a floor;
- ``bands``: points by the band the value falls in (upper bounds inclusive);
- ``full_if``: the full weight when a condition holds, else 0;
- ``manual``: the evaluator's points and reason.

Values are percentages where the rule text speaks of percentages (e.g. 在职人员控制率
103.5 means 103.5 %); arithmetic is exact (fractions).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from typing import Any, Literal

from outturn.scoring.indicators import Score, ScoringError, _frac, _num, execution_points
from outturn.scoring.params import (
    Param,
    band_table,
    flag,
    non_negative,
    number,
    one_of,
    positive,
    text,
)

Number = float | int | str | Fraction


def proportional(rate: Number, weight: Number, rounding: str = "none") -> Score:
    """weight × rate (a fraction, 0.8515 for 85.15 %), capped at the weight."""
    return execution_points(_frac(rate), weight, rounding)  # type: ignore[arg-type]


def deduction(value: Number, weight: Number, *, threshold: Number, per: Number,
              step: Number = 1, side: Literal["above", "below"] = "above",
              whole_steps: bool = False, floor: Number = 0, label: str = "") -> Score:
    """Full weight while ``value`` is on the good side of ``threshold``; beyond it, deduct
    ``per`` points for every ``step`` points (percentage points) of distance.

    With ``whole_steps`` only completed steps count (每超过1个百分点扣0.5分 read
    literally); otherwise the deduction is proportional. Points never fall below
    ``floor``. Example (Hunan 预算完成率): threshold 100, per 2, step 5, side below.
    """
    v, t, w, p, s, f = map(_frac, (value, threshold, weight, per, step, floor))
    beyond = v - t if side == "above" else t - v
    name = label or "指标值"
    if beyond <= 0:
        return Score(w, w, f"{name}{_num(v)}%，未{'超过' if side == 'above' else '低于'}"
                                         f"{_num(t)}%，得满分{_num(w)}分")
    steps = Fraction(int(beyond // s)) if whole_steps else beyond / s
    cut = steps * p
    points = max(w - cut, f)
    word = "超过" if side == "above" else "低于"
    return Score(points, w,
                 f"{name}{_num(v)}%，{word}{_num(t)}%共{_num(beyond)}个百分点，每{_num(s)}个百分点扣"
                 f"{_num(p)}分，扣{_num(min(cut, w - f))}分，得{_num(points)}分")


def bands(value: Number, weight: Number, table: Sequence[tuple[Number | None, Number]],
          label: str = "") -> Score:
    """Points by band: ``table`` lists (upper bound inclusive, points) in increasing
    order, the last bound ``None`` meaning "above every bound".

    Example (Hunan 预算控制率, weight 8): [(0, 8), (10, 6), (20, 4), (30, 2), (None, 0)].
    """
    v, w = _frac(value), _frac(weight)
    check_bands(table)
    name = label or "指标值"
    lower: Fraction | None = None
    for bound, points in table:
        p = _frac(points)
        if bound is None or v <= _frac(bound):
            where = (f"≤{_num(_frac(bound))}%" if lower is None else
                     f"在({_num(lower)}%, {_num(_frac(bound))}%]") if bound is not None \
                else f">{_num(lower or Fraction(0))}%"
            return Score(min(p, w), w, f"{name}{_num(v)}%，{where}，得{_num(p)}分")
        lower = _frac(bound)
    raise ScoringError(f"value {_num(v)} is above every band and the table has no open band")


def check_bands(table: Sequence[tuple[Number | None, Number]]) -> None:
    """Bands must have increasing upper bounds, only the last may be open (None)."""
    bounds = [b for b, _ in table]
    if not bounds:
        raise ScoringError("a band table needs at least one band")
    if any(b is None for b in bounds[:-1]):
        raise ScoringError("only the last band may be open-ended")
    closed = [_frac(b) for b in bounds if b is not None]
    if any(a >= b for a, b in pairwise(closed)):
        raise ScoringError(f"band bounds overlap or are not increasing: {bounds}")


def full_if(value: Number, weight: Number, *, op: Literal["<=", ">=", "=="],
            limit: Number, label: str = "") -> Score:
    """The full weight when ``value op limit`` holds, else 0 (e.g. no new buildings)."""
    v, w, lim = _frac(value), _frac(weight), _frac(limit)
    ok = {"<=": v <= lim, ">=": v >= lim, "==": v == lim}[op]
    name = label or "指标值"
    return Score(w if ok else Fraction(0), w,
                 f"{name}{_num(v)}，{'满足' if ok else '不满足'}{op}{_num(lim)}，得{_num(w if ok else 0)}分")


def manual(points: Number, weight: Number, reason: str) -> Score:
    """The evaluator's own points, which need a reason and may not exceed the weight."""
    p, w = _frac(points), _frac(weight)
    if not reason.strip():
        raise ScoringError("a manual score needs the evaluator's reason")
    if not 0 <= p <= w:
        raise ScoringError(f"manual points {_num(p)} are outside 0–{_num(w)}")
    return Score(p, w, f"评价人评分{_num(p)}分：{reason.strip()}")


#: How a rule applies a method that turns one figure into points: (value in percent,
#: weight, the rule's params, the metric's label) → :class:`Score`.
ValueMethod = Callable[[Fraction, Fraction, Mapping[str, Any], str], Score]


@dataclass(frozen=True)
class Method:
    """A method a rule may name: the parameters it accepts and how it scores a value
    (``apply`` is ``None`` for ``manual`` and ``indicators``, which the engine scores
    from the evaluator's judgement and the indicator table)."""

    name: str
    params: tuple[Param, ...]
    apply: ValueMethod | None = None


#: The registry the rule-set checker and the engine look methods up in: name → method.
#: A new method is one function above and one registration below, its parameters with it.
METHODS: dict[str, Method] = {}


def value_method(name: str, *params: Param) -> Callable[[ValueMethod], ValueMethod]:
    """Register ``function`` as the method ``name`` taking ``params``."""
    def register(function: ValueMethod) -> ValueMethod:
        METHODS[name] = Method(name, params, function)
        return function
    return register


@value_method("proportional",
              Param("rounding", one_of("none", "two", "whole"), doc="points exact, to 2 decimals, or whole"))
def _proportional(v: Fraction, w: Fraction, p: Mapping[str, Any], label: str) -> Score:
    return proportional(v / 100, w, p.get("rounding", "none"))


@value_method("deduction",
              Param("threshold", number, True, "the value up to which the full weight is given"),
              Param("per", non_negative, True, "points off per step beyond the threshold"),
              Param("step", positive, doc="size of a step in percentage points (default 1)"),
              Param("side", one_of("above", "below"), doc="deduct above (default) or below the threshold"),
              Param("whole_steps", flag, doc="count completed steps only (default false)"),
              Param("floor", non_negative, doc="the lowest points (default 0)"))
def _deduction(v: Fraction, w: Fraction, p: Mapping[str, Any], label: str) -> Score:
    return deduction(v, w, threshold=p["threshold"], per=p["per"], step=p.get("step", 1),
                     side=p.get("side", "above"), whole_steps=bool(p.get("whole_steps", False)),
                     floor=p.get("floor", 0), label=label)


@value_method("bands", Param("bands", band_table, True, "[[upper bound or null, points], …], increasing"))
def _bands(v: Fraction, w: Fraction, p: Mapping[str, Any], label: str) -> Score:
    return bands(v, w, [tuple(b) for b in p["bands"]], label=label)


@value_method("full_if", Param("op", one_of("<=", ">=", "=="), True, "the comparison"),
              Param("limit", number, True, "the value compared with"))
def _full_if(v: Fraction, w: Fraction, p: Mapping[str, Any], label: str) -> Score:
    return full_if(v, w, op=p["op"], limit=p["limit"], label=label)


METHODS["manual"] = Method("manual", ())
METHODS["indicators"] = Method("indicators", (
    Param("level1", text, True, "the block of the indicator table (产出指标 …)"),
    Param("level3", text, doc="one indicator of that block"),
    Param("scope", text, doc="a project's indicators instead of the department's (部门)"),
))
