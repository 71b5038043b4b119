"""在职人员控制率: staff in post against the authorised establishment (编制数).

The figures come from the department profile (``[staffing]`` with ``authorised`` and
``in_post``), not from the ledgers. Hunan-style department scoring gives full marks at
or below 100% and deducts per point above it (domain.md §5).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StaffingControl:
    """在职人员控制率 with its parts, or the reason it does not apply."""

    in_post: int | None
    authorised: int | None
    rate: float | None
    note: str = ""


def staffing_control_rate(profile: Mapping[str, Any]) -> StaffingControl:
    """在职人员数 / 编制数 from a department profile (not applicable when either is missing
    or the establishment is 0)."""
    staffing = profile.get("staffing") or {}
    in_post, authorised = staffing.get("in_post"), staffing.get("authorised")
    if in_post is None or authorised is None:
        return StaffingControl(in_post, authorised, None,
                               "部门概况未提供编制数或在职人数，在职人员控制率不适用")
    if int(authorised) <= 0:
        return StaffingControl(int(in_post), int(authorised), None,
                               "编制数为0，在职人员控制率不适用")
    return StaffingControl(int(in_post), int(authorised), int(in_post) / int(authorised))
