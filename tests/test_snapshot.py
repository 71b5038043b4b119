"""Snapshots: publish swaps `current` atomically; sweep removes leftovers."""

from __future__ import annotations

from pathlib import Path

import pytest
from outturn import snapshot
from outturn.problems import OutturnError


def test_publish_and_sweep(tmp_path: Path) -> None:
    first = snapshot.new_staging(tmp_path)
    (first / "a.txt").write_text("1")
    one = snapshot.publish(first, tmp_path)
    assert snapshot.current_path(tmp_path) == one.resolve()
    leftover = snapshot.new_staging(tmp_path)          # a run that is killed …
    (leftover / "half").write_text("x")
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
