"""政府采购 in the data model: procurement lines read, validated and reconciled like the
other ledgers, and 政府采购执行率 stated in the summary and the report from one table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_raw
from hypothesis import given
from hypothesis import strategies as st
from outturn.ingest.collect import collect
from outturn.ingest.run import IngestResult, ingest
from outturn.metrics.procurement import procurement_by_category
from outturn.metrics.summary import format_summary, summarise
from outturn.report.model import Paragraph, Report, Table
from outturn.store.read import DeptYear, load
from outturn.vocabulary import PROCUREMENT_CATEGORIES, TOTAL_LABEL

PROCUREMENT = (
    "年度,部门编码,单位编码,项目编码,采购项目名称,采购品目类别,采购方式,政府采购预算（元）,实际采购金额（元）\n"
    "2022,901,901001,P1,道路维修工程,工程,公开招标,3000000.00,2850000.00\n"
    "2022,901,901001,,办公设备,货物类,询价,200000.00,184500.50\n"
    "2022,901,901002,P2,路灯维护服务,服务,竞争性磋商,500000.00,500000.00\n"
    "2022,901,901001,,打印纸,货物,框架协议采购,50000.00,0\n"
)


def _ingest(root: Path, procurement: str | None = PROCUREMENT) -> IngestResult:
    raw = write_raw(root / "raw")
    if procurement is not None:
        (raw / "procurement").mkdir()
        (raw / "procurement" / "p.csv").write_text(procurement, encoding="utf-8")
    return ingest(raw, root / "processed")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("procurement")
    result = _ingest(root)
    assert [str(p) for p in result.collected.problems if p.severity == "error"] == []
    return root / "processed"


def _report(dy: DeptYear) -> Report:
    from outturn.report.build import ReportInputs, build_report
    from outturn.scoring.engine import score_department
    from outturn.scoring.rules import DEFAULT_RULE_SET, load_rule_set

    score = score_department(dy, load_rule_set(DEFAULT_RULE_SET))
    return build_report(ReportInputs(dy, None, score, None), generated=date(2023, 3, 31))


def test_procurement_lines_are_read_reconciled_and_loaded(store: Path) -> None:
    dy = load("901", 2022, store)
    assert dy.procurement is not None and len(dy.procurement) == 4
    assert set(dy.procurement["procurement_category"]) == {"工程", "货物", "服务"}  # 货物类 → 货物
    assert int(dy.procurement["procurement_actual"].sum()) == 353_450_050
    reconciliation = pd.read_csv(store / "current" / "reconciliation.csv", dtype=str)
    mine = reconciliation[reconciliation["table"] == "procurement"]
    assert set(mine["column"]) == {"procurement_budget", "procurement_actual"}
    assert (mine["balanced"] == "True").all()


def test_a_bad_procurement_line_is_rejected_with_file_row_column_and_value(tmp_path: Path) -> None:
    bad = PROCUREMENT + "2022,901,901001,,保洁,外包,询价,-100.00,0\n"
    raw = write_raw(tmp_path / "raw")
    (raw / "procurement").mkdir()
    (raw / "procurement" / "p.csv").write_text(bad, encoding="utf-8")
    collected = collect(raw)
    errors = [p for p in collected.problems if p.severity == "error"]
    assert {(p.row, p.value) for p in errors} >= {(6, "外包")}
    assert all(p.file.endswith("p.csv") for p in errors)
    assert "货物" in next(p for p in errors if p.value == "外包").advice
    assert len(collected.rejected["procurement"]) == 1 and len(collected.tables["procurement"]) == 4


def test_the_summary_states_the_procurement_rate_per_category_and_in_all(store: Path) -> None:
    s = summarise(load("901", 2022, store))
    rows = {r["category"]: r for r in s["procurement"]}
    assert list(rows) == ["货物", "工程", "服务", TOTAL_LABEL]
    total = rows[TOTAL_LABEL]
    assert (total["lines"], total["budget"]["wan"], total["actual"]["wan"], total["rate"]["percent"]) == \
        (4, "375.00", "353.45", "94.25%")
    assert rows["货物"]["rate"]["percent"] == "73.80%"  # 184500.50 / 250000.00
    text = format_summary(s)
    assert "政府采购执行率：" in text and "94.25%" in text


def test_without_a_procurement_ledger_the_rate_is_said_to_be_missing(tmp_path: Path) -> None:
    _ingest(tmp_path, procurement=None)
    dy = load("901", 2022, tmp_path / "processed")
    s = summarise(dy)
    assert s["procurement"] is None and s["procurement_note"] == "未提供政府采购数据，政府采购执行率无法计算"
    assert "政府采购执行率：未提供政府采购数据" in format_summary(s)
    report = _report(dy)
    assert not any(isinstance(b, Table) and b.key == "procurement"
                   for sub in report.section("一").subsections for b in sub.blocks)


def test_the_report_states_the_procurement_rate_from_its_table(store: Path) -> None:
    report = _report(load("901", 2022, store))
    blocks = [b for sub in report.section("一").subsections for b in sub.blocks]
    table = next(b for b in blocks if isinstance(b, Table) and b.key == "procurement")
    assert table.frame.iloc[-1].tolist() == [TOTAL_LABEL, "4", "375.00", "353.45", "94.25%"]
    text = next(b.text for b in blocks if isinstance(b, Paragraph) and "政府采购" in b.text)
    assert text.startswith("本年度政府采购项目4个，政府采购预算375.00万元，实际采购353.45万元，"
                           "政府采购执行率94.25%。其中货物类采购预算25.00万元、实际采购18.45万元")


budgets = st.integers(0, 10**11)


@given(st.lists(st.tuples(st.sampled_from(PROCUREMENT_CATEGORIES), budgets, budgets),
                min_size=1, max_size=10))
def test_the_categories_add_up_to_the_total_and_a_zero_budget_is_not_applicable(lines) -> None:
    frame = pd.DataFrame(lines, columns=["procurement_category", "procurement_budget",
                                         "procurement_actual"])
    out = procurement_by_category(frame)
    parts, total = out.iloc[:-1], out.iloc[-1]
    assert total["category"] == TOTAL_LABEL
    for column in ("lines", "budget", "actual"):
        assert int(parts[column].sum()) == int(total[column])
    given = set(frame["procurement_category"])
    assert list(parts["category"]) == [c for c in PROCUREMENT_CATEGORIES if c in given]
    for _, row in out.iterrows():
        assert (row["budget"] == 0) == bool(row["rate_note"])
