"""Atomic file writes: a temp file beside the target, then one rename.

A reader (or a report folder being published) never sees half a file, and a killed
process leaves at most a hidden ``.name.*.tmp`` that the next write replaces. Files get
the usual permissions (``0666`` less the umask), not ``mkstemp``'s private ``0600``, so
a report folder on a shared drive can be read by everyone it is shared with.

Each file is flushed to disk (``fsync``) before it replaces the old one. A report writes
some twenty files into a private staging folder that is published as a whole afterwards;
there, :func:`grouped_sync` moves the flushes to the end of the block and runs them side
by side, which the file system's journal commits together (21 files: 6 ms instead of
55–285 ms, measured here), and nothing is published before the block has returned.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

#: Files written inside :func:`grouped_sync` whose flush waits for the block's end.
_PENDING: ContextVar[list[Path] | None] = ContextVar("outturn_pending_sync", default=None)


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
        pending = _PENDING.get()
        if pending is None:
            _fsync(Path(tmp))  # on disk before it replaces the old file
        else:
            pending.append(path)
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


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


@contextmanager
def grouped_sync(folder: Path) -> Iterator[None]:
    """Flush the files written in the block (and ``folder``'s directories) together, at its end.

    Only for a folder no one reads until it is published as a whole (a staging folder):
    inside the block a file is renamed into place before it is on disk, so the block must
    return before the folder is made visible. A block left by an exception flushes nothing.
    """
    pending: list[Path] = []
    token = _PENDING.set(pending)
    try:
        yield
    finally:
        _PENDING.reset(token)
    folders = sorted({p.parent for p in pending} | {Path(folder)})
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(_fsync, [p for p in pending if p.exists()]))
        list(pool.map(_fsync_dir, [f for f in folders if f.is_dir()]))


def _fsync_dir(folder: Path) -> None:
    """A folder's entries (the renames into it) on disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
