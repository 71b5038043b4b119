"""Where does ``outturn.ingest.run.ingest`` spend its time and memory? A stage-by-stage breakdown.

Run from the repository root (after ``bench/make_large_ledger.py``)::

    .venv/bin/python bench/profile_ingest.py                       # bench/data/raw5m
    .venv/bin/python bench/profile_ingest.py --raw bench/data/raw100k

The real ``ingest()`` runs unchanged; the outturn functions listed in ``STAGES`` are
wrapped at run time (every module reference to them is replaced, nothing is edited on
disk) to record calls, inclusive and self seconds, and resident memory: RSS when the
stage starts, and the peak while it runs (sampled every 5 ms from /proc/self/statm).
Self time is the stage's time minus that of the wrapped stages it called, so
unwrapped work (DataFrame copies, masks, concatenation) shows up in its caller.

The overhead is a few microseconds per wrapped call, unlike cProfile's per-Python-call
cost, so the seconds are close to an unprofiled run. For line-level detail use py-spy::

    .venv/bin/pip install py-spy
    .venv/bin/py-spy record --idle -r 50 -f raw -o bench/results/ingest.txt -- \\
        .venv/bin/python bench/profile_ingest.py --no-wrap

(``--idle`` so that time in pyarrow/numpy code that released the GIL is counted.)
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: ``module:function`` of each stage to time, in pipeline order. Names that the current
#: outturn does not have (lib/ changes) are skipped with a note.
STAGES = (
    "outturn.ingest.collect:collect",
    "outturn.ingest.collect:discover",
    "outturn.ingest.collect:read_file",
    "outturn.ingest.readers:read_raw",
    "outturn.ingest.readers:detect_encoding",
    "outturn.ingest.normalise:normalise",
    "outturn.ingest.normalise:map_headers",
    "outturn.ingest.totals:empty_rows",
    "outturn.ingest.totals:find_total_rows",
    "outturn.ingest.parsing:parse_amounts",
    "outturn.ingest.parsing:parse_codes",
    "outturn.ingest.parsing:parse_dates",
    "outturn.ingest.parsing:parse_years",
    "outturn.ingest.parsing:parse_numbers",
    "outturn.ingest.parsing:clean_text",
    "outturn.ingest.fields:canonical",
    "outturn.ingest.fields:parse_field",
    "outturn.ingest.fields:parse_categorical",
    "outturn.ingest.normalise:_fill_defaults",
    "outturn.ingest.normalise:_derive",
    "outturn.ingest.normalise:_fill_for_rules",
    "outturn.ingest.validate:check_rules",
    "outturn.ingest.totals:check_totals",
    "outturn.ingest.collect:_concat",
    "outturn.ingest.crosscheck:concat_rejected",
    "outturn.ingest.crosscheck:cross_check",
    "outturn.ingest.crosscheck:check_org_codes",
    "outturn.ingest.crosscheck:_check_vouchers",
    "outturn.ingest.crosscheck:_check_class_codes",
    "outturn.ingest.crosscheck:_match_budget",
    "outturn.keys:composite_keys",
    "outturn.ingest.crosscheck:_reject",
    "outturn.ingest.run:data_version",
    "outturn.ingest.reconcile:reconcile",
    "outturn.ingest.run:write",
    "outturn.ingest.run:_write_partitioned",
    "outturn.ingest.run:_write_csv",
    "outturn.problems:problems_frame",
    "outturn.store.snapshot:publish",
)

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE / 2**20


@dataclass
class Stat:
    """One stage at one place in the call tree (``path``: the wrapped callers, then it)."""

    path: tuple[str, ...]
    calls: int = 0
    seconds: float = 0.0
    child_seconds: float = 0.0
    rss_start_mb: float = 0.0
    peak_mb: float = 0.0
    children: dict[tuple[str, ...], None] = field(default_factory=dict)


class Recorder:
    """Timing and memory of wrapped functions, with a sampler thread for peak RSS."""

    def __init__(self, interval: float = 0.005) -> None:
        self.stats: dict[tuple[str, ...], Stat] = {}
        self.stack: list[tuple[Stat, float]] = []
        self.lock = threading.Lock()
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(interval,), daemon=True)

    def _sample(self, interval: float) -> None:
        while not self._stop.is_set():
            now = rss_mb()
            with self.lock:
                self.peak = max(self.peak, now)
                for stat, _ in self.stack:
                    stat.peak_mb = max(stat.peak_mb, now)
            time.sleep(interval)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def wrap(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            path = (*self.stack[-1][0].path, name) if self.stack else (name,)
            stat = self.stats.setdefault(path, Stat(path))
            if self.stack:
                self.stack[-1][0].children[path] = None
            now = rss_mb()
            with self.lock:
                if stat.calls == 0:
                    stat.rss_start_mb = now
                stat.peak_mb = max(stat.peak_mb, now)
                self.stack.append((stat, 0.0))
            t0 = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - t0
                with self.lock:
                    _, child = self.stack.pop()
                    stat.calls += 1
                    stat.seconds += elapsed
                    stat.child_seconds += child
                    if self.stack:
                        parent, acc = self.stack[-1]
                        self.stack[-1] = (parent, acc + elapsed)
        return wrapper


def install(recorder: Recorder) -> None:
    """Replace every reference to each stage function in the outturn modules."""
    import outturn.ingest.run  # noqa: F401  (imports the whole pipeline)

    modules = [m for name, m in sorted(sys.modules.items())
               if name == "outturn" or name.startswith("outturn.")]
    for spec in STAGES:
        mod_name, func_name = spec.split(":")
        original = getattr(importlib.import_module(mod_name), func_name, None)
        if original is None:
            print(f"note: {spec} not found, not timed")
            continue
        wrapped = recorder.wrap(f"{mod_name.removeprefix('outturn.')}.{func_name}", original)
        for module in modules:
            for attr, value in list(vars(module).items()):
                if value is original:
                    setattr(module, attr, wrapped)


def report(recorder: Recorder, total: float) -> list[dict[str, Any]]:
    """Print the stages as a call tree; return them as rows."""
    rows: list[dict[str, Any]] = []
    roots = [s for s in recorder.stats.values() if len(s.path) == 1]
    print(f"{'stage':<46}{'calls':>6}{'incl s':>9}{'self s':>9}{'% total':>8}"
          f"{'RSS in':>9}{'peak MB':>9}")

    def show(stat: Stat) -> None:
        self_s = stat.seconds - stat.child_seconds
        depth = len(stat.path) - 1
        rows.append({"stage": stat.path[-1], "path": list(stat.path), "calls": stat.calls,
                     "seconds": stat.seconds, "self_seconds": self_s,
                     "rss_start_mb": stat.rss_start_mb, "peak_mb": stat.peak_mb})
        print(f"{'  ' * depth + stat.path[-1]:<46}{stat.calls:>6}{stat.seconds:>9.2f}"
              f"{self_s:>9.2f}{100 * stat.seconds / total:>7.1f}%{stat.rss_start_mb:>9.0f}"
              f"{stat.peak_mb:>9.0f}")
        for child in stat.children:
            show(recorder.stats[child])

    for root in roots:
        show(root)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, default=ROOT / "bench" / "data" / "raw5m")
    parser.add_argument("--processed", type=Path, default=None,
                        help="default bench/data/profile-<raw folder name>")
    parser.add_argument("--no-wrap", action="store_true",
                        help="run ingest() plain (e.g. under py-spy)")
    parser.add_argument("--json", type=Path, default=None, help="write the stage rows here")
    args = parser.parse_args(argv)
    processed = args.processed or ROOT / "bench" / "data" / f"profile-{args.raw.name}"
    if processed.exists():
        shutil.rmtree(processed)

    from outturn.ingest.run import ingest

    rss0 = rss_mb()
    if args.no_wrap:  # no wrappers, no sampler thread: nothing of ours in a py-spy profile
        t0 = time.perf_counter()
        result = ingest(args.raw, processed)
        total = time.perf_counter() - t0
        print(f"ingest {args.raw}: {total:.2f} s, RSS before {rss0:.0f} MB, balanced="
              f"{result.balanced}, {result.collected.error_count} errors")
        return 0
    recorder = Recorder()
    install(recorder)
    recorder.start()
    t0 = time.perf_counter()
    result = ingest(args.raw, processed)
    total = time.perf_counter() - t0
    recorder.stop()
    print(f"ingest {args.raw}: {total:.2f} s, RSS before {rss0:.0f} MB, peak "
          f"{recorder.peak:.0f} MB (sampled), balanced={result.balanced}, "
          f"{result.collected.error_count} errors\n")
    rows = report(recorder, total)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"total_seconds": total, "peak_mb": recorder.peak,
                                         "stages": rows}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
