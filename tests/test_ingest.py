"""Ingest end to end on small raw folders: cross-file checks, rejected rows kept with
their reasons, reconciliation to the 分, atomic publication and repeatable results."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import PAYMENTS_CSV, write_raw
from outturn.cli import main
from outturn.ingest import run as ingest_module
from outturn.ingest.run import ingest
from outturn.store import snapshot
from outturn.store.read import load, read_table


def _problems(result, severity: str = "error"):
    return [p for p in result.collected.problems if p.severity == severity]


def test_clean_folder_ingests_and_balances(raw_dir: Path, tmp_path: Path) -> None:
    result = ingest(raw_dir, tmp_path / "processed")
    assert _problems(result) == [] and result.balanced
    dy = load("测试局", 2022, tmp_path / "processed")
    # 400 + 500 + 1200.50 − 0.50 + 150 元
    assert int(dy.payments["amount"].sum()) == 225_000
    assert dy.payments["budgeted"].all()
    assert set(dy.payments["unit_name"]) == {"局本级", "测试所"}
    assert dy.payments.loc[dy.payments["project_code"] == "P1", "project_name"].iloc[0] == "道路维护"
    assert dy.budget["adjusted_budget"].tolist() == [100_000, 80_000, 15_000]
    assert dy.payments["cost_type"].tolist()[:2] == ["人员经费", "人员经费"]


def test_partitions_hold_one_department_year(raw_dir: Path, tmp_path: Path) -> None:
    ingest(raw_dir, tmp_path / "p")
    current = snapshot.current_path(tmp_path / "p")
    parts = sorted(p.relative_to(current).as_posix() for p in current.rglob("*.parquet"))
    assert "payments/year=2022/dept_code=901/part-0.parquet" in parts
    assert read_table("payments", 2021, "901", tmp_path / "p").empty


def test_unbudgeted_payment_is_kept_and_reported(tmp_path: Path) -> None:
    payments = PAYMENTS_CSV + \
        "V6,2022-08-01,901,901001,一般公共预算,项目支出,P9,2120104,30213,99.00,无预算\n"
    raw = write_raw(tmp_path / "raw", payments=payments)
    result = ingest(raw, tmp_path / "p")
    assert _problems(result) == []
    warning = next(p for p in _problems(result, "warning") if "unbudgeted" in p.rule)
    assert (warning.row, warning.value) == (7, "P9") and "99.00 元" in warning.rule
    pay = load("901", 2022, tmp_path / "p").payments
    assert pay.loc[~pay["budgeted"], "voucher_id"].tolist() == ["V6"]
    assert int(pay["amount"].sum()) == 225_000 + 9_900


def test_duplicate_voucher_rejects_the_repeat_and_names_the_first(tmp_path: Path) -> None:
    payments = PAYMENTS_CSV + \
        "V2,2022-09-15,901,901001,一般公共预算,基本支出,,2120101,30101,500.00,重复\n"
    raw = write_raw(tmp_path / "raw", payments=payments)
    result = ingest(raw, tmp_path / "p")
    [error] = _problems(result)
    assert (error.row, error.column, error.value) == (7, "凭证号", "V2")
    assert f"{raw / 'payments' / 'p.csv'} row 3" in error.rule
    rejected = pd.read_csv(result.snapshot / "rejected" / "payments.csv", dtype=str)
    assert rejected["_row"].tolist() == ["7"] and "duplicate" in rejected["_reason"].iloc[0]
    # nothing lost: in = accepted + rejected
    rec = result.reconciliation.set_index("table").loc["payments"]
    assert (rec["rows_in"], rec["rows_accepted"], rec["rows_rejected"]) == (6, 5, 1)
    assert rec["in_fen"] == rec["accepted_fen"] + rec["rejected_fen"] == 275_000


def test_unknown_unit_code_names_the_nearest(tmp_path: Path) -> None:
    payments = PAYMENTS_CSV + \
        "V7,2022-09-15,901,901003,一般公共预算,基本支出,,2120101,30101,1.00,错单位\n"
    result = ingest(write_raw(tmp_path / "raw", payments=payments), tmp_path / "p")
    [error] = _problems(result)
    assert (error.row, error.column, error.value) == (7, "单位编码", "901003")
    # 901001 and 901002 share the longest prefix; the numerically closest wins
    assert "nearest known unit code is 901002" in error.rule


def test_unknown_functional_code_is_a_warning_with_the_nearest(tmp_path: Path) -> None:
    payments = PAYMENTS_CSV.replace("V5,2022-12-20,901,901002,政府性基金预算,项目支出,P2,2120803",
                                    "V5,2022-12-20,901,901002,政府性基金预算,项目支出,P2,2120898")
    result = ingest(write_raw(tmp_path / "raw", payments=payments), tmp_path / "p")
    warnings = [p for p in _problems(result, "warning") if "code table" in p.rule]
    assert [(w.row, w.value) for w in warnings] == [(6, "2120898")]
    assert "nearest known code is 21208" in warnings[0].rule


def test_rerun_gives_the_same_result(raw_dir: Path, tmp_path: Path) -> None:
    first = ingest(raw_dir, tmp_path / "p")
    before = {p.relative_to(first.snapshot): p.read_bytes()
              for p in first.snapshot.rglob("*") if p.is_file()}
    second = ingest(raw_dir, tmp_path / "p")
    after = {p.relative_to(second.snapshot): p.read_bytes()
             for p in second.snapshot.rglob("*") if p.is_file()}
    assert first.data_version == second.data_version
    assert before == after
    assert len(list((tmp_path / "p" / "snapshots").iterdir())) == 1


def test_killed_ingest_leaves_the_previous_state(raw_dir: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "p"
    good = ingest(raw_dir, out)
    bigger = PAYMENTS_CSV + "V8,2022-10-01,901,901001,一般公共预算,基本支出,,2120101,30101,1.00,x\n"
    (raw_dir / "payments" / "p.csv").write_text(bigger, encoding="utf-8")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # the process is stopped half-way through writing

    monkeypatch.setattr(ingest_module, "_write_csv", crash)
    with pytest.raises(KeyboardInterrupt):
        ingest(raw_dir, out)
    assert snapshot.current_path(out) == good.snapshot
    assert len(load("901", 2022, out).payments) == 5
    monkeypatch.undo()
    ingest(raw_dir, out)  # the next run sweeps the half-written staging folder
    assert not list(out.glob(".staging-*"))
    assert len(load("901", 2022, out).payments) == 6


def test_cli_ingest_exit_codes(raw_dir: Path, tmp_path: Path,
                               capsys: pytest.CaptureFixture) -> None:
    assert main(["ingest", "--raw", str(raw_dir), "--processed", str(tmp_path / "p")]) == 0
    assert "all files balance to the 分" in capsys.readouterr().out
    bad = PAYMENTS_CSV + "V9,2022-10-01,901,901001,一般公共预算,基本支出,,2120101,30101,1.2.3,x\n"
    (raw_dir / "payments" / "p.csv").write_text(bad, encoding="utf-8")
    assert main(["ingest", "--raw", str(raw_dir), "--processed", str(tmp_path / "p")]) == 2
    out = capsys.readouterr().out
    assert "row 7, column 金额（元）" in out and "'1.2.3'" in out
    assert main(["ingest", "--raw", str(tmp_path / "nowhere")]) == 1


def test_validate_writes_nothing(raw_dir: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture) -> None:
    bad = PAYMENTS_CSV + "V9,2022-02-30,901,901001,一般公共预算,基本支出,,2120101,30101,1,x\n"
    (raw_dir / "payments" / "p.csv").write_text(bad, encoding="utf-8")
    before = sorted(p for p in tmp_path.rglob("*"))
    assert main(["validate", str(raw_dir)]) == 2
    assert main(["validate", str(raw_dir / "payments" / "p.csv")]) == 2
    out = capsys.readouterr().out
    assert "row 7, column 支付日期" in out
    assert sorted(p for p in tmp_path.rglob("*")) == before


def test_missing_departments_file_is_fatal(raw_dir: Path, tmp_path: Path) -> None:
    (raw_dir / "departments.csv").unlink()
    assert main(["ingest", "--raw", str(raw_dir), "--processed", str(tmp_path / "p")]) == 1
    assert not (tmp_path / "p" / "current").exists()


def test_xlsx_budget_with_title_rows(tmp_path: Path) -> None:
    from openpyxl import Workbook

    raw = write_raw(tmp_path / "raw")
    (raw / "budget" / "b.csv").unlink()
    wb = Workbook()
    ws = wb.active
    ws.append(["2022年度部门预算指标"])
    ws.append(["单位：万元"])
    ws.append(["年度", "部门编码", "单位编码", "预算类型", "支出类型", "项目编码", "功能分类科目编码",
               "经济分类科目编码", "年初预算数"])
    ws.append([2022, "901", "901001", "一般公共预算", "基本支出", None, 2120101, 30101, 0.1])
    ws.append([2022, "901", "901001", "一般公共预算", "项目支出", "P1", 2120104, None, 0.08])
    ws.append([2022, "901", "901002", "政府性基金预算", "项目支出", "P2", 2120803, None, 0.015])
    ws.append(["合计", None, None, None, None, None, None, None, 0.195])
    wb.save(raw / "budget" / "b.xlsx")
    shutil.rmtree(tmp_path / "p", ignore_errors=True)
    result = ingest(raw, tmp_path / "p")
    assert _problems(result) == []
    budget = load("901", 2022, tmp_path / "p").budget
    assert budget["original_budget"].tolist() == [100_000, 80_000, 15_000]
    rec = result.reconciliation
    row = rec[(rec["table"] == "budget") & (rec["column"] == "original_budget")].iloc[0]
    assert row["total_rows"] == 1 and row["declared_fen"] == 195_000


def test_duplicate_vouchers_across_two_files(tmp_path: Path) -> None:
    raw = write_raw(tmp_path / "raw")
    (raw / "payments" / "q.csv").write_text(
        PAYMENTS_CSV.splitlines()[0] + "\n"
        + "V1,2022-11-15,901,901001,一般公共预算,基本支出,,2120101,30101,400.00,重复\n",
        encoding="utf-8")
    result = ingest(raw, tmp_path / "p")
    [error] = _problems(result)
    assert error.file.endswith("q.csv") and error.row == 2 and error.value == "V1"


def test_many_duplicates_are_summed_up_but_all_rejected(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import outturn.ingest.crosscheck as crosscheck

    monkeypatch.setattr(crosscheck, "MAX_LISTED", 2)
    repeats = "".join(f"V1,2022-09-{d:02d},901,901001,一般公共预算,基本支出,,2120101,30101,1.00,x\n"
                      for d in range(1, 6))
    result = ingest(write_raw(tmp_path / "raw", payments=PAYMENTS_CSV + repeats), tmp_path / "p")
    errors = _problems(result)
    assert [e.row for e in errors] == [7, 8, None]
    assert "3 more row(s)" in errors[-1].rule
    rejected = pd.read_csv(result.snapshot / "rejected" / "payments.csv", dtype=str)
    assert rejected["_row"].tolist() == ["7", "8", "9", "10", "11"]
    assert rejected["_reason"].str.contains("first seen at .* row 2", regex=True).all()


def test_budget_without_any_payment_loads_and_summarises(tmp_path: Path) -> None:
    from conftest import BUDGET_CSV
    from outturn.metrics.summary import format_summary, summarise

    budget = BUDGET_CSV + "2023,901,901001,一般公共预算,基本支出,,,2120101,30101,1000.00,0,0\n"
    ingest(write_raw(tmp_path / "raw", budget=budget), tmp_path / "p")
    dy = load("901", 2023, tmp_path / "p")
    assert dy.payments.empty and str(dy.payments["date"].dtype).startswith("datetime64")
    text = format_summary(summarise(dy))
    assert "0.10" in text and "0.00%" in text  # 1000 元 budgeted, nothing spent
