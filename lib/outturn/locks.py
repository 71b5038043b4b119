"""Advisory file locks: one writer at a time, and telling abandoned work from live work.

A lock here is an exclusive ``flock`` on a small file. The operating system releases it
when the holding process ends, however it ends (exit, exception, SIGKILL), so a lock
that can be taken proves that nobody is working there any more. That is what lets a
clean-up remove only what was abandoned and never another live run's work — a check of
PIDs or timestamps cannot promise that (PIDs are reused, clocks and runs are slow).

The lock file also records who holds it (process id, host, start time) so that a
second writer can say whom it is waiting for. That record is why this is not the
``filelock`` package: its Unix lock opens the file with ``O_TRUNC`` on every attempt,
so each waiting process would erase the holder's record it wants to print. The lock
here is as portable (``flock`` on POSIX, a one-byte ``msvcrt`` region on Windows, both
imported only when a lock is taken, so every module imports on either).
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from outturn.problems import OutturnError

#: Seconds between attempts while waiting for a lock held by another process.
POLL_SECONDS = 0.2


def _try_lock(fd: int) -> bool:
    """Take the exclusive lock on ``fd`` without blocking; whether it was taken."""
    try:
        import fcntl
    except ImportError:  # Windows: a one-byte lock region does the same job
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def held_elsewhere(path: Path) -> bool:
    """Whether another process holds the lock file ``path`` (a missing file is not held)."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        return not _try_lock(fd)
    finally:
        os.close(fd)


def hold(path: Path) -> int:
    """Create ``path`` and take its lock, which must be free; returns the descriptor.

    The lock lasts until the descriptor is closed or the process ends.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    if not _try_lock(fd):
        os.close(fd)
        raise OutturnError(f"{path} is locked by another process")
    _record_holder(fd)
    return fd


def _record_holder(fd: int) -> None:
    holder = {"pid": os.getpid(), "host": socket.gethostname(),
              "since": datetime.now().astimezone().isoformat(timespec="seconds")}
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)  # not os.pwrite, which Windows lacks
    os.write(fd, json.dumps(holder).encode("utf-8"))


def holder(path: Path) -> str:
    """Who holds ``path``, for a message ("process 4242 on host-1 since 2026-…")."""
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        return f"process {info['pid']} on {info['host']} since {info['since']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


@contextmanager
def exclusive(path: Path, *, wait: float, what: str,
              notify: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock ``path`` for the ``with`` block, waiting up to ``wait`` seconds.

    ``what`` names the guarded work in messages ("an ingest into data/processed").
    ``notify`` is called once with a line saying whom we wait for, if we must wait.
    Raises :class:`OutturnError` saying who holds the lock when it stays taken.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(0.0, wait)
        told = False
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise OutturnError(
                    f"{what} is already running ({holder(path)}; lock {path}). "
                    "Wait for it to finish and run again, or pass a longer --wait; "
                    "only one may write at a time.")
            if notify is not None and not told:
                notify(f"Waiting for {what} to finish ({holder(path)}) …")
                told = True
            time.sleep(POLL_SECONDS)
        _record_holder(fd)
        yield
    finally:
        os.close(fd)
