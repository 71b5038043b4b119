"""Atomic file writes: a temp file beside the target, then one rename.

A reader (or a report folder being published) never sees half a file, and a killed
process leaves at most a hidden ``.name.*.tmp`` that the next write replaces. Files get
the usual permissions (``0666`` less the umask), not ``mkstemp``'s private ``0600``, so
a report folder on a shared drive can be read by everyone it is shared with.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_with(path: Path, writer: Callable[[Path], object]) -> Path:
    """Let ``writer`` write a temp file beside ``path``, then move it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        writer(Path(tmp))
        with open(tmp, "rb") as fh:  # on disk before it replaces the old file
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        try:
            os.replace(tmp, path)
        except PermissionError as exc:  # Windows: the old file is open in Word, WPS or Excel
            raise PermissionError(f"cannot replace {path}: is it open in another program?") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text(path: Path, text: str) -> Path:
    """Write UTF-8 text atomically."""
    return write_with(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_bytes(path: Path, data: bytes) -> Path:
    """Write bytes atomically."""
    return write_with(path, lambda tmp: tmp.write_bytes(data))
