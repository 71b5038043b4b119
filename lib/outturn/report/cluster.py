"""``outturn batch --scheduler``: the year's reports as tasks on a Dask cluster.

Each report is one task. A worker plugin (:class:`ReportWorkers`) gives every Dask worker
its own :class:`~outturn.report.worker.ReportWorker` — a warm kernel and a kept browser,
started at its first report and reused for the next — so a task costs the report's own
work, as in the local process pool. A task runs :func:`~outturn.report.runner.run_report`,
which builds the report in a staging folder and publishes it whole, and skips a report
whose inputs have not changed; so the cluster adds no new way to be half-written:

- a worker killed in the middle of a report leaves only its staging folder (cleared by
  the next batch, and at the end of this one); the scheduler gives the task to another
  worker, which builds the report again from the start;
- a lost scheduler ends the batch with the unfinished reports marked failed and said so;
  the next run skips every report that was published and completes the rest.

The processed store and the outputs folder must be the same paths on every worker.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from distributed import as_completed, get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from outturn.cluster import connect
from outturn.report.runner import RunResult
from outturn.report.worker import PerThread

#: The plugin's name on every worker.
PLUGIN_NAME = "outturn-report-workers"


class ReportWorkers(WorkerPlugin):
    """A Dask worker plugin: one warm report worker per worker thread, closed with it.

    Registered by every batch; a worker that has it already keeps its warm workers
    (``idempotent``), and a worker that joins later gets it from the scheduler."""

    name = PLUGIN_NAME
    idempotent = True

    def __init__(self) -> None:
        self.pool: PerThread | None = None

    def setup(self, worker: Any) -> None:
        self.pool = PerThread()

    def teardown(self, worker: Any) -> None:
        if self.pool is not None:
            self.pool.close()


def report_task(dept: str, year: int, options: dict[str, Any]) -> dict[str, Any]:
    """One report on the worker that runs this task (its plugin's warm worker)."""
    plugin = get_worker().plugins.get(PLUGIN_NAME)
    if not isinstance(plugin, ReportWorkers) or plugin.pool is None:
        raise RuntimeError(f"the worker has no {PLUGIN_NAME} plugin: outturn's batch registers "
                           "it; is outturn the same version on every worker?")
    return plugin.pool.get().run(dept, year, options).as_dict()


def run_on_cluster(codes: Sequence[str], year: int, options: dict[str, Any], scheduler: str,
                   bar: Any) -> list[RunResult]:
    """Every report of ``codes`` as a task on the cluster ``scheduler`` names; one result
    each, a failed one for a task the cluster could not finish (see the module docstring)."""
    out: list[RunResult] = []
    with connect(scheduler) as client:
        client.register_plugin(ReportWorkers(), name=PLUGIN_NAME)
        batch = uuid.uuid4().hex[:8]  # a key of this batch's own: never another's result
        futures = {client.submit(report_task, code, int(year), options, pure=False,
                                 key=f"outturn-report-{int(year)}-{code}-{batch}"): code
                   for code in codes}
        done: set[str] = set()
        try:
            for future in as_completed(futures):
                code = futures[future]
                out.append(_result(future, code, year))
                done.add(code)
                bar.update()
        except Exception as exc:  # the scheduler (or the connection to it) is gone
            for code in codes:
                if code not in done:
                    out.append(_unfinished(code, year, "the Dask scheduler was lost", exc))
                    bar.update()
    return out


def _result(future: Any, code: str, year: int) -> RunResult:
    """The task's result, or a failed result naming why the cluster could not finish it."""
    try:
        return RunResult(**future.result())
    except Exception as exc:  # KilledWorker (killed too often), cancelled by a lost scheduler …
        return _unfinished(code, year, "the Dask cluster did not finish this report", exc)


def _unfinished(code: str, year: int, what: str, exc: BaseException) -> RunResult:
    return RunResult(code, "", int(year), "failed", error=(
        f"{what} ({type(exc).__name__}: {exc}); run the batch again: published reports are "
        "skipped and the rest are built"))
