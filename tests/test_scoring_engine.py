"""Scoring a department-year with the shipped rule sets, on the ingested sample."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from outturn.scoring import ScoringError
from outturn.scoring.engine import (
    Judgement,
    judgements_from_profile,
    metric_value,
    score_department,
)
from outturn.scoring.rules import load_rule_set
from outturn.store import load

MANUAL = ("绩效目标合理性", "绩效指标明确性", "管理制度健全性", "资产管理安全性")


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
    table = score_department(dy, load_rule_set("hunan-dept-overall"), previous=prev,
                             judgements={k: Judgement(3, "依据材料评分") for k in MANUAL})
    lines = {line.level3: line for line in table.lines}
    # 追加 well over 30 % of 年初 → the 预算控制率 band gives 0
    assert lines["预算控制率"].points == 0.0 and ">30%" in lines["预算控制率"].explanation
    # 在职 251 / 编制 268 = 93.66 % ≤ 100 % → full 5
    assert lines["在职人员控制率"].points == 5.0
    # 三公 fell against 2021 → full 5
    assert lines["“三公”经费变动率"].points == 5.0
    assert lines["绩效目标合理性"].explanation == "评价人评分3分：依据材料评分"
    # no new office buildings in the profile: the rule does not apply and scores full
    building = lines["新建楼堂馆所面积控制率"]
    assert building.points == 4.0 and "无新建楼堂馆所项目" in building.explanation


def test_manual_lines_need_the_evaluator(years) -> None:
    dy, prev = years
    with pytest.raises(ScoringError, match="绩效目标合理性 is scored by the evaluator"):
        score_department(dy, load_rule_set("hunan-dept-overall"), previous=prev)


def test_not_applicable_metric_scores_full_with_reason(years) -> None:
    dy, _ = years
    table = score_department(dy, load_rule_set("hunan-dept-overall"), previous=None,
                             judgements={k: Judgement(3, "好") for k in MANUAL})
    line = next(x for x in table.lines if x.level3 == "“三公”经费变动率")
    assert line.value == "不适用" and line.points == 5.0 and "缺少上年数据" in line.explanation


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


def test_cli_score_says_where_judgements_go(sample_processed: Path,
                                            capsys: pytest.CaptureFixture) -> None:
    from outturn.cli import main

    assert main(["score", "--dept", "115", "--year", "2022", "--rules", "hunan-dept-overall",
                 "--processed", str(sample_processed)]) == 1
    assert "profiles/115/2022/judgements.toml" in capsys.readouterr().err


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


def test_reference_department_scores_the_published_93(sample_processed: Path,
                                                       capsys: pytest.CaptureFixture) -> None:
    """The sample's 2022 ledgers, indicators and evaluator judgements give 93 / 优, as the
    reference report publishes (the default rule set, 10/50/30/10)."""
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
    assert judged.total - plain.total == pytest.approx(0.2)
    detail = next(d for line in judged.lines for d in line.details
                  if d.explanation.startswith("主次街道牛皮癣"))
    assert "评价人认定：全年日清" in detail.explanation


def test_every_sample_department_year_scores(sample_processed: Path) -> None:
    from outturn.store import available_years, departments

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
    table = score_department(built, load_rule_set("hunan-dept-overall"), previous=prev,
                             judgements={k: Judgement(3, "好") for k in MANUAL})
    line = next(x for x in table.lines if x.level3 == "新建楼堂馆所面积控制率")
    # 112 % is 12 points over: two whole steps of 5 → −4 → 0 of 4
    assert line.points == 0.0


def test_a_rule_can_name_one_indicator(years) -> None:
    from outturn.scoring.engine import _indicator_scores

    dy, _ = years
    scores = _indicator_scores(dy, {"level1": "产出指标", "level3": "行政处罚案件立案数"}, {})
    assert len(scores) == 1 and scores[0].explanation.startswith("行政处罚案件立案数")
