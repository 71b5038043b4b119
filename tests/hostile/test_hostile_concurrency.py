"""Two ingests at once: one writes, the other waits or stops; nothing live is swept away.

Before the ingest lock, the clean-up at the start of one ingest removed the other's
staging folder and snapshots: ``current`` could name a deleted snapshot, or an ingest
crashed on its own staging folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from corpus import assert_conserved
from outturn import locks
from outturn.ingest import run as ingest_module
from outturn.ingest.run import ingest
from outturn.problems import OutturnError
from outturn.store import snapshot

HOLD = """
import sys, time
from pathlib import Path
from outturn import locks
fd = locks.hold(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def _hold_in_another_process(path: Path, seconds: float = 30) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_ingest_stops_naming_the_ingest_that_holds_the_store(raw_dir, tmp_path):
    processed = tmp_path / "processed"
    processed.mkdir()
    holder = _hold_in_another_process(processed / snapshot.INGEST_LOCK)
    try:
        with pytest.raises(OutturnError) as caught:
            ingest(raw_dir, processed, wait=0)
    finally:
        holder.kill()
        holder.wait()
    message = str(caught.value)
    assert f"process {holder.pid}" in message and "already running" in message
    assert "--wait" in message
    assert not (processed / snapshot.CURRENT).exists()
    assert not list(processed.glob(f"{snapshot.STAGING_PREFIX}*"))


def test_a_second_ingest_waits_for_the_first_and_then_publishes(raw_dir, tmp_path):
    processed = tmp_path / "processed"
    processed.mkdir()
    holder = _hold_in_another_process(processed / snapshot.INGEST_LOCK, seconds=1.5)
    told: list[str] = []
    started = time.monotonic()
    result = ingest(raw_dir, processed, wait=60, notify=told.append)
    holder.wait()
    assert time.monotonic() - started >= 1.0
    assert len(told) == 1 and f"process {holder.pid}" in told[0]
    assert snapshot.current_path(processed) == result.snapshot.resolve()
    assert_conserved(result)


def test_the_sweep_keeps_a_staging_folder_another_process_is_writing(tmp_path):
    live = tmp_path / f"{snapshot.STAGING_PREFIX}live"
    live.mkdir()
    (live / "half.parquet").write_text("being written")
    abandoned = tmp_path / f"{snapshot.STAGING_PREFIX}abandoned"
    abandoned.mkdir()
    (abandoned / snapshot.STAGING_LOCK).write_text("")   # its process has ended
    dangling = tmp_path / f"{snapshot.STAGING_PREFIX}link-x"
    os.symlink("snapshots/gone", dangling)
    holder = _hold_in_another_process(live / snapshot.STAGING_LOCK)
    try:
        snapshot.sweep(tmp_path)
        assert (live / "half.parquet").exists()
    finally:
        holder.kill()
        holder.wait()
    assert not abandoned.exists() and not dangling.is_symlink()
    snapshot.sweep(tmp_path)                              # once its writer is gone
    assert not live.exists()


def test_a_failed_write_leaves_no_staging_folder_and_keeps_the_previous_snapshot(
        raw_dir, tmp_path, monkeypatch):
    processed = tmp_path / "processed"
    first = ingest(raw_dir, processed)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ingest_module, "_write_partitioned", broken)
    with pytest.raises(OSError, match="No space"):
        ingest(raw_dir, processed)
    assert not list(processed.glob(f"{snapshot.STAGING_PREFIX}*"))
    assert snapshot.current_path(processed) == first.snapshot.resolve()
    assert (first.snapshot / snapshot.MANIFEST).is_file()


def test_ingests_started_together_publish_one_after_the_other(raw_dir, tmp_path):
    processed = tmp_path / "processed"
    results: list[object] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(ingest(raw_dir, processed))
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 3
    current = snapshot.current_path(processed)
    assert current is not None and (current / snapshot.MANIFEST).is_file()
    assert [p.resolve() for p in (processed / snapshot.SNAPSHOTS).iterdir()] == [current]
    assert not list(processed.glob(f"{snapshot.STAGING_PREFIX}*"))


@pytest.mark.slow
def test_concurrent_command_line_ingests_both_succeed_and_leave_a_readable_current(
        raw_dir, tmp_path):
    processed = tmp_path / "processed"
    command = [sys.executable, "-m", "outturn.cli", "ingest", "--raw", str(raw_dir),
               "--processed", str(processed)]
    for _ in range(3):
        procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(2)]
        outs = [p.communicate(timeout=300) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outs
        current = snapshot.current_path(processed)
        assert current is not None and (current / snapshot.MANIFEST).is_file()
        assert not list(processed.glob(f"{snapshot.STAGING_PREFIX}*"))


def test_a_lock_file_names_its_holder(tmp_path):
    fd = locks.hold(tmp_path / "x.lock")
    try:
        assert f"process {os.getpid()}" in locks.holder(tmp_path / "x.lock")
        assert not locks.held_elsewhere(tmp_path / "missing.lock")
    finally:
        os.close(fd)
