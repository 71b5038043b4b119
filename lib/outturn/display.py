"""Frames of figures as a report prints them: 万元 with two decimals, exact percentages.

For notebooks and quick looks: the numbers stay exact in the metrics frames (分, integer
numerators and denominators); this turns them into the strings a reader expects.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from outturn.money import format_percent, format_wan

AMOUNTS = ("original_budget", "adjusted_budget", "actual")


def in_wan(frame: pd.DataFrame, keys: Sequence[str],
           amounts: Sequence[str] = AMOUNTS) -> pd.DataFrame:
    """The ``keys`` of a budget-vs-actual frame with its amounts in 万元 and its
    execution rate as a percentage (``不适用`` where the denominator is missing or 0)."""
    out = frame[list(keys)].copy()
    for column in amounts:
        out[column] = frame[column].map(format_wan)
    out["execution_rate"] = [
        "不适用" if pd.isna(den) else format_percent(int(num), int(den))
        for num, den in zip(frame["actual"], frame["denominator_amount"], strict=True)]
    return out
