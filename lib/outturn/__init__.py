"""outturn: public-sector expenditure performance analysis from budget and payment ledgers.

The three-line path for a notebook::

    import outturn
    dy = outturn.load("零陵区城市管理和综合执法局", 2022)
    outturn.budget_vs_actual(dy, by=["unit_name", "project_name"])
    outturn.progress(dy)
"""

from typing import Any

from outturn.version import __version__

__all__ = ["__version__", "budget_vs_actual", "load", "multi_year", "progress", "sangong"]

#: The notebook front door's names, imported from :mod:`outturn.api` on first use, so that
#: ``import outturn.money`` (or the scoring engine) does not load pandas' Parquet stack.
_FRONT_DOOR = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> Any:
    if name in _FRONT_DOOR:
        from outturn import api

        return getattr(api, name)
    raise AttributeError(f"module 'outturn' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
