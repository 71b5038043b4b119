"""三公 budgets that cannot vanish: a line without an economic code is recognised by its
project name or by its payments, and ingest warns, naming both rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import BUDGET_CSV, PAYMENTS_CSV, write_raw
from hypothesis import given, settings
from hypothesis import strategies as st
from outturn.classify import add_classification
from outturn.ingest.run import ingest
from outturn.metrics.sangong import sangong_control_rate
from outturn.sangong_items import SANGONG_CODES, funding_lines, item_of_name, items_named, link_items
from outturn.schema import MATCH_KEY
from outturn.store.read import load

BUDGET = BUDGET_CSV + (
    "2022,901,901001,一般公共预算,项目支出,P5,公务用车购置,2120101,,200000.00,0,0\n"
    "2022,901,901001,一般公共预算,项目支出,P6,综合执法保障,2120101,,50000.00,0,0\n"
    "2022,901,901001,一般公共预算,项目支出,P7,车辆运维,2120101,,30000.00,0,0\n"
)
PAYMENTS = PAYMENTS_CSV + (
    "V11,2022-04-01,901,901001,一般公共预算,项目支出,P5,2120101,31013,196600.00,购车\n"
    "V12,2022-04-02,901,901001,一般公共预算,项目支出,P6,2120101,31013,10000.00,购车\n"
    "V13,2022-04-03,901,901001,一般公共预算,项目支出,P6,2120101,30201,5000.00,办公\n"
    "V14,2022-04-04,901,901001,一般公共预算,项目支出,P7,2120101,30231,8000.00,加油\n"
)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("sangong")
    result = ingest(write_raw(root / "raw", budget=BUDGET, payments=PAYMENTS), root / "p")
    return result, load("901", 2022, root / "p")


@pytest.mark.parametrize(("name", "item"), [
    ("公务用车购置", "公务用车购置"),
    ("2022年执法执勤用车购置", "公务用车购置"),
    ("购置公务用车", "公务用车购置"),
    ("执法车辆更新", "公务用车购置"),
    ("公务用车运行维护", "公务用车运行维护费"),
    ("公车燃油及保险", "公务用车运行维护费"),
    ("公务接待", "公务接待费"),
    ("因公出国（境）培训", "因公出国（境）费用"),
    ("环卫车辆购置", ""),          # special vehicles are not 公务用车
    ("道路维护", ""),
    ("公务用车购置及运行维护", ""),  # names two items: not one line's item
])
def test_a_project_name_names_at_most_one_sangong_item(name: str, item: str) -> None:
    assert item_of_name(name) == item


def test_a_name_naming_two_items_names_both() -> None:
    assert items_named("公务用车购置及运行维护") == ("公务用车运行维护费", "公务用车购置")


def test_the_economic_code_decides_and_the_name_only_speaks_for_a_line_without_one() -> None:
    frame = pd.DataFrame({"func_code": "2120101", "expense_kind": "项目支出",
                          "econ_code": ["", "30201", "", "30217"],
                          "project_name": ["公务用车购置", "公务接待", "道路维护", "道路维护"]})
    assert add_classification(frame, 2022)["sangong"].tolist() == \
        ["公务用车购置", "", "", "公务接待费"]


def test_a_car_budgeted_without_an_economic_code_stays_in_the_sangong_budget(ingested) -> None:  # type: ignore[no-untyped-def]
    _, dy = ingested
    lines = dy.budget.set_index("project_code")["sangong"]
    assert lines["P5"] == "公务用车购置"          # by its name
    assert lines["P7"] == "公务用车运行维护费"    # by its payments, all 30231
    assert lines["P6"] == ""                    # funds a car and office costs: not guessed
    rate = sangong_control_rate(dy.payments, dy.budget).set_index("item")
    car = rate.loc["公务用车购置"]
    # 196 600 + 10 000 元 paid (V12's code is 31013) against the 200 000 元 line
    assert (int(car["actual"]), int(car["budget"])) == (20_660_000, 20_000_000)


def test_ingest_warns_naming_the_budget_row_and_the_first_sangong_payment(ingested) -> None:  # type: ignore[no-untyped-def]
    result, _ = ingested
    warnings = [p for p in result.collected.problems
                if p.severity == "warning" and "三公 payment" in p.rule]
    by_row = {p.row: p for p in warnings}
    assert sorted(by_row) == [5, 6, 7]                       # the lines of P5, P6, P7
    p5, p6, p7 = by_row[5], by_row[6], by_row[7]
    assert p5.file.endswith("b.csv") and p5.column == "经济分类科目编码"
    assert "voucher V11 at" in p5.rule and "p.csv row 7" in p5.rule
    assert "196600.00 元" in p5.rule
    assert "from its project name" in p5.advice and "(31013)" in p5.advice
    assert "not counted" in p6.advice and "not 三公" in p6.advice
    assert "from its payments" in p7.advice and "(30231)" in p7.advice


codes = st.sampled_from(["30201", "30101", *SANGONG_CODES])
lines_st = st.lists(st.tuples(st.sampled_from(["", *SANGONG_CODES]),
                              st.sampled_from(["道路维护", "公务用车购置", "公务接待"])),
                    min_size=1, max_size=4)


@settings(max_examples=80, deadline=None, database=None)
@given(lines_st, st.lists(st.tuples(st.integers(0, 3), codes, st.integers(-100, 10_000)),
                          max_size=8))
def test_linking_never_overrides_an_economic_code(lines, pays) -> None:  # type: ignore[no-untyped-def]
    key = {"year": 2022, "dept_code": "1", "unit_code": "1", "fund_type": "一般公共预算",
           "expense_kind": "项目支出", "func_code": "2120101"}
    budget = pd.DataFrame([{**key, "project_code": f"P{i}", "econ_code": econ,
                            "project_name": name} for i, (econ, name) in enumerate(lines)])
    payments = pd.DataFrame([{**key, "project_code": f"P{i % len(lines)}", "econ_code": econ,
                              "project_name": "", "amount": fen} for i, econ, fen in pays],
                            columns=[*key, "project_code", "econ_code", "project_name", "amount"])
    budget, payments = (add_classification(f, 2022) for f in (budget, payments))
    linked_budget, linked_payments = link_items(budget, payments)
    coded = budget["econ_code"] != ""
    assert linked_budget.loc[coded, "sangong"].tolist() == budget.loc[coded, "sangong"].tolist()
    own = payments["sangong"] != ""
    assert linked_payments.loc[own, "sangong"].tolist() == payments.loc[own, "sangong"].tolist()
    # a line takes an item only when it has no code, and then the name's or its payments'
    for i in budget.index[~coded]:
        taken = linked_budget.at[i, "sangong"]
        assert taken in ("", item_of_name(budget.at[i, "project_name"])) or taken in set(
            linked_payments.loc[payments["project_code"] == budget.at[i, "project_code"],
                                "sangong"])


def test_no_warning_when_no_sangong_payment_rides_on_a_line_without_a_code(tmp_path: Path) -> None:
    result = ingest(write_raw(tmp_path / "raw"), tmp_path / "p")
    assert not [p for p in result.collected.problems if "三公 payment" in p.rule]


def _funding_lines_by_merge(budget: pd.DataFrame, payments: pd.DataFrame) -> np.ndarray:
    """The match as two merges on the text keys (how it was first written): the reference."""
    key = list(MATCH_KEY)
    bare = budget["econ_code"].astype("str") == ""
    lines = budget.loc[bare, key].astype("str")
    lines["_line"] = budget.index[bare].to_numpy()
    with_econ = budget.loc[~bare, [*key, "econ_code"]].astype("str").drop_duplicates()
    pay = payments[[*key, "econ_code"]].astype("str").reset_index(drop=True)
    pay["_pos"] = np.arange(len(pay))
    exact = pay.merge(with_econ, on=[*key, "econ_code"], how="inner")["_pos"]
    loose = pay[~pay["_pos"].isin(exact)].merge(lines, on=key, how="inner")
    line_of = np.full(len(pay), -1, dtype=np.int64)
    line_of[loose["_pos"].to_numpy()] = loose["_line"].to_numpy()
    return line_of


_KEY_TEXT = st.sampled_from(["a", "b"])
_LINE = st.tuples(_KEY_TEXT, _KEY_TEXT, st.sampled_from(["", "30201", "30217"]))
_PAYMENT = st.tuples(_KEY_TEXT, _KEY_TEXT, st.sampled_from(["30201", "30217", "30299"]))


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(_LINE, max_size=10), pays=st.lists(_PAYMENT, max_size=25),
       labels=st.permutations(range(100, 110)))
def test_funding_lines_match_as_the_merges_did(lines: list[tuple[str, str, str]],
                                               pays: list[tuple[str, str, str]], labels: list[int]) -> None:
    """Folded int64 keys give each payment the line the merges gave it, the last of several
    lines with the same key included."""
    def frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
        out = pd.DataFrame({k: pd.array(["x"] * len(rows), dtype="str") for k in MATCH_KEY})
        out["year"] = 2022
        out["unit_code"] = pd.array([r[0] for r in rows], dtype="str")
        out["project_code"] = pd.array([r[1] for r in rows], dtype="str")
        out["econ_code"] = pd.array([r[2] for r in rows], dtype="str")
        return out

    budget = frame(lines).set_axis(labels[:len(lines)])
    payments = frame(pays)
    assert funding_lines(budget, payments).tolist() == _funding_lines_by_merge(budget, payments).tolist()
