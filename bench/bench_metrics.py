"""Benchmark the metrics on a whole processed snapshot (all departments and years).

Run from the repository root, after ``bench/bench_ingest.py`` (which leaves its snapshot
in ``bench/data/work-raw5m/processed``)::

    .venv/bin/python bench/bench_metrics.py
    .venv/bin/python bench/bench_metrics.py --processed bench/data/work-raw100k/processed

Measured:

- loading every processed payment and budget line with ``pyarrow.dataset`` (``year`` and
  ``dept_code`` restored from the hive partition folders, as int64 and str);
- ``budget_vs_actual(budget, payments, by=["year", "dept_code", "unit_code",
  "project_code"])`` over all rows: one warm-up call, then the best of ``--repeat`` (5);
  target < 1 s at 5M payment rows;
- ``monthly_progress`` of one department-year (the first partition), best of 5;
- ``outturn.store.read.load`` of that department-year (opens its own partition only).

Results are printed and written to ``bench/results/metrics-<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
from outturn.metrics import budget_vs_actual, monthly_progress
from outturn.store import read as store

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BY = ["year", "dept_code", "unit_code", "project_code"]
#: Target for budget_vs_actual over all rows, seconds.
MAX_SECONDS = 1.0

PARTITIONING = ds.partitioning(pa.schema([("year", pa.int64()), ("dept_code", pa.string())]),
                               flavor="hive")


def load_table(current: Path, name: str) -> pd.DataFrame:
    """Every row of a partitioned table, partition columns restored as int64 / str."""
    table = ds.dataset(current / name, format="parquet", partitioning=PARTITIONING).to_table()
    frame = table.to_pandas()
    frame["year"] = frame["year"].astype("int64")
    frame["dept_code"] = frame["dept_code"].astype("str")
    return frame


def best_of(func: Callable[[], Any], repeat: int) -> tuple[float, list[float], Any]:
    """One warm-up call, then ``repeat`` timed calls: (best, all times, last result)."""
    result = func()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t0)
    return min(times), times, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processed", type=Path,
                        default=ROOT / "bench" / "data" / "work-raw5m" / "processed")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-results", action="store_true", help="do not write the JSON")
    args = parser.parse_args(argv)
    current = args.processed / "current"
    if not current.exists():
        print(f"{current} not found: run bench/bench_ingest.py first", file=sys.stderr)
        return 2

    load = os.getloadavg()[0]
    if load > 0.5 * (os.cpu_count() or 1):
        print(f"warning: 1-minute load average is {load:.1f} on {os.cpu_count()} CPUs: "
              f"timings will be noisy")
    t0 = time.perf_counter()
    payments = load_table(current, "payments")
    t1 = time.perf_counter()
    budget = load_table(current, "budget")
    t2 = time.perf_counter()
    n = len(payments)
    print(f"snapshot {current.resolve()}: {n:,} payments, {len(budget):,} budget lines")
    print(f"  load payments {t1 - t0:.2f} s ({payments.memory_usage(deep=True).sum() / 1e6:,.0f}"
          f" MB in pandas), budget {t2 - t1:.2f} s")

    bva_best, bva_times, bva = best_of(
        lambda: budget_vs_actual(budget, payments, by=BY), args.repeat)
    print(f"  budget_vs_actual by {BY}: best {bva_best:.3f} s of "
          f"{', '.join(f'{t:.3f}' for t in bva_times)} → {len(bva):,} groups")
    ok_total = int(bva["actual"].sum()) == int(payments["amount"].sum())
    print(f"  {'ok  ' if ok_total else 'FAIL'} actual total equals the payments total")

    year = int(payments["year"].iloc[0]) if n else int(budget["year"].iloc[0])
    dept = sorted(set(budget.loc[budget["year"] == year, "dept_code"]))[0]
    b1 = budget[(budget["year"] == year) & (budget["dept_code"] == dept)]
    p1 = payments[(payments["year"] == year) & (payments["dept_code"] == dept)]
    mp_best, mp_times, mp = best_of(lambda: monthly_progress(b1, p1), args.repeat)
    print(f"  monthly_progress {dept}/{year} ({len(p1):,} payments): best {mp_best:.4f} s "
          f"→ {len(mp)} rows")
    mpu_best, mpu_times, mpu = best_of(lambda: monthly_progress(b1, p1, by=["unit_code"]),
                                       args.repeat)
    print(f"  monthly_progress {dept}/{year} by unit_code: best {mpu_best:.4f} s "
          f"→ {len(mpu)} rows")
    load_best, load_times, one = best_of(
        lambda: store.load(dept, year, args.processed), args.repeat)
    print(f"  store.load {dept}/{year}: best {load_best:.3f} s → {len(one.payments):,} payments")

    passed = bva_best < MAX_SECONDS
    print(f"\ntargets\n  {'PASS' if passed else 'FAIL'} budget_vs_actual over {n:,} rows "
          f"< {MAX_SECONDS:.0f} s ({bva_best:.3f} s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  (peak RSS of this process: {peak:,.0f} MB)")

    if not args.no_results:
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"metrics-{dt.date.today().isoformat()}.json"
        out.write_text(json.dumps({
            "benchmark": "metrics", "when": dt.datetime.now().isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                        "python": platform.python_version(), "pandas": pd.__version__,
                        "pyarrow": pa.__version__},
            "snapshot": str(current.resolve()), "payments_rows": n, "budget_rows": len(budget),
            "load_seconds": {"payments": t1 - t0, "budget": t2 - t1},
            "budget_vs_actual": {"by": BY, "best": bva_best, "times": bva_times,
                                 "groups": len(bva), "actual_total_ok": ok_total},
            "monthly_progress": {"dept_code": dept, "year": year, "payments": len(p1),
                                 "best": mp_best, "times": mp_times},
            "monthly_progress_by_unit": {"best": mpu_best, "times": mpu_times},
            "store_load": {"best": load_best, "times": load_times},
            "target_seconds": MAX_SECONDS, "passed": passed, "peak_rss_mb": peak,
            "loadavg_1min": {"before": load, "after": os.getloadavg()[0]},
        }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"\nresults written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
