"""Unit tests of the report's pure parts: markup, printed figures, HTML escaping, problem
rules, sections and the index page — on hand-built data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from outturn.ingest.run import ingest
from outturn.report import html, markup
from outturn.report.figures import change_text, figures_table, pct, wan
from outturn.report.finance import book_sections
from outturn.report.findings import FindingRules, find_problems
from outturn.report.index import render_index
from outturn.report.model import Chart, Narrative, Paragraph, Report, Section, Table
from outturn.report.overall import OVERVIEW, overall_section
from outturn.report.performance import completion
from outturn.report.remedies import problems_section
from outturn.report.runner import RunResult, failure_message
from outturn.store.read import load

from tests.conftest import write_raw

# --- markup ------------------------------------------------------------------------------

def test_markup_blocks() -> None:
    text = "### 党建引领\n第一行\n第二行\n\n1. 甲\n2. 乙\n续行\n\n- 丙\n\nplain English\nwraps here"
    blocks = markup.parse(text)
    assert [b.kind for b in blocks] == ["heading", "paragraph", "list", "list", "paragraph"]
    assert blocks[0].text == "党建引领"
    assert blocks[1].text == "第一行第二行"  # Chinese lines join without a space
    assert blocks[2].items == ("甲", "乙续行") and blocks[2].ordered
    assert blocks[3].items == ("丙",) and not blocks[3].ordered
    assert blocks[4].text == "plain English wraps here"


def test_markup_chinese_ordinals_are_list_items() -> None:
    blocks = markup.parse("一、加强学习\n二、深化管理")
    assert blocks[0].kind == "list" and blocks[0].items == ("加强学习", "深化管理")


@given(st.text(alphabet=st.sampled_from(list("甲乙丙，。ab1 \n\t")), max_size=300))
def test_markup_never_loses_text(text: str) -> None:
    """Text without list or heading markers comes out whole: the blocks hold every
    non-space character of the input, in order."""
    blocks = markup.parse(text)
    out = "".join(b.text + "".join(b.items) for b in blocks)
    assert "".join(out.split()) == "".join(text.split())
    assert all(b.kind == "paragraph" for b in blocks)


# --- figures -------------------------------------------------------------------------------

def test_printed_figures_are_half_up() -> None:
    assert wan(2909790000) == "2909.79"
    assert wan(5000) == "0.01"  # 0.005 万元 rounds up
    assert wan(4999) == "0.00"
    assert wan(-5000) == "-0.01"
    assert pct(1, 8) == "12.50%" and pct(1, 0) == "—"
    assert pct(2, 3) == "66.67%"
    assert change_text(6560000, 7270000) == "比上年减少0.71万元（下降9.77%）"
    assert change_text(5, 5) == "与上年持平"
    assert change_text(5000, 0) == "比上年增加0.01万元"


def test_figures_table_adds_a_total_row() -> None:
    frame = pd.DataFrame({"name": ["甲", "乙"], "original_budget": [1_000_000, 3_000_000],
                          "adjusted_budget": [2_000_000, 3_000_000], "actual": [1_000_000, 1_500_000],
                          "denominator_amount": [2_000_000, 3_000_000], "execution_rate_note": ["", ""]})
    table = figures_table(frame, [("name", "项目")], key="k", title="t")
    assert table.frame.iloc[0].tolist() == ["甲", "1.00", "2.00", "1.00", "50.00%"]
    assert table.frame.iloc[-1].tolist() == ["合计", "4.00", "5.00", "2.50", "50.00%"]
    assert table.numeric_columns() == (1, 2, 3, 4)


@pytest.mark.parametrize(("direction", "target", "actual", "printed", "met"), [
    (">=", 10000, 8337.395, "83.37%", False),
    (">=", 95, 99.79, "105.04%", True),
    ("<=", 5, 4, "100.00%", True),
    ("<=", 4, 5, "80.00%", False),
    ("=", 0, 0, "达成", True),
])
def test_indicator_completion(direction: str, target: float, actual: float, printed: str,
                              met: bool) -> None:
    row = pd.Series({"direction": direction, "target_value": target, "actual_value": actual,
                     "actual": str(actual)})
    assert completion(row) == (printed, met)


def test_qualitative_completion_is_the_evaluators_words() -> None:
    row = pd.Series({"direction": "qualitative", "target_value": float("nan"),
                     "actual_value": float("nan"), "actual": "达成年度指标"})
    assert completion(row) == ("达成年度指标", None)


# --- HTML ------------------------------------------------------------------------------------

def _report() -> Report:
    chart = Chart("c", "图<题>", "composition", pd.DataFrame({"a": ["x"], "b": [1.0]}))
    chart.__dict__["png"] = b"\x89PNG fake"
    body = Section("一", "基本<情况>", [Paragraph("<script>alert(1)</script>"),
                                     Narrative("### <b>标题</b>\n1. <img src=x onerror=y>"),
                                     Table("t", "表&题", pd.DataFrame({"项目": ["<i>甲</i>", "合计"],
                                                                     "金额": ["1.00", "2.00"]})),
                                     chart],
                   [Section("（一）", "子节", [Paragraph("正文")])])
    return Report("901", "测试<局>", 2022, "abc123", date(2023, 3, 31), [body], data_note="<注>")


def test_html_escapes_every_text_from_data() -> None:
    report = _report()
    page = html.cover(report) + html.section(report.sections[0])
    for raw in ("<script>", "<b>", "<img src=x", "<i>", "<局>", "<情况>", "<注>", "<题>"):
        assert raw not in page
    for escaped in ("&lt;script&gt;", "&lt;b&gt;标题&lt;/b&gt;", "&lt;img src=x onerror=y&gt;",
                    "&lt;i&gt;甲&lt;/i&gt;", "表&amp;题", "测试&lt;局&gt;"):
        assert escaped in page


def test_html_structure_numbers_tables_and_charts() -> None:
    report = _report()
    counter = {"table": 0, "chart": 0}
    page = html.section(report.sections[0], counter)
    assert "<h2>一、基本&lt;情况&gt;</h2>" in page and "<h3>（一）子节</h3>" in page
    assert "表1　表&amp;题" in page and "图1　图&lt;题&gt;" in page
    assert '<td class="num">1.00</td>' in page and '<tr class="total">' in page
    assert 'src="data:image/png;base64,' in page
    assert counter == {"table": 1, "chart": 1}
    cover = html.cover(report)
    assert 'href="#s一"' in cover and 'href="#s一-1"' in cover and "2023年03月31日" in cover


# --- problem rules ---------------------------------------------------------------------------

@pytest.fixture
def small(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The conftest ledgers: adjusted budget 1950 元, spending 2250 元, 追加 300 元."""
    ingest(write_raw(tmp_path / "raw"), tmp_path / "processed")
    return load("901", 2022, tmp_path / "processed")


def _findings(dy, previous=None, rules: FindingRules | None = None):  # type: ignore[no-untyped-def]
    """The rules run on the tables a report of ``dy`` prints (as build_report runs them)."""
    rules = rules or FindingRules()
    overall = overall_section(dy, "adjusted", rules.lag_behind_pp)
    overview = next(b for b in overall.walk() if getattr(b, "key", "") == OVERVIEW)
    books = book_sections(dy, previous, "adjusted", overview)
    tables = {b.key: b for s in [overall, *books] for b in s.walk() if hasattr(b, "frame")}
    # the small department spends 115 % of its adjusted budget: that rule has its own tests
    # (test_carryover.py); these look at the others
    return [f for f in find_problems(dy, previous, rules, tables) if f.kind != "over_hundred"]


def test_no_rule_fires_on_healthy_figures(small) -> None:  # type: ignore[no-untyped-def]
    assert _findings(small) == []
    section = problems_section([], small)
    assert "未发现" in section.blocks[0].text  # type: ignore[union-attr]


def test_rules_fire_at_their_thresholds_with_the_figure(small) -> None:  # type: ignore[no-untyped-def]
    # 追加 300 / adjusted 1950 = 15.38 %: fires above 15 %, not above 15.39 %
    fired = _findings(small, None, FindingRules(supplementary_share_above=15))
    assert [f.kind for f in fired] == ["supplementary"]
    assert "追加预算0.03万元，占调整后预算0.20万元的15.38%" in fired[0].text
    assert _findings(small, None, FindingRules(supplementary_share_above=15.39)) == []
    # execution 2250 / 1950 = 115.38 %
    fired = _findings(small, None, FindingRules(execution_below=115.39))
    assert [f.kind for f in fired] == ["execution"] and "执行率115.38%" in fired[0].text


def test_unbudgeted_and_swing_rules(small) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    pay = small.payments.copy()
    pay.loc[pay.index[0], "budgeted"] = False
    fired = _findings(replace(small, payments=pay))
    assert [f.kind for f in fired] == ["unbudgeted"] and "1笔支出共0.04万元" in fired[0].text
    half = replace(small, payments=small.payments.assign(amount=small.payments["amount"] // 2))
    fired = _findings(small, half)
    assert "swing" in [f.kind for f in fired]
    swing = next(f for f in fired if f.kind == "swing")
    assert "上年0.11万元，增长100.00%" in swing.text


# --- index and failures ----------------------------------------------------------------------

def test_index_lists_reports_and_failures(tmp_path: Path) -> None:
    (tmp_path / "115").mkdir()
    (tmp_path / "115" / "report.html").write_text("x")
    summaries = {"115": {"dept_name": "城管局", "total_spending": "5185.69", "execution_rate": "85.15%",
                         "score": "93.00", "grade": "优"},
                 "116": {"dept_name": "<教育局>", "total_spending": "11086.96", "execution_rate": "—",
                         "score": "97.01", "grade": "优"}}
    failed = [RunResult("117", "卫健局", 2022, "failed", error="ArrowInvalid: <bad>")]
    page = render_index(2022, summaries, failed, tmp_path)
    assert 'href="115/report.html"' in page and 'href="116/report.html"' not in page
    assert 'data-value="85.15"' in page and 'data-value=""' in page  # "—" sorts last
    assert "&lt;教育局&gt;" in page and "ArrowInvalid: &lt;bad&gt;" in page
    assert "http" not in page and "src=" not in page


def test_failure_message_names_the_cell() -> None:
    from nbclient.exceptions import CellExecutionError

    exc = CellExecutionError("An error occurred while executing the following cell:\n"
                             "------------------\nreport = rn.start(params)\n------------------\n\n"
                             "OutturnError: no data", "OutturnError", "no data")
    assert failure_message(exc) == "OutturnError: no data (cell: report = rn.start(params))"


def test_clean_stale_removes_only_abandoned_staging(tmp_path: Path) -> None:
    import os

    from outturn.report.runner import _lock, clean_stale

    busy = _lock(tmp_path / ".staging-115-1-a")
    _lock_fd = _lock(tmp_path / ".staging-116-2-b")
    os.close(_lock_fd)  # its process "died"
    (tmp_path / ".staging-old-3-c").mkdir()
    (tmp_path / "117").mkdir()
    clean_stale(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".staging-115-1-a", "117"]
    os.close(busy)
    clean_stale(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["117"]


def test_index_sorts_when_a_header_is_clicked(tmp_path: Path) -> None:
    """The inline script really sorts (in headless Chromium): numbers as numbers, "—" lowest."""
    from browser_tools import evaluate
    from conftest import require_chromium

    require_chromium()
    summaries = {"115": {"execution_rate": "85.15%", "score": "93.00"},
                 "116": {"execution_rate": "—", "score": "97.01"},
                 "117": {"execution_rate": "9.70%", "score": "97.00"}}
    page = tmp_path / "index.html"
    page.write_text(render_index(2022, summaries, [], tmp_path), encoding="utf-8")
    script = """(() => {
      const order = () => Array.from(document.querySelectorAll('tbody tr td:first-child'),
                                     td => td.textContent).join(',');
      const th = document.querySelectorAll('th[data-sort]')[3];
      th.click(); const up = order(); th.click(); return [up, order()];
    })()"""
    assert evaluate(page, script) == ["116,117,115", "115,117,116"]
