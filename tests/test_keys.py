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
