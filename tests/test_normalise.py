"""Per-file normalisation: every kind of bad cell is reported at its exact place,
rejected rows keep their reason, and amounts in = accepted + rejected, to the 分."""

from __future__ import annotations

from pathlib import Path

import pytest
from outturn.ingest.normalise import Normalised, normalise
from outturn.ingest.readers import read_raw
from outturn.problems import InputError

PAY_HEADER = ("凭证号,支付日期,部门编码,单位编码,预算类型,支出类型,项目编码,功能分类科目编码,"
              "经济分类科目编码,金额（元）\n")
GOOD = "V{n},2022-03-01,901,901001,一般公共预算,基本支出,,2120101,30101,100.00\n"


def _norm(tmp_path: Path, text: str, table: str = "payments", unit: str | None = None,
          encoding: str = "utf-8") -> Normalised:
    path = tmp_path / "in.csv"
    path.write_bytes(text.encode(encoding))
    return normalise(read_raw(path), table, unit=unit)


def _only_error(norm: Normalised):
    errors = [p for p in norm.problems if p.severity == "error"]
    assert len(errors) == 1, errors
    return errors[0]


def _balanced(norm: Normalised, column: str = "amount") -> None:
    total_in, accepted, rejected = norm.totals[column]
    assert total_in == accepted + rejected
    assert norm.rows_in == len(norm.frame) + len(norm.rejected)
    assert accepted == int(norm.frame[column].sum())


def test_good_rows_parse_exactly(tmp_path: Path) -> None:
    norm = _norm(tmp_path, PAY_HEADER + GOOD.format(n=1) + GOOD.format(n=2), encoding="gb18030")
    assert norm.problems == []
    assert norm.frame["amount"].tolist() == [10_000, 10_000]
    assert norm.frame["year"].tolist() == [2022, 2022]
    assert norm.frame["_row"].tolist() == [2, 3]
    _balanced(norm)


@pytest.mark.parametrize(
    ("cell", "column", "fragment"),
    [
        ("12x.00", "金额（元）", "not a number"),
        ("1.005", "金额（元）", "more precise than 1 分"),
    ],
)
def test_bad_amount_is_rejected_at_its_place(tmp_path: Path, cell: str, column: str,
                                             fragment: str) -> None:
    bad = f"V9,2022-03-02,901,901001,一般公共预算,基本支出,,2120101,30101,{cell}\n"
    norm = _norm(tmp_path, PAY_HEADER + GOOD.format(n=1) + bad + GOOD.format(n=2))
    problem = _only_error(norm)
    assert (problem.file, problem.row, problem.column, problem.value) == \
        (str(tmp_path / "in.csv"), 3, column, cell)
    assert fragment in problem.rule and problem.advice
    assert norm.rejected["_row"].tolist() == [3]
    assert fragment in norm.rejected["_reason"].iloc[0]
    assert norm.rejected["amount"].tolist() == [cell]  # the source text is kept
    assert len(norm.frame) == 2
    _balanced(norm)


@pytest.mark.parametrize(
    ("row", "column", "value", "fragment"),
    [
        ("V9,2022-02-30,901,901001,一般公共预算,基本支出,,2120101,30101,1", "支付日期",
         "2022-02-30", "date"),
        ("V9,2022-03-01,901,901001,一般公共预算,基本支出,,212010,30101,1", "功能分类科目编码",
         "212010", "digits"),
        ("V9,2022-03-01,901,901001,预算外资金,基本支出,,2120101,30101,1", "预算类型",
         "预算外资金", "unknown"),
        ("V9,2022-03-01,901,901001,一般公共预算,项目支出,,2120101,30101,1", "项目编码", "",
         "project code"),
        ("V9,2022-03-01,901,901001,一般公共预算,基本支出,,2120101,,1", "经济分类科目编码", "",
         "empty"),
    ],
)
def test_each_bad_cell_names_file_row_column_value(tmp_path: Path, row: str, column: str,
                                                    value: str, fragment: str) -> None:
    norm = _norm(tmp_path, PAY_HEADER + GOOD.format(n=1) + row + "\n")
    problem = _only_error(norm)
    assert (problem.row, problem.column, problem.value) == (3, column, value)
    assert fragment in problem.rule
    assert len(norm.rejected) == 1 and len(norm.frame) == 1
    _balanced(norm)


def test_all_problems_of_a_file_are_collected(tmp_path: Path) -> None:
    rows = [
        "V1,2022-13-01,901,901001,一般公共预算,基本支出,,2120101,30101,abc",
        "V2,2022-03-01,901,901001,一般公共预算,基本支出,,2120101,3010,1",
    ]
    norm = _norm(tmp_path, PAY_HEADER + "\n".join(rows) + "\n")
    found = {(p.row, p.column) for p in norm.problems}
    assert found == {(2, "支付日期"), (2, "金额（元）"), (3, "经济分类科目编码")}
    assert len(norm.rejected) == 2 and norm.frame.empty
    assert norm.rejected["_reason"].iloc[0].count(";") == 1  # both reasons kept


def test_missing_required_column_refuses_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        _norm(tmp_path, "凭证号,支付日期,部门编码,金额（元）\nV1,2022-01-01,901,1\n")
    columns = {p.column for p in info.value.problems}
    assert {"单位编码", "预算类型", "支出类型", "功能分类科目编码", "经济分类科目编码"} <= columns
    assert all(p.file.endswith("in.csv") for p in info.value.problems)


def test_unit_is_never_guessed(tmp_path: Path) -> None:
    text = PAY_HEADER.replace("金额（元）", "金额") + GOOD.format(n=1)
    with pytest.raises(InputError, match="unit"):
        _norm(tmp_path, text)
    assert _norm(tmp_path, text, unit="万元").frame["amount"].tolist() == [100 * 1_000_000]
    titled = "支出明细\n单位：万元\n" + text
    norm = _norm(tmp_path, titled)
    assert norm.frame["amount"].tolist() == [100 * 1_000_000]
    assert norm.frame["_row"].tolist() == [4]


def test_export_amount_forms(tmp_path: Path) -> None:
    cells = ['"1,234.50"', "—", "(10.00)", "１２.３４", "", "-"]
    rows = [f"V{i},2022-03-01,901,901001,一般公共预算,基本支出,,2120101,30101,{c}"
            for i, c in enumerate(cells)]
    norm = _norm(tmp_path, PAY_HEADER + "\n".join(rows) + "\n")
    assert norm.problems == []
    assert norm.frame["amount"].tolist() == [123_450, 0, -1_000, 1_234, 0, 0]


@pytest.mark.parametrize("label", ["合计", "合　计", " 本页合计：", "总计"])
def test_total_rows_are_checked_and_not_counted(tmp_path: Path, label: str) -> None:
    text = (PAY_HEADER + GOOD.format(n=1) + GOOD.format(n=2)
            + ",,,,小 计,,,,,200.00\n" + GOOD.format(n=3)
            + f"{label},,,,,,,,,300.00\n")
    norm = _norm(tmp_path, text)
    assert norm.problems == []
    assert norm.total_rows == 2 and norm.rows_in == 3
    assert int(norm.frame["amount"].sum()) == 30_000
    assert norm.declared == {"amount": 30_000}
    _balanced(norm)


def test_total_row_mismatch_is_reported(tmp_path: Path) -> None:
    text = PAY_HEADER + GOOD.format(n=1) + GOOD.format(n=2) + "合计,,,,,,,,,250.00\n"
    norm = _norm(tmp_path, text)
    problem = _only_error(norm)
    assert (problem.row, problem.column, problem.value) == (4, "金额（元）", "250.00")
    assert "250.00" in problem.rule and "200.00" in problem.rule
    assert len(norm.frame) == 2  # detail rows are kept; the total row is never data


BUD_HEADER = ("年度,部门编码,单位编码,预算类型,支出类型,项目编码,功能分类科目编码,年初预算数（万元）,"
              "追加（万元）,调减（万元）,调整后预算数（万元）\n")


def test_adjusted_budget_is_derived_or_checked(tmp_path: Path) -> None:
    rows = ("2022,901,901001,一般公共预算,项目支出,P1,2120104,10,5,1,\n"
            "2022,901,901001,一般公共预算,项目支出,P2,2120104,10,5,1,14\n"
            "2022,901,901001,一般公共预算,项目支出,P3,2120104,10,5,1,15\n")
    norm = _norm(tmp_path, BUD_HEADER + rows, table="budget")
    assert norm.frame["adjusted_budget"].tolist() == [14_000_000, 14_000_000]
    problem = _only_error(norm)
    assert (problem.row, problem.column, problem.value) == (4, "调整后预算数（万元）", "15")
    _balanced(norm, "adjusted_budget")


def test_negative_reduction_is_an_error(tmp_path: Path) -> None:
    rows = "2022,901,901001,一般公共预算,项目支出,P1,2120104,10,0,-1,\n"
    problem = _only_error(_norm(tmp_path, BUD_HEADER + rows, table="budget"))
    assert (problem.row, problem.column) == (2, "调减（万元）")


def test_unknown_columns_warn_but_names_beside_codes_do_not(tmp_path: Path) -> None:
    text = PAY_HEADER.rstrip("\n") + ",功能分类科目名称,奇怪的列\n" + GOOD.format(n=1).rstrip("\n") \
        + ",行政运行,x\n"
    norm = _norm(tmp_path, text)
    assert [(p.severity, p.column) for p in norm.problems] == [("warning", "奇怪的列")]


def test_empty_lines_are_skipped_and_rows_keep_their_numbers(tmp_path: Path) -> None:
    bad = "V9,2022-03-02,901,901001,一般公共预算,基本支出,,2120101,30101,oops\n"
    norm = _norm(tmp_path, PAY_HEADER + GOOD.format(n=1) + "\n,,,,,,,,,\n" + bad)
    assert norm.rows_in == 2 and len(norm.frame) == 1
    assert _only_error(norm).row == 5  # header 1, good 2, empty 3, commas only 4


def test_budget_line_without_year_is_rejected(tmp_path: Path) -> None:
    rows = (",901,901001,一般公共预算,项目支出,P1,2120104,10,0,0,\n"
            "2022,901,901001,一般公共预算,项目支出,P2,2120104,10,0,0,\n")
    norm = _norm(tmp_path, BUD_HEADER + rows, table="budget")
    problem = _only_error(norm)
    assert (problem.row, problem.column, problem.rule) == (2, "年度", "required cell is empty")
    assert norm.frame["year"].dtype == "int64"


def test_blank_payment_year_comes_from_the_date(tmp_path: Path) -> None:
    header = PAY_HEADER.replace("凭证号,", "年度,凭证号,", 1)
    rows = ",V1,2021-12-31,901,901001,一般公共预算,基本支出,,2120101,30101,1\n" \
           "2022,V2,2023-01-05,901,901001,一般公共预算,基本支出,,2120101,30101,1\n"
    norm = _norm(tmp_path, header + rows)
    # a given year wins over the date, and the disagreement is named (issue 8)
    assert [(p.row, p.column, p.value, p.severity) for p in norm.problems] == \
        [(3, "支付日期", "2023-01-05", "warning")]
    assert norm.frame["year"].tolist() == [2021, 2022]


def test_many_bad_rows_are_summed_up_but_all_rejected_with_reasons(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import outturn.ingest.rowproblems as rowproblems

    monkeypatch.setattr(rowproblems, "MAX_LISTED", 3)
    bad = "".join(f"V{i},2022-03-01,901,901001,一般公共预算,基本支出,,2120101,30101,x{i}\n"
                  for i in range(10))
    norm = _norm(tmp_path, PAY_HEADER + bad)
    listed = [p for p in norm.problems if p.row is not None]
    summary = [p for p in norm.problems if p.row is None]
    assert [p.row for p in listed] == [2, 3, 4]
    assert [p.value for p in listed] == ["x0", "x1", "x2"]
    assert len(summary) == 1 and "7 more row(s)" in summary[0].rule
    assert norm.rejected["_row"].tolist() == list(range(2, 12))
    assert norm.rejected["amount"].tolist() == [f"x{i}" for i in range(10)]
    assert (norm.rejected["_reason"] == "金额（元）: not a number").all()
