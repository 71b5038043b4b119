"""How close a warm batch worker comes to the report's own work, and what a report costs.

Run from the repository root (after ``outturn ingest``)::

    .venv/bin/python bench/bench_report_floor.py                 # department 115, 2022, 5 rounds
    .venv/bin/python bench/bench_report_floor.py --dept 124 --rounds 8 --json /tmp/floor.json

In one process, alternating round by round after one warm-up of each:

- **in-process work**: what a report does, called directly: load the department-year,
  build the figures, draw the charts, write the Word file and the other companions
  (workbook, CSV, summary), render the HTML sections and export the leadership HTML;
- **warm worker**: the same report through :class:`outturn.report.worker.ReportWorker`
  (papermill parameters, the notebook run in the worker's warm kernel with its one
  client, nbconvert, the atomic publish), without a PDF;
- **warm worker with PDF**: the same with the PDF printed by the worker's kept browser;
- **fresh browser PDF**: the PDF of that HTML printed by a browser started for it, as
  every report did before browsers were kept.

It prints the best (least disturbed) round of each, the in-process breakdown, and the
ratio warm worker / in-process work (target ≤ 1.3). For the capacity model of
docs/scale.md it also measures, per warm report: the CPU seconds of the worker and its
kernel together (from ``/proc``); the bytes it reads from the processed store (the files
of the years the report reads, and the departments table: what a worker pulls over a
shared filesystem); and all the kernel's ``read`` calls (``rchar``), page cache included
(they were mostly FreeType reading glyph outlines from the chart font, about 100 MB a
report, until the charts' canvas read its fonts from a memory map:
:mod:`outturn.report.chart_canvas`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Target: a warm worker's report within this factor of its own in-process work.
MAX_RATIO = 1.3
GENERATED = "2023-03-31"
_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one live process."""
    with open(f"/proc/{pid}/stat", "rb") as fh:
        fields = fh.read().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds of ``root`` and every live descendant (kernel, browser, renderers),
    each with the CPU of the children it has reaped (a closed tab's renderer), so a
    process that ended inside a measured window is counted once, by its parent."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = sum(int(f) for f in fields[11:15]) / _TICK
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


def _read_bytes(pid: int) -> int:
    """Bytes the process has read through read() calls (``rchar``), page cache included."""
    with open(f"/proc/{pid}/io", encoding="ascii") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("rchar:"))


def store_bytes(dept: str, year: int, processed: Path) -> int:
    """Bytes of the store files one report reads (as its skip hash lists them)."""
    from outturn.report.build import years_read
    from outturn.store.layout import DEPARTMENTS_FILE, department_year_files
    from outturn.store.snapshot import current_path

    folder = current_path(processed)
    assert folder is not None
    files = [folder / DEPARTMENTS_FILE]
    for y in years_read(dept, year, processed):
        files += department_year_files(folder, dept, y)
    return sum(sum(p.stat().st_size for p in ([f] if f.is_file() else f.rglob("*") if f.is_dir() else []))
               for f in files)


def in_process(dept: str, year: int, processed: Path, out: Path) -> dict[str, float]:
    """The report's own work, called directly; seconds per step."""
    import nbformat
    from outturn.report import html
    from outturn.report.build import build_report, load_inputs
    from outturn.report.companions import write_companions
    from outturn.report.export import notebook_html
    from outturn.report.model import Chart, report_title

    steps: dict[str, float] = {}
    t = time.perf_counter()
    inputs = load_inputs(dept, year, processed, "hunan-dept-overall", "adjusted")
    steps["load"] = time.perf_counter() - t
    t = time.perf_counter()
    report = build_report(inputs, generated=date.fromisoformat(GENERATED))
    steps["figures"] = time.perf_counter() - t
    t = time.perf_counter()
    for section in report.sections:
        for block in section.walk():
            if isinstance(block, Chart):
                _ = block.png
    steps["charts"] = time.perf_counter() - t
    t = time.perf_counter()
    shutil.rmtree(out, ignore_errors=True)
    write_companions(report, inputs, out)
    steps["word + companions"] = time.perf_counter() - t
    t = time.perf_counter()
    counter = {"table": 0, "chart": 0}
    parts = [html.cover(report)] + [html.section(s, counter) for s in report.sections]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": part})]) for part in parts])
    (out / "report.html").write_text(notebook_html(nb, report_title(report.dept_name, year)),
                                     encoding="utf-8")
    steps["html"] = time.perf_counter() - t
    steps["total"] = sum(steps.values())
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dept", default="115")
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--processed", type=Path, default=ROOT / "data" / "processed")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF measurements")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "lib"))
    from outturn.report.chromium import find_chromium, html_to_pdf
    from outturn.report.worker import ReportWorker

    pdf = not args.no_pdf and find_chromium() is not None
    work = Path(tempfile.mkdtemp(prefix="outturn-floor-"))
    processed = args.processed.resolve()
    worker = ReportWorker()
    options = {"processed_dir": processed, "output_root": work / "out", "force": True,
               "generated": GENERATED}
    runs: dict[str, list[float]] = {"in-process work": [], "warm worker": []}
    if pdf:
        runs |= {"warm worker with PDF": [], "fresh browser PDF": [], "kept browser PDF": []}
    steps: list[dict[str, float]] = []
    cpu: list[float] = []
    cpu_pdf: list[float] = []
    read: list[int] = []
    try:
        for i in range(args.rounds + 1):  # round 0 warms everything up and is not counted
            s = in_process(args.dept, args.year, processed, work / "inproc")
            t = time.perf_counter()
            kernel_pid = worker.kernel.km.provisioner.pid if worker.kernel.km is not None else None
            before = (_cpu_seconds(os.getpid()) + (_cpu_seconds(kernel_pid) if kernel_pid else 0),
                      _read_bytes(kernel_pid) if kernel_pid else 0)
            result = worker.run(args.dept, args.year, {**options, "pdf": False})
            warm = time.perf_counter() - t
            if result.status != "done":
                raise SystemExit(f"the report failed: {result.error}")
            kernel_pid = worker.kernel.km.provisioner.pid
            if i:
                runs["in-process work"].append(s["total"])
                steps.append(s)
                runs["warm worker"].append(warm)
                if before[1]:
                    cpu.append(_cpu_seconds(os.getpid()) + _cpu_seconds(kernel_pid) - before[0])
                    read.append(_read_bytes(kernel_pid) - before[1])
            if pdf:
                t, cpu_before = time.perf_counter(), tree_cpu_seconds(os.getpid())
                worker.run(args.dept, args.year, {**options, "pdf": True})
                with_pdf = time.perf_counter() - t
                if i:
                    cpu_pdf.append(tree_cpu_seconds(os.getpid()) - cpu_before)
                html_file = Path(result.folder) / "report.html"
                t = time.perf_counter()
                html_to_pdf(html_file, work / "fresh.pdf")
                fresh = time.perf_counter() - t
                t = time.perf_counter()
                worker.printer.print_pdf(html_file, work / "kept.pdf")
                kept = time.perf_counter() - t
                if i:
                    runs["warm worker with PDF"].append(with_pdf)
                    runs["fresh browser PDF"].append(fresh)
                    runs["kept browser PDF"].append(kept)
            print(f"round {i}{' (warm-up)' if not i else ''}: in-process {s['total']:.2f} s, "
                  f"warm worker {warm:.2f} s", flush=True)
    finally:
        worker.close()
        shutil.rmtree(work, ignore_errors=True)

    best = {name: min(values) for name, values in runs.items()}
    best_steps = min(steps, key=lambda s: s["total"])
    ratio = best["warm worker"] / best["in-process work"]
    print(f"\ndepartment {args.dept}, {args.year}: best of {args.rounds} rounds "
          f"(load average {os.getloadavg()[0]:.2f})\n")
    print("| measurement | best s | all rounds (s) |\n|---|---:|---|")
    for name, values in runs.items():
        print(f"| {name} | {best[name]:.2f} | {', '.join(f'{v:.2f}' for v in values)} |")
    print("\nin-process breakdown (best round): "
          + ", ".join(f"{k} {v:.2f} s" for k, v in best_steps.items()))
    verdict = "PASS" if ratio <= MAX_RATIO else "FAIL"
    print(f"warm worker / in-process work: {ratio:.2f}× (target ≤ {MAX_RATIO}×: {verdict})")
    stored = store_bytes(args.dept, args.year, processed)
    if cpu:
        print(f"per warm report: CPU {min(cpu):.2f} s (worker + kernel, best round); "
              f"read from the store {stored / 1e3:.1f} kB; kernel read() calls "
              f"{sum(read) / len(read) / 1e6:.1f} MB (rchar, mean, page cache included)")
    if cpu_pdf:
        print(f"per warm report with PDF: CPU {min(cpu_pdf):.2f} s (worker, kernel and browser, best round)")
    if args.json:
        args.json.write_text(json.dumps({
            "benchmark": "report-floor", "dept": args.dept, "year": args.year, "runs": runs,
            "best": best, "steps": steps, "ratio": ratio, "target": MAX_RATIO,
            "cpu_seconds_per_report": cpu, "kernel_read_bytes_per_report": read,
            "store_bytes_per_report": stored, "cpu_seconds_per_report_with_pdf": cpu_pdf,
            "loadavg_1min": os.getloadavg()[0]}, indent=2), encoding="utf-8")
    return 0 if ratio <= MAX_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
