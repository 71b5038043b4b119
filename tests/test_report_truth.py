"""Every sentence true: the report's printed rule texts, counts, totals and rates agree with
the figures and the rules the code applies (issue 9)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from outturn.metrics import pefa
from outturn.report.build import build_report, load_inputs
from outturn.report.claims import Cell, check_paragraph
from outturn.report.figures import total_row
from outturn.report.model import Paragraph, Report, Table
from outturn.report.tables import TAIL_NOTE, broken
from outturn.scoring import indicators
from outturn.store.read import DeptYear

from tests import shapes


def _table(report: Report, key: str) -> Table:
    return next(t for t in report.tables() if t.key == key)


@pytest.fixture(scope="module")
def reference(sample_processed: Path) -> Report:
    return build_report(load_inputs("115", 2022, sample_processed))


def test_the_pefa_legend_states_the_bands_the_grades_are_given_by(reference: Report) -> None:
    table = _table(reference, "pefa_pi1")
    assert pefa.outturn_legend() in table.note
    assert "A：95%—105%" in table.note


def test_changing_a_pefa_band_changes_the_printed_legend_and_the_grade_together(
        sample_processed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wide = (("A", Fraction(80, 100), Fraction(120, 100)), *pefa.PI1_BANDS[1:])
    monkeypatch.setattr(pefa, "PI1_BANDS", wide)
    report = build_report(load_inputs("115", 2022, sample_processed))
    table = _table(report, "pefa_pi1")
    assert "A：80%—120%" in table.note
    for ratio, letter in zip(table.frame["执行比"], table.frame["档次"], strict=True):
        value = Fraction(ratio.rstrip("%")) / 100
        if Fraction(80, 100) <= value <= Fraction(120, 100):
            assert letter == "A", (ratio, letter)


def test_the_grade_legend_is_rendered_from_the_grade_bands(
        reference: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    assert indicators.grade_legend() in _table(reference, "score").note
    monkeypatch.setattr(indicators, "GRADE_BANDS", ((85, "优"), (75, "良"), (60, "中"), (0, "差")))
    assert indicators.grade_legend().startswith("85分及以上为优，75分至不足85分为良")
    assert indicators.grade(Fraction(86)) == "优" and indicators.grade(Fraction(84)) == "良"


# --- claims hold on department-years of every shape ----------------------------------------

def _report_of(dy, previous) -> Report:  # type: ignore[no-untyped-def]
    from outturn.report.build import ReportInputs
    from outturn.scoring.engine import score_department
    from outturn.scoring.rules import DEFAULT_RULE_SET, load_rule_set

    score = score_department(dy, load_rule_set(DEFAULT_RULE_SET), previous=previous)
    return build_report(ReportInputs(dy, previous, score, None), generated=date(2023, 3, 31))


def _stated(report: Report, pattern: str) -> list[str]:
    return [m for p in _paragraphs(report) for m in re.findall(pattern, p.text)]


def _paragraphs(report: Report) -> list[Paragraph]:
    return [b for s in report.sections for b in s.walk() if isinstance(b, Paragraph)]


@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(shapes.department_years())
def test_every_sentence_agrees_with_the_tables_for_department_years_of_every_shape(
        pair: tuple[DeptYear, DeptYear | None]) -> None:
    dy, previous = pair
    assert_true_of_its_tables(_report_of(dy, previous))  # the build checks every claim too


def assert_true_of_its_tables(report: Report) -> None:
    """What the issue asks of every report, checked independently of the claims check."""
    tables = {t.key: t for t in report.tables()}
    # independently of the claims check: the 序时进度 count is the table's months behind
    if "progress" in tables:
        behind = tables["progress"].frame["状态"].isin(["滞后", "严重滞后"]).sum()
        for stated in _stated(report, r"全年有(\d+)个月累计执行率落后于序时进度"):
            assert int(stated) == behind
    # the overall total sentence prints the overview table's 合计
    total = tables["overview"].cell(total_row(tables["overview"]), "实际支出")
    assert f"各类预算支出合计{total}万元" in report.section("一").subsections[3].blocks[0].text
    # composition shares add to 100.00 %, and no table breaks a sum without the 尾差 note
    for key in ("composition", "general_basic_composition"):
        if key in tables and "—" not in set(tables[key].frame["占比"]):
            shares = [Decimal(v.rstrip("%")) for v in tables[key].frame["占比"].iloc[:-1]]
            assert sum(shares) == 100
    for table in tables.values():
        assert not broken(table.frame, table.relations) or TAIL_NOTE in table.note, table.key
    # the score's 合计 is the sum of its printed lines, and the grade is that 合计's
    lines = tables["score"].frame
    printed = [Decimal(v) for v in lines["得分"].iloc[:-1]]
    assert sum(printed) == Decimal(lines["得分"].iloc[-1]), "score lines do not add up"
    grade = indicators.grade(sum(printed))
    assert f"评价等级为“{grade}”" in report.section("九").blocks[0].text or \
        f"评价等级暂定为“{grade}”" in report.section("九").blocks[0].text
    # the 三公 change is stated with the word its table's two years call for
    sangong = tables.get("sangong")
    if sangong is not None and "上年支出" in sangong.frame.columns:
        now, before = (Decimal(sangong.cell("合计", c)) for c in ("本年支出", "上年支出"))
        for word in _stated(report, r"“三公”经费合计比上年(增加|减少)"):
            assert (word == "增加") == (now > before)


def test_every_sample_department_year_is_true_of_its_tables(sample_processed: Path) -> None:
    from outturn.store.read import available_years, departments

    built = 0
    for code in departments(sample_processed)["dept_code"].unique():
        for year in available_years(code, sample_processed):
            assert_true_of_its_tables(build_report(load_inputs(code, year, sample_processed)))
            built += 1
    assert built == 34  # 7 departments × 2020–2023 and the 3 sample shapes × 2021–2022


def test_the_property_fails_when_months_far_behind_are_not_counted_as_behind(
        sample_processed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from outturn.report import overall

    monkeypatch.setattr(overall, "BEHIND_STATUSES", ("滞后",))  # the 一（四） bug put back
    report = build_report(load_inputs("115", 2022, sample_processed))
    with pytest.raises(AssertionError):
        assert_true_of_its_tables(report)


def test_a_sentence_printing_another_figure_than_its_table_is_a_build_error() -> None:
    frame = pd.DataFrame([["合计", "10.00"]], columns=["项目", "金额"])
    table = Table("t", "表", frame)
    wrong = Paragraph("合计10.01万元。", (Cell("10.01", "t", (("项目", "合计"),), "金额"),))
    assert check_paragraph(wrong, {"t": table}, set()) == ["prints 10.01 where table 't' has 10.00"]
    loose = Paragraph("支出增长了12.34万元。")
    assert check_paragraph(loose, {"t": table}, {"10.00"}) == [
        "the figure 12.34 is in no table and has no stated source",
        "the direction word 增长 compares nothing that is checked"]


@pytest.mark.parametrize(("printed", "numerator", "denominator", "ok"), [
    ("15.38%", "0.03", "0.20", True),   # 0.03/0.20 = 15 %, but unrounded it may be 15.38 %
    ("31.64%", "1926.84", "6090.35", True),
    ("31.70%", "1926.84", "6090.35", False),
])
def test_a_rate_is_checked_against_its_printed_parts_to_their_precision(
        printed: str, numerator: str, denominator: str, ok: bool) -> None:
    from outturn.report.claims import Rate, _check_rate

    assert (_check_rate(Rate(printed, numerator, denominator)) == "") is ok


def test_a_direction_word_must_agree_with_the_sign_of_its_figures() -> None:
    from outturn.report.claims import Direction, _check_direction

    assert _check_direction(Direction("低于", "85.15%", "90%")) == ""
    assert _check_direction(Direction("增长", "6.56", "7.27")) != ""
    assert _check_direction(Direction("未达到", "8337", "10000")) == ""
