"""Every sentence true: the report's printed rule texts, counts, totals and rates agree with
the figures and the rules the code applies (issue 9)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from outturn import pefa
from outturn.report.build import build_report, load_inputs
from outturn.report.model import Report, Table
from outturn.scoring import indicators


def _table(report: Report, key: str) -> Table:
    return next(t for t in report.tables() if t.key == key)


@pytest.fixture(scope="module")
def reference(sample_processed: Path) -> Report:
    return build_report(load_inputs("115", 2022, sample_processed))


def test_the_pefa_legend_states_the_bands_the_grades_are_given_by(reference: Report) -> None:
    table = _table(reference, "pefa_pi1")
    assert pefa.outturn_legend() in table.note
    assert "A：95%–105%" in table.note


def test_changing_a_pefa_band_changes_the_printed_legend_and_the_grade_together(
        sample_processed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wide = (("A", Fraction(80, 100), Fraction(120, 100)), *pefa.PI1_BANDS[1:])
    monkeypatch.setattr(pefa, "PI1_BANDS", wide)
    report = build_report(load_inputs("115", 2022, sample_processed))
    table = _table(report, "pefa_pi1")
    assert "A：80%–120%" in table.note
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
