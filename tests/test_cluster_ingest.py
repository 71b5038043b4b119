"""``outturn ingest --scheduler``: the batch path's tasks on a real Dask LocalCluster of two
worker processes write the snapshot this machine writes, byte for byte; a worker killed
in the middle of a task is survived; a lost scheduler stops the ingest with nothing
published and a clear line."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from distributed.diagnostics.plugin import WorkerPlugin
from outturn.cli import main
from outturn.ingest.run import ingest
from outturn.ingest.streamed import StreamOptions
from outturn.ingest.tasks import IngestClusterError
from outturn.store import snapshot
from stream_tools import SAMPLE, hostile_raw

pytestmark = pytest.mark.slow
#: Small batches and three buckets: every file in batches, tasks of every kind.
OPTIONS = StreamOptions(batch_rows=333, min_bytes=0, buckets=3)


def _snapshot_files(processed: Path) -> dict[str, bytes]:
    """Every file of the current snapshot, by its path inside it."""
    folder = snapshot.current_path(processed)
    assert folder is not None
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture(scope="module")
def raw_and_single(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """The hostile raw folder, and its snapshot written on this machine alone."""
    tmp = tmp_path_factory.mktemp("cluster-ingest")
    raw = hostile_raw(tmp)
    result = ingest(raw, tmp / "single", stream=OPTIONS)
    assert result.collected.streamed is not None
    return raw, _snapshot_files(tmp / "single")


def test_an_ingest_on_two_workers_writes_the_single_machine_snapshot_byte_for_byte(
        raw_and_single: tuple[Path, dict[str, bytes]], tmp_path: Path, local_cluster) -> None:
    raw, single = raw_and_single
    lc, client = local_cluster
    result = ingest(raw, tmp_path / "p", stream=OPTIONS, scheduler=lc.scheduler_address)
    on_cluster = _snapshot_files(tmp_path / "p")
    assert sorted(on_cluster) == sorted(single)
    for name, data in single.items():
        assert on_cluster[name] == data, name
    assert any(name.startswith("payments/") for name in single)
    assert "rejected/payments.csv" in single and "problems.csv" in single
    assert not result.balanced or result.rows_rejected > 0
    # both workers did tasks of the ingest (what each ran is in its log of transitions)
    ran = client.run(lambda dask_worker: sum(
        1 for key in dask_worker.state.log if "outturn-ingest-" in str(key)))
    assert all(count > 0 for count in ran.values()), ran


class _KillOnce(WorkerPlugin):
    """A worker plugin that kills its worker's process as the first second-pass task
    starts (once for the whole cluster: a marker file says it happened)."""

    name = "outturn-test-kill-once"

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish == "executing" and "outturn-ingest-write-" in str(key):
            try:
                fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                return
            os.close(fd)
            os.kill(os.getpid(), signal.SIGKILL)


def test_a_worker_killed_mid_ingest_is_survived_with_the_same_snapshot(
        raw_and_single: tuple[Path, dict[str, bytes]], tmp_path: Path, local_cluster) -> None:
    raw, single = raw_and_single
    lc, client = local_cluster
    marker = tmp_path / "killed"
    client.register_plugin(_KillOnce(str(marker)))
    ingest(raw, tmp_path / "p", stream=OPTIONS, scheduler=lc.scheduler_address)
    assert marker.exists(), "no worker was killed: the test did not test"
    assert _snapshot_files(tmp_path / "p") == single
    assert not list((tmp_path / "p").glob(".staging*"))


def test_a_lost_scheduler_stops_the_ingest_clearly_with_nothing_published(
        raw_and_single: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    from distributed import LocalCluster

    raw, _ = raw_and_single
    processed = tmp_path / "p"
    lc = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1")
    errors: list[BaseException] = []

    def run() -> None:
        try:
            ingest(raw, processed, stream=OPTIONS, scheduler=lc.scheduler_address)
        except BaseException as exc:  # the test looks at it
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 120
    while not list(processed.glob("*/.spill/files/*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    lc.close()  # scheduler and worker gone while the first pass runs
    thread.join(timeout=300)
    assert not thread.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], IngestClusterError), errors
    assert "nothing was published" in str(errors[0]) and "run the ingest again" in str(errors[0])
    # no snapshot, no current one, no staging folder: only the (released) ingest lock
    assert [p.name for p in processed.iterdir()] in ([], [snapshot.INGEST_LOCK]), \
        list(processed.iterdir())


def test_the_command_line_ingests_on_local_workers(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ingest", "--raw", str(SAMPLE), "--processed", str(tmp_path / "p"),
                 "--scheduler", "local:2"])
    assert code == 0, capsys.readouterr().err
    assert "Data version" in capsys.readouterr().out
    assert snapshot.current_path(tmp_path / "p") is not None


def test_a_malformed_scheduler_stops_the_ingest_before_it_starts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ingest", "--raw", str(SAMPLE), "--processed", str(tmp_path / "p"),
                 "--scheduler", "nowhere"])
    assert code != 0
    assert "--scheduler 'nowhere'" in capsys.readouterr().err
    assert not (tmp_path / "p").exists()
