"""Rule sets as data: the shipped sets load; bad files fail naming the file and rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
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
    ("params: {level1: 产出指标}", "params: {}", "method indicators needs parameter level1"),
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


# --- strict validation: every error names the file, the rule and the allowed names -------

SANGONG = """
id: strict-set
name: 测试
blocks: {投入: 100}
rules:
  - {level1: 投入, level2: 预算配置, level3: “三公”经费变动率, weight: 60,
     metric: sangong_change_rate, method: deduction,
     params: {threshold: 0, per: 0.5, basis: budget}}
  - {level1: 投入, level2: 目标设定, level3: 绩效目标合理性, weight: 40,
     metric: manual, method: manual}
"""


def _error(tmp_path: Path, text: str) -> str:
    path = _write(tmp_path, text)
    with pytest.raises(RuleSetError) as info:
        load_rule_set(path)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    return message


def test_a_misspelt_parameter_is_an_error_naming_the_rule_and_the_allowed_names(
        tmp_path: Path) -> None:
    message = _error(tmp_path, SANGONG.replace("basis: budget", "bassis: budget"))
    assert "rule 1 (“三公”经费变动率)" in message and "'bassis'" in message
    assert "allowed: threshold, per, step, side, whole_steps, floor, basis" in message


def test_an_unknown_rule_key_is_an_error_naming_the_allowed_keys(tmp_path: Path) -> None:
    message = _error(tmp_path, SANGONG.replace("weight: 40,", "weight: 40, wieght: 40,"))
    assert "rule 2 (绩效目标合理性): unknown key 'wieght'" in message
    assert "allowed: level1, level2, level3, weight, metric, method, params, when_missing, reason" \
        in message


def test_an_unknown_top_level_key_is_an_error_naming_the_allowed_keys(tmp_path: Path) -> None:
    message = _error(tmp_path, SANGONG.replace("name: 测试", "name: 测试\nblokcs: {投入: 100}"))
    assert "unknown key 'blokcs'; allowed: id, name, source, blocks, rules" in message


@pytest.mark.parametrize(("old", "new", "message"), [
    ("weight: 60,", "weight: '60',", "rule 1 (“三公”经费变动率): weight must be a number, not '60'"),
    ("per: 0.5", "per: '0.5'", "rule 1 (“三公”经费变动率): parameter per must be a number, not '0.5'"),
    ("basis: budget", "basis: budgets",
     "rule 1 (“三公”经费变动率): parameter basis must be one of budget, actual, not 'budgets'"),
    ("basis: budget}", "basis: budget, whole_steps: 1}",
     "rule 1 (“三公”经费变动率): parameter whole_steps must be true or false, not 1"),
    ("method: deduction,\n     params: {threshold: 0, per: 0.5, basis: budget}",
     "method: bands,\n     params: {bands: [5, 0]}",
     "rule 1 (“三公”经费变动率): parameter bands must be a list of [upper bound or null, points] pairs"),
    ("method: manual}", "method: manual, when_missing: maybe}",
     "rule 2 (绩效目标合理性): when_missing 'maybe' is not one of judge, zero, full, exclude"),
    ("method: manual}", "method: manual, when_missing: full}",
     "rule 2 (绩效目标合理性): when_missing full needs a reason"),
    ("method: manual}", "method: manual, reason: 因为}",
     "rule 2 (绩效目标合理性): a reason goes with when_missing zero, full or exclude"),
    ("metric: manual, method: manual", "metric: execution_rate, method: manual",
     "rule 2 (绩效目标合理性): metric execution_rate and method manual do not go together"),
    ("weight: 40,", "weight: 30,", "rules of 投入 weigh 90, but the block weighs 100 "
                                   "(“三公”经费变动率 60，绩效目标合理性 30)"),
])
def test_a_wrong_value_is_an_error_naming_the_rule_and_what_is_allowed(
        tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in SANGONG
    assert message in _error(tmp_path, SANGONG.replace(old, new, 1))


def test_the_strict_example_itself_loads(tmp_path: Path) -> None:
    rules = load_rule_set(_write(tmp_path, SANGONG))
    assert rules.rules[0].params["basis"] == "budget" and rules.rules[1].when_missing == "judge"


def test_every_metric_and_method_is_registered_under_its_own_name_with_a_label() -> None:
    from outturn.scoring.methods import METHODS
    from outturn.scoring.metric_values import METRICS

    assert all(name == m.name for name, m in METHODS.items())
    assert all(name == m.name and m.label.strip() for name, m in METRICS.items())


@given(name=st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12))
@settings(max_examples=60, deadline=None)
def test_any_parameter_outside_the_table_is_refused(name: str) -> None:
    from outturn.scoring.rules import allowed, parse_rule_set

    assume(name not in allowed("deduction", "sangong_change_rate"))
    text = SANGONG.replace("basis: budget", f"'{name}': 1")
    with pytest.raises(RuleSetError, match=rf"rules\.yaml: rule 1 .*unknown parameter '{name}'"):
        parse_rule_set(text, "rules.yaml")


def test_the_scoring_doc_lists_every_parameter_of_the_table_with_its_type() -> None:
    from outturn.scoring.methods import METHODS
    from outturn.scoring.metric_values import METRICS

    doc = (Path(__file__).resolve().parents[1] / "docs" / "scoring.md").read_text(encoding="utf-8")
    for kind, table in (("method", METHODS), ("metric", METRICS)):
        for name, entry in table.items():
            for p in entry.params:
                row = (f"| {kind} `{name}` | `{p.name}` | {'yes' if p.required else 'no'} | "
                       f"{p.kind} |")
                assert row in doc, row


def test_every_metric_and_method_a_rule_may_name_has_its_calculation() -> None:
    """The registries the engine dispatches through agree with what rule sets may name."""
    from outturn.scoring.methods import METHODS
    from outturn.scoring.metric_values import METRIC_VALUES, METRICS
    from outturn.scoring.params import PAIRED

    scored_by_engine = set(PAIRED)
    assert {n for n, m in METRICS.items() if m.compute is not None} | scored_by_engine == set(METRICS)
    assert set(METRIC_VALUES) == {n for n, m in METRICS.items() if m.compute is not None}
    assert {n for n, m in METHODS.items() if m.apply is not None} | scored_by_engine == set(METHODS)
