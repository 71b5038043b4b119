"""The command line's own promises: its version, and refusing options that cannot work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from outturn import __version__, locks
from outturn.cli import main
from outturn.store import snapshot


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"outturn {__version__}"


@pytest.mark.parametrize("jobs", ["0", "-2", "two"])
def test_batch_refuses_a_worker_count_below_one(jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["batch", "--year", "2022", "--jobs", jobs])
    assert exited.value.code == 2
    assert "--jobs" in capsys.readouterr().err


def test_batch_for_a_year_without_data_is_an_error_naming_the_years_that_have_data(
        sample_processed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["batch", "--year", "1999", "--processed", str(sample_processed),
                 "--out", str(tmp_path / "out"), "--no-pdf"])
    err = capsys.readouterr().err
    assert code == 1
    assert "no department has data for 1999" in err and "2022" in err and "--year" in err
    assert not (tmp_path / "out").exists()


def test_a_second_ingest_that_will_not_wait_stops_with_exit_1(
        raw_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    processed = tmp_path / "processed"
    processed.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from outturn import locks; "
         "locks.hold(Path(sys.argv[1])); print('held', flush=True); time.sleep(30)",
         str(processed / snapshot.INGEST_LOCK)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        code = main(["ingest", "--raw", str(raw_dir), "--processed", str(processed), "--wait", "0"])
    finally:
        holder.kill()
        holder.wait()
    assert code == 1
    assert "already running" in capsys.readouterr().err
    assert locks.held_elsewhere(processed / snapshot.INGEST_LOCK) is False
