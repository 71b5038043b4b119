"""A finance bureau's portfolio view: every department of one year side by side.

Where the rest of outturn looks at one department-year, a finance bureau (财政局) reads
all of its departments at once: who spends their budget (执行率排名), which projects lag
behind 序时进度, how 三公 spending moved on last year, how each department scored on its
自评表, and which figures stand out from the others.

The figures are not re-derived here. Each function below is a thin portfolio-shaped
wrapper over the department metrics (:func:`outturn.metrics.budget_vs_actual`,
:func:`~outturn.metrics.monthly_progress`, :func:`~outturn.metrics.sangong_summary`,
:func:`outturn.scoring.engine.score_department`), so a department's figure in the
portfolio is the figure of its own report. Functions are pure (frames in, frames out)
except :func:`load_portfolio`, the one loader at the edge (:mod:`~outturn.portfolio.loader`), which reads each
department-year from its own partition (:func:`outturn.store.read.load`), so memory grows
with the departments of one year, never with the whole ledger. For a province,
:mod:`~outturn.portfolio.on_dask` computes the ranking, the lagging projects and the 三公
changes department by department on Dask, with the same functions and the same numbers.

Money stays int64 分 and rates are fractions with an ``_note`` column
(:mod:`outturn.metrics.ratios`); the ``*_table`` functions turn a result into the
strings a report prints (万元 with two decimals, percentages rounded half-up).
"""

from __future__ import annotations

from outturn.portfolio.figures import (
    PROJECT_KEYS,
    execution_ranking,
    lagging_projects,
    sangong_changes,
    sangong_totals,
    scores,
)
from outturn.portfolio.loader import (
    Portfolio,
    load_portfolio,
)
from outturn.portfolio.outliers import (
    outliers,
    robust_z_scores,
)
from outturn.portfolio.tables import (
    execution_chart,
    execution_table,
    lagging_table,
    sangong_chart_frame,
    sangong_table,
    scores_table,
)

__all__ = [
    "PROJECT_KEYS",
    "Portfolio",
    "execution_chart",
    "execution_ranking",
    "execution_table",
    "lagging_projects",
    "lagging_table",
    "load_portfolio",
    "outliers",
    "robust_z_scores",
    "sangong_changes",
    "sangong_chart_frame",
    "sangong_table",
    "sangong_totals",
    "scores",
    "scores_table",
]
