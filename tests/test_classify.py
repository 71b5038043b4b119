"""Tests of the classification layer: code tables, nearest codes, derived columns, rollups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from outturn import classify
from outturn.classify import (
    CLASSIFICATION_COLUMNS,
    OPERATING_CLASSES,
    PERSONNEL_CLASSES,
    SANGONG_CATEGORIES,
    SANGONG_CODES,
    add_classification,
    edit_distance,
    load_codes,
    nearest_code,
    pick_table_year,
    rollup,
    unknown_codes,
)
from outturn.problems import OutturnError

YEAR = 2022


def write_table(folder, kind: str, year: int, rows: list[tuple[str, str, str]]) -> None:
    lines = ["code,name,level", *(",".join(r) for r in rows)]
    (folder / f"{kind}_{year}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- tables


@pytest.mark.parametrize("kind", ["functional", "economic"])
def test_shipped_tables_are_well_formed(kind):
    table = load_codes(kind, YEAR)
    assert list(table.columns) == ["code", "name", "level"]
    assert table.attrs["year"] == YEAR
    assert all(str(table[c].dtype) == "str" for c in table.columns)
    assert table["code"].is_unique
    lengths = classify.LEVEL_LENGTHS[kind]
    assert (table["code"].str.len() == table["level"].map(lengths)).all()
    assert list(table["code"]) == sorted(table["code"])
    codes = set(table["code"])
    orphans = [c for c in codes for n in lengths.values() if n < len(c) and c[:n] not in codes]
    assert orphans == []


def test_table_sizes_and_required_codes():
    functional = load_codes("functional", YEAR).set_index("code")["name"]
    economic = load_codes("economic", YEAR).set_index("code")["name"]
    assert len(functional) > 900 and len(economic) > 100
    assert set(load_codes("economic", YEAR).query("level == '类'")["code"]) == {
        "301", "302", "303", "307", "309", "310", "311", "312", "313", "399",
    }
    func_classes = set(load_codes("functional", YEAR).query("level == '类'")["code"])
    assert {"201", "205", "208", "210", "212", "213", "214", "221", "229", "234"} <= func_classes
    expected = {
        "212": "城乡社区支出", "21201": "城乡社区管理事务", "2120101": "行政运行",
        "2120104": "城管执法", "2120199": "其他城乡社区管理事务支出",
        "21203": "城乡社区公共设施", "21205": "城乡社区环境卫生",
        "2120801": "征地和拆迁补偿支出", "2121301": "城市公共设施",
        "2080505": "机关事业单位基本养老保险缴费支出", "2080506": "机关事业单位职业年金缴费支出",
        "2101101": "行政单位医疗", "2210201": "住房公积金",
        "2010301": "行政运行", "2050201": "学前教育",
    }
    assert {c: functional[c] for c in expected} == expected
    assert economic["30101"] == "基本工资" and economic["31013"] == "公务用车购置"
    for code, category in SANGONG_CODES.items():
        assert economic[code] == category
    for cls in PERSONNEL_CLASSES + OPERATING_CLASSES:
        assert cls in economic.index


def test_year_fallback_in_shipped_tables():
    assert load_codes("functional", 2025).attrs["year"] == YEAR  # latest earlier
    assert load_codes("economic", 2015).attrs["year"] == YEAR  # before all: earliest
    assert classify.table_year("functional", 2023) == YEAR


def test_pick_table_year():
    assert pick_table_year([2020, 2022], 2022) == 2022
    assert pick_table_year([2020, 2022], 2021) == 2020
    assert pick_table_year([2022, 2020], 2030) == 2022
    assert pick_table_year([2020, 2022], 2018) == 2020
    assert pick_table_year([], 2022) is None


def test_year_fallback_in_a_folder(tmp_path):
    write_table(tmp_path, "functional", 2020, [("212", "城乡社区支出", "类")])
    write_table(tmp_path, "functional", 2022, [("212", "城乡社区支出", "类"),
                                               ("21201", "城乡社区管理事务", "款")])
    assert classify.available_years("functional", tmp_path) == (2020, 2022)
    assert load_codes("functional", 2021, folder=tmp_path).attrs["year"] == 2020
    assert load_codes("functional", 2019, folder=tmp_path).attrs["year"] == 2020
    assert len(load_codes("functional", 2024, folder=tmp_path)) == 2


def test_missing_table_names_the_folder(tmp_path):
    with pytest.raises(OutturnError, match=r"economic_2022\.csv") as caught:
        load_codes("economic", 2022, folder=tmp_path)
    assert str(tmp_path) in str(caught.value)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("212", "城乡社区支出", "类"), ("2120", "x", "款")], "line"),
        ([("212", "城乡社区支出", "类"), ("212", "again", "类")], "listed twice"),
        ([("212", "城乡社区支出", "组")], "line"),
        ([("21A", "bad", "类")], "line"),
    ],
)
def test_bad_tables_are_rejected(tmp_path, rows, message):
    write_table(tmp_path, "functional", 2022, rows)
    with pytest.raises(OutturnError, match=message):
        load_codes("functional", 2022, folder=tmp_path)


def test_bad_header_is_rejected(tmp_path):
    (tmp_path / "economic_2022.csv").write_text("编码,名称\n301,工资福利支出\n", encoding="utf-8")
    with pytest.raises(OutturnError, match="header"):
        load_codes("economic", 2022, folder=tmp_path)


def test_load_codes_returns_an_independent_copy():
    table = load_codes("economic", YEAR)
    table.loc[0, "name"] = "changed"
    assert load_codes("economic", YEAR).loc[0, "name"] == "工资福利支出"


def test_unknown_kind_and_level():
    with pytest.raises(ValueError, match="kind"):
        load_codes("budget", YEAR)  # type: ignore[arg-type]
    frame = pd.DataFrame({"econ_code": ["30201"], "amount": [1]})
    with pytest.raises(ValueError, match="levels"):
        rollup(frame, "economic", "项", ["amount"])


# --------------------------------------------------------------------------- nearest codes


def test_edit_distance():
    assert edit_distance("2120104", "2120104") == 0
    assert edit_distance("2120104", "2120105") == 1
    assert edit_distance("212014", "2120104") == 1
    assert edit_distance("", "301") == 3


def test_nearest_code_typo_in_last_digit():
    known = load_codes("functional", YEAR)["code"]
    # 2120108 does not exist: its siblings 2120107 and 2120109 are one edit away,
    # 2120107 is numerically as close and sorts first
    assert nearest_code("2120108", known) == "2120107"
    assert nearest_code("30232", load_codes("economic", YEAR)["code"]) == "30231"


def test_nearest_code_unknown_xiang_under_known_kuan():
    known = load_codes("functional", YEAR)["code"]
    suggestion = nearest_code("2120150", known)
    assert suggestion is not None
    assert suggestion.startswith("21201") and len(suggestion) == 7
    assert suggestion == "2120110"  # one substitution away


def test_nearest_code_totally_unknown():
    known = load_codes("functional", YEAR)["code"]
    assert nearest_code("999", known) is None
    assert nearest_code("abc", known) is None
    assert nearest_code("2120104", []) is None


def test_nearest_code_prefers_longer_prefix_then_longer_code():
    assert nearest_code("212010401", ["2120104", "21201", "212"]) == "2120104"
    assert nearest_code("21201", ["212", "2120101", "2120199"]) == "2120101"
    assert nearest_code("3021", ["302", "30211", "30299"]) == "30211"


def test_nearest_code_short_codes():
    # department and unit codes can be short: all but the last character must agree
    assert nearest_code("003", ["001", "002", "101"]) == "002"
    assert nearest_code("12", ["11", "21"]) == "11"
    assert nearest_code("013", ["101", "102"]) is None
    assert nearest_code("", ["001"]) is None


def test_unknown_codes():
    codes = pd.Series(["2120104", "2120108", "2120108", "", None, "999", "2120104 "],
                      dtype="str")
    result = unknown_codes(codes, "functional", YEAR)
    assert list(result.columns) == ["code", "nearest", "nearest_name"]
    assert result.to_dict("records") == [
        {"code": "2120104 ", "nearest": "2120104", "nearest_name": "城管执法"},
        {"code": "2120108", "nearest": "2120107", "nearest_name": "市政公用行业市场监管"},
        {"code": "999", "nearest": "", "nearest_name": ""},
    ]


def test_unknown_codes_none_unknown():
    result = unknown_codes(pd.Series(["30201", "30217"]), "economic", YEAR)
    assert result.empty and list(result.columns) == ["code", "nearest", "nearest_name"]


# --------------------------------------------------------------------------- classification


def ledger() -> pd.DataFrame:
    rows = [
        # func_code, econ_code, expense_kind, amount
        ("2120104", "30101", "基本支出", 100),  # 301 → 人员经费
        ("2080505", "30108", "基本支出", 200),  # 301 → 人员经费
        ("2120101", "30302", "基本支出", 300),  # 303 → 人员经费
        ("2120101", "30201", "基本支出", 400),  # 302 → 公用经费
        ("2120101", "30212", "基本支出", 500),  # 302, 三公 因公出国
        ("2120101", "30217", "基本支出", 600),  # 302, 三公 接待
        ("2120101", "30231", "基本支出", 700),  # 302, 三公 车辆运行
        ("2120101", "31013", "基本支出", 800),  # 310 → 公用经费, 三公 车辆购置
        ("2120101", "31002", "基本支出", 900),  # 310 → 公用经费
        ("2120101", "30701", "基本支出", 1000),  # 307 → unassigned
        ("2120101", "30913", "基本支出", 1100),  # 309 → unassigned
        ("2120101", "39999", "基本支出", 1200),  # 399 → unassigned
        ("2120101", "", "基本支出", 1300),  # no economic code → unassigned
        ("2120199", "30101", "项目支出", 1400),  # project rows: never a cost type
        ("2120199", "30217", "项目支出", 1500),  # project 公务接待费 is still 三公
        ("2120199", "", "项目支出", 1600),
        ("2120150", "30299", "项目支出", 1700),  # unknown 项 under a known 款
        ("212", "30299", "项目支出", 1800),  # only the 类
    ]
    frame = pd.DataFrame(rows, columns=["func_code", "econ_code", "expense_kind", "amount"])
    frame = frame.astype({"func_code": "str", "econ_code": "str", "expense_kind": "str"})
    frame.index = pd.Index(range(100, 100 + len(frame)), name="line")  # not a RangeIndex from 0
    return frame


def test_add_classification_columns():
    frame = ledger()
    result = add_classification(frame, YEAR)
    assert list(result.columns) == [*frame.columns, *CLASSIFICATION_COLUMNS]
    assert result.index.equals(frame.index)
    pd.testing.assert_frame_equal(result[frame.columns], frame)
    assert list(frame.columns) == ["func_code", "econ_code", "expense_kind", "amount"]
    for column in CLASSIFICATION_COLUMNS:
        assert str(result[column].dtype) == "str"

    assert list(result["cost_type"]) == [
        "人员经费", "人员经费", "人员经费",
        "公用经费", "公用经费", "公用经费", "公用经费", "公用经费", "公用经费",
        "", "", "", "",
        "", "", "", "", "",
    ]
    assert list(result["sangong"]) == [
        "", "", "", "", "因公出国（境）费用", "公务接待费", "公务用车运行维护费", "公务用车购置",
        "", "", "", "", "", "", "公务接待费", "", "", "",
    ]


def test_add_classification_codes_and_names():
    result = add_classification(ledger(), YEAR).set_index("func_code")
    first = result.loc["2120104"]
    assert (first["func_class"], first["func_kuan"], first["func_name"]) == (
        "212", "21201", "城管执法")
    assert (first["econ_class"], first["econ_name"]) == ("301", "基本工资")
    unknown = result.loc["2120150"]
    assert (unknown["func_kuan"], unknown["func_name"]) == ("21201", "")
    short = result.loc["212"]
    assert (short["func_class"], short["func_kuan"], short["func_name"]) == (
        "212", "", "城乡社区支出")
    empty_econ = add_classification(ledger(), YEAR).query("econ_code == ''")
    assert set(empty_econ["econ_class"]) == {""} and set(empty_econ["econ_name"]) == {""}


def test_add_classification_categorical_matches_str():
    frame = ledger()
    as_str = add_classification(frame, YEAR)
    as_cat = add_classification(frame, YEAR, categorical=True)
    for column in CLASSIFICATION_COLUMNS:
        assert isinstance(as_cat[column].dtype, pd.CategoricalDtype)
        assert list(as_cat[column].astype("str")) == list(as_str[column])


def test_add_classification_accepts_categorical_and_missing_codes():
    frame = ledger()
    frame["func_code"] = frame["func_code"].astype("category")
    frame["expense_kind"] = frame["expense_kind"].astype("category")
    frame.loc[frame.index[0], "econ_code"] = np.nan
    result = add_classification(frame, YEAR)
    assert result["func_name"].iloc[0] == "城管执法"
    assert (result["econ_class"].iloc[0], result["cost_type"].iloc[0]) == ("", "")
    assert result["cost_type"].iloc[1] == "人员经费"
    plain = add_classification(ledger(), YEAR)["cost_type"]
    assert list(result["cost_type"]) == ["", *plain.iloc[1:]]


def test_add_classification_empty_frame_and_missing_columns():
    empty = ledger().iloc[:0]
    result = add_classification(empty, YEAR)
    assert result.empty and list(result.columns)[-len(CLASSIFICATION_COLUMNS):] == list(
        CLASSIFICATION_COLUMNS)
    with pytest.raises(ValueError, match="expense_kind"):
        add_classification(ledger().drop(columns="expense_kind"), YEAR)


def test_constants():
    assert SANGONG_CATEGORIES == (
        "因公出国（境）费用", "公务接待费", "公务用车运行维护费", "公务用车购置")
    assert set(SANGONG_CODES.values()) == set(SANGONG_CATEGORIES)
    assert PERSONNEL_CLASSES == ("301", "303") and OPERATING_CLASSES == ("302", "310")


# --------------------------------------------------------------------------- rollup


@pytest.mark.parametrize(
    ("kind", "level", "expected"),
    [
        ("functional", "类", {"212": 16900, "208": 200}),
        ("functional", "款", {"21201": 15100, "20805": 200, "": 1800}),
        ("functional", "项", {"2120104": 100, "2080505": 200, "2120101": 8800,
                             "2120199": 4500, "2120150": 1700, "": 1800}),
        ("economic", "类", {"301": 1700, "303": 300, "302": 7200, "310": 1700, "307": 1000,
                           "309": 1100, "399": 1200, "": 2900}),
        ("economic", "款", None),
    ],
)
def test_rollup_levels_preserve_totals(kind, level, expected):
    frame = ledger()
    result = rollup(frame, kind, level, ["amount"])
    assert list(result.columns) == ["code", "name", "amount"]
    assert result["amount"].sum() == frame["amount"].sum()
    assert result["amount"].dtype == np.int64
    assert result["code"].is_unique and list(result["code"]) == sorted(result["code"])
    if expected is not None:
        assert dict(zip(result["code"], result["amount"], strict=True)) == expected


def test_rollup_names_and_by():
    frame = ledger().assign(unit_code=["A", "B"] * 9, year=YEAR, count=1)
    result = rollup(frame, "functional", "款", ["amount", "count"], by=["unit_code"])
    assert list(result.columns) == ["unit_code", "code", "name", "amount", "count"]
    assert result[["amount", "count"]].sum().tolist() == [frame["amount"].sum(), len(frame)]
    names = dict(zip(result["code"], result["name"], strict=True))
    assert names["21201"] == "城乡社区管理事务" and names["20805"] == "行政事业单位养老支出"
    assert names[""] == ""
    assert list(result["unit_code"]) == sorted(result["unit_code"])

    economic = rollup(frame, "economic", "类", ["amount"], by=["year"])
    assert dict(zip(economic["code"], economic["name"], strict=True))["302"] == "商品和服务支出"


def test_rollup_refuses_floats_and_name_clashes():
    frame = ledger()
    with pytest.raises(TypeError, match="amount"):
        rollup(frame.astype({"amount": "float64"}), "functional", "类", ["amount"])
    with pytest.raises(ValueError, match="code"):
        rollup(frame.assign(code="x"), "functional", "类", ["amount"], by=["code"])
    with pytest.raises(ValueError, match="needs"):
        rollup(frame, "functional", "类", ["paid"])


def test_rollup_empty_frame():
    result = rollup(ledger().iloc[:0], "economic", "款", ["amount"])
    assert result.empty and list(result.columns) == ["code", "name", "amount"]


CODES = st.sampled_from([
    "2120101", "2120104", "2120199", "2120501", "2080505", "2101101", "2210201",
    "2120108", "21201", "212", "", "9999999", "30201", "30217", "31013", "3",
])


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.tuples(CODES, CODES, st.sampled_from(["A", "B", "C"]),
                  st.integers(min_value=-(10**12), max_value=10**12)),
        max_size=60,
    ),
    level=st.sampled_from([("functional", "类"), ("functional", "款"), ("functional", "项"),
                           ("economic", "类"), ("economic", "款")]),
    grouped=st.booleans(),
)
def test_rollup_preserves_sum_property(rows, level, grouped):
    frame = pd.DataFrame(rows, columns=["func_code", "econ_code", "unit_code", "amount"])
    frame = frame.astype({"func_code": "str", "econ_code": "str", "unit_code": "str",
                          "amount": "int64"})
    kind, name = level
    by = ["unit_code"] if grouped else []
    result = rollup(frame, kind, name, ["amount"], by=by)
    assert int(result["amount"].sum()) == int(frame["amount"].sum())
    assert not result.duplicated([*by, "code"]).any()
    length = classify.LEVEL_LENGTHS[kind][name]
    assert all(len(code) in (0, length) for code in result["code"])
    # each group's sum equals the sum of the rows whose code has that prefix
    column = classify.CODE_COLUMNS[kind]
    for record in result.to_dict("records"):
        prefix = frame[column].map(lambda c: c[:length] if len(c) >= length else "")
        mask = prefix == record["code"]
        if grouped:
            mask &= frame["unit_code"] == record["unit_code"]
        assert int(frame.loc[mask, "amount"].sum()) == record["amount"]
