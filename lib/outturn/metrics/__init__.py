"""The figures of a department's 整体支出绩效自评报告, computed from budget and payment frames.

Pure functions, DataFrame in → DataFrame out. Money stays int64 分; every rate ``x`` is a
float fraction with an ``x_note`` column that is ``""`` where it applies and gives the
Chinese reason where it does not (see :mod:`outturn.metrics.ratios`). docs/metrics.md
lists each metric with its formula, denominator options and source.
"""

from outturn.metrics.budget import (
    DENOMINATORS,
    RATE_PARTS,
    budget_vs_actual,
    headline,
    personnel_operating,
)
from outturn.metrics.multiyear import multi_year
from outturn.metrics.progress import (
    PROGRESS_DENOMINATORS,
    monthly_progress,
    time_progress,
)
from outturn.metrics.ratios import (
    NOT_APPLICABLE,
    MissingColumnsError,
    add_rate,
    na_reasons,
    require_columns,
    safe_ratio,
)
from outturn.metrics.sangong import sangong_control_rate, sangong_summary, sangong_totals
from outturn.metrics.sources import by_source
from outturn.metrics.staffing import StaffingControl, staffing_control_rate

__all__ = [
    "DENOMINATORS",
    "NOT_APPLICABLE",
    "PROGRESS_DENOMINATORS",
    "RATE_PARTS",
    "MissingColumnsError",
    "StaffingControl",
    "add_rate",
    "budget_vs_actual",
    "by_source",
    "headline",
    "monthly_progress",
    "multi_year",
    "na_reasons",
    "personnel_operating",
    "require_columns",
    "safe_ratio",
    "sangong_control_rate",
    "sangong_summary",
    "sangong_totals",
    "staffing_control_rate",
    "time_progress",
]
