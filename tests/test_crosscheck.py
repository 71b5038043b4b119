"""Helpers of the cross-table checks."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from outturn.ingest.crosscheck import distinct_pairs

pairs = st.lists(st.tuples(st.sampled_from(["2120101", "2120104", "", "30101"]),
                           st.integers(2020, 2023)), min_size=1, max_size=40)


@given(pairs)
def test_distinct_pairs_equal_drop_duplicates(rows: list[tuple[str, int]]) -> None:
    plain = pd.DataFrame(rows, columns=["code", "year"])
    categorical = plain.assign(code=plain["code"].astype("category"))
    expected = set(map(tuple, plain.drop_duplicates().itertuples(index=False)))
    for frame in (plain, categorical):
        found = distinct_pairs(frame, "code", "year")
        assert set(zip(found["code"].astype(str), found["year"].astype(int), strict=True)) \
            == expected
