"""在职人员控制率 from the profile."""

from __future__ import annotations

from outturn.metrics import staffing_control_rate


def test_rate_from_profile() -> None:
    result = staffing_control_rate({"staffing": {"authorised": 268, "in_post": 251}})
    assert result.rate == 251 / 268 and result.note == ""


def test_not_applicable_with_reason() -> None:
    assert "未提供" in staffing_control_rate({}).note
    zero = staffing_control_rate({"staffing": {"authorised": 0, "in_post": 3}})
    assert zero.rate is None and "编制数为0" in zero.note
