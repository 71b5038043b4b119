"""Columns added to accepted rows before they are stored: names, month, classification.

Processed tables carry the names a report needs (department, unit, project) and the
derived classification (人员经费/公用经费, 三公 category, 类/款 of each code), so every
later step reads one department-year and has all it needs.
"""

from __future__ import annotations

import pandas as pd

from outturn import classify
from outturn.sangong_items import link_items


def _names(frame: pd.DataFrame, departments: pd.DataFrame) -> pd.DataFrame:
    units = departments.drop_duplicates("unit_code").set_index("unit_code")
    depts = departments.drop_duplicates("dept_code").set_index("dept_code")
    out = frame.copy()
    out["dept_name"] = out["dept_code"].map(depts["dept_name"]).fillna("").astype("str")
    if "unit_code" in out.columns:
        out["unit_name"] = out["unit_code"].map(units["unit_name"]).fillna("").astype("str")
    return out


def _classified(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:  # no rows: any year's code tables give it the columns
        return classify.add_classification(frame, 2022)
    parts = [classify.add_classification(part, int(year))
             for year, part in frame.groupby("year", sort=True)]
    return pd.concat(parts).sort_index()


def enrich_budget(budget: pd.DataFrame, departments: pd.DataFrame) -> pd.DataFrame:
    """Budget lines with department/unit names and classification columns."""
    return _classified(_names(budget, departments))


def enrich_payments(payments: pd.DataFrame, budget: pd.DataFrame,
                    departments: pd.DataFrame) -> pd.DataFrame:
    """Payments with names, month, project name (from the budget) and classification."""
    out = _names(payments, departments)
    out["month"] = out["date"].dt.month.astype("int8")
    projects = (budget[budget["project_code"] != ""]
                .drop_duplicates(["dept_code", "year", "project_code"])
                .set_index(["dept_code", "year", "project_code"])["project_name"])
    index = pd.MultiIndex.from_frame(out[["dept_code", "year", "project_code"]])
    out["project_name"] = projects.reindex(index).fillna("").astype("str").to_numpy()
    return _classified(out)


def enrich_ledgers(budget: pd.DataFrame, payments: pd.DataFrame, departments: pd.DataFrame
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A department-year's budget lines and payments enriched, with the 三公 items of lines
    that carry no economic code linked to their payments (:func:`link_items`)."""
    budget = enrich_budget(budget, departments)
    return link_items(budget, enrich_payments(payments, budget, departments))


def enrich_indicators(indicators: pd.DataFrame, departments: pd.DataFrame) -> pd.DataFrame:
    """Indicators with the department name."""
    return _names(indicators, departments)


def enrich_named(frame: pd.DataFrame, departments: pd.DataFrame) -> pd.DataFrame:
    """Income or balance rows with the department and unit names."""
    return _names(frame, departments)
