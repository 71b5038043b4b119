"""The 自评表.xlsx: text from data is written as text (never a formula), and the file is
written atomically with the permissions of every other output."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from outturn.scoring.engine import score_department
from outturn.scoring.rules import load_rule_set
from outturn.scoring.workbook import write_workbook
from outturn.store.read import load

HOSTILE = ('=HYPERLINK("http://x.invalid","点此查看")', "+1+1", "@SUM(A1)", "-2+3",
           "=cmd|' /C calc'!A0")


@pytest.fixture(scope="module")
def table(sample_processed: Path):  # type: ignore[no-untyped-def]
    dy = load("115", 2022, sample_processed)
    scored = score_department(dy, load_rule_set("mof-2020-project"),
                              previous=load("115", 2021, sample_processed))
    lines = [dataclasses.replace(line, level3=HOSTILE[i % len(HOSTILE)],
                                 value=HOSTILE[(i + 1) % len(HOSTILE)],
                                 explanation=HOSTILE[(i + 2) % len(HOSTILE)])
             for i, line in enumerate(scored.lines)]
    return dataclasses.replace(scored, dept_name=HOSTILE[0], lines=lines)


def test_ledger_text_beginning_like_a_formula_is_text_in_the_self_evaluation_workbook(
        table, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_workbook(table, tmp_path / "自评表.xlsx")
    wb = load_workbook(path)  # formulas as formulas, not their values
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert set(HOSTILE) <= texts  # shown exactly as the data says, no prefix
    assert any(isinstance(c.value, float | int) for c in cells)  # numbers stay numbers


def test_the_self_evaluation_workbook_has_the_permissions_of_every_other_output(
        table, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    umask = os.umask(0o022)
    os.umask(umask)
    path = write_workbook(table, tmp_path / "自评表.xlsx")
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["自评表.xlsx"]  # no temp file left
