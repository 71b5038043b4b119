"""The report's Chinese number and list style, and its one voice: lists numbered 一是…,
items closed with punctuation, （一） only where a （二） follows, the department speaking as
its profile's self-name, and no sentence said twice."""

from __future__ import annotations

import collections
import re
from datetime import date
from pathlib import Path

import pytest
from outturn.report.build import build_report, load_inputs
from outturn.report.model import Report
from outturn.report.style import (
    closed,
    list_items,
    numeral,
    point,
    self_name,
    sentences,
    series,
    subsection_number,
    without_repeats,
)
from outturn.store.read import available_years, departments

#: the shortest sentence the no-repeat rule counts (issue 12)
REPEAT_MIN_CHARS = 12


def test_points_and_subsections_are_numbered_in_chinese() -> None:
    assert [point(n) for n in (1, 2, 10, 11, 19)] == ["一是", "二是", "十是", "十一是", "十九是"]
    assert subsection_number(1) == "（一）" and numeral(20) == "二十"
    with pytest.raises(ValueError):
        numeral(0)


def test_items_end_with_closing_punctuation_once() -> None:
    assert closed("加强城市管理执法") == "加强城市管理执法。"
    assert closed("提升效率；") == "提升效率；"
    assert closed("保障安全运行、") == "保障安全运行。"
    assert closed("") == ""


def test_series_and_ordered_lists() -> None:
    assert series(["公务接待费", "公务用车运行维护费"]) == "公务接待费、公务用车运行维护费"
    assert list_items("1. 甲\n2．乙。\n（3）丙\n四是丁") == ["甲", "乙。", "丙", "丁"]
    assert list_items("1. 甲\n另有说明。") is None


def test_a_sentence_already_said_is_dropped() -> None:
    assert sentences("甲。乙；丙") == ["甲。", "乙；", "丙"]
    assert without_repeats("负责市容管理。负责路灯维护。", "负责路灯维护。") == "负责市容管理。"


def test_the_self_name_comes_from_the_profile() -> None:
    assert self_name({}) == "我局" and self_name({"self_name": "本园"}) == "本园"


def _report(processed: Path, code: str, year: int) -> Report:
    return build_report(load_inputs(code, year, processed), generated=date(2023, 3, 31))


def _texts(report: Report) -> list[tuple[str, str]]:
    return [(s.number, b.text) for s in report.sections for sub in (s, *s.subsections)
            for b in sub.blocks if hasattr(b, "text") and not hasattr(b, "frame")]


@pytest.fixture(scope="module")
def reference(sample_processed: Path) -> Report:
    return _report(sample_processed, "115", 2022)


def test_problems_and_measures_are_each_one_list_numbered_yishi(reference: Report) -> None:
    for number in ("七", "八"):
        texts = [t for n, t in _texts(reference) if n == number]
        points = [t for t in texts if re.match(r"[一二三四五六七八九十]+是", t)]
        assert [t[:len(point(i))] for i, t in enumerate(points, 1)] == \
            [point(i) for i in range(1, len(points) + 1)]
        assert not any(re.match(r"\d+[.．]", t) for t in texts), number
        assert all(t.endswith("。") or t.endswith("：") for t in texts)
    measures = [t for n, t in _texts(reference) if n == "八"]
    assert measures[0] == "针对上述问题，我局将重点做好以下工作："


def test_the_department_speaks_as_we_in_the_figures_and_the_score(reference: Report) -> None:
    texts = dict.fromkeys([n for n, _ in _texts(reference)], "")
    for n, t in _texts(reference):
        texts[n] += t
    assert "2022年度我局各类预算支出合计5185.69万元" in texts["一"]
    assert "全部门" not in "".join(texts.values())
    assert "评分规则，我局2022年度整体支出绩效自评得分93.00分" in texts["九"]


def test_a_subsection_is_numbered_only_where_a_second_follows(reference: Report) -> None:
    for section in reference.sections:
        numbers = [s.number for s in section.subsections]
        assert numbers == ([""] if len(numbers) == 1 else
                           [f"（{numeral(i)}）" for i in range(1, len(numbers) + 1)]), section.number


def test_targets_end_with_closing_punctuation(reference: Report) -> None:
    first = reference.section("一").subsections
    for sub in first[1:3]:
        for block in sub.blocks:
            assert all(line.rstrip().endswith("。") for line in block.text.splitlines() if line.strip())


def test_no_sentence_of_twelve_characters_or_more_is_said_twice(sample_processed: Path) -> None:
    repeated = {}
    for code in departments(sample_processed)["dept_code"].unique():
        for year in available_years(code, sample_processed):
            said = collections.Counter(
                s.strip() for _, text in _texts(_report(sample_processed, code, year))
                for s in sentences(text) if len(s.strip()) >= REPEAT_MIN_CHARS)
            if twice := [s for s, n in said.items() if n > 1]:
                repeated[(code, year)] = twice
    assert repeated == {}


def test_the_unit_line_stands_above_the_table_at_the_right_and_the_rest_below() -> None:
    import pandas as pd
    from outturn.report import html
    from outturn.report.model import Table

    t = Table("t", "示例", pd.DataFrame({"项目": ["合计"], "实际支出": ["1.00"]}),
              "金额单位：万元；因四舍五入，合计数与分项之和可能存在尾差")
    assert (t.unit_line, t.footnote) == ("单位：万元", "因四舍五入，合计数与分项之和可能存在尾差")
    out = html.table(t, 1)
    assert out.index('class="table-unit">单位：万元<') < out.index("<table>") < \
        out.index('class="table-note">因四舍五入')
    plain = Table("p", "无单位", t.frame, "数据来源：预算一体化系统")
    assert (plain.unit_line, plain.footnote) == ("", "数据来源：预算一体化系统")


def test_the_word_file_puts_the_unit_line_right_above_each_money_table(tmp_path: Path,
                                                                       reference: Report) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from outturn.report.docx import write_docx

    path = write_docx(reference, tmp_path / "r.docx")
    paragraphs = Document(str(path)).paragraphs
    units = [p for p in paragraphs if p.text == "单位：万元"]
    assert units and all(p.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in units)
    assert not any(p.text.startswith("金额单位") for p in paragraphs)


def test_a_cause_from_the_profile_follows_the_figures_of_its_problem(reference: Report) -> None:
    texts = [t for n, t in _texts(reference) if n == "七"]
    projects = next(t for t in texts if "执行率低于80%的项目" in t)
    assert projects.startswith("二是部分项目预算执行率偏低")
    assert projects.endswith("等。主要原因是受新冠肺炎疫情冲击，经济下行压力加大，地方财政收入明显减少，"
                             "多数专项资金未能足额拨付到位，相关项目支出随之放缓。")
    assert any(t.startswith("三是年中追加预算比重较大") and "主要原因是上级在年度中临时布置的任务较多" in t
               for t in texts)


def test_a_cause_whose_problem_is_not_found_is_kept_as_a_point(sample_processed: Path) -> None:
    from dataclasses import replace

    from outturn.report.remedies import problems_section

    dy = load_inputs("115", 2022, sample_processed).dy
    dy = replace(dy, profile={**dy.profile, "causes": {"sangong": "公务接待任务增加。"}})
    section = problems_section([], dy)
    assert [b.text for b in section.blocks] == ["一是公务接待任务增加。"]


def test_a_one_unit_basic_table_is_said_in_its_sentence_instead(reference: Report,
                                                                sample_processed: Path) -> None:
    basic = reference.section("二").subsections[0]
    assert not any(getattr(b, "key", "") == "general_basic_by_unit" for b in basic.blocks)
    assert basic.blocks[0].text.endswith("；基本支出调整后预算2959.35万元，执行率98.33%。")
    several = _report(sample_processed, "116", 2022).section("二").subsections[0]
    table = next(b for b in several.blocks if getattr(b, "key", "") == "general_basic_by_unit")
    assert len(table.frame) > 2  # two units and the 合计 keep their table


def test_every_table_of_figures_names_the_ledgers_it_comes_from(reference: Report, tmp_path: Path) -> None:
    """The data source line under each table comes from the ledgers it was computed from;
    only the score table, which also rests on the evaluator's judgements, has none."""
    from docx import Document
    from outturn.report import html
    from outturn.report.docx import write_docx

    word = "\n".join(p.text for p in Document(str(write_docx(reference, tmp_path / "r.docx"))).paragraphs)
    for number, table in enumerate(reference.tables(), 1):
        if table.key == "score":
            continue
        assert table.source.startswith("数据来源：") and table.sources, table.title
        assert f'class="table-note">{table.source}<' in html.table(table, number)
        assert table.source in word


def test_a_table_naming_an_unknown_ledger_is_refused() -> None:
    import pandas as pd
    from outturn.report.model import Table

    with pytest.raises(ValueError, match="unknown source ledger"):
        Table("t", "示例", pd.DataFrame({"项目": ["合计"]}), sources=("vouchers",))


def test_six_gives_the_account_under_numbered_themes_then_the_indicators(reference: Report) -> None:
    """As the reference: the department's work under （一）…, the indicators last."""
    from outturn.report.model import Table

    six = reference.section("六")
    headings = [sub.heading for sub in six.subsections]
    assert headings[0] == "（一）党建引领" and headings[-1] == f"（{numeral(len(headings))}）绩效指标完成情况"
    assert [b.title for b in six.subsections[-1].blocks if isinstance(b, Table)] == ["绩效指标完成情况"]
    said = [t for n, t in _texts(reference) if n == "六"]
    assert sum(t.count("未说明偏差原因") for t in said) == 1  # once for the list, not per item


def test_nine_ends_with_other_matters(reference: Report) -> None:
    last = reference.section("九").subsections[-1]
    assert last.heading == "其他需要说明的情况"  # the only sub-section: no lone （一）
    assert [b.text for b in last.blocks] == ["无。"]


def test_the_missed_indicators_without_a_cause_are_named_by_their_number(sample_processed: Path) -> None:
    """Where some missed indicators give a cause and others do not, the list names those
    that do not, by their number in it; every figure of the sentence is checked."""
    import dataclasses

    import pandas as pd
    from outturn.report.performance import performance_section
    from outturn.store.read import load

    dy = load("115", 2022, sample_processed)
    scored = pd.Series(True, index=dy.indicators.index)
    table = performance_section(dy, scored).subsections[-1].blocks[-1]
    first_missed = table.frame.loc[table.frame["达成情况"] == "未达成", "三级指标"].iloc[0]
    indicators = dy.indicators.copy()
    indicators.loc[indicators["level3"] == first_missed, "deviation_reason"] = "受疫情影响工程延期"
    section = performance_section(dataclasses.replace(dy, indicators=indicators), scored)
    texts = [b.text for sub in section.subsections for b in sub.blocks if hasattr(b, "text")]
    assert any("偏差原因：受疫情影响工程延期" in t for t in texts)
    assert any(t.startswith("其中第") and t.endswith("项未说明偏差原因。") for t in texts)


def test_a_book_of_one_kind_of_spending_says_its_account_once(reference: Report) -> None:
    """三 (政府性基金, all 项目支出): no lone 项目支出情况 heading, the budget and rate once."""
    three = reference.section("三")
    assert three.subsections == []
    said = " ".join(t for n, t in _texts(reference) if n == "三")
    assert said.count("1140.00万元") == 1 and said.count("84.83%") == 1
