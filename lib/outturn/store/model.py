"""The department-year model the metrics, scoring and report take: data, no I/O.

Kept apart from :mod:`outturn.store.read` so that code which only takes a
:class:`DeptYear` (the metrics, the scoring engine, the report model) does not load
pyarrow or the snapshot code by importing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class DeptYear:
    """Everything outturn knows about one department in one year: its budget, payments
    and indicator tables (typed as :mod:`outturn.schema` declares), its profile, and its
    income, balances and procurement where it gives them."""

    dept_code: str
    dept_name: str
    year: int
    budget: pd.DataFrame
    payments: pd.DataFrame
    indicators: pd.DataFrame
    profile: dict[str, Any] = field(default_factory=dict)
    data_version: str = ""
    #: 收入 and 结转结余 (optional ledgers): ``None`` when the department-year gives none
    income: pd.DataFrame | None = None
    balances: pd.DataFrame | None = None
    #: 政府采购 (optional ledger): ``None`` when the department-year gives none
    procurement: pd.DataFrame | None = None
