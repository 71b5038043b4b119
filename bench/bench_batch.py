"""Benchmark ``outturn batch`` against the naive loop of command-line papermill + nbconvert.

Run from the repository root::

    .venv/bin/python bench/bench_batch.py                       # 50 departments, naive on all 50
    .venv/bin/python bench/bench_batch.py --naive-count 15      # naive on 15, extrapolated to 50
    .venv/bin/python bench/bench_batch.py --departments 7 --naive-count 3   # a quick try

Both sides build the same reports from the same processed snapshot: ``--departments``
(default 50) department-years of one year, cloned from the bundled sample by
``bench/make_many_departments.py`` (built under ``--data`` when missing, or when it was
built for another count or year):

- **naive**: for each department, one at a time, ``papermill notebooks/report.ipynb
  OUT.ipynb -p dept … -p year … -p processed_dir … -p output_dir … -p generated …
  --cwd notebooks`` then ``jupyter nbconvert --to html --no-input OUT.ipynb``: a fresh
  interpreter and a fresh kernel per report. The notebook writes its Word, 自评表, CSV and
  ``summary.json`` companions into ``output_dir`` itself, so the two sides do the same work;
  with ``--pdf`` the naive loop then prints each HTML with ``chromium --headless
  --print-to-pdf`` (a browser per report) and the batch makes its PDFs (``--pdf``: a kept
  browser per worker), without it neither side makes a PDF (``--no-pdf``). With ``--naive-count K``
  only the first K departments are run and the time for all of them is extrapolated
  (labelled as such);
- **batch**: ``outturn batch --year … --processed … --out … --no-pdf --force --jobs 2``
  (``--pdf`` with ``--pdf``)
  (``--force``: nothing is skipped), timed as a subprocess, start-up and index page included.

While each command runs, its process tree (the command and all its descendants: workers,
kernels) is sampled from ``/proc`` every 0.2 s; the peak of the tree's summed RSS (and PSS,
which counts shared pages once) is reported. With ``--repeat R`` the two measurements are
alternated R times and the fastest run of each is reported.

Checks: every report exists in both outputs (naive: ``OUT.html`` and
``output_dir/summary.json``; batch: ``<year>/<code>/report.html`` and ``summary.json``), no
batch ``report.html`` contains ``<script`` (the leadership HTML has no scripts), and for
every department run on both sides the batch's ``summary.json`` equals the naive run's and
the companion CSVs under ``data/`` are byte-identical (and with ``--pdf`` every report has
its PDF on both sides). Target: batch ≥ 8× the naive reports per minute on 2 cores without
PDF, ≥ 6× with PDF. Printed as a Markdown table; ``--json PATH`` also writes
everything as JSON. The exit status is non-zero only when a measurement could not run at all.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_many_departments as many

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
NOTEBOOK = ROOT / "notebooks" / "report.ipynb"
DEFAULT_DATA = Path("/tmp/outturn-bench/many")
DEFAULT_WORK = Path("/tmp/outturn-bench/batch-work")
GENERATED = "2026-11-26"
#: Target: the batch makes at least this many times the naive loop's reports per minute
#: (without PDF, with PDF).
MIN_SPEEDUP = {False: 8.0, True: 6.0}
SAMPLE_SECONDS = 0.2


# ---------------------------------------------------------------------------------------
# Process-tree memory sampling.


def _tree(root: int) -> list[int]:
    """``root`` and all its descendants, from the parent links in ``/proc/<pid>/stat``."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB; (0, 0) once it is gone."""
    rss = pss = 0
    with contextlib.suppress(OSError):
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    return rss, pss


@dataclass
class TreeSampler:
    """Samples the summed RSS/PSS of a process tree in a thread until stopped."""

    root: int
    interval: float = SAMPLE_SECONDS
    peak_rss_kb: int = 0
    peak_pss_kb: int = 0
    peak_processes: int = 0
    samples: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> TreeSampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = _tree(self.root)
            mem = [_memory_kb(p) for p in pids]
            self.peak_rss_kb = max(self.peak_rss_kb, sum(m[0] for m in mem))
            self.peak_pss_kb = max(self.peak_pss_kb, sum(m[1] for m in mem))
            self.peak_processes = max(self.peak_processes, sum(1 for m in mem if m[0]))
            self.samples += 1
            self._stop.wait(self.interval)


def run_sampled(cmd: list[str], cwd: Path = ROOT) -> dict[str, Any]:
    """Run ``cmd``; its wall time, exit status, output and the tree's peak memory."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeSampler(proc.pid) as sampler:
        stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    return {"seconds": wall, "returncode": proc.returncode, "stdout": stdout, "stderr": stderr,
            "peak_rss_mb": sampler.peak_rss_kb / 1024, "peak_pss_mb": sampler.peak_pss_kb / 1024,
            "peak_processes": sampler.peak_processes, "samples": sampler.samples}


# ---------------------------------------------------------------------------------------
# The two measurements.


def _load() -> float:
    return os.getloadavg()[0]


def run_naive(codes: list[str], year: int, processed: Path, out: Path, pdf: bool = False) -> dict[str, Any]:
    """papermill then nbconvert (then, with ``pdf``, Chromium's ``--print-to-pdf``), from the
    command line, for each department in turn."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    load_before = _load()
    per: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    for code in codes:
        nb = out / f"{code}.ipynb"
        papermill = run_sampled([
            str(BIN / "papermill"), str(NOTEBOOK), str(nb), "-p", "dept", code, "-p", "year", str(year),
            "-p", "processed_dir", str(processed), "-p", "output_dir", str(out / code),
            "-p", "generated", GENERATED, "--cwd", str(NOTEBOOK.parent)])
        entry: dict[str, Any] = {"dept": code, "papermill_seconds": papermill["seconds"],
                                 "peak_rss_mb": papermill["peak_rss_mb"],
                                 "peak_pss_mb": papermill["peak_pss_mb"]}
        if papermill["returncode"] == 0:
            nbconvert = run_sampled([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                                     str(nb)])
            entry["nbconvert_seconds"] = nbconvert["seconds"]
            entry["peak_rss_mb"] = max(entry["peak_rss_mb"], nbconvert["peak_rss_mb"])
            entry["peak_pss_mb"] = max(entry["peak_pss_mb"], nbconvert["peak_pss_mb"])
            if nbconvert["returncode"] != 0:
                entry["error"] = f"nbconvert exit {nbconvert['returncode']}: " + \
                    _tail(nbconvert["stderr"])
            elif pdf:
                printed = run_sampled([_chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                                       "--no-pdf-header-footer", f"--print-to-pdf={out / (code + '.pdf')}",
                                       (out / f"{code}.html").as_uri()])
                entry["pdf_seconds"] = printed["seconds"]
                if printed["returncode"] != 0:
                    entry["error"] = f"chromium exit {printed['returncode']}: " + _tail(printed["stderr"])
        else:
            entry["error"] = f"papermill exit {papermill['returncode']}: " + _tail(papermill["stderr"])
        per.append(entry)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "reports": len(codes), "per_report": per,
            "papermill_seconds": sum(e["papermill_seconds"] for e in per),
            "nbconvert_seconds": sum(e.get("nbconvert_seconds", 0.0) for e in per),
            "pdf_seconds": sum(e.get("pdf_seconds", 0.0) for e in per),
            "peak_rss_mb": max((e["peak_rss_mb"] for e in per), default=0.0),
            "peak_pss_mb": max((e["peak_pss_mb"] for e in per), default=0.0),
            "failures": {e["dept"]: e["error"] for e in per if "error" in e},
            "loadavg_1min": {"before": load_before, "after": _load()}}


def _chromium() -> str:
    sys.path.insert(0, str(ROOT / "lib"))
    from outturn.report.chromium import find_chromium, resolve_browser

    return resolve_browser(find_chromium())


def run_batch(year: int, processed: Path, out: Path, jobs: int, pdf: bool = False) -> dict[str, Any]:
    """``outturn batch`` as one subprocess, into an empty output folder."""
    if out.exists():
        shutil.rmtree(out)
    load_before = _load()
    r = run_sampled([str(BIN / "outturn"), "batch", "--year", str(year), "--processed", str(processed),
                     "--out", str(out), "--pdf" if pdf else "--no-pdf", "--force", "--jobs", str(jobs),
                     "--date", GENERATED])
    failures = {}
    for line in r["stdout"].splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[1] == "失败":
            failures[parts[0]] = parts[2]
    result = {k: r[k] for k in ("seconds", "returncode", "peak_rss_mb", "peak_pss_mb", "peak_processes",
                                "samples")}
    result.update(failures=failures, stdout_tail=r["stdout"].splitlines()[-5:],
                  loadavg_1min={"before": load_before, "after": _load()}, jobs=jobs)
    if r["returncode"] != 0 and not failures:
        result["error"] = f"outturn batch exit {r['returncode']}: " + _tail(r["stderr"] or r["stdout"])
    return result


def _tail(text: str, lines: int = 6) -> str:
    return " | ".join(x for x in text.strip().splitlines()[-lines:] if x.strip())


# ---------------------------------------------------------------------------------------
# Checks.


def check_outputs(codes: list[str], naive_codes: list[str], year: int, naive_out: Path,
                  batch_out: Path, pdf: bool = False) -> dict[str, dict[str, Any]]:
    """Every report present on both sides, no scripts in the batch HTML, same figures."""
    checks: dict[str, dict[str, Any]] = {}
    batch_dir = batch_out / str(year)
    if pdf:
        no_pdf = [c for c in codes if not (batch_dir / c / "report.pdf").is_file()]
        no_pdf += [f"naive {c}" for c in naive_codes if not (naive_out / f"{c}.pdf").is_file()]
        checks["every report has its PDF"] = {"ok": not no_pdf, "missing": no_pdf}
    missing_batch = [c for c in codes if not (batch_dir / c / "report.html").is_file()
                     or not (batch_dir / c / "summary.json").is_file()]
    checks["batch: every report present"] = {"ok": not missing_batch, "expected": len(codes),
                                             "missing": missing_batch}
    missing_naive = [c for c in naive_codes if not (naive_out / f"{c}.html").is_file()
                     or not (naive_out / c / "summary.json").is_file()]
    checks["naive: every report present"] = {"ok": not missing_naive, "expected": len(naive_codes),
                                             "missing": missing_naive}
    scripts = [c for c in codes if (batch_dir / c / "report.html").is_file()
               and "<script" in (batch_dir / c / "report.html").read_text(encoding="utf-8").lower()]
    checks["batch: no <script in report.html"] = {"ok": not scripts, "with_script": scripts}
    differ: dict[str, Any] = {}
    csv_differ: dict[str, list[str]] = {}
    compared = 0
    for code in naive_codes:
        a, b = naive_out / code, batch_dir / code
        if not (a / "summary.json").is_file() or not (b / "summary.json").is_file():
            continue
        compared += 1
        sa = json.loads((a / "summary.json").read_text(encoding="utf-8"))
        sb = json.loads((b / "summary.json").read_text(encoding="utf-8"))
        if sa != sb:
            differ[code] = {k: [sa.get(k), sb.get(k)] for k in sorted(set(sa) | set(sb))
                            if sa.get(k) != sb.get(k)}
        names_a = sorted(p.name for p in (a / "data").glob("*.csv"))
        names_b = sorted(p.name for p in (b / "data").glob("*.csv"))
        bad = sorted(set(names_a) ^ set(names_b))
        bad += [n for n in names_a if n in names_b
                and (a / "data" / n).read_bytes() != (b / "data" / n).read_bytes()]
        if bad:
            csv_differ[code] = bad
    checks["summary.json: batch == naive"] = {"ok": compared > 0 and not differ, "compared": compared,
                                             "differ": differ}
    checks["data/*.csv: batch == naive (bytes)"] = {"ok": compared > 0 and not csv_differ,
                                                    "compared": compared, "differ": csv_differ}
    return checks


# ---------------------------------------------------------------------------------------
# Reporting.


def _git(*args: str) -> str:
    with contextlib.suppress(OSError):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=False).stdout.strip()
    return ""


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in ("papermill", "nbconvert", "nbclient", "jupyter_client", "ipykernel", "pandas"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            out[name] = version(name)
    return out


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest run, with every run's seconds and the highest peak memory."""
    best = dict(min(runs, key=lambda r: r["seconds"]))
    best["all_seconds"] = [round(r["seconds"], 2) for r in runs]
    best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    best["peak_pss_mb"] = max(r["peak_pss_mb"] for r in runs)
    return best


def table(naive: dict[str, Any], batch: dict[str, Any], n: int, speedup: float | None,
          jobs: int, pdf: bool = False) -> str:
    """The results as a Markdown table."""
    k = naive["reports"]
    naive_rpm = k / naive["seconds"] * 60
    batch_rpm = n / batch["seconds"] * 60
    extrapolated = k < n
    all_naive = naive["seconds"] * n / k
    rows = [
        "| measurement | reports | wall time | reports/min | s/report | peak memory of process tree |",
        "|---|---:|---:|---:|---:|---|",
        f"| naive: papermill + nbconvert{' + chromium --print-to-pdf' if pdf else ''} CLI, "
        f"one at a time | {k} of {n} | {naive['seconds']:.1f} s | "
        f"{naive_rpm:.2f} | {naive['seconds'] / k:.2f} | RSS {naive['peak_rss_mb']:.0f} MB, "
        f"PSS {naive['peak_pss_mb']:.0f} MB (largest single report) |",
    ]
    if extrapolated:
        rows.append(f"| naive, **extrapolated** to {n} (× {n}/{k}) | {n} | {all_naive:.0f} s "
                    f"(extrapolated) | {naive_rpm:.2f} | {naive['seconds'] / k:.2f} | |")
    flag = "--pdf" if pdf else "--no-pdf"
    rows.append(f"| `outturn batch --jobs {jobs} {flag} --force` | {n} | {batch['seconds']:.1f} s | "
                f"{batch_rpm:.2f} | {batch['seconds'] / n:.2f} | RSS {batch['peak_rss_mb']:.0f} MB, "
                f"PSS {batch['peak_pss_mb']:.0f} MB (≤ {batch['peak_processes']} processes) |")
    if speedup is not None:
        verdict = "PASS" if speedup >= MIN_SPEEDUP[pdf] else "FAIL"
        label = " (naive rate from the first " + str(k) + ")" if extrapolated else ""
        rows.append(f"| **speed-up** batch / naive{label} | | | **{speedup:.2f}×** | | "
                    f"target ≥ {MIN_SPEEDUP[pdf]:.0f}×: **{verdict}** |")
    return "\n".join(rows)


def ensure_data(data: Path, n: int, year: int, rebuild: bool) -> dict[str, Any]:
    """The cloned snapshot under ``data``; (re)built when missing or built differently."""
    meta_path = data / "many.json"
    if not rebuild and meta_path.is_file() and (data / "processed" / "current").exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("departments") == n and meta.get("year") == year:
            print(f"using {data / 'processed'} ({n} departments, {year}; built earlier)")
            return meta
    return many.build(data, n, year)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--departments", type=int, default=50, help="department-years (default 50)")
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--naive-count", type=int, default=None,
                        help="run the naive loop on the first K departments only and extrapolate "
                             "(default: all)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="alternate naive/batch this many times; the best of each is reported")
    parser.add_argument("--jobs", type=int, default=2, help="outturn batch --jobs (default 2)")
    parser.add_argument("--pdf", action="store_true", help="both sides make each report's PDF too")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"cloned raw + processed data (default {DEFAULT_DATA})")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK,
                        help=f"where both sides write their reports (default {DEFAULT_WORK})")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cloned data")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    n = args.departments
    k = min(args.naive_count or n, n)
    if k < 1 or args.repeat < 1:
        parser.error("--naive-count and --repeat must be at least 1")

    meta = ensure_data(args.data.resolve(), n, args.year, args.rebuild)
    processed = args.data.resolve() / "processed"
    codes = sorted(meta["clones"], key=int)
    naive_codes = codes[:k]
    work = args.work.resolve()
    naive_out, batch_out = work / "naive", work / "batch"
    cpus = os.cpu_count()
    print(f"{n} department-years of {args.year}; naive loop on {k}"
          f"{' (extrapolated to ' + str(n) + ')' if k < n else ''}; batch --jobs {args.jobs}; "
          f"{cpus} CPUs; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    if _load() > 0.5 * (cpus or 1):
        print(f"warning: 1-minute load average {_load():.1f} on {cpus} CPUs: other processes compete "
              f"for the CPUs and the timings will be noisy", flush=True)

    naives, batches = [], []
    for i in range(args.repeat):
        naives.append(run_naive(naive_codes, args.year, processed, naive_out, args.pdf))
        print(f"  run {i + 1}/{args.repeat}: naive {naives[-1]['seconds']:.1f} s for {k}", flush=True)
        batches.append(run_batch(args.year, processed, batch_out, args.jobs, args.pdf))
        print(f"  run {i + 1}/{args.repeat}: batch {batches[-1]['seconds']:.1f} s for {n}", flush=True)
    naive, batch = _best(naives), _best(batches)
    crashed = "error" in batch or len(naive["failures"]) == k
    speedup = None if crashed else (n / batch["seconds"]) / (k / naive["seconds"])

    print("\nresults\n")
    print(table(naive, batch, n, speedup, args.jobs, args.pdf))
    print(f"\nnaive split: papermill {naive['papermill_seconds']:.1f} s, nbconvert "
          f"{naive['nbconvert_seconds']:.1f} s, pdf {naive['pdf_seconds']:.1f} s; "
          f"load {naive['loadavg_1min']['before']:.2f}→"
          f"{naive['loadavg_1min']['after']:.2f}")
    print(f"batch: exit {batch['returncode']}, load {batch['loadavg_1min']['before']:.2f}→"
          f"{batch['loadavg_1min']['after']:.2f}; memory sampled every {SAMPLE_SECONDS} s")
    if "error" in batch:
        print(f"batch FAILED: {batch['error']}")
    for side, r in (("naive", naive), ("batch", batch)):
        for code, error in r["failures"].items():
            print(f"  {side} report failed: {code}: {error}")

    # checks run on the outputs of the last repeat, which are still on disk
    checks = check_outputs(codes, naive_codes, args.year, naive_out, batch_out, args.pdf)
    print("\nchecks")
    for name, c in checks.items():
        detail = {key: v for key, v in c.items() if key != "ok" and v not in ([], {})}
        print(f"  {'ok  ' if c['ok'] else 'FAIL'} {name}: {detail}")

    if args.json:
        result = {
            "benchmark": "batch", "when": dt.datetime.now().isoformat(timespec="seconds"),
            "git": {"commit": _git("rev-parse", "HEAD"),
                    "dirty": bool(_git("status", "--porcelain", "--untracked-files=no"))},
            "machine": {"cpus": cpus, "platform": platform.platform(), **_versions()},
            "data": {"folder": str(args.data.resolve()), **{k2: meta[k2] for k2 in
                                                            ("departments", "year", "years", "counts")}},
            "departments": n, "naive_count": k, "extrapolated": k < n,
            "naive": naive, "naive_runs": naives, "batch": batch, "batch_runs": batches,
            "reports_per_minute": {"naive": k / naive["seconds"] * 60, "batch": n / batch["seconds"] * 60},
            "naive_seconds_for_all": naive["seconds"] * n / k,
            "pdf": args.pdf,
            "speedup": speedup, "target": {"min_speedup": MIN_SPEEDUP[args.pdf],
                                           "passed": None if speedup is None
                                           else speedup >= MIN_SPEEDUP[args.pdf]},
            "checks": checks,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n",
                             encoding="utf-8")
        print(f"\nresults written to {args.json}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
