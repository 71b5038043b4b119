"""Scoring a department-year with the shipped rule sets, on the ingested sample."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path

import pytest
from outturn.scoring.engine import (
    JUDGED,
    PENDING,
    POLICY,
    Judgement,
    judgements_from_profile,
    metric_value,
    score_department,
)
from outturn.scoring.rules import RuleSet, load_rule_set, parse_rule_set
from outturn.store.read import load

HUNAN = load_rule_set("hunan-dept-overall")
#: full marks, with a reason, on every line of the department-wide set the evaluator scores
MANUAL = {r.level3: Judgement(float(r.weight), "依据材料评分") for r in HUNAN.rules
          if r.method == "manual"}


@pytest.fixture(scope="module")
def years(sample_processed: Path):
    return load("115", 2022, sample_processed), load("115", 2021, sample_processed)


def test_execution_rate_reads_the_ledgers_exactly(years) -> None:
    dy, prev = years
    value, note = metric_value("execution_rate", dy, prev, {})
    # 5185.69 万元 spent of 6090.35 万元 adjusted budget (all books)
    assert note == "" and value == Fraction(518_569, 609_035) * 100


def test_mof_set_scores_every_line_with_a_reason(years) -> None:
    dy, prev = years
    table = score_department(dy, load_rule_set("mof-2020-project"), previous=prev)
    lines = {line.level3: line for line in table.lines}
    # 预算执行率: 10 × 85.146 % = 8.5146
    assert lines["预算执行率"].points == pytest.approx(10 * 518_569 / 609_035)
    assert "预算执行率85.15%" in lines["预算执行率"].explanation
    output = lines["产出指标完成情况"]
    assert len(output.details) == 17 and all(d.explanation for d in output.details)
    assert 0 < output.points <= 50
    assert sum(line.weight for line in table.lines) == 100
    assert table.grade == "优" and 90 <= table.total <= 100


def test_hunan_set_applies_the_deduction_rules(years) -> None:
    dy, prev = years
    table = score_department(dy, HUNAN, previous=prev, judgements=MANUAL)
    lines = {line.level3: line for line in table.lines}
    # 追加 well over 30 % of 年初 → the 预算控制率 band gives 0
    assert lines["预算控制率"].points == 0.0 and ">30%" in lines["预算控制率"].explanation
    # 在职 251 / 编制 268 = 93.66 % ≤ 100 % → full 5
    assert lines["在职人员控制率"].points == 5.0
    # 三公 fell against 2021 → full 5
    assert lines["“三公”经费变动率"].points == 5.0
    assert lines["绩效目标合理性"].explanation == "评价人评分3分：依据材料评分"
    assert lines["绩效目标合理性"].explanation == "评价人评分3分：依据材料评分"
    # no new office buildings in the profile: the rule set declares full marks, with its reason
    building = lines["新建楼堂馆所面积控制率"]
    assert building.points == 4.0 and building.status == POLICY
    assert "无新建楼堂馆所项目" in building.explanation and "不存在超批准面积建设" in building.explanation
    assert not table.provisional


def test_manual_lines_wait_for_the_evaluator_and_count_zero(years) -> None:
    dy, prev = years
    table = score_department(dy, HUNAN, previous=prev)
    pending = {x.level3 for x in table.pending}
    assert pending == set(MANUAL)
    assert all(x.points == 0 and x.value == "待评" and "待评价人评分" in x.explanation
               for x in table.pending)
    assert table.provisional and table.grade_label.endswith("（暂定）")


def test_without_last_year_the_sangong_change_waits_for_the_evaluator(years) -> None:
    """Missing data is never full marks: the line is pending at 0 (it was 5 of 5)."""
    dy, _ = years
    table = score_department(dy, HUNAN, previous=None, judgements=MANUAL)
    line = next(x for x in table.lines if x.level3 == "“三公”经费变动率")
    assert line.value == "待评" and line.points == 0 and "缺少上年数据" in line.explanation
    assert [x.level3 for x in table.pending] == ["“三公”经费变动率"]
    judged = score_department(dy, HUNAN, previous=None, judgements={
        **MANUAL, "“三公”经费变动率": Judgement(4, "据上年决算公开数据核定")})
    line = next(x for x in judged.lines if x.level3 == "“三公”经费变动率")
    assert line.points == 4 and line.status == JUDGED and not judged.provisional


def test_no_indicators_is_never_full_marks(years) -> None:
    from dataclasses import replace

    dy, prev = years
    empty = replace(dy, indicators=dy.indicators.iloc[0:0])
    table = score_department(empty, load_rule_set("mof-2020-project"), previous=prev)
    blocks = [x for x in table.lines if x.level1 != "预算执行"]
    assert all(x.points == 0 and x.status == PENDING and "无" in x.explanation for x in blocks)
    assert table.total == Decimal("8.51") and table.grade_label == "差（暂定）"


def _with_policy(policy: str, reason: str = "") -> RuleSet:
    text = resources.files("outturn").joinpath("rules/mof-2020-project.yaml").read_text("utf-8")
    extra = f"\n    when_missing: {policy}" + (f"\n    reason: {reason}" if reason else "")
    text = text.replace("params: {level1: 满意度指标}", "params: {level1: 满意度指标}" + extra)
    return parse_rule_set(text, "test.yaml")


@pytest.mark.parametrize(("policy", "reason", "points"), [
    ("zero", "未开展满意度调查", 0),
    ("full", "本年度不适用满意度调查", 10),
    # scored at the rate of the block's other scored lines: none here, so it waits
    ("exclude", "以其他指标得分率折算", 0),
])
def test_a_declared_policy_is_applied_and_says_its_reason(years, policy: str, reason: str,
                                                          points: int) -> None:
    from dataclasses import replace

    dy, prev = years
    no_satisfaction = replace(dy, indicators=dy.indicators[dy.indicators["level1"] != "满意度指标"])
    table = score_department(no_satisfaction, _with_policy(policy, reason), previous=prev)
    line = table.lines[-1]
    assert line.points == points and reason in line.explanation
    assert line.status == (PENDING if policy == "exclude" else POLICY)


def test_an_excluded_line_earns_the_rate_of_its_block(years) -> None:
    dy, _ = years
    text = resources.files("outturn").joinpath("rules/hunan-dept-overall.yaml").read_text("utf-8")
    text = text.replace("params: {threshold: 0, per: 0.5, basis: budget}}",
                        "params: {threshold: 0, per: 0.5, basis: budget},\n"
                        "     when_missing: exclude, reason: 上年无可比数据}")
    rules = parse_rule_set(text, "test.yaml")
    table = score_department(dy, rules, previous=None, judgements=MANUAL)
    line = next(x for x in table.lines if x.level3 == "“三公”经费变动率")
    peers = [x for x in table.lines if x.level1 == "投入" and x is not line]
    rate = sum(Fraction(repr(x.points)) for x in peers) / sum(Fraction(repr(x.weight)) for x in peers)
    assert line.points == pytest.approx(float(5 * rate)) and "上年无可比数据" in line.explanation
    assert not table.provisional


def test_the_total_is_the_sum_of_the_printed_lines(years) -> None:
    dy, prev = years
    table = score_department(dy, HUNAN, previous=prev, judgements=MANUAL)
    assert table.total == sum(x.shown for x in table.lines)
    assert all(x.shown == x.shown.quantize(Decimal("0.01")) for x in table.lines)


def test_cli_score_prints_and_writes_the_workbook(sample_processed: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture) -> None:
    from openpyxl import load_workbook
    from outturn.cli import main

    out = tmp_path / "自评表.xlsx"
    assert main(["score", "--dept", "115", "--year", "2022", "--rules", "mof-2020-project",
                 "--processed", str(sample_processed), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "预算执行率85.15%" in text and "等级 优" in text
    sheet = load_workbook(out)["自评表"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2] == ("一级指标", "二级指标", "三级指标", "分值", "指标值", "得分", "评分说明")
    assert rows[-2][0] == "合计" and rows[-2][3] == 100 and rows[-1][5] == "优"


def test_cli_score_says_which_lines_await_the_evaluator(sample_processed: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture) -> None:
    from outturn.cli import main

    assert main(["score", "--dept", "116", "--year", "2022", "--processed", str(sample_processed),
                 "--out", str(tmp_path / "x.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "（暂定）" in out and "9 line(s) await the evaluator" in out
    assert "judgements.toml" in out


def test_cli_score_adds_pefa_when_three_years_exist(sample_processed: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture) -> None:
    from openpyxl import load_workbook
    from outturn.cli import main

    out = tmp_path / "自评表.xlsx"
    assert main(["score", "--dept", "115", "--year", "2023", "--rules", "mof-2020-project",
                 "--processed", str(sample_processed), "--out", str(out)]) == 0
    assert "PEFA 2021–2023：PI-1" in capsys.readouterr().out
    rows = list(load_workbook(out)["PEFA"].iter_rows(values_only=True))
    # 2022: 5185.69 spent against 4183.51 original → 123.96 %, outside 85–115 % → D
    assert (2022, 4183.51, 5185.69, "123.96%", "D") == rows[9][:5]
    sheet = load_workbook(out)["PEFA"]
    assert sheet["G1"].value == "单位：万元"  # the unit line at the top right, as in the report
    totals = [row for row in sheet.iter_rows() if row[0].value == "合计"]
    assert totals and all(cell.font.b for row in totals for cell in row)


def test_reference_department_scores_the_published_93(sample_processed: Path,
                                                       capsys: pytest.CaptureFixture) -> None:
    """The sample's 2022 ledgers, indicators and evaluator judgements give 93 / 优, as the
    reference report publishes, under the default 部门整体支出 rule set (投入 20 / 过程 30 /
    产出 30 / 效果 20)."""
    from outturn.cli import main

    assert main(["score", "--dept", "零陵区城市管理和综合执法局", "--year", "2022",
                 "--processed", str(sample_processed),
                 "--out", str(sample_processed.parent / "zpb.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "合计 93.00 分，等级 优" in out
    assert "评价人认定" not in out  # shares show in the indicator details, not the summary


def test_qualitative_share_comes_from_the_judgement(years) -> None:
    dy, prev = years
    plain = score_department(dy, load_rule_set("mof-2020-project"), previous=prev)
    judged = score_department(dy, load_rule_set("mof-2020-project"), previous=prev,
                              judgements={"主次街道牛皮癣小广告清理时效": Judgement(None, "全年日清", 100)})
    # weight 2: from the band middle (90 % → 1.8) to 100 % (2.0): +0.2 in the 产出 block
    assert float(judged.total - plain.total) == pytest.approx(0.2, abs=0.01)
    detail = next(d for line in judged.lines for d in line.details
                  if d.explanation.startswith("主次街道牛皮癣"))
    assert "评价人认定：全年日清" in detail.explanation


def test_every_sample_department_year_scores(sample_processed: Path) -> None:
    from outturn.store.read import available_years, departments

    rules = load_rule_set("mof-2020-project")
    grades = set()
    for code in departments(sample_processed)["dept_code"].unique():
        for year in available_years(code, sample_processed):
            dy = load(code, year, sample_processed)
            table = score_department(dy, rules, judgements=judgements_from_profile(dy.profile))
            assert 0 <= table.total <= 100 and all(line.explanation for line in table.lines)
            grades.add(table.grade)
    assert {"优", "良"} <= grades  # the lagging department (118) does not make 优 every year


def test_building_area_control_from_the_profile(years) -> None:
    from dataclasses import replace

    dy, prev = years
    built = replace(dy, profile={**dy.profile,
                                 "buildings": {"approved_area": 1000, "actual_area": 1120}})
    value, note = metric_value("building_control_rate", built, prev, {})
    assert value == 112 and note == ""
    table = score_department(built, HUNAN, previous=prev, judgements=MANUAL)
    line = next(x for x in table.lines if x.level3 == "新建楼堂馆所面积控制率")
    # 112 % is 12 points over: two whole steps of 5 → −4 → 0 of 4
    assert line.points == 0.0


def test_a_rule_can_name_one_indicator(years) -> None:
    from outturn.scoring.engine import _indicator_scores

    dy, _ = years
    scores = _indicator_scores(dy, {"level1": "产出指标", "level3": "行政处罚案件立案数"}, {})
    assert len(scores) == 1 and scores[0].explanation.startswith("行政处罚案件立案数")
