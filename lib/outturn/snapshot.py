"""Atomic, versioned storage of processed data.

``data/processed/`` holds complete snapshots under ``snapshots/<id>/`` and a symbolic
link ``current`` that names the one in use. Ingest writes a new snapshot in a staging
folder, moves it into ``snapshots/`` and then swaps ``current`` with one atomic
``os.replace``. A reader therefore sees either the previous good state or the new one,
never half of each, and an ingest killed at any moment leaves ``current`` untouched;
its staging folder is swept by the next run.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

from outturn.problems import OutturnError

CURRENT = "current"
SNAPSHOTS = "snapshots"
STAGING_PREFIX = ".staging-"
MANIFEST = "manifest.json"


def new_staging(processed_dir: Path) -> Path:
    """A fresh, empty staging folder inside ``processed_dir``."""
    processed_dir.mkdir(parents=True, exist_ok=True)
    sweep(processed_dir)
    staging = processed_dir / f"{STAGING_PREFIX}{uuid.uuid4().hex}"
    staging.mkdir()
    return staging


def sweep(processed_dir: Path) -> None:
    """Remove staging folders left by killed runs and snapshots no longer current."""
    keep = current_path(processed_dir, must_exist=False)
    for path in processed_dir.glob(f"{STAGING_PREFIX}*"):
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
    os.replace(staging, final)
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
