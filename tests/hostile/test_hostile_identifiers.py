"""Unsafe identifiers: codes from ledgers never become paths that leave their root, or links.

Before ``outturn.identifiers``, a department code ``../../elsewhere/pwn`` made a report
write outside ``outputs/``, ``../../data/raw`` made a batch delete ``data/raw/``, ``115/x``
mixed its rows into department 115's figures, a NUL byte crashed ingest leaving a staging
folder, ``javascript:…`` became a live link in ``index.html`` and a profile folder linked
from elsewhere was read into the snapshot.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import BUDGET_CSV, DEPARTMENTS_CSV, PAYMENTS_CSV, write_raw
from corpus import assert_conserved, files_under, one_problem, problems_where
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from outturn.cli import main
from outturn.identifiers import CODE_RULE, UnsafeIdentifier, is_safe_code, safe_join
from outturn.ingest.collect import collect
from outturn.ingest.run import _write_partitioned, ingest
from outturn.problems import OutturnError
from outturn.report.index import render_index
from outturn.report.runner import publish, run_report, target_folder
from outturn.store import read as store
from outturn.store.snapshot import current_path

ROOT = Path(__file__).resolve().parents[2]

#: Codes that must never reach a path or a link, with why.
HOSTILE = {
    "climbs out of outputs": "../../elsewhere/pwn",
    "names data/raw from outputs": "../../data/raw",
    "nests under department 115": "115/x",
    "holds a NUL byte": "a\x00b",
    "is a javascript: link": "javascript:alert(1)",
    "is the parent folder": "..",
    "is the folder itself": ".",
    "holds a space": "11 5",
    "holds a control character": "11\x075",
    "is 40 characters long": "x" * 40,
    "holds a backslash": "a\\b",
    "is hidden (leading dot)": ".115",
}

INDICATORS_CSV = (
    "年度,部门编码,指标范围,一级指标,二级指标,三级指标,年度指标值,实际完成值,计量单位,指标方向,分值\n"
    "2022,901,部门,产出指标,数量指标,道路维护里程,100,98,公里,≥,10\n"
    "2022,{code},部门,产出指标,数量指标,路灯维修数,50,50,个,≥,10\n"
)


def _quoted(code: str) -> str:
    return '"' + code.replace('"', '""') + '"'


def _hostile_raw(root: Path, code: str) -> Path:
    """The conftest ledgers with unit 901002 filed under department ``code`` everywhere."""
    q = _quoted(code)
    raw = write_raw(root / "raw",
                    departments=DEPARTMENTS_CSV.replace("901,测试局,901002", f"{q},测试局,901002"),
                    budget=BUDGET_CSV.replace("2022,901,901002", f"2022,{q},901002"),
                    payments=PAYMENTS_CSV.replace("2022-12-20,901,901002", f"2022-12-20,{q},901002"))
    (raw / "indicators").mkdir()
    (raw / "indicators" / "i.csv").write_text(INDICATORS_CSV.format(code=q), encoding="utf-8")
    return raw


@pytest.mark.parametrize("code", list(HOSTILE.values()), ids=list(HOSTILE))
def test_a_hostile_department_code_is_a_rejected_row_in_every_table_and_writes_nothing_outside(
        tmp_path: Path, code: str) -> None:
    raw = _hostile_raw(tmp_path, code)
    processed = tmp_path / "processed"
    before = files_under(tmp_path)
    result = ingest(raw, processed)
    for file, row in (("departments.csv", 3), ("b.csv", 4), ("p.csv", 6), ("i.csv", 3)):
        found = one_problem(result.collected.problems, file=file, row=row, column="部门编码")
        assert (found.value, found.rule, found.severity) == (code, CODE_RULE, "error")
        assert "115001" in found.advice
    assert len(result.collected.rejected["budget"]) == 1
    assert len(result.collected.rejected["payments"]) == 1
    assert_conserved(result)
    after = files_under(tmp_path)
    assert before <= after
    assert all(p.is_relative_to(processed) for p in after - before)
    snap = current_path(processed)
    assert snap is not None
    for table in ("budget", "payments", "indicators"):
        assert [p.name for p in (snap / table / "year=2022").iterdir()] == ["dept_code=901"]
    assert not [p for p in files_under(processed) if "staging" in p.name]


def test_a_hostile_unit_code_is_rejected_naming_its_cell(tmp_path: Path) -> None:
    raw = write_raw(tmp_path / "raw",
                    departments=DEPARTMENTS_CSV.replace(",901002,", ",../901002,"),
                    budget=BUDGET_CSV.replace(",901002,", ",../901002,"))
    result = ingest(raw, tmp_path / "processed")
    for file, row in (("departments.csv", 3), ("b.csv", 4)):
        found = one_problem(result.collected.problems, file=file, row=row, column="单位编码")
        assert (found.value, found.rule) == ("../901002", CODE_RULE)
    assert_conserved(result)


def test_every_code_of_the_sample_and_of_the_tests_is_a_safe_code() -> None:
    frame = pd.read_csv(ROOT / "data" / "raw" / "departments.csv", dtype=str)
    codes = [*frame["部门编码"], *frame["单位编码"], "901", "901001", "902", "015", "D2", "U1", "P1"]
    assert all(is_safe_code(c) for c in codes)
    assert not [c for c in HOSTILE.values() if is_safe_code(c)]


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.text(max_size=40), min_size=1, max_size=3))
def test_safe_join_returns_a_path_strictly_inside_its_root_or_refuses(
        tmp_path: Path, parts: list[str]) -> None:
    root = tmp_path.resolve()
    try:
        joined = safe_join(tmp_path, *parts)
    except UnsafeIdentifier:
        return
    assert joined.is_relative_to(root) and joined != root


def test_safe_join_refuses_a_symlink_leading_out_of_its_root(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "root" / "115").symlink_to(tmp_path / "elsewhere")
    for parts in (("115",), ("115", "report.html")):
        with pytest.raises(UnsafeIdentifier, match="outside"):
            safe_join(tmp_path / "root", *parts)
    with pytest.raises(UnsafeIdentifier, match="one name"):
        safe_join(tmp_path / "root", "2022/115")


def test_the_partition_writer_refuses_an_unsafe_code_before_writing(tmp_path: Path) -> None:
    frame = pd.DataFrame({"year": [2022, 2022], "dept_code": ["901", "../x"], "amount": [1, 2]})
    with pytest.raises(UnsafeIdentifier, match=re.escape("'../x'")):
        _write_partitioned(frame, tmp_path / "budget")
    assert files_under(tmp_path) == set()


def test_reading_a_department_given_as_a_path_is_a_clear_error(raw_dir: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str],
                                                                ) -> None:
    processed = tmp_path / "processed"
    ingest(raw_dir, processed)
    for code in ("../x", "../../budget", "901/.."):
        with pytest.raises(OutturnError, match="department code"):
            store.read_table("budget", 2022, code, processed)
        with pytest.raises(OutturnError, match="department code"):
            store.read_profile(code, 2022, processed)
    assert main(["summary", "--dept", "../x", "--year", "2022",
                 "--processed", str(processed)]) != 0
    assert "'../x'" in capsys.readouterr().err


def _stale_snapshot(raw_dir: Path, processed: Path, code: str) -> None:
    """A snapshot written before codes were checked: department 901 renamed ``code``."""
    ingest(raw_dir, processed)
    snap = current_path(processed)
    assert snap is not None
    depts = pd.read_parquet(snap / "departments.parquet")
    depts["dept_code"] = code
    depts.to_parquet(snap / "departments.parquet")
    manifest = json.loads((snap / "manifest.json").read_text(encoding="utf-8"))
    manifest["department_years"] = [[2022, code]]
    (snap / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize("code", ["../../data/raw", "../../elsewhere/pwn", ".", "javascript:x"])
def test_a_report_for_an_unsafe_code_fails_without_touching_anything(
        raw_dir: Path, tmp_path: Path, code: str) -> None:
    outputs = tmp_path / "outputs"
    (outputs / "2022" / "901").mkdir(parents=True)
    (outputs / "2022" / "901" / "report.html").write_text("old", encoding="utf-8")
    _stale_snapshot(raw_dir, tmp_path / "processed", code)
    before = {p: p.stat().st_mtime_ns for p in files_under(tmp_path)}
    result = run_report(code, 2022, processed_dir=tmp_path / "processed", output_root=outputs)
    assert result.status == "failed" and repr(code) in result.error
    assert {p: p.stat().st_mtime_ns for p in files_under(tmp_path)} == before


def test_the_target_folder_stays_directly_inside_the_year_folder(tmp_path: Path) -> None:
    assert target_folder(tmp_path, 2022, "115") == tmp_path.resolve() / "2022" / "115"
    (tmp_path / "2022").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "2022" / "116").symlink_to(tmp_path / "elsewhere")
    for code in ("116", "../elsewhere", "115/x"):
        with pytest.raises(UnsafeIdentifier):
            target_folder(tmp_path, 2022, code)


def test_publish_never_renames_or_removes_outside_the_year_folder(tmp_path: Path) -> None:
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "departments.csv").write_text("keep", encoding="utf-8")
    staging = tmp_path / "outputs" / "2022" / ".staging-x"
    staging.mkdir(parents=True)
    before = files_under(tmp_path)
    with pytest.raises(OutturnError):
        publish(staging, tmp_path / "outputs" / "2022" / ".." / ".." / "data" / "raw")
    assert files_under(tmp_path) == before


def test_the_index_page_links_no_unsafe_code(tmp_path: Path) -> None:
    for code in ("901", "javascript:alert(1)"):
        (tmp_path / code).mkdir()
        (tmp_path / code / "report.html").write_text("x", encoding="utf-8")
    summaries = {c: {"dept_name": "测试局", "score": "90"}
                 for c in ("901", "javascript:alert(1)", "../../x", '"><script>x</script>')}
    html = render_index(2022, summaries, [], tmp_path)
    assert 'href="901/report.html"' in html
    assert html.count("href=") == 1
    assert "javascript:alert(1)</td>" in html and "<script>x" not in html


def _profile(folder: Path, dept: str = "901", extra: str = "") -> Path:
    folder.mkdir(parents=True)
    (folder / "profile.toml").write_text(
        f'dept_code = "{dept}"\nyear = 2022\ndept_name = "测试局"\n{extra}', encoding="utf-8")
    return folder


def test_a_profile_folder_linked_from_outside_the_raw_folder_is_skipped_with_a_warning(
        raw_dir: Path, tmp_path: Path) -> None:
    outside = _profile(tmp_path / "outside" / "2022")
    (outside / "overview.md").write_text("SECRET SYSTEM FILE", encoding="utf-8")
    (raw_dir / "profiles" / "901").mkdir(parents=True)
    (raw_dir / "profiles" / "901" / "2022").symlink_to(outside)
    result = ingest(raw_dir, tmp_path / "processed")
    found = one_problem(result.collected.problems, file=str(raw_dir / "profiles" / "901" / "2022"))
    assert found.severity == "warning" and "not followed" in found.rule
    assert result.collected.profiles == {}
    snap = current_path(tmp_path / "processed")
    assert snap is not None
    assert not any("SECRET" in p.read_text(errors="replace") for p in files_under(snap)
                   if p.is_file() and p.suffix in (".json", ".csv"))


def test_a_narrative_file_linked_from_outside_is_skipped_and_the_rest_is_kept(
        raw_dir: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("SECRET", encoding="utf-8")
    folder = _profile(raw_dir / "profiles" / "901" / "2022")
    (folder / "overview.md").symlink_to(secret)
    (folder / "performance.md").write_text("完成了任务", encoding="utf-8")
    collected = collect(raw_dir)
    found = one_problem(collected.problems, file=str(folder / "overview.md"))
    assert found.severity == "warning"
    assert collected.profiles[("901", 2022)]["narrative"] == {"performance": "完成了任务"}


def test_a_profile_folder_named_by_an_unsafe_code_is_an_error(raw_dir: Path) -> None:
    folder = _profile(raw_dir / "profiles" / "javascript:x" / "2022", dept="javascript:x")
    collected = collect(raw_dir)
    found = one_problem(collected.problems, file=str(folder / "profile.toml"))
    assert (found.column, found.value, found.rule) == ("dept_code", "javascript:x", CODE_RULE)
    assert collected.profiles == {}
    assert not problems_where(collected.problems, rule="folder")


def test_department_codes_differing_only_in_case_are_refused_naming_the_first(
        tmp_path: Path) -> None:
    departments = DEPARTMENTS_CSV + "D2,甲局,D2001,局本级,本级\nd2,乙局,d2001,局本级,本级\n"
    raw = write_raw(tmp_path / "raw", departments=departments)
    result = ingest(raw, tmp_path / "processed")
    problem = one_problem(result.collected.problems, file="departments.csv", row=5, value="d2")
    assert "differs from D2 only in case" in problem.rule
    assert set(result.collected.tables["departments"]["dept_code"]) == {"901", "D2"}
    assert_conserved(result)
