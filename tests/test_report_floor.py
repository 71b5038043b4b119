"""A report costs its own work: a warm kernel keeps one connected client, files are
flushed together, and report processes skip an import nothing of theirs uses."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import nbformat
import pytest
from outturn import atomic
from outturn.report.kernel import Kernel, execute

pytestmark = pytest.mark.slow


def _notebook(*sources: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


def test_a_warm_kernel_connects_one_client_and_clears_its_namespace_between_runs() -> None:
    kernel = Kernel()
    try:
        first = execute(_notebook("secret = 41", "print(secret + 1)"), kernel)
        client = kernel.kc
        second = execute(_notebook("print('secret' in globals())"), kernel)
        assert first.cells[1].outputs[0]["text"].strip() == "42"
        assert second.cells[0].outputs[0]["text"].strip() == "False"
        assert kernel.kc is client and kernel.starts == 1
        assert len(second.cells) == 1  # the reset cell is not left in the notebook
    finally:
        kernel.shutdown()
    assert kernel.kc is None and kernel.km is None


def test_a_kernel_that_died_is_started_again_with_a_new_client() -> None:
    kernel = Kernel()
    try:
        execute(_notebook("import os; pid = os.getpid(); print(pid)"), kernel)
        old = kernel.kc
        kernel.shutdown()  # as the runner does after a failed report
        out = execute(_notebook("print(6 * 7)"), kernel)
        assert out.cells[0].outputs[0]["text"].strip() == "42"
        assert kernel.kc is not old and kernel.starts == 2
    finally:
        kernel.shutdown()


def test_files_written_in_a_grouped_sync_are_flushed_together_at_its_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    flushed: list[float] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (flushed.append(time.monotonic()), real(fd))[1])
    with atomic.grouped_sync(tmp_path):
        for i in range(5):
            atomic.write_text(tmp_path / "sub" / f"{i}.txt", str(i))
        assert flushed == []  # nothing flushed one by one inside the block
        assert (tmp_path / "sub" / "3.txt").read_text() == "3"  # but every file is in place
    assert len(flushed) == 5 + 2  # the five files, then the two folders
    atomic.write_text(tmp_path / "alone.txt", "x")
    assert len(flushed) == 8  # outside a block, each file is flushed before its rename


def test_a_grouped_sync_left_by_an_error_flushes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    flushed: list[int] = []
    monkeypatch.setattr(os, "fsync", flushed.append)
    with pytest.raises(RuntimeError), atomic.grouped_sync(tmp_path):
        atomic.write_text(tmp_path / "a.txt", "a")
        raise RuntimeError("stop")
    assert flushed == []


def test_a_report_process_does_not_import_the_iri_grammar_and_still_validates_notebooks() -> None:
    code = ("import sys, outturn.report.runner, nbformat; "
            "nb = nbformat.read(str(outturn.report.runner.NOTEBOOK), as_version=4); "
            "nbformat.validate(nb); "
            "print(sys.modules.get('rfc3987_syntax') is None, 'jsonschema' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "True"]


def test_the_workbook_is_the_same_bytes_whenever_it_is_written(
        sample_processed: Path, tmp_path: Path) -> None:
    from outturn.report.build import load_inputs
    from outturn.scoring.workbook import write_workbook

    inputs = load_inputs("115", 2022, sample_processed, "hunan-dept-overall", "adjusted")
    first = write_workbook(inputs.score, tmp_path / "a.xlsx", inputs.pefa, generated=date(2023, 3, 31))
    time.sleep(1.1)  # zip entries and openpyxl's own dates have one-second resolution
    second = write_workbook(inputs.score, tmp_path / "b.xlsx", inputs.pefa, generated=date(2023, 3, 31))
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(io.BytesIO(first.read_bytes())) as package:
        core = package.read("docProps/core.xml").decode()
        assert {i.date_time for i in package.infolist()} == {(2023, 3, 31, 0, 0, 0)}
    assert core.count("2023-03-31T00:00:00Z") == 2  # created and modified: the report's date


def test_each_chart_is_drawn_once_for_the_page_and_the_word_file(
        sample_processed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from outturn.report import charts, html
    from outturn.report.build import build_report, load_inputs
    from outturn.report.companions import write_companions

    drawn: list[int] = []
    real = charts.to_png
    monkeypatch.setattr(charts, "to_png", lambda fig: (drawn.append(1), real(fig))[1])
    inputs = load_inputs("115", 2022, sample_processed, "hunan-dept-overall", "adjusted")
    report = build_report(inputs, generated=date(2023, 3, 31))
    counter = {"table": 0, "chart": 0}
    page = "".join(html.section(s, counter) for s in report.sections)
    write_companions(report, inputs, tmp_path)
    assert len(report.charts()) >= 3
    assert page.count("data:image/png;base64,") == len(report.charts())
    assert len(drawn) == len(report.charts())
