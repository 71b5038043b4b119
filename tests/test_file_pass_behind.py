"""The first pass's checks and writes, one batch behind the normalising: in order, one at
a time, their errors raised, and nothing left running when the pass stops."""

from __future__ import annotations

import threading
import time

import pytest
from outturn.ingest.file_pass import _Behind


def test_batches_are_taken_in_order_one_at_a_time() -> None:
    taken: list[int] = []
    busy = threading.Lock()

    def take(n: int) -> None:
        assert busy.acquire(blocking=False), "two batches taken at once"
        time.sleep(0.002)
        taken.append(n)
        busy.release()

    with _Behind(take) as behind:
        for n in range(20):
            behind.submit(n)
    assert taken == list(range(20))


def test_an_error_of_the_last_batch_is_raised_on_leaving() -> None:
    def take(n: int) -> None:
        if n == 2:
            raise ValueError("disk full")

    with pytest.raises(ValueError, match="disk full"):
        with _Behind(take) as behind:
            for n in range(3):
                behind.submit(n)


def test_an_error_of_a_batch_is_raised_by_the_next_submit() -> None:
    submitted: list[int] = []

    def take(n: int) -> None:
        if n == 0:
            raise ValueError("bad batch")

    with pytest.raises(ValueError, match="bad batch"):
        with _Behind(take) as behind:
            for n in range(5):
                behind.submit(n)
                submitted.append(n)
    assert submitted == [0]


def test_when_the_caller_fails_the_batch_being_taken_finishes_first_and_the_callers_error_stands() -> None:
    finished = threading.Event()

    def take(n: int) -> None:
        time.sleep(0.05)
        finished.set()
        raise OSError("the take's own error comes second")

    with pytest.raises(KeyError):
        with _Behind(take) as behind:
            behind.submit(1)
            raise KeyError("normalise failed")
    assert finished.is_set()
