"""Snapshots: publish swaps `current` atomically; sweep removes leftovers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from outturn.problems import OutturnError
from outturn.store import snapshot


def test_publish_and_sweep(tmp_path: Path) -> None:
    first = snapshot.new_staging(tmp_path)
    (first / "a.txt").write_text("1")
    one = snapshot.publish(first, tmp_path)
    assert snapshot.current_path(tmp_path) == one.resolve()
    killed = subprocess.run(                           # a run that ends mid-way …
        [sys.executable, "-c", "import sys; from pathlib import Path; from outturn.store import snapshot; "
         "s = snapshot.new_staging(Path(sys.argv[1])); (s / 'half').write_text('x'); print(s)",
         str(tmp_path)], capture_output=True, text=True, check=True)
    leftover = Path(killed.stdout.strip())
    assert (leftover / "half").exists()
    second = snapshot.new_staging(tmp_path)            # … is swept by the next one
    assert not leftover.exists()
    two = snapshot.publish(second, tmp_path)
    assert snapshot.current_path(tmp_path) == two.resolve()
    assert not one.exists()                            # old snapshots are removed
    assert (tmp_path / "current").is_symlink()


def test_no_snapshot_is_a_clear_error(tmp_path: Path) -> None:
    assert snapshot.current_path(tmp_path, must_exist=False) is None
    with pytest.raises(OutturnError, match="outturn ingest"):
        snapshot.current_path(tmp_path)
