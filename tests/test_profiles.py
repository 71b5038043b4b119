"""Department profiles: TOML facts plus Markdown narrative, checked against their folder."""

from __future__ import annotations

from pathlib import Path

from outturn.ingest.profiles import find_profiles, read_profile


def _folder(root: Path, text: str, dept: str = "901", year: str = "2022") -> Path:
    folder = root / dept / year
    folder.mkdir(parents=True)
    (folder / "profile.toml").write_text(text, encoding="utf-8")
    return folder


def test_profile_with_narrative(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 'dept_code = "901"\nyear = 2022\ndept_name = "测试局"\n')
    (folder / "performance.md").write_text("  今年完成了任务。\n", encoding="utf-8")
    profile, problems = read_profile(folder)
    assert problems == [] and profile is not None
    assert profile["narrative"] == {"performance": "今年完成了任务。"}
    assert find_profiles(tmp_path) == [folder]


def test_missing_keys_and_bad_toml_are_reported(tmp_path: Path) -> None:
    profile, problems = read_profile(_folder(tmp_path, 'dept_code = "901"\n'))
    assert profile is None and {p.column for p in problems} == {"year", "dept_name"}
    profile, problems = read_profile(_folder(tmp_path, "dept_code = \n", dept="902"))
    assert profile is None and "TOML" in problems[0].rule


def test_profile_in_the_wrong_folder(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 'dept_code = "902"\nyear = 2022\ndept_name = "x"\n')
    profile, problems = read_profile(folder)
    assert profile is None and "folder" in problems[0].rule


def test_judgements_are_read_and_checked(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 'dept_code = "901"\nyear = 2022\ndept_name = "测试局"\n')
    (folder / "judgements.toml").write_text(
        '["绩效目标合理性"]\npoints = 4.5\nreason = "目标与职责相符"\n', encoding="utf-8")
    profile, problems = read_profile(folder)
    assert problems == [] and profile is not None
    assert profile["judgements"]["绩效目标合理性"] == {"points": 4.5, "reason": "目标与职责相符"}
    (folder / "judgements.toml").write_text('["绩效目标合理性"]\npoints = "高"\n', encoding="utf-8")
    profile, problems = read_profile(folder)
    assert profile is None and problems[0].column == "绩效目标合理性"
