"""outturn: public-sector expenditure performance analysis from budget and payment ledgers.

The three-line path for a notebook::

    import outturn
    dy = outturn.load("零陵区城市管理和综合执法局", 2022)
    outturn.budget_vs_actual(dy, by=["unit_name", "project_name"])
    outturn.progress(dy)
"""

__version__ = "0.1.0"

from outturn.api import budget_vs_actual, load, multi_year, progress, sangong

__all__ = ["__version__", "budget_vs_actual", "load", "multi_year", "progress", "sangong"]
