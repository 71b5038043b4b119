"""Tests for outturn.portfolio: every department of a year side by side."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import papermill as pm
import pytest
from outturn import portfolio
from outturn.money import round_half_up
from outturn.portfolio import (
    execution_ranking,
    lagging_projects,
    load_portfolio,
    outliers,
    robust_z_scores,
    sangong_changes,
    sangong_totals,
    scores,
)
from outturn.problems import OutturnError
from outturn.scoring.rules import parse_rule_set
from outturn.store.read import DeptYear

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DEPTS = {"115": "零陵区城市管理和综合执法局", "116": "零陵区教育局", "117": "零陵区卫生健康局",
                "118": "零陵区农业农村局", "119": "零陵区民政局", "120": "零陵区交通运输局",
                "121": "零陵区医疗保障局", "122": "零陵区机关幼儿园", "123": "零陵区商务局",
                "124": "零陵区水利局"}
#: The sample-shape departments have 2021 and 2022 only (docs/sample-data.md).
SHAPE_DEPTS = ("122", "123", "124")


# --- hand-built frames ------------------------------------------------------------------

def make_budget(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """rows: (dept_code, project_code, original_budget, adjusted_budget); year 2022, no carryover."""
    frame = pd.DataFrame(rows, columns=["dept_code", "project_code", "original_budget",
                                        "adjusted_budget"])
    frame.insert(0, "year", 2022)
    frame.insert(2, "dept_name", "部门" + frame["dept_code"])
    frame["unit_code"] = frame["dept_code"] + "001"
    frame["unit_name"] = "本级"
    frame["project_name"] = "项目" + frame["project_code"]
    frame["carryover"] = 0
    frame["supplementary"] = (frame["adjusted_budget"] - frame["original_budget"]).clip(lower=0)
    frame["reduction"] = (frame["original_budget"] - frame["adjusted_budget"]).clip(lower=0)
    money = ["carryover", "original_budget", "supplementary", "reduction", "adjusted_budget"]
    return frame.astype({c: np.int64 for c in money})


def make_payments(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """rows: (dept_code, project_code, month, amount); year 2022, all budgeted."""
    frame = pd.DataFrame(rows, columns=["dept_code", "project_code", "month", "amount"])
    frame.insert(0, "year", 2022)
    frame.insert(2, "dept_name", "部门" + frame["dept_code"])
    frame["unit_code"] = frame["dept_code"] + "001"
    frame["unit_name"] = "本级"
    frame["project_name"] = "项目" + frame["project_code"]
    frame["budgeted"] = True
    return frame.astype({"amount": np.int64, "month": np.int64})


def make_sangong(rows: list[tuple[str, str, int]], year: int = 2022) -> pd.DataFrame:
    """rows: (dept_code, sangong category or "", amount) of 一般公共预算 payments."""
    frame = pd.DataFrame(rows, columns=["dept_code", "sangong", "amount"])
    frame.insert(0, "year", year)
    frame.insert(2, "dept_name", "部门" + frame["dept_code"])
    frame["fund_type"] = "一般公共预算"
    return frame.astype({"amount": np.int64})


# --- execution_ranking ------------------------------------------------------------------

def test_ranking_orders_by_rate_and_shares_ranks_on_ties() -> None:
    budget = make_budget([("A", "", 100, 100), ("B", "", 50, 50), ("C", "", 100, 100),
                          ("D", "", 10, 0), ("E", "", 200, 200)])
    payments = make_payments([("A", "", 1, 90),   # 90 %
                              ("B", "", 1, 45),   # 90 %: ties with A
                              ("C", "", 1, 95),   # 95 %: first
                              ("D", "", 1, 5),    # adjusted budget 0: not applicable
                              ("E", "", 1, 120)])  # 60 %: after the tie, rank 4 not 3
    ranking = execution_ranking(budget, payments)
    assert ranking["dept_code"].tolist() == ["C", "A", "B", "E", "D"]
    assert ranking["rank"].tolist()[:4] == [1, 2, 2, 4]
    assert pd.isna(ranking["rank"].iloc[4])
    assert ranking["execution_rate_note"].iloc[4] == "调整后预算为0，执行率不适用"
    assert ranking["actual"].dtype == np.int64
    assert ranking["actual"].tolist() == [95, 90, 45, 120, 5]
    assert ranking.loc[ranking["dept_code"] == "E", "execution_rate"].item() == pytest.approx(0.6)


def test_ranking_ties_are_exact_not_float() -> None:
    # A spends (10**17 + 2) of 3 × 10**17 + 3 分, B 1 of 3: A's rate exceeds 1/3 by about
    # 3.3e-18, less than half a float step there, so the float rates are equal; the exact
    # comparison still puts A first rather than calling it a tie.
    big = 3 * 10**17
    budget = make_budget([("A", "", big + 3, big + 3), ("B", "", 3, 3)])
    payments = make_payments([("A", "", 1, big // 3 + 2), ("B", "", 1, 1)])
    ranking = execution_ranking(budget, payments)
    assert ranking["execution_rate"].iloc[0] == ranking["execution_rate"].iloc[1]
    assert ranking["dept_code"].tolist() == ["A", "B"]
    assert ranking["rank"].tolist() == [1, 2]


# --- lagging_projects -------------------------------------------------------------------

def lagging_fixture() -> tuple[pd.DataFrame, pd.DataFrame]:
    budget = make_budget([("A", "P1", 1_000, 1_000), ("A", "P2", 1_000, 1_000),
                          ("A", "P3", 1_000, 1_000), ("A", "", 1_000, 1_000)])
    payments = make_payments([
        ("A", "P1", 6, 400), ("A", "P1", 11, 500),  # year end 90.0 %: exactly 10 points behind
        ("A", "P2", 6, 399), ("A", "P2", 11, 500),  # 89.9 %: 10.1 points behind
        ("A", "P3", 12, 1_000),                      # 100 %: on time at year end
        ("A", "", 3, 100),                          # basic expenditure, far behind: not a project
    ])
    return budget, payments


def test_lagging_threshold_boundary_is_exclusive() -> None:
    budget, payments = lagging_fixture()
    lagging = lagging_projects(budget, payments)  # month 12, 10 points
    assert lagging["project_code"].tolist() == ["P2"]
    assert lagging["gap_pp"].iloc[0] == pytest.approx(-10.1)
    assert lagging["status"].tolist() == ["严重滞后"]
    # lower the threshold: the project exactly 10 points behind is now listed, most behind first
    assert lagging_projects(budget, payments, threshold_pp=9.9)["project_code"].tolist() == ["P2",
                                                                                            "P1"]


def test_lagging_at_an_earlier_month() -> None:
    budget, payments = lagging_fixture()
    # end of June: 序时进度 50 %; P1 40.0 % (exactly 10 behind), P2 39.9 %, P3 0 %
    lagging = lagging_projects(budget, payments, month=6)
    assert lagging["project_code"].tolist() == ["P3", "P2"]
    assert lagging["month"].unique().tolist() == [6]
    assert lagging["benchmark"].iloc[0] == 0.5


# --- sangong_changes --------------------------------------------------------------------

def test_sangong_changes_with_zero_and_missing_previous_year() -> None:
    current = make_sangong([("X", "公务接待费", 150), ("Y", "公务接待费", 80),
                            ("Z", "因公出国（境）费用", 30), ("Z", "公务接待费", 20), ("Z", "", 999)])
    previous = make_sangong([("X", "", 500),               # on file, but no 三公 last year
                             ("Z", "公务接待费", 40), ("Z", "公务用车购置", 10)], year=2021)
    # Y has no rows at all last year: no previous year
    changes = sangong_changes(current, previous)
    totals = sangong_totals(changes).set_index("dept_code")
    assert totals.loc["X", "previous"] == 0
    assert np.isnan(totals.loc["X", "change_rate"])
    assert totals.loc["X", "change_rate_note"] == "上年数为0，变动率不适用"
    assert totals.loc["X", "change"] == 150
    assert pd.isna(totals.loc["Y", "previous"])
    assert totals.loc["Y", "change_rate_note"] == "无上年数据，变动率不适用"
    assert totals.loc["Z", "current"] == 50  # the non-三公 999 is not counted
    assert totals.loc["Z", "previous"] == 50
    assert totals.loc["Z", "change_rate"] == 0.0
    z_items = changes[changes["dept_code"] == "Z"].set_index("item")
    assert z_items.loc["公务接待费", "change_rate"] == pytest.approx(-0.5)
    assert z_items.loc["公务用车购置", "change"] == -10
    assert changes.groupby("dept_code").size().tolist() == [6, 6, 6]
    assert (changes["dept_name"] == "部门" + changes["dept_code"]).all()


def test_sangong_changes_without_any_previous_frame() -> None:
    totals = sangong_totals(sangong_changes(make_sangong([("X", "公务接待费", 1)]), None))
    assert totals["change_rate_note"].tolist() == ["无上年数据，变动率不适用"]


# --- robust z-scores and outliers -------------------------------------------------------

# Execution rates of seven departments (fractions):
#   sorted 0.50 0.90 0.92 0.94 0.95 0.96 1.10  → median 0.94
#   |x − median| 0.44 0.04 0.02 0 0.01 0.02 0.16, sorted 0 0.01 0.02 0.02 0.04 0.16 0.44 → MAD 0.02
#   z = 0.6745 × (x − 0.94) / 0.02:
#     0.50 → 0.6745 × −22 = −14.839 (beyond ±3.5, and below 80 %)
#     1.10 → 0.6745 × 8   =   5.396 (beyond ±3.5)
#     0.90 → 0.6745 × −2  =  −1.349 (usual)
RATES = {"A": 50, "B": 90, "C": 92, "D": 94, "E": 95, "F": 96, "G": 110}  # percent of 100


def ranking_fixture() -> pd.DataFrame:
    budget = make_budget([(code, "", 100, 100) for code in RATES])
    payments = make_payments([(code, "", 1, pct) for code, pct in RATES.items()])
    return execution_ranking(budget, payments)


def flat_sangong(codes: list[str]) -> pd.DataFrame:
    """三公 totals that changed by 0 everywhere (MAD 0: no z-scores)."""
    frame = make_sangong([(c, "公务接待费", 100) for c in codes])
    return sangong_totals(sangong_changes(frame, frame.assign(year=2021)))


def test_robust_z_scores_hand_worked() -> None:
    values = [Fraction(p, 100) for p in RATES.values()]
    zs, median, mad = robust_z_scores([*values, None])
    assert median == Fraction(94, 100)
    assert mad == Fraction(2, 100)
    assert zs[0] == Fraction(-148390, 10000)
    assert zs[6] == Fraction(53960, 10000)
    assert zs[1] == Fraction(-13490, 10000)
    assert zs[7] is None


def test_robust_z_scores_undefined_when_mad_is_zero_or_too_few() -> None:
    zs, median, mad = robust_z_scores([Fraction(1), Fraction(1), Fraction(1), Fraction(5)])
    assert (median, mad) == (1, 0)
    assert zs == [None] * 4
    assert robust_z_scores([Fraction(1), Fraction(2)])[0] == [None, None]


def test_outliers_execution_hand_worked() -> None:
    found = outliers(ranking_fixture(), flat_sangong(list(RATES)))
    assert found["dept_code"].tolist() == ["G", "A"]  # ranking order: highest rate first
    assert (found["metric"] == "execution_rate").all()
    reasons = dict(zip(found["dept_code"], found["reason"], strict=True))
    assert reasons["A"] == ("预算执行率50.00%，低于80.00%，明显低于各部门中位数94.00%"
                            "（稳健z值-14.84，阈值±3.5）")
    assert reasons["G"] == "预算执行率110.00%，明显高于各部门中位数94.00%（稳健z值5.40，阈值±3.5）"
    assert found.set_index("dept_code").loc["G", "robust_z"] == pytest.approx(5.396)


def test_outliers_execution_floor_is_strict() -> None:
    # two departments: too few for z-scores, so only the floor speaks; 80.00 % is not below 80 %
    budget = make_budget([("A", "", 10_000, 10_000), ("B", "", 10_000, 10_000)])
    payments = make_payments([("A", "", 1, 8_000), ("B", "", 1, 7_999)])
    found = outliers(execution_ranking(budget, payments), flat_sangong(["A", "B"]))
    assert found["dept_code"].tolist() == ["B"]
    assert found["reason"].item() == "预算执行率79.99%，低于80.00%"
    assert np.isnan(found["robust_z"].item())
    assert outliers(execution_ranking(budget, payments), flat_sangong(["A", "B"]),
                    execution_floor=None).empty


def test_outliers_sangong_change_names_the_amounts() -> None:
    # change rates 0 %, 10 %, −10 %, 5 %, 200 % and one not applicable (previous 0):
    #   median 5 %; |x − 5| 5 5 15 0 195 → sorted 0 5 5 15 195 → MAD 5 %
    #   200 % → z = 0.6745 × 195 / 5 = 26.3055 → 26.31 half-up; −10 % → −2.0235 (usual)
    previous = make_sangong([(c, "公务接待费", 1_000_000) for c in "PQRST"]
                            + [("U", "", 1)], year=2021)
    current = make_sangong([("P", "公务接待费", 1_000_000), ("Q", "公务接待费", 1_100_000),
                            ("R", "公务接待费", 900_000), ("S", "公务接待费", 1_050_000),
                            ("T", "公务接待费", 3_000_000), ("U", "公务接待费", 5)])
    totals = sangong_totals(sangong_changes(current, previous))
    budget = make_budget([(c, "", 100, 100) for c in "PQRSTU"])
    payments = make_payments([(c, "", 1, 100) for c in "PQRSTU"])  # all 100 %: nothing unusual
    found = outliers(execution_ranking(budget, payments), totals)
    assert found["dept_code"].tolist() == ["T"]
    assert found["metric"].item() == "sangong_change_rate"
    assert found["reason"].item() == ("“三公”经费变动率200.00%（上年1.00万元，本年3.00万元），"
                                      "明显高于各部门中位数5.00%（稳健z值26.31，阈值±3.5）")
    # the threshold is compared with the exact z 26.3055: just below it flags, just above not
    assert len(outliers(execution_ranking(budget, payments), totals, z_threshold=26.305)) == 1
    assert outliers(execution_ranking(budget, payments), totals, z_threshold=26.3056).empty


# --- scores -----------------------------------------------------------------------------

RULES = parse_rule_set("""
id: test-two-lines
name: 测试规则
blocks: {预算执行: 50, 管理: 50}
rules:
  - {level1: 预算执行, level2: 预算执行率, level3: 预算执行率, weight: 50,
     metric: execution_rate, method: proportional}
  - {level1: 管理, level2: 目标管理, level3: 目标设定, weight: 50, metric: manual, method: manual}
""", "test")


def dept_year(code: str, judged: bool, points: float = 40) -> DeptYear:
    profile = {"judgements": {"目标设定": {"points": points, "reason": "目标明确"}}} if judged else {}
    return DeptYear(dept_code=code, dept_name="部门" + code, year=2022,
                    budget=make_budget([(code, "", 100, 100)]),
                    payments=make_payments([(code, "", 1, 90)]),
                    indicators=pd.DataFrame(), profile=profile)


def test_scores_one_failure_does_not_stop_the_others() -> None:
    # B's evaluator gives 60 points to a line that weighs 50: B cannot be scored
    table = scores({"A": dept_year("A", judged=True), "B": dept_year("B", True, 60)}, RULES)
    a, b = table.set_index("dept_code").loc["A"], table.set_index("dept_code").loc["B"]
    assert a["total"] == pytest.approx(85.0)  # 50 × 90 % + the evaluator's 40
    assert a["grade"] == "良"
    assert a["score_note"] == ""
    assert np.isnan(b["total"])
    assert b["grade"] == ""
    assert "目标设定" in b["score_note"] and b["score_note"].startswith("无法评分")


def test_scores_mark_a_grade_provisional_while_lines_await_the_evaluator() -> None:
    table = scores({"B": dept_year("B", judged=False)}, RULES).set_index("dept_code").loc["B"]
    assert table["total"] == pytest.approx(45.0)  # the unjudged 50 count 0
    assert table["grade"] == "差（暂定）"
    assert table["score_note"] == "暂定：1项待评价人评分（目标设定），按0分计入"


# --- load_portfolio on the bundled sample -----------------------------------------------

@pytest.fixture(scope="module")
def sample_2022(sample_processed: Path) -> portfolio.Portfolio:
    return load_portfolio(2022, sample_processed)


def test_load_portfolio_reads_each_department_year_on_its_own(
        sample_processed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, int]] = []
    real = portfolio.loader.load

    def spy(dept: str, year: int, processed_dir: Path | str) -> DeptYear:
        calls.append((dept, year))
        return real(dept, year, processed_dir)

    monkeypatch.setattr(portfolio.loader, "load", spy)
    pf = load_portfolio(2021, sample_processed)
    assert sorted(calls) == sorted([(c, y) for c in SAMPLE_DEPTS for y in (2020, 2021)
                                    if (c, y) not in [(s, 2020) for s in SHAPE_DEPTS]])
    assert all(set(dy.budget["dept_code"]) == {code} for code, dy in pf.current.items())


def test_load_portfolio_on_the_sample(sample_2022: portfolio.Portfolio) -> None:
    pf = sample_2022
    assert set(pf.current) == set(SAMPLE_DEPTS) == set(pf.previous)
    assert pf.skipped == {}
    assert dict(zip(pf.departments()["dept_code"], pf.departments()["dept_name"],
                    strict=True)) == SAMPLE_DEPTS
    ranking = pf.execution_ranking()
    assert len(ranking) == 10 and ranking["rank"].tolist() == list(range(1, 11))
    table = portfolio.execution_table(ranking).set_index("部门编码")
    assert table.loc["115", "预算执行率"] == "85.15%"  # the published 2022 figure
    assert table.loc["115", "调整后预算（万元）"] == "6090.35"
    scored = pf.scores().set_index("dept_code")
    assert round_half_up(scored.loc["115", "total"], 2) == Decimal("93.00")  # the published total
    assert scored.loc["115", "grade"] == "优"
    assert scored.loc["115", "score_note"] == ""  # the sample judges only the reference year
    assert scored.drop(index="115")["score_note"].str.startswith("暂定：9项待评价人评分").all()
    totals = sangong_totals(pf.sangong_changes())
    assert totals["change_rate_note"].eq("").all() and len(totals) == 10
    lagging = pf.lagging_projects()
    assert not lagging.empty and (lagging["gap_pp"] < -10).all()
    assert set(lagging["dept_code"]) <= set(SAMPLE_DEPTS)
    found = pf.outliers()
    assert "118" in set(found["dept_code"])  # 45.11 % executed


def test_load_portfolio_first_year_and_failing_rules(sample_processed: Path) -> None:
    pf = load_portfolio(2020, sample_processed, rules="hunan-dept-overall")
    assert pf.previous == {} and pf.previous_payments is None
    notes = sangong_totals(pf.sangong_changes())["change_rate_note"]
    assert notes.eq("无上年数据，变动率不适用").all()
    scored = pf.scores()  # manual lines nobody judged, no previous year: pending, said so
    assert len(scored) == 7 and scored["total"].notna().all()
    assert scored["grade"].str.endswith("（暂定）").all()
    assert scored["score_note"].str.contains("“三公”经费变动率").all()
    with pytest.raises(OutturnError, match="no department has data for 1999"):
        load_portfolio(1999, sample_processed)


# --- the notebook -----------------------------------------------------------------------

def test_portfolio_notebook_runs_on_the_sample(sample_processed: Path, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.ipynb"
    pm.execute_notebook(str(ROOT / "notebooks" / "portfolio.ipynb"), str(out),
                        parameters={"processed_dir": str(sample_processed), "year": 2022},
                        cwd=str(ROOT / "notebooks"), progress_bar=False, kernel_name="python3")
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    outputs = [o for c in cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    text = "\n".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                     for o in outputs)
    for name in SAMPLE_DEPTS.values():
        assert name in text, name
    assert "85.15%" in text and "93.00" in text
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 2  # ranking and 三公 charts
