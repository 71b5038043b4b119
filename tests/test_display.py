"""Display helpers: exact 万元 and percentages from a metrics frame."""

from __future__ import annotations

import pandas as pd
from outturn.display import in_wan


def test_in_wan_formats_amounts_and_rates_exactly() -> None:
    frame = pd.DataFrame({
        "unit": ["局本级", "路灯所", "新项目"],
        "original_budget": [1_000_000, 15_000, 0], "adjusted_budget": [2_000_000, 15_000, 0],
        "actual": [1_000_000, 5_000, 7_000],
        "denominator_amount": pd.array([2_000_000, 15_000, 0], dtype="Int64"),
    })
    shown = in_wan(frame, ["unit"])
    assert shown["adjusted_budget"].tolist() == ["2.00", "0.02", "0.00"]  # 0.015 → 0.02
    assert shown["actual"].tolist() == ["1.00", "0.01", "0.01"]
    assert shown["execution_rate"].tolist() == ["50.00%", "33.33%", "不适用"]
