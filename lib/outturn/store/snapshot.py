"""Atomic, versioned storage of processed data.

``data/processed/`` holds complete snapshots under ``snapshots/<id>/`` and a symbolic
link ``current`` that names the one in use. Ingest writes a new snapshot in a staging
folder, moves it into ``snapshots/`` and then swaps ``current`` with one atomic
``os.replace``. A reader therefore sees either the previous good state or the new one,
never half of each, and an ingest killed at any moment leaves ``current`` untouched;
its staging folder is swept by the next run.

One ingest writes at a time: :func:`writing` holds ``.ingest.lock`` in the processed
folder for the whole run, and a second ingest waits for it or stops saying who holds
it. Each staging folder also holds its own lock while it is being written, and the
sweep removes only staging folders whose lock is free, i.e. abandoned by a run that
ended (:mod:`outturn.locks`), and never the snapshot ``current`` names.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from outturn import locks
from outturn.problems import OutturnError

CURRENT = "current"
SNAPSHOTS = "snapshots"
STAGING_PREFIX = ".staging-"
MANIFEST = "manifest.json"
#: The lock one ingest holds on the processed folder for its whole run.
INGEST_LOCK = ".ingest.lock"
#: The lock a staging folder holds while it is written (removed before it is published).
STAGING_LOCK = ".lock"
#: How long a second ingest waits for the first by default, in seconds.
DEFAULT_WAIT = 600.0

_STAGING_LOCKS: dict[Path, int] = {}


@contextmanager
def writing(processed_dir: Path, *, wait: float = DEFAULT_WAIT,
            notify: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the processed folder for one ingest (waiting up to ``wait`` seconds)."""
    processed_dir = Path(processed_dir)
    with locks.exclusive(processed_dir / INGEST_LOCK, wait=wait, notify=notify,
                         what=f"another ingest into {processed_dir}"):
        yield


def new_staging(processed_dir: Path) -> Path:
    """A fresh, empty staging folder inside ``processed_dir``, locked until published
    or :func:`discard`-ed."""
    processed_dir.mkdir(parents=True, exist_ok=True)
    sweep(processed_dir)
    staging = processed_dir / f"{STAGING_PREFIX}{uuid.uuid4().hex}"
    staging.mkdir()
    _STAGING_LOCKS[staging] = locks.hold(staging / STAGING_LOCK)
    return staging


def discard(staging: Path) -> None:
    """Remove a staging folder of this process that will not be published (a failed run)."""
    _release(staging)
    shutil.rmtree(staging, ignore_errors=True)


def _release(staging: Path, now_at: Path | None = None) -> None:
    """Drop the staging lock; ``now_at`` is where the folder was moved, if it was."""
    fd = _STAGING_LOCKS.pop(staging, None)
    if fd is not None:
        ((now_at or staging) / STAGING_LOCK).unlink(missing_ok=True)
        os.close(fd)


def sweep(processed_dir: Path) -> None:
    """Remove abandoned staging folders and snapshots no longer current.

    A staging folder whose lock another process holds is a live ingest's work and is
    kept; so is the snapshot ``current`` names.
    """
    keep = current_path(processed_dir, must_exist=False)
    for path in processed_dir.glob(f"{STAGING_PREFIX}*"):
        if path in _STAGING_LOCKS or locks.held_elsewhere(path / STAGING_LOCK):
            continue
        if path.is_symlink() or not path.is_dir():
            path.unlink(missing_ok=True)
        else:
            shutil.rmtree(path, ignore_errors=True)
    snaps = processed_dir / SNAPSHOTS
    if snaps.is_dir():
        for path in snaps.iterdir():
            if keep is None or path.resolve() != keep.resolve():
                shutil.rmtree(path, ignore_errors=True)


def publish(staging: Path, processed_dir: Path) -> Path:
    """Make a fully written staging folder the current snapshot, atomically."""
    snaps = processed_dir / SNAPSHOTS
    snaps.mkdir(exist_ok=True)
    final = snaps / staging.name.removeprefix(STAGING_PREFIX)
    os.replace(staging, final)  # still locked while it moves: no sweep can take it
    _release(staging, now_at=final)
    link_tmp = processed_dir / f"{STAGING_PREFIX}link-{uuid.uuid4().hex}"
    os.symlink(Path(SNAPSHOTS) / final.name, link_tmp)
    os.replace(link_tmp, processed_dir / CURRENT)
    sweep(processed_dir)
    return final


def current_path(processed_dir: Path, *, must_exist: bool = True) -> Path | None:
    """The folder of the current snapshot (``None`` if there is none and that is allowed)."""
    link = Path(processed_dir) / CURRENT
    if link.exists():
        return link.resolve()
    if must_exist:
        raise OutturnError(
            f"no processed data in {processed_dir}: run `outturn ingest` first "
            f"(it reads data/raw/ and writes {processed_dir}/)")
    return None


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2,
                                              sort_keys=True), encoding="utf-8")


def read_manifest(processed_dir: Path) -> dict[str, Any]:
    """The manifest of the current snapshot (inputs, data version, row counts)."""
    folder = current_path(processed_dir)
    assert folder is not None
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
