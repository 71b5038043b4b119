"""One folder per department: a bureau adds a department by dropping in its folder, and an
evaluator changes a judgement without re-ingesting."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from outturn.ingest.collect import collect, input_files
from outturn.ingest.run import ingest
from outturn.scoring.engine import judgements_from_profile, score_department
from outturn.scoring.indicators import ScoringError
from outturn.scoring.rules import DEFAULT_RULE_SET, load_rule_set
from outturn.store.read import load

from tests.conftest import write_raw

DEPT_902 = "部门编码,部门名称,单位编码,单位名称,单位级次\n902,新建局,902001,局本级,本级\n"
BUDGET_902 = (
    "年度,部门编码,单位编码,预算类型,支出类型,项目编码,项目名称,功能分类科目编码,经济分类科目编码,"
    "年初预算数（元）\n"
    "2022,902,902001,一般公共预算,基本支出,,,2120101,30101,800.00\n"
)
PAYMENTS_902 = (
    "凭证号,支付日期,部门编码,单位编码,预算类型,支出类型,项目编码,功能分类科目编码,经济分类科目编码,"
    "金额（元）,摘要\n"
    "W1,2022-03-15,902,902001,一般公共预算,基本支出,,2120101,30101,600.00,工资\n"
)
PROFILE = 'dept_code = "{code}"\nyear = 2022\ndept_name = "{name}"\n'
JUDGED = "绩效目标合理性"


def _department_folder(raw: Path, code: str = "902", payments: str = PAYMENTS_902) -> Path:
    folder = raw / code
    for name, text in (("departments.csv", DEPT_902), ("budget/2022/b.csv", BUDGET_902),
                       ("payments/2022/p.csv", payments),
                       ("profiles/2022/profile.toml", PROFILE.format(code=code, name="新建局"))):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_department_dropped_in_as_a_folder_is_read_like_a_shared_one(tmp_path: Path) -> None:
    raw = write_raw(tmp_path / "raw")
    _department_folder(raw)
    result = ingest(raw, tmp_path / "processed")
    assert result.collected.error_count == 0 and result.balanced
    dy = load("902", 2022, tmp_path / "processed")
    assert dy.dept_name == "新建局"
    assert int(dy.payments["amount"].sum()) == 60_000 and int(dy.budget["original_budget"].sum()) == 80_000
    assert dy.profile["dept_name"] == "新建局"
    assert raw / "902" / "profiles" / "2022" / "profile.toml" in input_files(raw)
    assert load("901", 2022, tmp_path / "processed").payments["amount"].sum() == 225_000


def test_a_row_of_another_department_in_a_departments_folder_is_rejected_by_name(
        tmp_path: Path) -> None:
    raw = write_raw(tmp_path / "raw")
    stray = PAYMENTS_902 + "W2,2022-04-15,901,901001,一般公共预算,基本支出,,2120101,30101,100.00,工资\n"
    _department_folder(raw, payments=stray)
    collected = collect(raw)
    problem = next(p for p in collected.problems if "folder of department 902" in p.rule)
    assert (problem.file.endswith("p.csv"), problem.row, problem.column, problem.value) == \
        (True, 3, "dept_code", "901")
    assert "move the row" in problem.advice
    rejected = collected.rejected["payments"]
    assert list(rejected["voucher_id"]) == ["W2"] and int(rejected["amount_fen"].sum()) == 10_000
    result = ingest(raw, tmp_path / "processed")
    assert result.balanced  # the rejected 分 are accounted for in the reconciliation


def test_a_folder_that_is_neither_a_table_nor_a_department_is_named(tmp_path: Path) -> None:
    raw = write_raw(tmp_path / "raw")
    (raw / "旧数据").mkdir()
    (raw / "旧数据" / "b.csv").write_text(BUDGET_902, encoding="utf-8")
    warning = next(p for p in collect(raw).problems if p.file.endswith("旧数据"))
    assert warning.severity == "warning" and "not read" in warning.rule


def test_two_profiles_of_one_department_year_are_an_error(tmp_path: Path) -> None:
    raw = write_raw(tmp_path / "raw")
    _department_folder(raw)
    shared = raw / "profiles" / "902" / "2022"
    shared.mkdir(parents=True)
    (shared / "profile.toml").write_text(PROFILE.format(code="902", name="另一个名字"), encoding="utf-8")
    collected = collect(raw)
    assert collected.profiles[("902", 2022)]["dept_name"] == "另一个名字"  # shared read first
    error = next(p for p in collected.problems if "second profile" in p.rule)
    assert error.severity == "error" and "902/profiles/2022" in error.file


def test_a_profile_in_a_departments_folder_must_name_that_department(tmp_path: Path) -> None:
    raw = write_raw(tmp_path / "raw")
    folder = _department_folder(raw)
    (folder / "profiles" / "2022" / "profile.toml").write_text(
        PROFILE.format(code="901", name="测试局"), encoding="utf-8")
    collected = collect(raw)
    assert ("901", 2022) not in collected.profiles
    assert any("folder of 902/2022" in p.rule for p in collected.problems)


def test_an_indicator_of_an_unknown_department_is_rejected_not_a_crash(tmp_path: Path) -> None:
    raw = write_raw(tmp_path / "raw")
    (raw / "indicators").mkdir()
    (raw / "indicators" / "i.csv").write_text(
        "年度,部门编码,指标范围,一级指标,二级指标,三级指标,年度指标值,实际完成值,指标方向,分值\n"
        "2022,999,部门,产出指标,数量指标,路灯,100,100,>=,10\n", encoding="utf-8")
    collected = collect(raw)
    assert any(p.value == "999" and "unknown department" in p.rule for p in collected.problems)
    assert len(collected.rejected["indicators"]) == 1


@pytest.fixture
def judged_store(tmp_path: Path) -> tuple[Path, Path]:
    """A small raw folder with a profile, ingested; returns (judgements file, processed)."""
    raw = write_raw(tmp_path / "raw")
    folder = raw / "profiles" / "901" / "2022"
    folder.mkdir(parents=True)
    (folder / "profile.toml").write_text(PROFILE.format(code="901", name="测试局"), encoding="utf-8")
    judged = folder / "judgements.toml"
    judged.write_text(f'["{JUDGED}"]\npoints = 2\nreason = "目标基本合理"\n', encoding="utf-8")
    ingest(raw, tmp_path / "processed")
    return judged, tmp_path / "processed"


def _points(processed: Path) -> float | None:
    dy = load("901", 2022, processed)
    table = score_department(dy, load_rule_set(DEFAULT_RULE_SET),
                             judgements=judgements_from_profile(dy.profile))
    line = next(x for x in table.lines if x.level3 == JUDGED)
    return None if line in table.pending else line.points


def test_a_changed_judgement_is_scored_without_re_ingesting(judged_store: tuple[Path, Path]) -> None:
    judged, processed = judged_store
    assert _points(processed) == 2
    judged.write_text(f'["{JUDGED}"]\npoints = 3\nreason = "目标合理"\n', encoding="utf-8")
    assert _points(processed) == 3
    judged.unlink()  # a judgement withdrawn: the line waits for the evaluator again
    assert _points(processed) is None


def test_a_judgements_file_broken_after_ingest_stops_scoring_with_its_name(
        judged_store: tuple[Path, Path]) -> None:
    judged, processed = judged_store
    judged.write_text(f'["{JUDGED}"]\npoints = "高"\n', encoding="utf-8")
    with pytest.raises(ScoringError, match=r"judgements\.toml.*points or share"):
        _points(processed)


def test_a_snapshot_away_from_its_raw_folder_scores_with_the_judgements_read_at_ingest(
        judged_store: tuple[Path, Path]) -> None:
    judged, processed = judged_store
    shutil.rmtree(judged.parents[3])  # the whole raw folder is gone
    assert _points(processed) == 2


def test_the_report_hash_follows_the_judgements_file(judged_store: tuple[Path, Path]) -> None:
    from outturn.report.notebook import Parameters
    from outturn.report.runner import NOTEBOOK, inputs_hash

    judged, processed = judged_store
    params = Parameters(dept="901", year=2022, processed_dir=str(processed), rules=DEFAULT_RULE_SET,
                        denominator="adjusted", output_dir=str(processed.parent / "out"))
    before = inputs_hash("901", 2022, params, NOTEBOOK)
    judged.write_text(f'["{JUDGED}"]\npoints = 3\nreason = "目标合理"\n', encoding="utf-8")
    assert inputs_hash("901", 2022, params, NOTEBOOK) != before
