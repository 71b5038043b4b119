"""Where the tasks of an ingest run: in this process, or on a Dask cluster's workers.

The batch path (:mod:`outturn.ingest.stream`) is cut into tasks that each write under
their own folder of the staging snapshot and return a small result: the first pass of
each payments file, the repeats of each voucher bucket, the second pass of each group of
department-years. :class:`InProcess` runs them here, on as many threads as the machine
has cores (most of a task's work is in Arrow, Parquet and numpy, which release the GIL);
:class:`OnCluster` hands them to a :class:`distributed.Client`. Either way the results
come back in the order the tasks were given, and the ingest puts them together the same
way, so the snapshot is the same bytes wherever and however the tasks ran.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from outturn.problems import OutturnError


class Tasks(Protocol):
    """Runs ``fn`` on each item and returns the results in the items' order."""

    #: Whether each task must start from state of its own: tasks that run at the same time,
    #: or in other processes (which get copies, not the caller's objects).
    isolated: bool

    def map(self, fn: Callable[..., Any], items: Sequence[Any], *shared: Any,
            name: str) -> list[Any]:
        """``[fn(item, *shared) for item in items]``; ``name`` names the tasks."""
        ...


class InProcess:
    """Every task in this process (the single-machine ingest): on ``workers`` threads (by
    default one per core), or one after another with ``workers=1``."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers if workers is not None else os.cpu_count() or 1)

    @property
    def isolated(self) -> bool:
        return self.workers > 1

    def map(self, fn: Callable[..., Any], items: Sequence[Any], *shared: Any,
            name: str) -> list[Any]:
        if self.workers == 1 or len(items) < 2:
            return [fn(item, *shared) for item in items]
        with ThreadPoolExecutor(max_workers=min(self.workers, len(items)),
                                thread_name_prefix=f"outturn-ingest-{name}") as pool:
            # the results in the items' order; a failed task's error raised at its turn
            return list(pool.map(lambda item: fn(item, *shared), items))


class IngestClusterError(OutturnError):
    """The cluster stopped before every task of the ingest was done."""


class OnCluster:
    """Every task on the workers of a Dask cluster (``outturn ingest --scheduler``).

    What all tasks share (``shared``: the departments, the budget) is sent to the workers
    once, not with every task. A task whose worker dies is run again by the scheduler on
    another worker (a task clears its own folder first). If the scheduler itself is lost
    the ingest stops; nothing is published, and running it again starts afresh.
    """

    isolated = True

    def __init__(self, client: Any) -> None:
        self.client = client
        self.run = uuid.uuid4().hex[:12]

    def map(self, fn: Callable[..., Any], items: Sequence[Any], *shared: Any,
            name: str) -> list[Any]:
        if not items:
            return []
        try:
            # in a list of one: scatter would send a set or a list item by item
            sent = [self.client.scatter([value], broadcast=True, hash=False)[0]
                    for value in shared]
            futures = self.client.map(fn, list(items), *[[s] * len(items) for s in sent],
                                      key=[f"outturn-ingest-{name}-{self.run}-{i}"
                                           for i in range(len(items))], pure=False)
            return self.client.gather(futures)
        except Exception as exc:
            if _cluster_failure(exc):
                raise IngestClusterError(
                    f"the Dask cluster could not finish the ingest's {name} tasks "
                    f"({type(exc).__name__}: {exc}); nothing was published: check the "
                    "scheduler and its workers, and run the ingest again") from exc
            raise  # a task's own error, raised as it would be here


def _cluster_failure(exc: BaseException) -> bool:
    """Whether ``exc`` says the cluster failed (a lost scheduler or connection, a task
    whose workers kept dying), not the task's own work."""
    import asyncio
    import concurrent.futures

    return isinstance(exc, (TimeoutError, asyncio.CancelledError,
                            concurrent.futures.CancelledError)) \
        or type(exc).__module__.split(".")[0] == "distributed"
