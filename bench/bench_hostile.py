"""Measure what hostile ledgers cost: time and peak memory until outturn refuses them.

Run from the repository root::

    .venv/bin/python bench/bench_hostile.py            # builds bench/data/hostile/ once
    .venv/bin/python bench/bench_hostile.py --json bench/results/hostile.json

Each case is a file of the kind issue 8 names, built at full size under
``bench/data/hostile/`` (about 1.3 GB of disk at most while building, 10 MB kept):

- ``wide.csv``: a header of 1,000,000 mostly empty columns and one data row;
- ``long-line.csv``: a ledger whose fourth line is 70 MB (beyond pyarrow's block);
- ``bomb.xlsx``: a workbook whose sheet XML inflates to 1.2 GB (about 1 MB on disk);
- ``bomb-900mb.xlsx``: the same inflating to 900 MB, within the size limit, refused by
  its ratio;
- ``claimed.xlsx``: 1,000 real rows in a sheet claiming the dimension A1:XFD1048576;
- ``plain.xlsx``: the same 1,000 rows with an honest dimension, for comparison.

Every case runs ``outturn validate FILE --table payments`` in a fresh interpreter; the
wall time and the peak RSS of that process (``wait4``'s ``ru_maxrss``) are reported with
the first line of what it printed. The expectation: each hostile file is refused (or, for
``claimed.xlsx``, read) in about the time and memory of the plain workbook.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["凭证号", "支付日期", "部门编码", "单位编码", "预算类型", "支出类型", "项目编码",
          "功能分类科目编码", "经济分类科目编码", "金额（元）", "摘要"]
ROW = ["V{}", "2022-01-15", "901", "901001", "一般公共预算", "基本支出", "", "2120101", "30101",
       "400.00", "工资"]


def _rows(n: int) -> list[list[str]]:
    return [[c.format(i) for c in ROW] for i in range(n)]


def build(folder: Path) -> dict[str, Path]:
    """The hostile files (kept between runs: they are deterministic)."""
    folder.mkdir(parents=True, exist_ok=True)
    cases = {name: folder / name for name in
             ("wide.csv", "long-line.csv", "bomb.xlsx", "bomb-900mb.xlsx", "claimed.xlsx",
              "plain.xlsx")}
    if not cases["wide.csv"].exists():
        header = ",".join([*HEADER[:2], *[""] * (1_000_000 - 2)])
        cases["wide.csv"].write_text(f"{header}\nV1,2022-01-15\n", encoding="utf-8")
    if not cases["long-line.csv"].exists():
        lines = [",".join(HEADER), *(",".join(r) for r in _rows(2))]
        lines.append(",".join(ROW).format(9).replace("工资", "x" * 70_000_000))
        cases["long-line.csv"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    if not cases["plain.xlsx"].exists():
        wb = Workbook()
        ws = wb.active
        ws.append(HEADER)
        for r in _rows(1000):
            ws.append(r)
        wb.save(cases["plain.xlsx"])
    if not cases["claimed.xlsx"].exists():
        _rewrite(cases["plain.xlsx"], cases["claimed.xlsx"],
                 lambda xml: xml.replace(b'<dimension ref="A1:K1001"/>',
                                         b'<dimension ref="A1:XFD1048576"/>'))
    if not cases["bomb.xlsx"].exists():
        _bomb(cases["plain.xlsx"], cases["bomb.xlsx"], 1_200_000_000)
    if not cases["bomb-900mb.xlsx"].exists():  # within the size limit: the ratio refuses it
        _bomb(cases["plain.xlsx"], cases["bomb-900mb.xlsx"], 900_000_000)
    return cases


def _rewrite(src_path: Path, dst_path: Path, change) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(src_path) as src, zipfile.ZipFile(dst_path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, change(data) if info.filename == "xl/worksheets/sheet1.xml" else data)


def _bomb(src_path: Path, dst_path: Path, size: int) -> None:
    """A workbook whose sheet is valid XML padded with whitespace to ``size`` bytes."""
    with zipfile.ZipFile(src_path) as src, zipfile.ZipFile(dst_path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, data)
                continue
            head, tail = data.split(b"<sheetData>", 1)
            with dst.open(info.filename, "w", force_zip64=True) as out:
                out.write(head + b"<sheetData>")
                block = b" " * (1 << 24)
                left = size - len(data)
                while left > 0:
                    out.write(block[: min(left, len(block))])
                    left -= len(block)
                out.write(tail)


#: Runs the command in a small process, so the peak RSS it reports is the command's own
#: (a child forked from this process would start with this one's memory in its peak).
_RUNNER = ("import resource, subprocess, sys\n"
           "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
           "sys.stdout.buffer.write(done.stdout + done.stderr)\n"
           "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
           "sys.stdout.write(f'\\n@@peak {peak} {done.returncode}')\n")


def measure(path: Path) -> dict[str, object]:
    """Run ``outturn validate`` on one file: seconds, peak RSS, exit code, first line."""
    command = [sys.executable, "-m", "outturn.cli", "validate", str(path), "--table", "payments"]
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _RUNNER, *command], capture_output=True,
                          cwd=ROOT, check=False)
    seconds = time.perf_counter() - start
    out, _, tail = done.stdout.decode(errors="replace").rpartition("\n@@peak ")
    peak_kb, code = (int(v) for v in tail.split())
    lines = [line.strip() for line in out.splitlines() if "error" in line] or out.splitlines()
    return {"file": path.name, "bytes": path.stat().st_size, "seconds": round(seconds, 2),
            "peak_rss_mb": round(peak_kb / 1024, 1), "exit": code, "message": lines[0][:160]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data" / "hostile",
                        help="where the hostile files are built (default bench/data/hostile)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    results = [measure(path) for path in build(args.data).values()]
    print("| file | size (bytes) | seconds | peak RSS (MB) | exit | message |")
    print("|---|---:|---:|---:|---:|---|")
    for r in results:
        message = str(r["message"]).replace("|", "\\|")
        print(f"| {r['file']} | {r['bytes']:,} | {r['seconds']} | {r['peak_rss_mb']} | "
              f"{r['exit']} | {message} |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
