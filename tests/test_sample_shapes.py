"""Backtest of the sample-shape departments 122–124 (docs/sample-data.md, "Sample shapes").

Their "published" headline figures are stated once, in ``tests/backtest/sample_shapes.toml``
(万元, two decimals); the generator builds the ledgers of ``data/raw/`` from them. Here the
bundled sample is ingested (the shared ``sample_processed`` fixture) and outturn's own
summary of each department-year must give every stated figure back, to the 分 (so to the
0.01 万元 a report prints): income by source with its change on last year, spending by
source, the balance statement, the 三公 budget and actual per item, 公用经费 by sub-item
and 政府采购执行率. The report of each department-year must print the same figures in its
tables (and so in its CSVs, written from those tables). The three departments live in their
own folders (``data/raw/<code>/``), the layout a bureau uses to add a department.
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
    overview = (ROOT / "data" / "raw" / code / "profiles" / str(year) / "overview.md").read_text("utf-8")
    assert overview.startswith("（示例数据")


@pytest.mark.parametrize(("code", "year"), DEPT_YEARS)
def test_procurement_budget_actual_and_rate_are_the_stated_ones(summaries: dict, code: str,
                                                                year: int) -> None:
    summary = summaries[(code, year, "adjusted")]
    total = next(r for r in summary["procurement"] if r["category"] == TOTAL_LABEL)
    stated = STATED[code][str(year)]["procurement"]
    assert total["budget"]["fen"] == _fen(stated["budget"])
    assert total["actual"]["fen"] == _fen(stated["actual"])
    assert total["rate"]["percent"] == f"{stated['rate']}%" == _percent(stated["actual"], stated["budget"])


@pytest.mark.parametrize("code", [KINDERGARTEN, COMMERCE, WATER])
def test_each_department_lives_in_its_own_folder_and_nowhere_else(code: str) -> None:
    raw = ROOT / "data" / "raw"
    own = raw / code
    assert (own / "departments.csv").is_file() and (own / "profiles" / "2022" / "profile.toml").is_file()
    for table in ("budget", "payments", "indicators", "income", "balances", "procurement"):
        assert sorted((own / table).rglob("*.csv")), table
        assert not sorted((raw / table).rglob(f"{code}-*")), f"{table}: also in the shared folder"
    shared = pd.read_csv(raw / "departments.csv", dtype=str)
    assert code not in set(shared["部门编码"])


def _tables(report: Any) -> dict[str, Any]:
    return {b.key: b for section in report.sections for sub in (section, *section.subsections)
            for b in sub.blocks if hasattr(b, "frame")}


@pytest.fixture(scope="module")
def reports(sample_processed: Path) -> dict[tuple[str, int], dict[str, Any]]:
    """Each sample-shape department-year's report, as its tables by key."""
    from datetime import date

    from outturn.report.build import build_report, load_inputs

    return {(code, year): _tables(build_report(load_inputs(code, year, sample_processed),
                                               generated=date(2023, 3, 31)))
            for code, year in DEPT_YEARS}


def _printed(frame: pd.DataFrame, group_column: str, source_column: str, value: str) -> dict[str, str]:
    """A grouped table's figures by label: each source, each group (its 小计, or its one
    source where the group has only one), and 合计."""
    out: dict[str, str] = {}
    for group, rows in frame.groupby(group_column, sort=False):
        if group == TOTAL_LABEL:
            out[TOTAL_LABEL] = str(rows[value].iloc[0])
            continue
        parts = rows[rows[source_column] != SUBTOTAL_LABEL]
        out |= dict(zip(parts[source_column], parts[value].astype(str), strict=True))
        subtotal = rows[rows[source_column] == SUBTOTAL_LABEL]
        out[str(group)] = str((subtotal if len(subtotal) else parts)[value].iloc[0])
    return out


def _wan(table: dict[str, str]) -> dict[str, str]:
    return {k: f"{Decimal(fen) / 1_000_000:.2f}" for k, fen in _stated(table).items()}


@pytest.mark.parametrize(("code", "year"), DEPT_YEARS)
def test_the_report_prints_the_stated_income_balances_and_spending(reports: dict, code: str,
                                                                  year: int) -> None:
    tables, stated = reports[(code, year)], STATED[code][str(year)]
    assert _printed(tables["income"].frame, "资金来源", "收入来源", "本年收入") == _wan(stated["income"])
    balance = tables["balance"].frame
    assert _printed(balance, "资金来源", "收入来源", "年初结转结余") == _wan(stated["balances"]["opening"])
    assert _printed(balance, "资金来源", "收入来源", "年末结转结余") == _wan(stated["balances"]["closing"])
    assert set(balance["差额"]) == {"0.00"}
    overview = tables["overview"].frame
    assert overview.loc[overview["预算类型"] == TOTAL_LABEL, "实际支出"].tolist() == \
        [_wan(stated["spending"])[TOTAL_LABEL]]
    if "sources" in tables:  # printed where money other than the four books is spent
        assert _printed(tables["sources"].frame, "资金来源", "预算类型", "实际支出") == \
            _wan(stated["spending"])


@pytest.mark.parametrize(("code", "year"), DEPT_YEARS)
def test_the_report_prints_the_stated_sangong_operating_costs_and_procurement(
        reports: dict, code: str, year: int) -> None:
    tables, stated = reports[(code, year)], STATED[code][str(year)]
    sangong = tables["sangong_budget"]
    for item in SANGONG_CATEGORIES:
        assert sangong.cell(item, "预算数") == stated["sangong"][item]["budget"], item
        assert sangong.cell(item, "实际支出") == stated["sangong"][item]["actual"], item
    operating = tables.get("operating_items") or tables["general_operating_items"]
    rows = operating.frame[operating.frame["科目编码"] != TOTAL_LABEL]
    assert dict(zip(rows["科目名称"], rows["实际支出"], strict=True)) == stated["operating_items"]
    procurement = tables["procurement"]
    assert procurement.cell(TOTAL_LABEL, "政府采购预算") == stated["procurement"]["budget"]
    assert procurement.cell(TOTAL_LABEL, "实际采购金额") == stated["procurement"]["actual"]
    assert procurement.cell(TOTAL_LABEL, "政府采购执行率") == f"{stated['procurement']['rate']}%"


def test_the_report_csvs_carry_the_stated_figures(sample_processed: Path, tmp_path: Path) -> None:
    from datetime import date

    from outturn.report.build import build_report, load_inputs
    from outturn.report.companions import write_data

    report = build_report(load_inputs(KINDERGARTEN, 2022, sample_processed), generated=date(2023, 3, 31))
    written = {p.name: p for p in write_data(report, tmp_path)}
    stated = STATED[KINDERGARTEN]["2022"]
    procurement = pd.read_csv(next(p for n, p in written.items() if "政府采购" in n), dtype=str,
                              encoding="utf-8-sig")
    assert procurement.iloc[-1][["政府采购预算", "实际采购金额"]].tolist() == \
        [stated["procurement"]["budget"], stated["procurement"]["actual"]]
    income = pd.read_csv(next(p for n, p in written.items() if "收入情况" in n), dtype=str,
                         encoding="utf-8-sig")
    assert income.iloc[-1]["本年收入"] == stated["income"][TOTAL_LABEL]
