"""Backtest of the sample-shape departments 122–124 (docs/sample-data.md, "Sample shapes").

Their "published" headline figures are stated once, in ``tests/backtest/sample_shapes.toml``
(万元, two decimals); the generator builds the ledgers of ``data/raw/`` from them. Here the
bundled sample is ingested (the shared ``sample_processed`` fixture) and outturn's own
summary of each department-year must give every stated figure back, to the 分 (so to the
0.01 万元 a report prints): income by source with its change on last year, spending by
source, the balance statement, the 三公 budget and actual per item, and 公用经费 by
sub-item. The procurement figures of the file are not checked here (outturn does not read
procurement ledgers yet).
"""

from __future__ import annotations

import tomllib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from outturn.metrics.summary import summarise
from outturn.store.read import load, previous_year
from outturn.vocabulary import BOOKS, FISCAL, NON_FISCAL, SANGONG_CATEGORIES, SUBTOTAL_LABEL, TOTAL_LABEL

ROOT = Path(__file__).resolve().parents[1]
STATED: dict[str, Any] = tomllib.loads(
    (ROOT / "tests" / "backtest" / "sample_shapes.toml").read_text("utf-8"))
DEPT_YEARS = [(code, int(year)) for code, dept in STATED.items() for year in dept if year.isdigit()]
KINDERGARTEN, COMMERCE, WATER = "122", "123", "124"


def _fen(wan: str) -> int:
    """万元 text → 分, exactly."""
    value = Decimal(wan) * 1_000_000
    assert value == value.to_integral_value(), wan
    return int(value)


def _percent(numerator: str, denominator: str) -> str:
    """A rate as outturn prints it: two decimals, rounded half up."""
    rate = (Decimal(numerator) / Decimal(denominator) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{rate}%"


def _stated(table: dict[str, str]) -> dict[str, int]:
    """A stated table by label (sources, 财政拨款, 其他资金, 合计) in 分, leaving out the
    subtotal of a group that has no source (outturn prints no row for it)."""
    sources = [k for k in table if k not in (FISCAL, NON_FISCAL, TOTAL_LABEL)]
    groups = {FISCAL: any(s in BOOKS for s in sources), NON_FISCAL: any(s not in BOOKS for s in sources)}
    return {k: _fen(v) for k, v in table.items() if groups.get(k, True)}


def _label(row: dict[str, Any]) -> str:
    """A grouped summary row's label: its source, its group for a 小计, or 合计."""
    return row["source_group"] if row["fund_type"] == SUBTOTAL_LABEL else row["fund_type"]


def _column(rows: list[dict[str, Any]], column: str) -> dict[str, int]:
    return {_label(r): r[column]["fen"] for r in rows}


@pytest.fixture(scope="module")
def summaries(sample_processed: Path) -> dict[tuple[str, int, str], dict[str, Any]]:
    """outturn's summary of each sample-shape department-year, against last year as the
    CLI's ``summary`` measures it, under both execution-rate denominators."""
    out = {}
    for code, year in DEPT_YEARS:
        dy = load(code, year, sample_processed)
        previous = previous_year(dy, sample_processed)
        for denominator in ("adjusted", "available"):
            out[(code, year, denominator)] = summarise(
                dy, denominator=denominator,
                previous_payments=None if previous is None else previous.payments,
                previous_income=None if previous is None else previous.income,
                previous_budget=None if previous is None else previous.budget)
    return out


@pytest.fixture(scope="module")
def problems(sample_processed: Path) -> pd.DataFrame:
    return pd.read_csv(sample_processed / "current" / "problems.csv", dtype=str).fillna("")


def _mine(frame: pd.DataFrame, code: str, year: int) -> pd.Series:
    """Problems naming a file of the department-year, or the department-year itself."""
    in_file = frame["file"].str.contains(f"/{year}/{code}-", regex=False)
    in_rule = frame["rule"].str.contains(f"department {code}'s {year}", regex=False)
    return in_file | in_rule


def test_the_headline_file_states_two_years_of_three_departments() -> None:
    assert sorted(DEPT_YEARS) == [(c, y) for c in (KINDERGARTEN, COMMERCE, WATER) for y in (2021, 2022)]


@pytest.mark.parametrize(("code", "year"), DEPT_YEARS)
def test_each_new_department_year_ingests_with_no_rejected_row(sample_processed: Path, code: str,
                                                                 year: int) -> None:
    rejected = sorted((sample_processed / "current" / "rejected").glob("*.csv"))
    for path in rejected:
        frame = pd.read_csv(path, dtype=str).fillna("")
        if "dept_code" in frame and "year" in frame:
            assert not ((frame["dept_code"] == code) & (frame["year"] == str(year))).any(), path.name
    dy = load(code, year, sample_processed)
    assert len(dy.budget) and len(dy.payments) and len(dy.indicators)
    assert dy.income is not None and dy.balances is not None


@pytest.mark.parametrize(("code", "year"), DEPT_YEARS)
def test_each_new_department_year_ingests_without_any_warning(problems: pd.DataFrame, code: str,
                                                              year: int) -> None:
    mine = problems[_mine(problems, code, year)]
    assert mine.empty, mine[["file", "rule"]].to_string()
    assert not problems["rule"].str.contains(f"department {code}'s {year} balance does not hold",
                                             regex=False).any()


@pytest.mark.parametrize(("code", "year"), DEPT_YEARS)
def test_the_balance_identity_holds_for_every_source_to_the_fen(summaries: dict, code: str,
                                                                year: int) -> None:
    summary = summaries[(code, year, "adjusted")]
    assert summary["balance_note"] == "" and summary["balance"]
    assert {_label(r): r["difference"]["fen"] for r in summary["balance"]} == dict.fromkeys(
        _column(summary["balance"], "difference"), 0)


@pytest.mark.parametrize(("code", "year"), DEPT_YEARS)
def test_income_by_source_is_the_stated_one_with_its_change_on_last_year(summaries: dict, code: str,
                                                                          year: int) -> None:
    rows = summaries[(code, year, "adjusted")]["income"]
    stated = _stated(STATED[code][str(year)]["income"])
    assert _column(rows, "current") == stated
    before = STATED[code].get(str(year - 1))
    if before is None:  # the first year of the sample: nothing to compare with
        assert all(r["previous"] is None and r["change_rate"] is None for r in rows)
        return
    previous = _stated(before["income"])
    assert {k: v for k, v in _column(rows, "previous").items() if v} == previous
    assert _column(rows, "change") == {k: v - previous.get(k, 0) for k, v in stated.items()}
    for row in rows:
        label, last = _label(row), before["income"].get(_label(row), "0")
        now = STATED[code][str(year)]["income"][label]
        expected = _percent(str(Decimal(now) - Decimal(last)), last) if Decimal(last) else None
        assert row["change_rate"]["percent"] == expected, label


@pytest.mark.parametrize(("code", "year"), DEPT_YEARS)
def test_spending_by_source_is_the_stated_one(summaries: dict, code: str, year: int) -> None:
    summary = summaries[(code, year, "adjusted")]
    stated = _stated(STATED[code][str(year)]["spending"])
    assert _column(summary["by_source"], "actual") == stated
    assert sum(b["actual"]["fen"] for b in summary["books"]) == stated[FISCAL]
    assert _column(summary["balance"], "spending") == {
        k: stated.get(k, 0) for k in _column(summary["balance"], "spending")}


@pytest.mark.parametrize(("code", "year"), DEPT_YEARS)
def test_balances_at_the_start_and_end_of_the_year_are_the_stated_ones(summaries: dict, code: str,
                                                                       year: int) -> None:
    rows = summaries[(code, year, "adjusted")]["balance"]
    stated = STATED[code][str(year)]["balances"]
    assert _column(rows, "opening_balance") == _stated(stated["opening"])
    assert _column(rows, "closing_balance") == _stated(stated["closing"])
    assert _column(rows, "income") == _stated(STATED[code][str(year)]["income"])
    if str(year - 1) in STATED[code]:  # what a year carries out, the next carries in
        assert stated["opening"] == STATED[code][str(year - 1)]["balances"]["closing"]


@pytest.mark.parametrize(("code", "year"), DEPT_YEARS)
def test_the_sangong_budget_and_actual_are_the_stated_ones_with_their_control_rate(
        summaries: dict, code: str, year: int) -> None:
    summary = summaries[(code, year, "adjusted")]
    rows = {r["item"]: r for r in summary["sangong_budget"]}
    stated = STATED[code][str(year)]["sangong"]
    before = STATED[code].get(str(year - 1), {}).get("sangong")
    for item in SANGONG_CATEGORIES:
        row, figures = rows[item], stated[item]
        assert row["budget"]["fen"] == _fen(figures["budget"])
        assert row["actual"]["fen"] == _fen(figures["actual"])
        assert row["control_rate"]["percent"] == (
            _percent(figures["actual"], figures["budget"]) if _fen(figures["budget"]) else None)
        if before is None:
            assert row["previous_budget"] is None
        else:
            assert row["previous_budget"]["fen"] == _fen(before[item]["budget"])
    total = rows[TOTAL_LABEL]
    assert total["budget"]["fen"] == sum(_fen(stated[i]["budget"]) for i in SANGONG_CATEGORIES)
    assert total["actual"]["fen"] == sum(_fen(stated[i]["actual"]) for i in SANGONG_CATEGORIES)
    actual = {r["item"]: r["actual"]["fen"] for r in summary["sangong"]}
    for item in SANGONG_CATEGORIES:
        assert actual[item] == _fen(stated[item]["actual"]), item


@pytest.mark.parametrize(("code", "year"), DEPT_YEARS)
def test_operating_costs_by_sub_item_are_the_stated_ones(summaries: dict, code: str, year: int) -> None:
    summary = summaries[(code, year, "adjusted")]
    items = {r["name"]: r["actual"]["fen"] for r in summary["operating_items"]}
    stated = {k: _fen(v) for k, v in STATED[code][str(year)]["operating_items"].items()}
    assert items == stated
    spending = STATED[code][str(year)]["spending"]
    if all(k in BOOKS for k in spending if k not in (FISCAL, NON_FISCAL, TOTAL_LABEL)):
        # appropriations only: the sub-items add up to the book's 公用经费
        assert sum(items.values()) == _book(summary, "一般公共预算")["basic"]["operating"]["fen"]


def _book(summary: dict, fund: str) -> dict:
    return next(b for b in summary["books"] if b["fund_type"] == fund)


@pytest.mark.parametrize(("code", "year"), DEPT_YEARS)
def test_staffing_gives_an_in_post_control_rate(summaries: dict, code: str, year: int) -> None:
    staffing = summaries[(code, year, "adjusted")]["staffing"]
    assert 0 < staffing["in_post"] <= staffing["authorised"]
    rate = _percent(str(staffing["in_post"]), str(staffing["authorised"]))
    assert staffing["control_rate"]["percent"] == rate


@pytest.mark.parametrize("year", [2021, 2022])
def test_the_kindergarten_spends_institution_and_business_income_beside_its_appropriation(
        sample_processed: Path, summaries: dict, year: int) -> None:
    dy = load(KINDERGARTEN, year, sample_processed)
    for frame in (dy.budget, dy.payments):
        assert {"一般公共预算", "事业收入", "经营收入"} <= set(frame["fund_type"].astype(str))
    assert {"一般公共预算", "事业收入", "经营收入", "其他收入"} == set(dy.income["fund_type"].astype(str))
    groups = {r["source_group"] for r in summaries[(KINDERGARTEN, year, "adjusted")]["by_source"]}
    assert groups == {FISCAL, NON_FISCAL, TOTAL_LABEL}


def test_the_commerce_bureau_budgets_its_car_purchase_as_a_project_line_with_its_code(
        sample_processed: Path) -> None:
    dy = load(COMMERCE, 2022, sample_processed)
    cars = dy.budget[dy.budget["econ_code"].astype(str) == "31013"]
    assert len(cars) == 1 and cars["expense_kind"].astype(str).tolist() == ["项目支出"]
    stated = STATED[COMMERCE]["2022"]["sangong"]["公务用车购置"]
    assert int(cars["adjusted_budget"].sum()) == _fen(stated["budget"])
    abroad = dy.payments[dy.payments["econ_code"].astype(str) == "30212"]
    assert len(abroad) and set(abroad["expense_kind"].astype(str)) == {"基本支出"}


def test_the_water_bureau_has_three_second_level_units_beside_its_own(sample_processed: Path) -> None:
    units = load(WATER, 2022, sample_processed).budget.drop_duplicates("unit_code")
    assert len(units) == 4
    assert (units["unit_name"].astype(str) == "局本级").sum() == 1


@pytest.mark.parametrize("year", [2021, 2022])
def test_carry_over_spending_exceeds_the_adjusted_budget_but_not_the_available_one(
        summaries: dict, year: int) -> None:
    def projects(denominator: str) -> dict[str, dict]:
        book = _book(summaries[(WATER, year, denominator)], "一般公共预算")
        return {p["project_code"]: p for u in book["projects"]["by_unit"] for p in u["projects"]}

    adjusted, available = projects("adjusted"), projects("available")
    over = [c for c, p in adjusted.items() if p["actual"]["fen"] > p["adjusted"]["fen"]]
    assert over, "some carry-over must be spent beyond the adjusted budget"
    for code in over:
        p = adjusted[code]
        assert p["carryover"]["fen"] > 0
        assert Decimal(p["execution_rate"]["percent"].rstrip("%")) > 100
        assert p["actual"]["fen"] <= p["carryover"]["fen"] + p["adjusted"]["fen"]
        assert Decimal(available[code]["execution_rate"]["percent"].rstrip("%")) <= 100
    carried = sum(p["carryover"]["fen"] for p in adjusted.values())
    assert carried == _fen(STATED[WATER][str(year)]["balances"]["opening"]["一般公共预算"])


@pytest.mark.parametrize(("code", "year"), DEPT_YEARS)
def test_the_profiles_are_marked_synthetic(sample_processed: Path, code: str, year: int) -> None:
    dy = load(code, year, sample_processed)
    assert dy.profile["synthetic"] is True
    assert "合成" in dy.profile["data_note"]
    overview = (ROOT / "data" / "raw" / "profiles" / code / str(year) / "overview.md").read_text("utf-8")
    assert overview.startswith("（示例数据")
