"""Batches on a real Dask cluster (a LocalCluster of 2 worker processes): the same reports
as the single-machine path, a worker killed mid-report survived, a lost scheduler
completed by a rerun, and one clear message for a scheduler that is not there."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from outturn import cluster
from outturn.cli import main
from outturn.cluster import ClusterError, parse_scheduler
from outturn.report.batch import run_batch
from outturn.report.paths import STAGING_PREFIX

pytestmark = pytest.mark.slow
DEPTS = ["115", "122", "124"]
GENERATED = "2023-03-31"
#: What a report folder holds; report.ipynb differs by its staging path and cell ids.
COMPARED = ("report.html", "report.docx", "自评表.xlsx", "summary.json")


def _files(folder: Path) -> dict[str, bytes]:
    """A report folder's compared files and data CSVs, by name."""
    out = {name: (folder / name).read_bytes() for name in COMPARED}
    out |= {f"data/{p.name}": p.read_bytes() for p in sorted((folder / "data").iterdir())}
    return out


@pytest.fixture(scope="module")
def single_machine(sample_processed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three reports made on the default path, one after another."""
    out = tmp_path_factory.mktemp("single")
    results = run_batch(2022, DEPTS, jobs=1, processed_dir=sample_processed, output_root=out,
                        pdf=False, generated=GENERATED, progress=False)
    assert [r.status for r in results] == ["done"] * len(DEPTS)
    return out / "2022"


def _batch_in_background(processed: Path, out: Path, scheduler: str) -> tuple[threading.Thread, list]:
    """The three reports as a cluster batch in a thread; its results fill the list."""
    results: list = []
    batch = threading.Thread(target=lambda: results.extend(run_batch(
        2022, DEPTS, processed_dir=processed, output_root=out, pdf=False, generated=GENERATED,
        progress=False, scheduler=scheduler)))
    batch.start()
    return batch, results


def test_local_2_makes_the_same_reports_as_the_single_machine_path(
        sample_processed: Path, single_machine: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    args = ["batch", "--year", "2022", "--processed", str(sample_processed), "--out", str(tmp_path),
            "--no-pdf", "--date", GENERATED, "--scheduler", "local:2"]
    for code in DEPTS:
        args += ["--dept", code]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "完成 3，跳过 0，失败 0" in printed
    for code in DEPTS:
        assert _files(tmp_path / "2022" / code) == _files(single_machine / code), code
    assert (tmp_path / "2022" / "index.html").is_file()
    assert not list((tmp_path / "2022").glob(f"{STAGING_PREFIX}*"))


def test_a_second_batch_on_the_cluster_skips_what_is_unchanged(
        sample_processed: Path, tmp_path: Path, local_cluster) -> None:
    lc, client = local_cluster
    options = dict(processed_dir=sample_processed, output_root=tmp_path, pdf=False,
                   generated=GENERATED, progress=False, scheduler=lc.scheduler_address)
    first = run_batch(2022, DEPTS[:2], **options)
    second = run_batch(2022, DEPTS[:2], **options)
    assert [r.status for r in first] == ["done", "done"]
    assert [r.status for r in second] == ["skipped", "skipped"]
    # the warm workers stayed: each worker's plugin kept one report worker per thread
    kept = client.run(lambda dask_worker: sum(
        w.reports for w in dask_worker.plugins["outturn-report-workers"].pool._workers.values()))
    assert sum(kept.values()) == 4


def test_a_worker_killed_mid_report_is_survived_and_nothing_half_written_is_published(
        sample_processed: Path, single_machine: Path, tmp_path: Path, local_cluster) -> None:
    lc, _ = local_cluster
    year_folder = tmp_path / "2022"
    batch, results = _batch_in_background(sample_processed, tmp_path, lc.scheduler_address)
    # wait until a report is being built (its staging folder exists), then kill the
    # worker process that builds it, with its kernel
    deadline = time.monotonic() + 120
    while not list(year_folder.glob(f"{STAGING_PREFIX}*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    staging = list(year_folder.glob(f"{STAGING_PREFIX}*"))
    assert staging, "no report started within two minutes"
    builder = int(staging[0].name.removeprefix(STAGING_PREFIX).split("-")[1])  # <code>-<pid>-…
    os.kill(builder, signal.SIGKILL)
    batch.join(timeout=600)
    with pytest.raises(ProcessLookupError):  # that worker is gone; its nanny started another
        os.kill(builder, 0)
    assert not batch.is_alive()
    assert sorted(r.dept_code for r in results) == sorted(DEPTS)
    assert {r.status for r in results} == {"done"}, [r.error for r in results]
    for code in DEPTS:  # every published report is whole and the same as the single path's
        assert _files(year_folder / code) == _files(single_machine / code), code
    assert not list(year_folder.glob(f"{STAGING_PREFIX}*"))


def test_a_lost_scheduler_fails_the_rest_clearly_and_a_rerun_completes_them(
        sample_processed: Path, tmp_path: Path) -> None:
    from distributed import LocalCluster

    year_folder = tmp_path / "2022"
    lc = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1")
    batch, results = _batch_in_background(sample_processed, tmp_path, lc.scheduler_address)
    deadline = time.monotonic() + 180
    while not (year_folder / DEPTS[0] / "summary.json").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    lc.close()  # scheduler and workers gone
    batch.join(timeout=300)
    assert not batch.is_alive()
    failed = [r for r in results if r.status == "failed"]
    assert failed and all("run the batch again" in r.error for r in failed)
    rerun = run_batch(2022, DEPTS, processed_dir=sample_processed, output_root=tmp_path, pdf=False,
                      generated=GENERATED, progress=False, scheduler="local:1")
    assert {r.status for r in rerun} <= {"done", "skipped"}
    done_before = {r.dept_code for r in results if r.status == "done"}
    assert {r.dept_code for r in rerun if r.status == "skipped"} == done_before


@pytest.mark.parametrize("value", ["local:0", "local:x", "local:", "nowhere", "tcp://", "http://a b:1"])
def test_a_malformed_scheduler_is_refused_with_what_to_give(value: str) -> None:
    with pytest.raises(ClusterError, match=r"scheduler|local:N"):
        parse_scheduler(value)


@pytest.mark.parametrize(("value", "address"), [("127.0.0.1:8786", "tcp://127.0.0.1:8786"),
                                                ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
                                                ("scheduler.local:8786", "tcp://scheduler.local:8786")])
def test_a_scheduler_address_is_taken_as_given(value: str, address: str) -> None:
    assert parse_scheduler(value) == (address, None)


def test_an_unreachable_scheduler_is_one_clear_message(
        sample_processed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2)
    code = main(["batch", "--year", "2022", "--dept", "115", "--processed", str(sample_processed),
                 "--out", str(tmp_path), "--no-pdf", "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code != 0
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert "Traceback" not in err
    assert not (tmp_path / "2022" / "115").exists()
