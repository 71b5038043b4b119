"""Rule sets as data: the shipped sets load; bad files fail naming the file and rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from outturn.scoring.rules import RuleSetError, available_rule_sets, load_rule_set

GOOD = """
id: test-set
name: 测试
blocks: {预算执行: 10, 产出指标: 90}
rules:
  - {level1: 预算执行, level2: 预算执行率, level3: 预算执行率, weight: 10,
     metric: execution_rate, method: proportional}
  - {level1: 产出指标, level2: 数量, level3: 完成情况, weight: 90,
     metric: indicators, method: indicators, params: {level1: 产出指标}}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_rule_sets_load_and_weigh_100() -> None:
    assert {"mof-2020-project", "hunan-dept-overall"} <= set(available_rule_sets())
    for name in available_rule_sets():
        rules = load_rule_set(name)
        assert sum(rules.blocks.values()) == 100
        assert sum(r.weight for r in rules.rules) == 100


def test_mof_set_has_the_ministry_blocks() -> None:
    rules = load_rule_set("mof-2020-project")
    assert {k: int(v) for k, v in rules.blocks.items()} == \
        {"预算执行": 10, "产出指标": 50, "效益指标": 30, "满意度指标": 10}


def test_a_new_province_is_a_new_file(tmp_path: Path) -> None:
    rules = load_rule_set(_write(tmp_path, GOOD))
    assert rules.id == "test-set" and [r.level3 for r in rules.rules] == ["预算执行率", "完成情况"]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("产出指标: 90}", "产出指标: 80}", "sum to 90, not 100"),
    ("weight: 90,", "weight: 80,", "rules of 产出指标 weigh 80"),
    ("metric: execution_rate", "metric: speed", "rule 1 (预算执行率): unknown metric 'speed'"),
    ("method: proportional", "method: guess", "unknown method 'guess'"),
    ("params: {level1: 产出指标}", "params: {}", "method indicators needs level1"),
    ("level1: 产出指标, level2", "level1: 其他, level2", "level1 '其他' is not one of the blocks"),
])
def test_bad_rule_files_name_file_and_rule(tmp_path: Path, old: str, new: str,
                                           message: str) -> None:
    path = _write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(RuleSetError) as info:
        load_rule_set(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_overlapping_bands_are_an_error(tmp_path: Path) -> None:
    text = GOOD.replace("method: proportional}",
                        "method: bands, params: {bands: [[10, 10], [10, 5], [null, 0]]}}")
    with pytest.raises(RuleSetError, match=r"rule 1 \(预算执行率\): bad bands"):
        load_rule_set(_write(tmp_path, text))


def test_unknown_shipped_name_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError, match="no rule set 'nowhere'"):
        load_rule_set("nowhere")
    with pytest.raises(RuleSetError, match="not valid YAML"):
        load_rule_set(_write(tmp_path, "id: [unclosed"))
