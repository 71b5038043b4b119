"""Tests for outturn.metrics.budget: budget against actual, headline, personnel/operating."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from outturn.metrics import (
    RATE_PARTS,
    MissingColumnsError,
    budget_vs_actual,
    headline,
    personnel_operating,
)
from outturn.metrics import budget as budget_module
from outturn.metrics.budget import BUDGET_AMOUNTS
from outturn.money import percent

GPB, GOV = "一般公共预算", "政府性基金预算"
BASIC, PROJ = "基本支出", "项目支出"

BUDGET_COLUMNS = ["year", "dept_code", "unit_code", "fund_type", "expense_kind", "project_code",
                  "cost_type", *BUDGET_AMOUNTS, "funds_received"]
PAYMENT_COLUMNS = ["year", "dept_code", "unit_code", "fund_type", "expense_kind", "project_code",
                   "cost_type", "month", "amount", "budgeted"]


def make_budget(rows: list[tuple]) -> pd.DataFrame:
    """rows: (unit, fund, kind, project, cost_type, carry, orig, supp, red, adj, received)."""
    frame = pd.DataFrame([(2022, "D1", *r) for r in rows], columns=BUDGET_COLUMNS)
    for c in BUDGET_AMOUNTS:
        frame[c] = frame[c].astype(np.int64)
    frame["funds_received"] = frame["funds_received"].astype("Int64")
    return frame


def make_payments(rows: list[tuple]) -> pd.DataFrame:
    """rows: (unit, fund, kind, project, cost_type, month, amount, budgeted)."""
    frame = pd.DataFrame([(2022, "D1", *r) for r in rows], columns=PAYMENT_COLUMNS)
    frame["amount"] = frame["amount"].astype(np.int64)
    return frame


# A small department, amounts in 分.
BUDGET = make_budget([
    # unit  fund  kind   project cost     carry    orig       supp     red     adj        received
    ("U1", GPB, BASIC, "", "人员经费", 0, 1_000_000, 200_000, 0, 1_200_000, 1_200_000),
    ("U1", GPB, BASIC, "", "公用经费", 0, 300_000, 0, 50_000, 250_000, 250_000),
    ("U1", GPB, PROJ, "P1", "", 100_000, 500_000, 300_000, 0, 800_000, None),
    ("U2", GOV, PROJ, "P2", "", 0, 0, 400_000, 0, 400_000, 400_000),
    ("U2", GPB, PROJ, "P3", "", 0, 200_000, 0, 0, 200_000, 200_000),  # nothing spent
])
PAYMENTS = make_payments([
    ("U1", GPB, BASIC, "", "人员经费", 1, 1_150_000, True),
    ("U1", GPB, BASIC, "", "公用经费", 2, 240_000, True),
    ("U1", GPB, BASIC, "", "公用经费", 3, -10_000, True),  # refund
    ("U1", GPB, PROJ, "P1", "", 5, 600_000, True),
    ("U1", GPB, PROJ, "P1", "", 6, -20_000, True),  # refund
    ("U2", GOV, PROJ, "P2", "", 9, 300_000, True),
    ("U2", GPB, PROJ, "P9", "", 12, 50_000, False),  # unbudgeted project
])


def row(frame: pd.DataFrame, **keys: str) -> pd.Series:
    mask = np.ones(len(frame), dtype=bool)
    for k, v in keys.items():
        mask &= (frame[k] == v).to_numpy()
    assert mask.sum() == 1, keys
    return frame.loc[mask].iloc[0]


def test_department_total_every_column() -> None:
    out = budget_vs_actual(BUDGET, PAYMENTS)
    assert len(out) == 1
    r = out.iloc[0]
    assert r["dept_code"] == "D1"
    assert r["carryover"] == 100_000
    assert r["original_budget"] == 2_000_000  # 1,000,000 + 300,000 + 500,000 + 0 + 200,000
    assert r["supplementary"] == 900_000  # 200,000 + 300,000 + 400,000
    assert r["reduction"] == 50_000
    assert r["adjusted_budget"] == 2_850_000  # 2,000,000 + 900,000 − 50,000
    assert pd.isna(r["funds_received"])  # P1's line lacks it
    # 1,150,000 + 240,000 − 10,000 + 600,000 − 20,000 + 300,000 + 50,000
    assert r["actual"] == 2_310_000
    assert r["unbudgeted"] == 50_000
    assert r["available"] == 2_950_000  # 100,000 + 2,850,000
    assert r["variance"] == -540_000  # 2,310,000 − 2,850,000
    assert r["balance"] == 640_000  # 2,950,000 − 2,310,000
    assert r["adjustment"] == 850_000
    assert r["actual_vs_original"] == 310_000
    assert r["completion_base"] == 3_000_000  # 100,000 + 2,000,000 + 900,000
    assert r["completed"] == 2_360_000  # 3,000,000 − 640,000 (= actual + reduction)
    assert r["denominator"] == "adjusted"
    assert r["denominator_amount"] == 2_850_000
    assert r["execution_rate"] == pytest.approx(2_310_000 / 2_850_000)
    assert r["adjustment_rate"] == pytest.approx(0.425)  # 850,000 / 2,000,000
    assert r["control_rate"] == pytest.approx(0.45)  # 900,000 / 2,000,000
    assert r["final_vs_original_rate"] == pytest.approx(0.155)  # 310,000 / 2,000,000
    assert r["completion_rate"] == pytest.approx(2_360_000 / 3_000_000)
    assert r["balance_rate"] == pytest.approx(640_000 / 2_950_000)
    for rate in RATE_PARTS:
        assert r[f"{rate}_note"] == ""
    assert out.attrs["denominator"] == "adjusted"
    assert out.attrs["denominator_label"] == "调整后预算"


def test_dtypes_and_every_rate_has_a_note() -> None:
    out = budget_vs_actual(BUDGET, PAYMENTS, by=("unit_code", "project_code"))
    for c in (*BUDGET_AMOUNTS, "actual", "unbudgeted", "available", "variance", "balance",
              "adjustment", "actual_vs_original", "completion_base", "completed"):
        assert out[c].dtype == np.int64, c
    assert out["funds_received"].dtype == "Int64"
    for rate in RATE_PARTS:
        assert out[rate].dtype == np.float64
        assert out[f"{rate}_note"].dtype == "str"
        assert (out[rate].isna() == (out[f"{rate}_note"] != "")).all()
        assert not np.isinf(out[rate].to_numpy()).any()


def test_exact_percentages_from_rate_parts() -> None:
    r = budget_vs_actual(BUDGET, PAYMENTS).iloc[0]
    num, den = RATE_PARTS["execution_rate"]
    # 2,310,000 / 2,850,000 = 81.0526…% → 81.05
    assert percent(int(r[num]), int(r[den])) == Decimal("81.05")
    num, den = RATE_PARTS["completion_rate"]
    assert percent(int(r[num]), int(r[den])) == Decimal("78.67")  # 78.666…%


def test_group_by_unit() -> None:
    out = budget_vs_actual(BUDGET, PAYMENTS, by="unit_code")
    assert out["unit_code"].tolist() == ["U1", "U2"]
    u1, u2 = out.iloc[0], out.iloc[1]
    assert u1["adjusted_budget"] == 2_250_000  # 1,200,000 + 250,000 + 800,000
    assert u1["actual"] == 1_960_000  # 1,150,000 + 240,000 − 10,000 + 600,000 − 20,000
    assert u1["execution_rate"] == pytest.approx(1_960_000 / 2_250_000)
    assert u2["adjusted_budget"] == 600_000
    assert u2["actual"] == 350_000  # 300,000 + unbudgeted 50,000
    assert u2["unbudgeted"] == 50_000
    assert u2["funds_received"] == 600_000


def test_group_by_project_outer_join() -> None:
    out = budget_vs_actual(BUDGET, PAYMENTS, by=["project_code"])
    assert out["project_code"].tolist() == ["", "P1", "P2", "P3", "P9"]
    basic = row(out, project_code="")
    assert basic["adjusted_budget"] == 1_450_000 and basic["actual"] == 1_380_000
    p2 = row(out, project_code="P2")  # no original budget: whole budget came as 追加
    assert np.isnan(p2["adjustment_rate"])
    assert p2["adjustment_rate_note"] == "年初预算为0，预算调整率不适用"
    assert p2["control_rate_note"] == "年初预算为0，预算控制率不适用"
    assert p2["final_vs_original_rate_note"] == "年初预算为0，预决算差异率不适用"
    assert p2["execution_rate"] == 0.75  # 300,000 / 400,000
    p3 = row(out, project_code="P3")  # budget line without spending: zero actual
    assert p3["actual"] == 0 and p3["execution_rate"] == 0.0 and p3["balance"] == 200_000
    p9 = row(out, project_code="P9")  # unbudgeted spending: zero budget
    assert p9[list(BUDGET_AMOUNTS)].tolist() == [0, 0, 0, 0, 0]
    assert p9["actual"] == 50_000 and p9["unbudgeted"] == 50_000
    assert p9["execution_rate_note"] == "调整后预算为0，执行率不适用"
    assert p9["completion_rate_note"] == "上年结转、年初预算与追加之和为0，预算完成率不适用"
    assert p9["balance_rate_note"] == "可用预算（上年结转+调整后预算）为0，结转结余率不适用"
    assert p9["balance"] == -50_000


def test_group_by_several_columns() -> None:
    out = budget_vs_actual(BUDGET, PAYMENTS, by=("unit_code", "fund_type", "expense_kind"))
    assert len(out) == 4
    r = row(out, unit_code="U2", fund_type=GPB, expense_kind=PROJ)
    assert r["adjusted_budget"] == 200_000 and r["actual"] == 50_000  # P3 budget, P9 spending
    r = row(out, unit_code="U1", fund_type=GPB, expense_kind=BASIC)
    assert r["actual"] == 1_380_000 and r["reduction"] == 50_000
    assert out["actual"].sum() == PAYMENTS["amount"].sum()


def test_refunds_reduce_actual() -> None:
    out = budget_vs_actual(BUDGET, PAYMENTS, by=("project_code", "cost_type"))
    assert row(out, project_code="", cost_type="公用经费")["actual"] == 230_000  # 240,000 − 10,000
    assert row(out, project_code="P1", cost_type="")["actual"] == 580_000  # 600,000 − 20,000


def test_denominator_original() -> None:
    out = budget_vs_actual(BUDGET, PAYMENTS, by="unit_code", denominator="original")
    u1 = out.iloc[0]
    assert u1["denominator"] == "original" and u1["denominator_amount"] == 1_800_000
    assert u1["execution_rate"] == pytest.approx(1_960_000 / 1_800_000)
    assert out.attrs["denominator_label"] == "年初预算"


def test_denominator_received_with_missing_lines() -> None:
    out = budget_vs_actual(BUDGET, PAYMENTS, by="project_code", denominator="received")
    assert out.attrs["denominator"] == "received"
    basic = row(out, project_code="")
    assert basic["denominator_amount"] == 1_450_000
    assert basic["execution_rate"] == pytest.approx(1_380_000 / 1_450_000)
    p1 = row(out, project_code="P1")  # its only line lacks funds_received
    assert pd.isna(p1["funds_received"]) and np.isnan(p1["execution_rate"])
    assert p1["execution_rate_note"] == "预算指标缺少实际到位资金，执行率不适用"
    p9 = row(out, project_code="P9")  # no budget line at all: nothing received
    assert p9["funds_received"] == 0
    assert p9["execution_rate_note"] == "实际到位资金为0，执行率不适用"
    # one lacking line is enough to make the group's received-based rate not applicable
    unit = budget_vs_actual(BUDGET, PAYMENTS, by="unit_code", denominator="received")
    assert unit["execution_rate_note"].tolist() == ["预算指标缺少实际到位资金，执行率不适用", ""]


def test_received_column_absent() -> None:
    budget = BUDGET.drop(columns="funds_received")
    out = budget_vs_actual(budget, PAYMENTS, by="unit_code")
    assert out["funds_received"].isna().all()
    assert out["execution_rate_note"].eq("").all()  # adjusted-based rate unaffected
    out = budget_vs_actual(budget, PAYMENTS, by="unit_code", denominator="received")
    assert out["execution_rate"].isna().all()
    assert out["execution_rate_note"].eq("预算指标缺少实际到位资金，执行率不适用").all()


def test_negative_denominator_is_not_applicable() -> None:
    budget = make_budget([("U1", GPB, PROJ, "P1", "", 0, 100, 0, 300, -200, None)])
    payments = make_payments([("U1", GPB, PROJ, "P1", "", 1, 50, True)])
    r = budget_vs_actual(budget, payments).iloc[0]
    assert np.isnan(r["execution_rate"])
    assert r["execution_rate_note"] == "调整后预算为负数，执行率不适用"
    assert r["balance_rate_note"] == "可用预算（上年结转+调整后预算）为负数，结转结余率不适用"
    assert r["adjustment_rate"] == -3.0  # (−200 − 100) / 100: numerator may be negative


def test_empty_by_gives_one_total_row() -> None:
    out = budget_vs_actual(BUDGET, PAYMENTS, by=())
    assert len(out) == 1 and out["actual"].iloc[0] == 2_310_000
    assert "dept_code" not in out.columns


def test_missing_key_values_are_kept() -> None:
    payments = PAYMENTS.copy()
    payments.loc[0, "unit_code"] = None
    out = budget_vs_actual(BUDGET, payments, by="unit_code")
    assert out["actual"].sum() == PAYMENTS["amount"].sum()
    assert out["unit_code"].isna().iloc[-1]  # NA group sorted last


def test_categorical_keys_give_the_same_figures() -> None:
    payments = PAYMENTS.astype({"unit_code": "category", "project_code": "category"})
    a = budget_vs_actual(BUDGET, payments, by=("unit_code", "project_code"))
    b = budget_vs_actual(BUDGET, PAYMENTS, by=("unit_code", "project_code"))
    assert a["actual"].tolist() == b["actual"].tolist()
    assert a["adjusted_budget"].tolist() == b["adjusted_budget"].tolist()


@pytest.mark.parametrize("dense_factor, limit", [(0, 2**62), (4, 3)])
def test_sparse_and_overflow_paths_agree(monkeypatch: pytest.MonkeyPatch, dense_factor: int,
                                         limit: int) -> None:
    by = ("unit_code", "fund_type", "project_code")
    expected = budget_vs_actual(BUDGET, PAYMENTS, by=by)
    monkeypatch.setattr(budget_module, "_DENSE_FACTOR", dense_factor)
    monkeypatch.setattr(budget_module, "_INT64_LIMIT", limit)
    monkeypatch.setattr(budget_module, "_DENSE_FLOOR", 0)
    got = budget_vs_actual(BUDGET, PAYMENTS, by=by)
    pd.testing.assert_frame_equal(got, expected)


def test_missing_columns_are_named() -> None:
    with pytest.raises(MissingColumnsError, match="'carryover', 'reduction'"):
        budget_vs_actual(BUDGET.drop(columns=["carryover", "reduction"]), PAYMENTS)
    with pytest.raises(KeyError, match=r"payments is missing column.*'budgeted'"):
        budget_vs_actual(BUDGET, PAYMENTS.drop(columns="budgeted"))
    with pytest.raises(KeyError, match="'month'"):
        budget_vs_actual(BUDGET, PAYMENTS, by="month")  # only payments have it


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="denominator"):
        budget_vs_actual(BUDGET, PAYMENTS, denominator="no-such")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="duplicate"):
        budget_vs_actual(BUDGET, PAYMENTS, by=("unit_code", "unit_code"))


def test_headline_rows_and_total() -> None:
    out = headline(BUDGET, PAYMENTS)
    assert list(zip(out["fund_type"], out["expense_kind"], strict=True)) == [
        (GPB, BASIC), (GPB, PROJ), (GOV, BASIC), (GOV, PROJ),
        ("国有资本经营预算", BASIC), ("国有资本经营预算", PROJ),
        ("社会保险基金预算", BASIC), ("社会保险基金预算", PROJ), ("合计", "合计"),
    ]
    gpb_basic = out.iloc[0]
    assert gpb_basic["actual"] == 1_380_000 and gpb_basic["adjusted_budget"] == 1_450_000
    gpb_proj = out.iloc[1]  # P1 + P3 budget, P1 + P9 spending
    assert gpb_proj["adjusted_budget"] == 1_000_000 and gpb_proj["actual"] == 630_000
    empty = out.iloc[4]  # nothing in 国有资本经营预算: zeros, rates not applicable
    assert empty["actual"] == 0 and empty["adjusted_budget"] == 0
    assert empty["execution_rate_note"] == "调整后预算为0，执行率不适用"
    total = out.iloc[-1]
    assert total["actual"] == 2_310_000 and total["adjusted_budget"] == 2_850_000
    assert total["actual"] == out["actual"].iloc[:-1].sum()
    dept = budget_vs_actual(BUDGET, PAYMENTS).iloc[0]
    assert total["execution_rate"] == dept["execution_rate"]


def test_headline_refuses_several_departments() -> None:
    other = BUDGET.assign(dept_code="D2")
    with pytest.raises(ValueError, match="one dept_code"):
        headline(pd.concat([BUDGET, other]), PAYMENTS)


def test_personnel_operating() -> None:
    out = personnel_operating(PAYMENTS)
    assert out["cost_type"].tolist() == ["人员经费", "公用经费", "未分类", "合计"]
    # 人员经费 1,150,000; 公用经费 240,000 − 10,000 = 230,000; total 1,380,000
    assert out["actual"].tolist() == [1_150_000, 230_000, 0, 1_380_000]
    assert out["share"].iloc[0] == pytest.approx(1_150_000 / 1_380_000)
    assert out["share_note"].eq("").all()


def test_personnel_operating_by_unit_and_unclassified() -> None:
    payments = pd.concat([PAYMENTS, make_payments([
        ("U2", GPB, BASIC, "", "", 4, 7_000, True),  # basic payment without a cost type
        ("U3", GOV, BASIC, "", "人员经费", 4, 1_000, True),
    ])], ignore_index=True)
    out = personnel_operating(payments, by="unit_code", fund_types=[GPB])
    assert out["unit_code"].tolist() == ["U1"] * 4 + ["U2"] * 4  # U3 is 政府性基金预算
    u2 = out[out["unit_code"] == "U2"]
    assert u2["actual"].tolist() == [0, 0, 7_000, 7_000]
    assert u2["share"].tolist() == [0.0, 0.0, 1.0, 1.0]


def test_personnel_operating_without_basic_spending() -> None:
    out = personnel_operating(PAYMENTS[PAYMENTS["expense_kind"] == PROJ])
    assert out["actual"].tolist() == [0, 0, 0, 0]
    assert out["share_note"].eq("基本支出合计为0，占比不适用").all()


# --- property: grouping never loses or invents money -------------------------------------

_UNITS = st.sampled_from(["U1", "U2", "U3", None])
_PROJECTS = st.sampled_from(["", "P1", "P2"])
_FUNDS = st.sampled_from([GPB, GOV])
_KINDS = st.sampled_from([BASIC, PROJ])
_MONEY = st.integers(-(10**12), 10**12)

_budget_rows = st.lists(
    st.tuples(_UNITS, _FUNDS, _KINDS, _PROJECTS, _MONEY, _MONEY, _MONEY, _MONEY, _MONEY,
              st.one_of(st.none(), _MONEY)),
    max_size=12,
)
_payment_rows = st.lists(st.tuples(_UNITS, _FUNDS, _KINDS, _PROJECTS, _MONEY, st.booleans()),
                         max_size=20)
_groupings = st.lists(st.sampled_from(["unit_code", "fund_type", "expense_kind", "project_code",
                                       "dept_code", "year"]), unique=True, max_size=4)


@settings(max_examples=60, deadline=None)
@given(_budget_rows, _payment_rows, _groupings)
def test_grouping_preserves_totals(brows: list[tuple], prows: list[tuple], by: list[str]) -> None:
    budget = make_budget([(u, f, k, p, "", *m) for u, f, k, p, *m in brows])
    payments = make_payments([(u, f, k, p, "", 1, a, b) for u, f, k, p, a, b in prows])
    out = budget_vs_actual(budget, payments, by=by)
    assert int(out["actual"].sum()) == int(payments["amount"].sum())
    assert int(out["unbudgeted"].sum()) == int(payments.loc[~payments["budgeted"], "amount"].sum())
    for c in BUDGET_AMOUNTS:
        assert int(out[c].sum()) == int(budget[c].sum()), c
    if by:
        assert not out.duplicated(by).any()
    else:
        assert len(out) == 1
    for rate in RATE_PARTS:
        assert (out[rate].isna() == (out[f"{rate}_note"] != "")).all()
