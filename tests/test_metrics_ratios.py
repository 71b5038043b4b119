"""Tests for outturn.metrics.ratios: rates that may be not applicable (不适用)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from outturn.metrics.ratios import (
    DEFAULT_NEGATIVE_REASON,
    MissingColumnsError,
    add_rate,
    money_array,
    na_reasons,
    require_columns,
    safe_ratio,
)

REASONS = na_reasons("执行率", "调整后预算")


def test_na_reasons_wording() -> None:
    assert REASONS == {
        "zero_reason": "调整后预算为0，执行率不适用",
        "missing_reason": "调整后预算缺失，执行率不适用",
        "negative_reason": "调整后预算为负数，执行率不适用",
    }


def test_safe_ratio_every_path() -> None:
    num = pd.Series([9979, 5, 5, 5, -30, pd.NA], dtype="Int64")
    den = pd.Series([10000, 0, pd.NA, -4, 60, 10], dtype="Int64")
    rate, note = safe_ratio(num, den, **REASONS)
    # 9979 / 10000 = 0.9979; -30 / 60 = -0.5 (negative numerators are fine)
    assert rate.iloc[0] == 0.9979
    assert rate.iloc[4] == -0.5
    assert rate.iloc[[1, 2, 3, 5]].isna().all()
    assert note.tolist() == [
        "",
        "调整后预算为0，执行率不适用",
        "调整后预算缺失，执行率不适用",
        "调整后预算为负数，执行率不适用",
        "",
        "调整后预算缺失，执行率不适用",  # a missing numerator is missing too
    ]
    assert rate.dtype == np.float64
    assert note.dtype == "str"


def test_safe_ratio_float_nan_and_default_negative_reason() -> None:
    rate, note = safe_ratio(pd.Series([1.0, 1.0]), pd.Series([np.nan, -2.0]),
                            zero_reason="z", missing_reason="m")
    assert rate.isna().all()
    assert note.tolist() == ["m", DEFAULT_NEGATIVE_REASON]


def test_safe_ratio_aligns_on_index() -> None:
    num = pd.Series([1, 2], index=["a", "b"])
    den = pd.Series([4, 8], index=["b", "a"])
    rate, note = safe_ratio(num, den, **REASONS)
    assert rate.to_dict() == {"a": 1 / 8, "b": 2 / 4}
    # a label missing on the denominator side is missing, not an error
    rate, note = safe_ratio(num, den.loc[["a"]], **REASONS)
    assert np.isnan(rate["b"]) and note["b"] == REASONS["missing_reason"]


def test_add_rate_is_pure_and_adds_note_column() -> None:
    frame = pd.DataFrame({"actual": [50, 7], "budget": [100, 0]})
    out = add_rate(frame, "execution_rate", "actual", "budget", **REASONS)
    assert list(frame.columns) == ["actual", "budget"]  # input untouched
    assert out["execution_rate"].iloc[0] == 0.5
    assert out["execution_rate_note"].tolist() == ["", "调整后预算为0，执行率不适用"]
    assert out["execution_rate_note"].dtype == "str"


@given(
    st.lists(st.tuples(st.integers(-(2**62), 2**62), st.one_of(st.none(),
             st.integers(-(2**62), 2**62))), max_size=30)
)
def test_safe_ratio_never_inf_and_nan_always_explained(pairs: list[tuple[int, int | None]]) -> None:
    num = pd.Series([p[0] for p in pairs], dtype="Int64")
    den = pd.Series([p[1] for p in pairs], dtype="Int64")
    rate, note = safe_ratio(num, den, **REASONS)
    assert not np.isinf(rate.to_numpy()).any()
    assert (rate.isna() == (note != "")).all()
    for (n, d), r in zip(pairs, rate, strict=True):
        if d is not None and d > 0 and max(abs(n), d) <= 2**53:
            assert r == n / d  # one correctly rounded division for exact-in-float inputs


def test_missing_columns_error_names_columns() -> None:
    frame = pd.DataFrame({"a": [1]})
    with pytest.raises(KeyError) as info:
        require_columns(frame, ["a", "b", "c"], frame_name="budget", needed_by="budget_vs_actual")
    assert isinstance(info.value, MissingColumnsError)
    assert str(info.value) == "budget is missing column(s) 'b', 'c' needed by budget_vs_actual"
    assert info.value.missing == ("b", "c")


def test_money_array_accepts_whole_numbers_only() -> None:
    frame = pd.DataFrame({
        "i": pd.Series([1, 2], dtype="Int64"),
        "f": [1.0, 2.0],
        "frac": [1.5, 2.0],
        "na": pd.Series([1, None], dtype="Int64"),
        "s": ["1", "2"],
    })
    assert money_array(frame, "i", frame_name="t").tolist() == [1, 2]
    assert money_array(frame, "f", frame_name="t").dtype == np.int64
    with pytest.raises(ValueError, match="fractional"):
        money_array(frame, "frac", frame_name="t")
    with pytest.raises(ValueError, match="missing"):
        money_array(frame, "na", frame_name="t")
    with pytest.raises(TypeError):
        money_array(frame, "s", frame_name="t")
