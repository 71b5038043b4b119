"""What a batch worker keeps between reports: a warm kernel and a kept browser.

Every way a batch runs reports — one after another, in a local process pool, or as tasks
on a Dask cluster's workers (:mod:`outturn.report.cluster`) — hands each report to a
:class:`ReportWorker`. Its kernel (with one connected client) and its browser are started
at the first report that needs them and reused for the next, so a report costs its own
work: loading, figures, charts, Word, HTML and printing, not interpreter, kernel or
browser start-up.
"""

from __future__ import annotations

import threading
from typing import Any

from outturn.report.chromium import Printer
from outturn.report.kernel import Kernel
from outturn.report.runner import RunResult, run_report


class ReportWorker:
    """A warm kernel and a kept browser, used by one thread for one report at a time."""

    def __init__(self) -> None:
        self.kernel = Kernel()
        self.printer = Printer()
        self.reports = 0

    def run(self, dept: str, year: int, options: dict[str, Any]) -> RunResult:
        """One report (:func:`~outturn.report.runner.run_report` with ``options``)."""
        self.reports += 1
        return run_report(dept, year, kernel=self.kernel, printer=self.printer, **options)

    def close(self) -> None:
        """Stop the kernel and the browser."""
        self.kernel.shutdown()
        self.printer.close()


class PerThread:
    """One :class:`ReportWorker` per thread that asks (a kernel's client belongs to the
    thread that connected it), all closed together."""

    def __init__(self) -> None:
        self._workers: dict[int, ReportWorker] = {}
        self._lock = threading.Lock()

    def get(self) -> ReportWorker:
        with self._lock:
            worker = self._workers.get(threading.get_ident())
            if worker is None:
                worker = self._workers[threading.get_ident()] = ReportWorker()
            return worker

    def close(self) -> None:
        with self._lock:
            workers, self._workers = list(self._workers.values()), {}
        for worker in workers:
            worker.close()
