"""Which indicators of a department-year's indicator table a rule set scores.

One home for the selection an ``indicators`` rule makes (its ``scope``, ``level1`` and
optional ``level3``), so the 自评表 and the report's count of scored indicators (六)
cannot disagree about which indicators are in the score.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

#: the scope an ``indicators`` rule reads when it names none: the department-wide indicators
DEPARTMENT_SCOPE = "部门"


def rule_selects(indicators: pd.DataFrame, params: Mapping[str, Any]) -> pd.Series:
    """Mask of the indicator rows one ``indicators`` rule scores."""
    mask = (indicators["scope"] == params.get("scope", DEPARTMENT_SCOPE)) & \
        (indicators["level1"] == params["level1"])
    if "level3" in params:  # a rule may name one indicator of the table
        mask &= indicators["level3"] == params["level3"]
    return mask.astype(bool)


def scored_mask(indicators: pd.DataFrame, rules: Any) -> pd.Series:
    """Mask of the indicator rows any ``indicators`` rule of ``rules`` scores."""
    mask = pd.Series(False, index=indicators.index)
    for rule in rules:
        if rule.method == "indicators":
            mask |= rule_selects(indicators, rule.params)
    return mask
