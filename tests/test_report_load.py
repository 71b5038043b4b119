"""A report's load reads each department-year once and parses its rule set once per text."""

from __future__ import annotations

from pathlib import Path

import pytest
from outturn.metrics import pefa_ledgers
from outturn.report import build
from outturn.scoring.rules import DEFAULT_RULE_SET, rule_set_source
from outturn.store import read


def _counting_loads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    calls: list[tuple[str, int]] = []
    original = read.load

    def counted(dept: str, year: int, processed_dir: Path | str = read.DEFAULT_PROCESSED) -> read.DeptYear:
        calls.append((str(dept), int(year)))
        return original(dept, year, processed_dir)

    monkeypatch.setattr(build, "load", counted)
    monkeypatch.setattr(read, "load", counted)  # previous_year calls it by this name
    monkeypatch.setattr(pefa_ledgers, "load", counted)
    return calls


def test_a_report_loads_each_year_of_its_window_once(sample_processed: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting_loads(monkeypatch)
    inputs = build.load_inputs("115", 2023, sample_processed)
    assert sorted(year for _, year in calls) == [2021, 2022, 2023]
    assert inputs.pefa is not None
    assert list(inputs.pefa["tables"]["aggregate"]["year"]) == [2021, 2022, 2023]


def test_pefa_of_loaded_years_is_pefa_of_the_store(sample_processed: Path) -> None:
    years = [2021, 2022, 2023]
    loaded = [read.load("115", y, sample_processed) for y in years[1:]]
    reused = pefa_ledgers.department_pefa("115", years, sample_processed, loaded=loaded)
    fresh = pefa_ledgers.department_pefa("115", years, sample_processed)
    for name, table in fresh["tables"].items():
        assert reused["tables"][name].equals(table)
    assert reused["pi1"].score == fresh["pi1"].score and reused["pi2"].score == fresh["pi2"].score


def test_a_rule_set_is_parsed_once_per_text(tmp_path: Path) -> None:
    shipped = build._parsed_rule_set(*rule_set_source(DEFAULT_RULE_SET))
    assert build._parsed_rule_set(*rule_set_source(DEFAULT_RULE_SET)) is shipped
    text, _ = rule_set_source(DEFAULT_RULE_SET)
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    first = build._parsed_rule_set(*rule_set_source(path))
    assert first.rules == shipped.rules
    path.write_text(text.replace(f"name: {shipped.name}", "name: 改过的规则"), encoding="utf-8")
    edited = build._parsed_rule_set(*rule_set_source(path))
    assert edited is not first and edited.name == "改过的规则"
