"""Scoring single indicators by the rules of 财预〔2020〕10号 (domain.md §5).

Every scorer returns a :class:`Score`: the points and a one-line Chinese explanation a
reviewer can check by eye (the figures, the rule, the deduction). Points lie in
[0, weight] and stay exact (:class:`fractions.Fraction`; the floats callers print are
made from them) so boundaries (exactly at target, exactly twice the target, exactly 90
points) never depend on float noise; figures in the explanations round half-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from outturn.money import round_half_up
from outturn.problems import OutturnError

Direction = Literal[">=", "<=", "="]
Rounding = Literal["none", "two", "whole"]

#: Qualitative grades and the share of the weight each allows: [low, high].
QUALITATIVE_BANDS: dict[str, tuple[Fraction, Fraction]] = {
    "达成": (Fraction(80, 100), Fraction(1)),
    "部分达成": (Fraction(60, 100), Fraction(80, 100)),
    "未达成": (Fraction(0), Fraction(60, 100)),
}
#: Spellings evaluators use for the three grades.
GRADE_ALIASES: dict[str, str] = {
    "达成": "达成", "达成年度指标": "达成", "完成": "达成",
    "部分达成": "部分达成", "部分达成并具有一定效果": "部分达成", "部分完成": "部分达成",
    "未达成": "未达成", "未达成且效果较差": "未达成", "未完成": "未达成",
}
#: Grade bands of a total score: (lowest total, grade), highest first.
GRADE_BANDS: tuple[tuple[int, str], ...] = ((90, "优"), (80, "良"), (60, "中"), (0, "差"))


class ScoringError(OutturnError, ValueError):
    """An indicator or table that cannot be scored as given; the message says why."""


class ExactPoints:
    """Points and weight kept exact (:class:`fractions.Fraction`, any number given taken as
    written: a float via its shortest repr); :attr:`points` and :attr:`weight` are the
    floats callers print or plot. Shared by :class:`Score` and the engine's ScoreLine."""

    exact_points: Fraction
    exact_weight: Fraction

    def __post_init__(self) -> None:
        object.__setattr__(self, "exact_points", _frac(self.exact_points))
        object.__setattr__(self, "exact_weight", _frac(self.exact_weight))

    @property
    def points(self) -> float:
        return float(self.exact_points)

    @property
    def weight(self) -> float:
        return float(self.exact_weight)


@dataclass(frozen=True)
class Score(ExactPoints):
    """Points awarded and why, kept exact."""

    exact_points: Fraction
    exact_weight: Fraction
    explanation: str
    #: True when the result overshoots the target so far that it needs an explanation.
    overshoot: bool = False


def _frac(value: float | int | Decimal | Fraction | str) -> Fraction:
    """An exact fraction of a number as written (floats via their shortest repr)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(Decimal(str(value))) if not isinstance(value, int) else Fraction(value)


def format_number(value: Fraction | float | int, places: int = 2) -> str:
    """A fraction printed with up to ``places`` decimals, rounded half-up (the half away
    from zero, as the workbook and the 指标值 column round), trailing zeros dropped.

    Points, weights and thresholds are printed with it everywhere (the 自评表's 分值, the
    explanations, the rule texts).

    >>> f = format_number
    >>> f(Fraction(8515, 1000)), f(Fraction(8525, 1000)), f(Fraction(-1, 8))
    ('8.52', '8.53', '-0.13')
    >>> f(Fraction(3, 2), 0), f(Fraction(1, 3)), f(40), f(2.5)
    ('2', '0.33', '40', '2.5')
    """
    text = f"{round_half_up(_frac(value), places):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


_num = format_number  # the short name the scoring modules use


def score_indicator(actual: float | int | Decimal | str, target: float | int | Decimal | str,
                    weight: float | int, direction: Direction, *,
                    overshoot_ratio: float = 1.3) -> Score:
    """Score a quantitative indicator, with its explanation.

    - ``">="`` (正向, more is better): full weight when actual ≥ target, else
      weight × actual / target.
    - ``"<="`` (反向, less is better): full weight when actual ≤ target; weight ×
      (1 − (actual − target) / target) when target < actual < 2 × target; 0 from twice
      the target on.
    - ``"="`` (等于): full weight when actual equals the target (for a target of 0: when
      actual ≤ 0), else 0.

    A 正向 result at or beyond ``overshoot_ratio`` × target (default 130%) is flagged: the
    rules ask for an explanation of targets set too low.
    """
    a, t, w = _frac(actual), _frac(target), _frac(weight)
    if w < 0:
        raise ScoringError(f"weight {weight} is negative")
    shown = f"实际{_num(a)}，目标{_num(t)}"
    overshoot = False
    if direction == ">=":
        if a >= t:
            points, why = w, f"{shown}，达到目标，得满分{_num(w)}分"
            overshoot = t > 0 and a >= _frac(overshoot_ratio) * t
        elif t <= 0:
            points, why = Fraction(0), f"{shown}，未达到目标，得0分"
        else:
            points = max(w * a / t, Fraction(0))
            why = f"{shown}，得分 = {_num(w)} × {_num(a)} / {_num(t)} = {_num(points)}分"
    elif direction == "<=":
        if a <= t:
            points, why = w, f"{shown}，未超过目标，得满分{_num(w)}分"
        elif t <= 0 or a >= 2 * t:
            points, why = Fraction(0), f"{shown}，达到或超过目标的2倍，得0分"
        else:
            points = w * (1 - (a - t) / t)
            why = (f"{shown}，超出目标，得分 = {_num(w)} × (1 − ({_num(a)} − {_num(t)}) / "
                   f"{_num(t)}) = {_num(points)}分")
    elif direction == "=":
        hit = a <= 0 if t == 0 else a == t
        points = w if hit else Fraction(0)
        why = f"{shown}，{'等于目标，得满分' + _num(w) + '分' if hit else '不等于目标，得0分'}"
    else:
        raise ScoringError(f"unknown direction {direction!r}: use '>=', '<=' or '='")
    if overshoot:
        why += f"（达到目标的{_num(_frac(overshoot_ratio) * 100, 0)}%以上，需说明目标设定偏低的原因）"
    return Score(points, w, why, overshoot)


def score_quantitative(actual: float, target: float, weight: float, direction: Direction
                       ) -> float:
    """Points of a quantitative indicator (see :func:`score_indicator` for the rules)."""
    return score_indicator(actual, target, weight, direction).points


def score_qualitative(grade_text: str, weight: float | int,
                      share: float | Decimal | str | None = None) -> Score:
    """Score a qualitative (定性) indicator from the evaluator's grade.

    达成 earns 80–100% of the weight, 部分达成 60–80%, 未达成 0–60%. The evaluator may
    give the exact share; it must lie in the grade's band (a share outside its band is an
    error). Without one the middle of the band is used (90%, 70%, 30%).
    """
    key = GRADE_ALIASES.get(str(grade_text).strip())
    if key is None:
        raise ScoringError(f"unknown qualitative grade {grade_text!r}: use 达成, 部分达成 or 未达成")
    low, high = QUALITATIVE_BANDS[key]
    w = _frac(weight)
    if share is None:
        part = (low + high) / 2
    else:
        part = _frac(share)
        if part > 1:  # given as a percentage
            part /= 100
        inside = low <= part <= high if key == "达成" else low <= part < high
        if not inside:
            raise ScoringError(
                f"share {_num(part * 100)}% is outside the band of {key} "
                f"({_num(low * 100)}–{_num(high * 100)}%)")
    points = w * part
    return Score(points, w, f"定性指标评为{key}，按{_num(part * 100)}%计得{_num(points)}分")


def execution_points(rate: float | Decimal | Fraction, weight: float | int = 10,
                     rounding: Rounding = "none") -> Score:
    """预算执行率 points: weight × execution rate, capped at the weight.

    ``rounding``: ``"none"`` keeps the exact product, ``"two"`` rounds it half-up to two
    decimals, ``"whole"`` to whole points (some units score 86.2% as 9, not 8.62).
    """
    r, w = _frac(rate), _frac(weight)
    exact = min(max(w * r, Fraction(0)), w)
    if rounding == "none":
        points = exact
    elif rounding in ("two", "whole"):
        places = 2 if rounding == "two" else 0
        q = Decimal(1).scaleb(-places)
        points = Fraction((Decimal(exact.numerator) / Decimal(exact.denominator))
                          .quantize(q, rounding="ROUND_HALF_UP"))
    else:
        raise ScoringError(f"unknown rounding {rounding!r}: use none, two or whole")
    why = f"预算执行率{_num(r * 100)}%，得分 = {_num(w)} × {_num(r * 100)}% = {_num(w * r)}"
    if w * r > w:
        why += f"，超过分值按{_num(w)}分计"
    elif points != exact:
        why += f"，按{'两位小数' if rounding == 'two' else '整数'}四舍五入为{_num(points)}分"
    else:
        why += "分"
    return Score(points, w, why)


def grade(total: float | int | Decimal) -> str:
    """The grade of a total score: 优 [90, 100], 良 [80, 90), 中 [60, 80), 差 [0, 60)."""
    t = _frac(total)
    if not 0 <= t <= 100:
        raise ScoringError(f"total {total} is outside 0–100")
    return next(label for low, label in GRADE_BANDS if t >= low)


def grade_legend() -> str:
    """The printed grade bands, from :data:`GRADE_BANDS` (the table :func:`grade` applies).

    >>> grade_legend()
    '90分及以上为优，80分至不足90分为良，60分至不足80分为中，不足60分为差'
    """
    parts = []
    for i, (low, label) in enumerate(GRADE_BANDS):
        if i == 0:
            parts.append(f"{low}分及以上为{label}")
        elif low == 0:
            parts.append(f"不足{GRADE_BANDS[i - 1][0]}分为{label}")
        else:
            parts.append(f"{low}分至不足{GRADE_BANDS[i - 1][0]}分为{label}")
    return "，".join(parts)


def check_blocks(weights: dict[str, float | int], total: int = 100) -> None:
    """First-level blocks (预算执行 10, 产出 50, 效益 30, 满意度 10 …) must sum to 100."""
    found = sum(_frac(v) for v in weights.values())
    if found != total:
        listed = "，".join(f"{k} {v}" for k, v in weights.items())
        raise ScoringError(f"first-level weights sum to {_num(found)}, not {total}: {listed}")
