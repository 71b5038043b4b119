"""Exact money and ratio arithmetic.

Amounts live as integer 分 (fen, 0.01 元) everywhere in memory and on disk, so sums are
exact. Conversion to 万元 (10,000 元 = 1,000,000 分) and to percentages happens only at
display time, rounded half-up (四舍五入) with integer arithmetic: Python's ``round`` is
half-to-even and a float such as 0.015 is really 0.01499…, so neither may be used here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from outturn.vocabulary import NOT_APPLICABLE

FEN_PER_YUAN = 100
FEN_PER_WAN = 1_000_000

#: How many 分 one unit of each amount scale is worth.
FEN_PER_UNIT: dict[str, int] = {"分": 1, "元": FEN_PER_YUAN, "万元": FEN_PER_WAN}


def div_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounded half away from zero (四舍五入), exactly.

    >>> div_half_up(5, 2), div_half_up(-5, 2), div_half_up(4, 3)
    (3, -3, 1)
    """
    if denominator == 0:
        raise ZeroDivisionError("div_half_up by zero")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    sign = -1 if numerator < 0 else 1
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return sign * q


def fen_to_wan(fen: int, places: int = 2) -> Decimal:
    """Convert 分 to 万元, rounded half-up to ``places`` decimals.

    >>> fen_to_wan(29_097_900_00), fen_to_wan(3_700_000), fen_to_wan(5_000)
    (Decimal('2909.79'), Decimal('3.70'), Decimal('0.01'))
    """
    scale = 10**places
    hundredths = div_half_up(int(fen) * scale, FEN_PER_WAN)
    return Decimal(hundredths).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def fen_to_yuan(fen: int) -> Decimal:
    """Convert 分 to 元 with two decimals (exact)."""
    return (Decimal(int(fen)) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def format_wan(fen: int, places: int = 2) -> str:
    """Format 分 as a 万元 figure, e.g. ``2909.79`` (no thousands separator, as reports print)."""
    return f"{fen_to_wan(fen, places):.{places}f}"


def percent(numerator: int, denominator: int, places: int = 2) -> Decimal | None:
    """Exact ratio as a percentage rounded half-up, or ``None`` when the denominator is 0.

    Both arguments are integers (分, counts), so the result does not depend on float
    representation: ``percent(3, 200)`` is ``1.50`` exactly.
    """
    if denominator == 0:
        return None
    scale = 10**places
    value = div_half_up(int(numerator) * 100 * scale, int(denominator))
    return Decimal(value).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def format_percent(numerator: int, denominator: int, places: int = 2) -> str:
    """Format an exact ratio as ``99.79%``; ``不适用`` when the denominator is 0."""
    value = percent(numerator, denominator, places)
    return NOT_APPLICABLE if value is None else f"{value:.{places}f}%"


def format_ratio(value: Fraction | Decimal | float | None, places: int = 2) -> str:
    """A ratio (0.8515) as a percentage half-up (``85.15%``); ``不适用`` for ``None`` or
    NaN (a ratio whose denominator was 0: a frame's missing value, never printed as "nan").

    >>> format_ratio(Fraction(8515, 10000)), format_ratio(0.0005), format_ratio(float("nan"))
    ('85.15%', '0.05%', '不适用')
    """
    if value is None or value != value:  # NaN is the only value unequal to itself
        return NOT_APPLICABLE
    exact = value if isinstance(value, Fraction) else Fraction(round_half_up(value, 12))
    return f"{round_half_up(exact * 100, places):.{places}f}%"


def round_half_up(value: float | Decimal | Fraction | str, places: int = 2) -> Decimal:
    """Round a value half-up; floats go through their shortest repr, not binary, and a
    fraction is rounded exactly (no 28-digit decimal context in between).

    >>> round_half_up(Fraction(8515, 1000)), round_half_up(Fraction(-1, 8)), round_half_up(2.675)
    (Decimal('8.52'), Decimal('-0.13'), Decimal('2.68'))
    >>> round_half_up(Fraction(1, 3), 0), round_half_up(Fraction(10**30 + 1, 2 * 10**30), 1)
    (Decimal('0'), Decimal('0.5'))
    """
    if isinstance(value, Fraction):
        steps = div_half_up(value.numerator * 10**places, value.denominator)
        return Decimal(steps).scaleb(-places).quantize(Decimal(1).scaleb(-places))
    dec = value if isinstance(value, Decimal) else Decimal(str(value))
    return dec.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


#: The largest amount one ledger row may hold: 1 万亿元 (10^14 分). No department's line
#: comes near it; a value beyond it is a unit mix-up (元 read as 万元) or a misplaced
#: decimal, and rejecting it keeps every realistic sum far inside int64 分.
MAX_ROW_FEN = 10**14
#: The largest total a department-year may reach in one money column: 100 万亿元 (10^16
#: 分), more than a whole national budget. Rows each under :data:`MAX_ROW_FEN` could still
#: add up past int64 分 (about 92 万亿元 … 9.2 × 10^18 分); a department-year beyond this
#: bound is rejected at ingest, so every sum the metrics take stays exact in int64.
MAX_DEPT_YEAR_FEN = 10**16


def exact_sum(values: object) -> int:
    """The exact sum of integer 分, never wrapping around as an int64 sum can.

    Each value is split into a high and a low 32-bit half; the halves are summed
    separately (no int64 overflow below 2^31 rows) and joined as a Python int.

    >>> import numpy as np
    >>> big = np.array([2**62, 2**62, 2**62], dtype=np.int64)
    >>> int(big.sum()) == 3 * 2**62      # numpy wraps around
    False
    >>> exact_sum(big) == 3 * 2**62
    True
    >>> exact_sum(np.array([-5, 3], dtype=np.int64))
    -2
    """
    import numpy as np

    to_numpy = getattr(values, "to_numpy", None)  # a pandas column: missing counts as 0
    array = to_numpy(dtype=np.int64, na_value=0) if to_numpy else np.asarray(values, dtype=np.int64)
    high, low = array >> 32, array & 0xFFFFFFFF
    return (int(high.sum()) << 32) + int(low.sum())
