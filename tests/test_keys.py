"""Composite keys: equal keys exactly when the key columns are equal."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from outturn.keys import composite_keys

rows = st.lists(st.tuples(st.sampled_from(["a", "b", ""]), st.integers(0, 3)), min_size=1,
                max_size=30)


@given(rows, rows)
def test_keys_equal_iff_values_equal(left: list, right: list) -> None:
    a = pd.DataFrame(left, columns=["s", "n"])
    b = pd.DataFrame(right, columns=["s", "n"])
    ka, kb = composite_keys([a, b], ["s", "n"])
    for i, x in enumerate(left):
        for j, y in enumerate(right):
            assert (ka[i] == kb[j]) == (x == y)


@given(rows, rows)
def test_categorical_and_mixed_columns_give_the_same_answer(left: list, right: list) -> None:
    a = pd.DataFrame(left, columns=["s", "n"])
    b = pd.DataFrame(right, columns=["s", "n"])
    a_cat = a.assign(s=a["s"].astype("category"))
    plain = composite_keys([a, b], ["s", "n"])
    mixed = composite_keys([a_cat, b], ["s", "n"])
    both = composite_keys([a_cat, b.assign(s=b["s"].astype("category"))], ["s", "n"])
    for ka, kb in (plain, mixed, both):
        for i, x in enumerate(left):
            for j, y in enumerate(right):
                assert (ka[i] == kb[j]) == (x == y)
