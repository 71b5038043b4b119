"""The alias table: header spellings, units in headers, categorical values."""

from __future__ import annotations

import pytest
from outturn.aliases import canonical_value, resolve_header, split_unit
from outturn.schema import TABLES


@pytest.mark.parametrize(("header", "column", "unit"), [
    ("年初预算数", "original_budget", None),
    ("年初预算", "original_budget", None),
    ("original_budget", "original_budget", None),
    ("年初预算数（万元）", "original_budget", "万元"),
    ("年初预算数(元)", "original_budget", "元"),
    (" 金额（元） ", "amount", "元"),
    ("金额 万元", "amount", "万元"),
    ("支付日期", "date", None),
    ("Original_Budget", "original_budget", None),
    ("无此列", None, None),
])
def test_resolve_header(header: str, column: str | None, unit: str | None) -> None:
    resolved = resolve_header(header)
    assert (resolved.column, resolved.unit) == (column, unit)


def test_split_unit_keeps_the_name() -> None:
    assert split_unit("金额（万元）") == ("金额", "万元")


@pytest.mark.parametrize(("column", "value", "canonical"), [
    ("fund_type", "一般预算", "一般公共预算"),
    ("fund_type", " 政府性基金 ", "政府性基金预算"),
    ("expense_kind", "项目", "项目支出"),
    ("direction", "≥", ">="),
    ("direction", "定性", "qualitative"),
    ("fund_type", "预算外", None),
])
def test_canonical_values(column: str, value: str, canonical: str | None) -> None:
    assert canonical_value(column, value) == canonical


def test_every_schema_column_resolves_by_its_own_name_and_chinese_name() -> None:
    for table in TABLES.values():
        for f in table.fields:
            if f.name in ("target_value", "actual_value"):
                continue  # derived, never read from a file
            assert resolve_header(f.name).column == f.name
            assert resolve_header(f.zh).column == f.name, f.zh


def test_the_alias_table_spells_the_vocabulary_s_words_and_only_those() -> None:
    from outturn import vocabulary
    from outturn.aliases import VALUE_ALIASES

    assert tuple(VALUE_ALIASES["fund_type"]) == vocabulary.FUND_SOURCES
    assert tuple(VALUE_ALIASES["expense_kind"]) == vocabulary.EXPENSE_KINDS
    for canonical, spellings in (*VALUE_ALIASES["fund_type"].items(),
                                 *VALUE_ALIASES["expense_kind"].items()):
        assert canonical in spellings  # the word itself is always accepted
