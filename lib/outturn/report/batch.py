"""Run many department reports of a year in worker processes, then write the index page.

Each worker keeps one Jupyter kernel and one browser warm
(:class:`~outturn.report.worker.ReportWorker`) and runs one report at a time: in this
process (``jobs=1``), in a local process pool, or as tasks on a Dask cluster
(``scheduler``, :mod:`outturn.report.cluster`); a department that fails is recorded with the failing
cell's error and the others go on. Reports whose inputs have not changed are skipped
unless ``force``. Every report is published atomically, so a batch killed at any point
is completed by running it again.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from outturn.problems import OutturnError
from outturn.report.index import write_index
from outturn.report.paths import DEFAULT_OUTPUTS, year_folder
from outturn.report.runner import RunResult, clean_stale
from outturn.report.worker import ReportWorker
from outturn.scoring.rules import DEFAULT_RULE_SET
from outturn.store.layout import DEFAULT_PROCESSED
from outturn.store.read import available_years, departments

_WORKER: ReportWorker | None = None


def departments_for(year: int, processed_dir: Path | str, wanted: Sequence[str] | None = None) -> list[str]:
    """Codes of the departments to report on: those asked for (codes or names), else
    every department with data for ``year``."""
    if wanted:
        return [str(d) for d in wanted]
    codes = departments(processed_dir)["dept_code"].astype(str).unique().tolist()
    found = sorted(c for c in codes if int(year) in available_years(c, processed_dir))
    if not found:
        years = sorted({y for c in codes for y in available_years(c, processed_dir)})
        have = "、".join(str(y) for y in years) if years else "none"
        raise OutturnError(f"no department has data for {year} in {processed_dir} "
                           f"(years with data: {have}); ingest that year's ledgers first "
                           "or choose another --year")
    return found


def _init_worker() -> None:
    global _WORKER
    _WORKER = ReportWorker()
    atexit.register(_WORKER.close)


def _work(dept: str, year: int, options: dict[str, Any]) -> dict[str, Any]:
    assert _WORKER is not None
    return _WORKER.run(dept, year, options).as_dict()


def run_batch(year: int, depts: Sequence[str] | None = None, *, jobs: int | None = None,
              processed_dir: Path | str = DEFAULT_PROCESSED, output_root: Path | str = DEFAULT_OUTPUTS,
              rules: str = DEFAULT_RULE_SET, denominator: str = "adjusted", force: bool = False,
              pdf: bool | None = None, generated: str = "", progress: bool = True,
              scheduler: str | None = None) -> list[RunResult]:
    """Reports for ``depts`` (default: all with data) in ``year``; returns one result each,
    in department order, and writes ``<output_root>/<year>/index.html``.

    ``scheduler``: run them as tasks on that Dask cluster (``local:N`` starts one here;
    :mod:`outturn.report.cluster`) instead of ``jobs`` local worker processes.
    """
    if jobs is not None and jobs < 1:
        raise OutturnError(f"jobs must be at least 1, not {jobs}")
    processed_dir, output_root = Path(processed_dir).resolve(), Path(output_root).resolve()
    codes = departments_for(year, processed_dir, depts)
    clean_stale(year_folder(output_root, year))
    options = {"processed_dir": processed_dir, "output_root": output_root, "rules": rules,
               "denominator": denominator, "force": force, "pdf": pdf, "generated": generated}
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(codes) or 1))
    if scheduler is not None:
        from outturn.cluster import parse_scheduler
        from outturn.report.cluster import run_on_cluster

        parse_scheduler(scheduler)  # a bad address fails before any cluster starts
        with _bar(len(codes), progress) as bar:
            results = run_on_cluster(codes, year, options, scheduler, bar)
        clean_stale(year_folder(output_root, year))  # what a killed worker left
    elif jobs == 1:
        results = _run_serial(codes, year, options, progress)
    else:
        results = _run_pool(codes, year, options, jobs, progress)
    order = {c: i for i, c in enumerate(codes)}
    results.sort(key=lambda r: order.get(r.dept_code, len(order)))
    write_index(output_root, int(year), results, _names(processed_dir))
    return results


def _bar(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, disable=not enabled, unit="份", desc="报告", dynamic_ncols=True)


def _run_serial(codes: Iterable[str], year: int, options: dict[str, Any], progress: bool) -> list[RunResult]:
    codes = list(codes)
    worker = ReportWorker()
    out = []
    try:
        with _bar(len(codes), progress) as bar:
            for code in codes:
                out.append(worker.run(code, year, options))
                bar.update()
    finally:
        worker.close()
    return out


def _run_pool(codes: list[str], year: int, options: dict[str, Any], jobs: int,
              progress: bool) -> list[RunResult]:
    out = []
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker) as pool, \
            _bar(len(codes), progress) as bar:
        futures = {pool.submit(_work, code, year, options): code for code in codes}
        for future in as_completed(futures):
            code = futures[future]
            try:
                out.append(RunResult(**future.result()))
            except Exception as exc:  # a worker died: record it, keep the others
                out.append(RunResult(code, "", int(year), "failed",
                                     error=f"worker process failed: {type(exc).__name__}: {exc}"))
            bar.update()
    return out


def _names(processed_dir: Path) -> dict[str, str]:
    frame = departments(processed_dir)
    return dict(zip(frame["dept_code"].astype(str), frame["dept_name"].astype(str), strict=True))


def format_results(results: Sequence[RunResult]) -> str:
    """The final table: one line per department, failures with their error."""
    lines = [f"{'部门':<8}{'状态':<6}{'用时(秒)':>9}  说明"]
    status = {"done": "完成", "skipped": "跳过", "failed": "失败"}
    for r in results:
        note = r.error if r.status == "failed" else (
            f"支出 {r.headline.get('total_spending', '—')} 万元，"
            f"执行率 {r.headline.get('execution_rate', '—')}，"
            f"得分 {r.headline.get('score', '—')}（{r.headline.get('grade', '—')}）"
            + ("，未变化" if r.status == "skipped" else ""))
        lines.append(f"{r.dept_code:<8}{status.get(r.status, r.status):<6}{r.seconds:>9.1f}  "
                     f"{r.dept_name} {note}")
    done = sum(r.status == "done" for r in results)
    skipped = sum(r.status == "skipped" for r in results)
    failed = sum(r.status == "failed" for r in results)
    lines.append(f"完成 {done}，跳过 {skipped}，失败 {failed}")
    return "\n".join(lines)
