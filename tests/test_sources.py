"""Spending from every source of funds: a 事业单位's 事业收入, 经营收入 and 其他资金 are
accepted beside the four books, counted in the department total and split out as
财政拨款支出 and 其他资金支出, while sections 二–五 stay the books' own."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import shapes
from conftest import BUDGET_CSV, PAYMENTS_CSV, write_raw
from hypothesis import HealthCheck, given, settings
from outturn.aliases import VALUE_ALIASES
from outturn.ingest.run import ingest
from outturn.metrics.sources import by_source
from outturn.metrics.summary import format_summary, summarise
from outturn.report.model import Report
from outturn.store.read import DeptYear, load
from outturn.vocabulary import FISCAL, NON_FISCAL, SUBTOTAL_LABEL, TOTAL_LABEL

OTHER_BUDGET = (
    "2022,901,901002,事业收入,基本支出,,,2120101,30201,3000.00,0,0\n"
    "2022,901,901002,经营收入,项目支出,P3,培训服务,2120104,,1000.00,0,0\n"
)
OTHER_PAYMENTS = (
    "V8,2022-03-10,901,901002,事业收入,基本支出,,2120101,30201,2500.00,办公费\n"
    "V9,2022-05-10,901,901002,经营收入,项目支出,P3,2120104,30201,800.00,培训\n"
    "V10,2022-06-10,901,901002,自有资金,项目支出,P3,2120104,30201,200.00,培训\n"
)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same department ingested with and without its other sources of funds."""
    root = tmp_path_factory.mktemp("sources")
    books = root / "books"
    ingest(write_raw(root / "raw_books"), books)
    every = root / "every"
    raw = write_raw(root / "raw_every", budget=BUDGET_CSV + OTHER_BUDGET,
                    payments=PAYMENTS_CSV + OTHER_PAYMENTS)
    result = ingest(raw, every)
    assert [p for p in result.collected.problems if p.severity == "error"] == []
    return books, every


def test_payments_from_other_sources_are_accepted_and_counted_in_the_total(
        stores: tuple[Path, Path]) -> None:
    _, every = stores
    dy = load("901", 2022, every)
    pay = dy.payments.set_index("voucher_id")
    assert pay.loc["V8", "fund_type"] == "事业收入"
    assert pay.loc["V10", "fund_type"] == "其他收入"      # 自有资金 is spelled 其他收入
    assert pay.loc["V8", "cost_type"] == "公用经费"        # classified like any basic line
    assert int(dy.payments["amount"].sum()) == 225_000 + 350_000


def test_every_accepted_spelling_of_a_source_is_documented() -> None:
    doc = (Path(__file__).parents[1] / "docs" / "data-model.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(3) for m in
            re.finditer(r"^\| (\S+) \| (财政拨款|其他资金) \| (.+) \|$", doc, re.MULTILINE)}
    for canonical, spellings in VALUE_ALIASES["fund_type"].items():
        assert canonical in rows, canonical
        assert rows[canonical].split(" / ") == list(spellings), canonical


def test_the_split_by_source_adds_up_to_the_department_total(stores: tuple[Path, Path]) -> None:
    dy = load("901", 2022, stores[1])
    split = by_source(dy.budget, dy.payments).set_index(["source_group", "fund_type"])["actual"]
    assert split[(FISCAL, SUBTOTAL_LABEL)] == 225_000
    assert split[(NON_FISCAL, "事业收入")] == 250_000
    assert split[(NON_FISCAL, "经营收入")] == 80_000
    assert split[(NON_FISCAL, "其他收入")] == 20_000
    assert split[(NON_FISCAL, SUBTOTAL_LABEL)] == 350_000
    assert split[(TOTAL_LABEL, TOTAL_LABEL)] == int(dy.payments["amount"].sum())


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(shapes.department_years())
def test_each_group_is_the_sum_of_its_sources_and_the_total_the_sum_of_the_groups(
        pair: tuple[DeptYear, DeptYear | None]) -> None:
    dy, _ = pair
    split = by_source(dy.budget, dy.payments)
    for column in ("original_budget", "adjusted_budget", "actual"):
        parts = split[split["fund_type"] == SUBTOTAL_LABEL][column].sum()
        for _, group in split[split["fund_type"] == SUBTOTAL_LABEL].iterrows():
            members = split[(split["source_group"] == group.source_group)
                            & (split["fund_type"] != SUBTOTAL_LABEL)]
            assert members[column].sum() == group[column]
        assert split[split["fund_type"] == TOTAL_LABEL][column].iloc[0] == parts


def test_the_summary_states_spending_by_source(stores: tuple[Path, Path]) -> None:
    s = summarise(load("901", 2022, stores[1]))
    rows = {(r["source_group"], r["fund_type"]): r["actual"]["wan"] for r in s["by_source"]}
    assert rows[(NON_FISCAL, SUBTOTAL_LABEL)] == "0.35"
    assert rows[(TOTAL_LABEL, TOTAL_LABEL)] == "0.58"
    assert "按资金来源：" in format_summary(s)
    assert "按资金来源：" not in format_summary(summarise(load("901", 2022, stores[0])))


def _report(dy: DeptYear) -> Report:
    from outturn.report.build import ReportInputs, build_report
    from outturn.scoring.engine import score_department
    from outturn.scoring.rules import DEFAULT_RULE_SET, load_rule_set

    score = score_department(dy, load_rule_set(DEFAULT_RULE_SET))
    return build_report(ReportInputs(dy, None, score, None), generated=date(2023, 3, 31))


def test_the_report_splits_the_total_into_fiscal_and_other_funds(stores: tuple[Path, Path]) -> None:
    report = _report(load("901", 2022, stores[1]))
    tables = {t.key: t for t in report.tables()}
    frame = tables["sources"].frame
    assert frame["资金来源"].tolist() == [FISCAL, FISCAL, FISCAL, NON_FISCAL, NON_FISCAL,
                                         NON_FISCAL, NON_FISCAL, TOTAL_LABEL]
    text = " ".join(b.text for b in report.section("一").subsections[3].blocks
                    if hasattr(b, "text") and not hasattr(b, "frame"))
    assert "财政拨款支出0.23万元，其他资金支出0.35万元，其中事业收入0.25万元、经营收入0.08万元、" \
           "其他收入0.02万元。" in text
    assert "各类预算支出合计0.58万元" in text


def test_a_department_funded_only_by_the_books_has_no_sources_table(
        stores: tuple[Path, Path]) -> None:
    report = _report(load("901", 2022, stores[0]))
    assert "sources" not in {t.key for t in report.tables()}
    assert "按资金来源分" not in " ".join(
        b.text for s in report.sections for b in s.walk() if hasattr(b, "text"))


def test_the_sections_of_the_books_are_unchanged_by_other_sources(
        stores: tuple[Path, Path]) -> None:
    books, every = (_report(load("901", 2022, store)) for store in stores)
    for number in ("二", "三", "四", "五"):
        assert _frames(books.section(number)) == _frames(every.section(number)), number


def _frames(section: object) -> list[dict[str, list[str]]]:
    return [pd.DataFrame(b.frame).to_dict("list") for b in section.walk()  # type: ignore[attr-defined]
            if hasattr(b, "frame")]
