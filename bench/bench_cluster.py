"""Reports on a Dask cluster against the local process pool, and what one task costs.

Run from the repository root::

    .venv/bin/python bench/bench_cluster.py                       # 200 departments, 2 workers
    .venv/bin/python bench/bench_cluster.py --departments 20 --repeat 1   # a quick try

Two measurements, alternated ``--repeat`` times (the best run of each is reported), on
``--departments`` department-years cloned from the sample by
``bench/make_many_departments.py`` (built under ``--data`` when missing):

- **pool**: ``outturn batch --jobs W --no-pdf --force`` (W local worker processes);
- **cluster**: ``outturn batch --scheduler local:W --no-pdf --force`` (a LocalCluster of W
  worker processes, started and stopped inside the timed command).

Both are whole commands, start-up, cluster start and index page included. Target: the
cluster's reports per minute at least 0.9× the pool's. Then, for the capacity model of
docs/scale.md, the **per-task overhead** of the scheduler on a LocalCluster of W workers:
``--tasks`` trivial tasks submitted at once (scheduler and transfer cost per task at
throughput) and 100 submitted one after another (the round trip of one task).
"""

from __future__ import annotations

import argparse
import json
import operator
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_many_departments as many

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
DEFAULT_DATA = Path("/tmp/outturn-bench/many200")
DEFAULT_WORK = Path("/tmp/outturn-bench/cluster-work")
GENERATED = "2026-11-26"
#: Target: the cluster makes at least this share of the pool's reports per minute.
MIN_RATIO = 0.9


def timed_batch(year: int, processed: Path, out: Path, mode: list[str]) -> dict[str, Any]:
    """One ``outturn batch`` into an empty folder: seconds, exit status, failures."""
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    done = subprocess.run([str(BIN / "outturn"), "batch", "--year", str(year), "--processed", str(processed),
                           "--out", str(out), "--no-pdf", "--force", "--date", GENERATED, *mode],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t
    tail = done.stdout.strip().splitlines()[-2:-1]
    return {"seconds": seconds, "returncode": done.returncode, "summary": tail[0] if tail else "",
            "error": done.stderr.strip().splitlines()[-1:] if done.returncode else []}


def task_overhead(workers: int, tasks: int) -> dict[str, float]:
    """Seconds per trivial task on a LocalCluster of ``workers``: at throughput and one by one."""
    from distributed import Client, LocalCluster, wait

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster, Client(cluster) as client:
        client.submit(operator.neg, 0, pure=False).result()  # connections made
        t = time.perf_counter()
        wait(client.map(operator.neg, range(tasks), pure=False))
        bulk = (time.perf_counter() - t) / tasks
        t = time.perf_counter()
        for i in range(100):
            client.submit(operator.neg, i, pure=False).result()
        one = (time.perf_counter() - t) / 100
    return {"per_task_at_throughput_s": bulk, "round_trip_s": one, "tasks": tasks, "workers": workers}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--departments", type=int, default=200)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    data = args.data.resolve()
    meta = json.loads((data / "many.json").read_text()) if (data / "many.json").is_file() else {}
    if meta.get("departments") != args.departments or meta.get("year") != args.year:
        meta = many.build(data, args.departments, args.year)
    processed = data / "processed"
    modes = {"pool": ["--jobs", str(args.workers)], "cluster": ["--scheduler", f"local:{args.workers}"]}
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in modes}
    print(f"{args.departments} department-years of {args.year}, {args.workers} workers, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}", flush=True)
    for i in range(args.repeat):
        for name, mode in modes.items():
            r = timed_batch(args.year, processed, args.work.resolve() / name, mode)
            runs[name].append(r)
            print(f"  run {i + 1}/{args.repeat}: {name} {r['seconds']:.1f} s, exit {r['returncode']}, "
                  f"{r['summary']} {' '.join(r['error'])}", flush=True)
    best = {name: min(r["seconds"] for r in rs) for name, rs in runs.items()}
    rpm = {name: args.departments / s * 60 for name, s in best.items()}
    ratio = rpm["cluster"] / rpm["pool"]
    ok = all(r["returncode"] == 0 for rs in runs.values() for r in rs)
    print("\n| measurement | best wall time | reports/min | all runs (s) |\n|---|---:|---:|---|")
    for name, mode in modes.items():
        seconds = ", ".join(f"{r['seconds']:.1f}" for r in runs[name])
        print(f"| `outturn batch {' '.join(mode)}` | {best[name]:.1f} s | {rpm[name]:.1f} | {seconds} |")
    verdict = "PASS" if ok and ratio >= MIN_RATIO else "FAIL"
    print(f"\ncluster / pool throughput: {ratio:.3f}× (target ≥ {MIN_RATIO}×: {verdict})")
    overhead = task_overhead(args.workers, args.tasks)
    print(f"scheduler overhead on LocalCluster({args.workers}): "
          f"{overhead['per_task_at_throughput_s'] * 1000:.2f} ms per task at throughput "
          f"({args.tasks} trivial tasks), {overhead['round_trip_s'] * 1000:.1f} ms round trip of one task")
    if args.json:
        args.json.write_text(json.dumps({"benchmark": "cluster", "departments": args.departments,
                                         "workers": args.workers, "runs": runs, "best": best,
                                         "reports_per_minute": rpm, "ratio": ratio, "target": MIN_RATIO,
                                         "overhead": overhead, "loadavg_1min": os.getloadavg()[0]},
                                        indent=2), encoding="utf-8")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
