"""Batch runs: a failing department is reported and the others complete; a batch killed
mid-way leaves no half-written report and a rerun completes it; the index page lists all."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from outturn.cli import main
from outturn.locks import held_elsewhere
from outturn.report.batch import run_batch
from outturn.report.runner import LOCK_FILE

pytestmark = pytest.mark.slow
REPORT_FILES = {"report.html", "report.docx", "report.ipynb", "summary.json", "自评表.xlsx", "data",
                ".outturn-inputs"}


def _private_copy(sample_processed: Path, dest: Path) -> Path:
    """A copy of the processed sample whose files a test may break."""
    current = (sample_processed / "current").resolve()
    shutil.copytree(current, dest / "snap")
    (dest / "current").symlink_to("snap")
    return dest


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc), so a test can kill a whole batch."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _complete(folder: Path) -> bool:
    return REPORT_FILES <= {p.name for p in folder.iterdir()}


def test_failing_department_is_reported_and_the_rest_complete(
        sample_processed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    processed = _private_copy(sample_processed, tmp_path / "processed")
    broken = processed / "snap" / "payments" / "year=2022" / "dept_code=116" / "part-0.parquet"
    broken.write_bytes(b"not parquet")
    code = main(["batch", "--year", "2022", "--dept", "115", "--dept", "116", "--dept", "117",
                 "--jobs", "2", "--processed", str(processed), "--out", str(tmp_path / "out"),
                 "--no-pdf", "--date", "2023-03-31"])
    out = capsys.readouterr().out
    assert code == 1
    assert "完成 2，跳过 0，失败 1" in out
    line = next(x for x in out.splitlines() if x.startswith("116"))
    assert "失败" in line and "rn.start(params)" in line  # the failing cell is named
    assert "Parquet" in line or "parquet" in line
    year = tmp_path / "out" / "2022"
    assert _complete(year / "115") and _complete(year / "117") and not (year / "116").exists()
    index = (year / "index.html").read_text(encoding="utf-8")
    assert 'href="115/report.html"' in index and 'href="117/report.html"' in index
    assert "本次未能生成的报告" in index and "116" in index


def test_killed_batch_leaves_no_half_report_and_rerun_completes(sample_processed: Path,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "outturn.cli", "batch", "--year", "2022", "--jobs", "2",
           "--processed", str(sample_processed), "--out", str(out), "--no-pdf"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    year = out / "2022"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:  # kill once the first report is published
        if year.is_dir() and any(p.is_dir() and not p.name.startswith(".") for p in year.iterdir()):
            break
        time.sleep(0.2)
    tree = _descendants(proc.pid)  # workers, and the kernels they started (own sessions)
    os.killpg(proc.pid, signal.SIGKILL)
    for pid in tree:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    proc.wait()
    for _ in range(50):  # the exits release the staging locks
        if not any(held_elsewhere(p / LOCK_FILE) for p in year.glob(".staging-*")):
            break
        time.sleep(0.2)
    published = [p for p in year.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert published and len(published) < 10
    assert all(_complete(p) for p in published), "a published report folder is incomplete"

    results = run_batch(2022, jobs=2, processed_dir=sample_processed, output_root=out, pdf=False,
                        progress=False)
    assert [r.status for r in results].count("failed") == 0
    assert {r.status for r in results if r.dept_code in {p.name for p in published}} == {"skipped"}
    reports = [p for p in year.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert len(reports) == 10 and all(_complete(p) for p in reports)
    assert not [p for p in year.iterdir() if p.name.startswith(".staging-")]
    index = (year / "index.html").read_text(encoding="utf-8")
    assert index.count('/report.html"') == 10 and "本次未能生成的报告" not in index


def test_the_skip_hash_changes_when_outturn_s_own_code_changes(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A report built by an older outturn of the same version is rebuilt, not skipped."""
    from outturn.report import runner

    before = runner.code_fingerprint()
    assert before == runner.code_fingerprint()  # read once per process
    runner.code_fingerprint.cache_clear()
    real = runner.Path.read_bytes

    def edited(self):  # type: ignore[no-untyped-def]
        data = real(self)
        return data + b"# edited" if self.name == "engine.py" else data

    monkeypatch.setattr(runner.Path, "read_bytes", edited)
    try:
        assert runner.code_fingerprint() != before
    finally:
        runner.code_fingerprint.cache_clear()
