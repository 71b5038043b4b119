"""The budget rates and their denominators, derived from summed budget phases and actual.

:func:`outturn.metrics.budget.budget_vs_actual` (and :func:`~outturn.metrics.budget.headline`,
:func:`outturn.metrics.multiyear.multi_year`) sum the budget phases and the actual
expenditure per group; :func:`derive_rates` then adds the derived amounts (available,
balance, …) and every rate of domain.md §3 with its ``_note``. The choice of execution-rate
denominator (:data:`DENOMINATORS`) and the integer parts of every rate (:data:`RATE_PARTS`,
so a report prints percentages exactly) are defined here, beside the arithmetic that uses
them.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from outturn.metrics.ratios import NOTE_SUFFIX, na_reasons, safe_ratio

__all__ = ["AVAILABLE_ZH", "DENOMINATORS", "RATE_PARTS", "Denominator", "check_denominator", "derive_rates"]

Denominator = Literal["adjusted", "original", "received", "available"]

#: The available budget: what may be spent this year, last year's carry-over included.
AVAILABLE_ZH = "可用预算（上年结转+调整后预算）"

#: Execution-rate denominators: option → (budget column, Chinese label). ``"available"``
#: puts 上年结转 into the denominator, so a department that spends last year's carry-over
#: is not shown executing more than 100 % of its budget; its column is derived here.
DENOMINATORS: dict[str, tuple[str, str]] = {
    "adjusted": ("adjusted_budget", "调整后预算"),
    "original": ("original_budget", "年初预算"),
    "received": ("funds_received", "实际到位资金"),
    "available": ("available", AVAILABLE_ZH),
}

#: Each rate column → (integer numerator column, integer denominator column).
RATE_PARTS: dict[str, tuple[str, str]] = {
    "execution_rate": ("actual", "denominator_amount"),
    "adjustment_rate": ("adjustment", "original_budget"),
    "control_rate": ("supplementary", "original_budget"),
    "final_vs_original_rate": ("actual_vs_original", "original_budget"),
    "completion_rate": ("completed", "completion_base"),
    "balance_rate": ("balance", "available"),
}

#: Chinese name of the denominator of the completion rate, for notes.
_COMPLETION_BASE_ZH = "上年结转、年初预算与追加之和"


def check_denominator(denominator: str) -> None:
    """Raise ``ValueError`` unless ``denominator`` is one of :data:`DENOMINATORS`."""
    if denominator not in DENOMINATORS:
        raise ValueError(f"denominator must be one of {sorted(DENOMINATORS)}, not {denominator!r}")


def derive_rates(frame: pd.DataFrame, denominator: Denominator) -> pd.DataFrame:
    """Add derived amounts and every rate with its note to summed phases and actual.

    ``frame`` holds the summed phases, funds_received, actual and unbudgeted of each group;
    the columns added are those :func:`outturn.metrics.budget.budget_vs_actual` lists
    after them, and ``attrs`` records the denominator and :data:`RATE_PARTS`.
    """
    check_denominator(denominator)
    den_col, den_zh = DENOMINATORS[denominator]
    f = frame
    new: dict[str, object] = {}
    new["available"] = available = f["carryover"] + f["adjusted_budget"]
    new["variance"] = f["actual"] - f["adjusted_budget"]
    new["balance"] = balance = available - f["actual"]
    new["adjustment"] = adjustment = f["adjusted_budget"] - f["original_budget"]
    new["actual_vs_original"] = vs_original = f["actual"] - f["original_budget"]
    new["completion_base"] = base = f["carryover"] + f["original_budget"] + f["supplementary"]
    new["completed"] = completed = base - balance
    new["denominator"] = pd.Series([denominator] * len(f), index=f.index, dtype="str")
    # the denominator is a summed phase, or one of the amounts derived just above
    new["denominator_amount"] = den_amount = (new[den_col] if den_col in new else f[den_col]).astype("Int64")

    exec_reasons = na_reasons("执行率", den_zh)
    if denominator == "received":
        exec_reasons["missing_reason"] = "预算指标缺少实际到位资金，执行率不适用"
    rates = (("execution_rate", f["actual"], den_amount, exec_reasons),
             ("adjustment_rate", adjustment, f["original_budget"], na_reasons("预算调整率", "年初预算")),
             ("control_rate", f["supplementary"], f["original_budget"],
              na_reasons("预算控制率", "年初预算")),
             ("final_vs_original_rate", vs_original, f["original_budget"],
              na_reasons("预决算差异率", "年初预算")),
             ("completion_rate", completed, base, na_reasons("预算完成率", _COMPLETION_BASE_ZH)),
             ("balance_rate", balance, available, na_reasons("结转结余率", AVAILABLE_ZH)))
    for name, numerator, denominator_values, reasons in rates:
        rate, note = safe_ratio(numerator, denominator_values, **reasons)
        new[name], new[name + NOTE_SUFFIX] = rate.to_numpy(), note.astype("str").to_numpy()
    # one concat instead of a column insert per figure: the frame is copied once
    f = pd.concat([frame.drop(columns=[c for c in new if c in frame.columns]),
                   pd.DataFrame(new, index=frame.index)], axis=1)
    f.attrs = {
        "denominator": denominator,
        "denominator_label": den_zh,
        "rate_parts": dict(RATE_PARTS),
    }
    return f
