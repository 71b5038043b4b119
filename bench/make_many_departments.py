"""Build a raw folder with many departments by cloning the bundled sample, and ingest it.

Run from the repository root::

    .venv/bin/python bench/make_many_departments.py                      # 50 departments, 2022
    .venv/bin/python bench/make_many_departments.py --departments 10 --out /tmp/many10

The batch-report benchmark (``bench/bench_batch.py``) needs one year with many
department-years; the bundled sample (``data/raw``) has only seven departments (115–121).
This script clones them round-robin under new codes: clone ``k`` (1-based) is a copy of
sample department ``SAMPLE[(k - 1) % 7]`` with code ``str(6000 + k)``. It copies the report
year and the two years before it (the report compares with the previous year and PEFA
reads three years), in the sample's own formats (encodings, CRLF, thousands separators,
the XLSX with title rows), so ingest does the same work per department as on the sample.

Codes are rewritten column by column (headers are resolved with
:func:`outturn.aliases.resolve_header`, so every spelling the sample uses is covered):

- 部门编码 ``116`` → ``6001``;
- 单位编码 ``116003`` → ``6001003`` (the department prefix is replaced);
- 项目编码 and the indicators' 指标范围 ``43110221116801`` → ``431102216001801`` (the
  department inside the project code is replaced; codes of another shape are kept);
- 凭证号 ``JY116-2022-000001`` → ``JY6001-2022-000001``;
- ``profile.toml``: ``dept_code``, units' ``code``, ``project_code``, and ``dept_name``
  (which gets the suffix ``（副本 6001）``, as does 部门名称 in ``departments.csv``, so the
  50 reports can be told apart); the Markdown files and ``judgements.toml`` are copied.

Everything is written under ``--out`` (default ``/tmp/outturn-bench/many``): ``raw/``,
``processed/`` (by ``outturn ingest``, whose exit status must be 0) and ``many.json`` (the
arguments and the clone table). The output is deterministic; nothing is written inside the
repository.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_RAW = ROOT / "data" / "raw"
DEFAULT_OUT = Path("/tmp/outturn-bench/many")
OUTTURN = ROOT / ".venv" / "bin" / "outturn"
SAMPLE = ("115", "116", "117", "118", "119", "120", "121")
CODE_BASE = 6000
LEDGERS = ("budget", "payments", "indicators")


@dataclass(frozen=True)
class Clone:
    """One cloned department: its new code and the sample department it copies."""

    code: str
    source: str

    def dept(self, value: str) -> str:
        return self.code if value == self.source else value

    def unit(self, value: str) -> str:
        """``116003`` → ``6001003``: the department prefix of a unit code."""
        if value.startswith(self.source) and len(value) == len(self.source) + 3:
            return self.code + value[len(self.source):]
        return value

    def project(self, value: str) -> str:
        """``43110221116801`` → ``431102216001801`` (region, year, dept, sequence)."""
        found = re.fullmatch(rf"(\w{{8}}){self.source}(\d{{3}})", value)
        return f"{found.group(1)}{self.code}{found.group(2)}" if found else value

    def voucher(self, value: str) -> str:
        """``JY116-2022-000001`` → ``JY6001-2022-000001``."""
        return re.sub(rf"(?<!\d){self.source}(?=-)", self.code, value, count=1)

    def name(self, value: str) -> str:
        return f"{value}（副本 {self.code}）"


def clones(n: int) -> list[Clone]:
    """``n`` clones, cycling through the sample departments."""
    return [Clone(str(CODE_BASE + k), SAMPLE[(k - 1) % len(SAMPLE)]) for k in range(1, n + 1)]


def _rewriters(clone: Clone) -> dict[str, Callable[[str], str]]:
    """Canonical column → how a cell of that column is rewritten for ``clone``."""
    return {"dept_code": clone.dept, "unit_code": clone.unit, "project_code": clone.project,
            "scope": clone.project, "voucher_id": clone.voucher}


def _columns(header: list[Any]) -> dict[int, str]:
    """Positions of the header cells that name a column we rewrite."""
    from outturn.aliases import resolve_header

    out = {}
    for i, cell in enumerate(header):
        if cell is None:
            continue
        column = resolve_header(str(cell)).column
        if column in ("dept_code", "unit_code", "project_code", "scope", "voucher_id"):
            out[i] = column
    return out


def _decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding to write it back with."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030"


def clone_csv(src: Path, dst: Path, clone: Clone) -> int:
    """Copy one ledger CSV with its codes rewritten, keeping encoding and line endings;
    returns the number of data rows."""
    data = src.read_bytes()
    text, encoding = _decode(data)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    columns = _columns(rows[0])
    if "dept_code" not in columns.values():
        raise ValueError(f"{src}: no 部门编码 column in {rows[0]}")
    rewrite = _rewriters(clone)
    for row in rows[1:]:
        for i, column in columns.items():
            if i < len(row) and row[i]:
                row[i] = rewrite[column](row[i])
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n" if b"\r\n" in data[:4096] else "\n").writerows(rows)
    dst.write_bytes(out.getvalue().encode(encoding))
    return len(rows) - 1


def clone_xlsx(src: Path, dst: Path, clone: Clone) -> int:
    """Copy one ledger workbook with its codes rewritten (title rows above the header
    are kept); returns the number of data rows."""
    import openpyxl

    wb = openpyxl.load_workbook(src)
    rewrite = _rewriters(clone)
    count = 0
    for ws in wb.worksheets:
        header_row, columns = None, {}
        for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 10)):
            found = _columns([c.value for c in row])
            if "dept_code" in found.values():
                header_row, columns = row[0].row, found
                break
        if header_row is None:
            continue
        for row in ws.iter_rows(min_row=header_row + 1):
            if all(c.value is None for c in row):
                continue
            count += 1
            for i, column in columns.items():
                cell = row[i]
                if cell.value in (None, ""):
                    continue
                new = rewrite[column](str(cell.value))
                cell.value = int(new) if isinstance(cell.value, int) else new
    wb.save(dst)
    return count


def clone_profile(src: Path, dst: Path, clone: Clone) -> None:
    """Copy a profile folder; ``profile.toml`` gets the clone's code, unit and project
    codes and name (the keys are rewritten line by line, so comments and layout stay)."""
    dst.mkdir(parents=True, exist_ok=True)
    for path in sorted(src.iterdir()):
        if path.name != "profile.toml":
            shutil.copyfile(path, dst / path.name)
            continue
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            found = re.match(r'^(\s*)(dept_code|code|project_code|dept_name)(\s*=\s*)"(.*)"(\s*)$', line)
            if found:
                indent, key, eq, value, end = found.groups()
                value = {"dept_code": clone.dept, "code": clone.unit, "project_code": clone.project,
                         "dept_name": clone.name}[key](value)
                line = f'{indent}{key}{eq}"{value}"{end}'
            lines.append(line)
        (dst / "profile.toml").write_text("".join(lines), encoding="utf-8")


def build_raw(out_raw: Path, n: int, year: int, sample_raw: Path = SAMPLE_RAW) -> dict[str, Any]:
    """Write the cloned raw folder; returns counts (files, rows) and the clone table."""
    if out_raw.exists():
        shutil.rmtree(out_raw)
    out_raw.mkdir(parents=True)
    years = [year - 2, year - 1, year]
    table = clones(n)
    with open(sample_raw / "departments.csv", encoding="utf-8-sig", newline="") as fh:
        dept_rows = list(csv.reader(fh))
    header, body = dept_rows[0], dept_rows[1:]
    cols = {resolve: i for i, h in enumerate(header) if (resolve := _departments_column(h))}
    rows_out = [header]
    for clone in table:
        for row in body:
            if row[cols["dept_code"]] != clone.source:
                continue
            new = list(row)
            new[cols["dept_code"]] = clone.code
            new[cols["unit_code"]] = clone.unit(row[cols["unit_code"]])
            new[cols["dept_name"]] = clone.name(row[cols["dept_name"]])
            rows_out.append(new)
    with open(out_raw / "departments.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows_out)

    counts: dict[str, int] = {"files": 1, **{f"{t}_rows": 0 for t in LEDGERS}}
    for clone in table:
        for y in years:
            for ledger in LEDGERS:
                folder = out_raw / ledger / str(y)
                folder.mkdir(parents=True, exist_ok=True)
                sources = sorted((sample_raw / ledger / str(y)).glob(f"{clone.source}-*"))
                if not sources:
                    raise FileNotFoundError(f"no {ledger} file for {clone.source} in {y}")
                for src in sources:
                    dst = folder / (clone.code + src.name[len(clone.source):])
                    copy = clone_xlsx if src.suffix.lower() == ".xlsx" else clone_csv
                    counts[f"{ledger}_rows"] += copy(src, dst, clone)
                    counts["files"] += 1
            profile = sample_raw / "profiles" / clone.source / str(y)
            if profile.is_dir():
                clone_profile(profile, out_raw / "profiles" / clone.code / str(y), clone)
                counts["files"] += sum(1 for _ in profile.iterdir())
    return {"departments": n, "year": year, "years": years, "counts": counts,
            "clones": {c.code: c.source for c in table}}


def _departments_column(header: str) -> str | None:
    from outturn.aliases import resolve_header

    return resolve_header(header).column


def ingest(raw: Path, processed: Path) -> dict[str, Any]:
    """``outturn ingest --raw raw --processed processed``; raises unless it exits 0."""
    if processed.exists():
        shutil.rmtree(processed)
    t0 = time.perf_counter()
    proc = subprocess.run([str(OUTTURN), "ingest", "--raw", str(raw), "--processed", str(processed)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"outturn ingest exited {proc.returncode}:\n{proc.stdout[-4000:]}\n"
                           f"{proc.stderr[-4000:]}")
    return {"seconds": round(seconds, 2), "returncode": proc.returncode,
            "output_tail": proc.stdout.strip().splitlines()[-8:]}


def build(out: Path, n: int = 50, year: int = 2022, verbose: bool = True) -> dict[str, Any]:
    """Raw folder + ingested snapshot under ``out``; writes and returns ``many.json``."""
    out = out.resolve()
    t0 = time.perf_counter()
    meta = build_raw(out / "raw", n, year)
    meta["build_seconds"] = round(time.perf_counter() - t0, 2)
    if verbose:
        print(f"wrote {out / 'raw'}: {n} departments × {meta['years']}, {meta['counts']['files']} files, "
              f"{meta['counts']['payments_rows']:,} vouchers ({meta['build_seconds']:.1f} s)", flush=True)
    meta["ingest"] = ingest(out / "raw", out / "processed")
    if verbose:
        print(f"outturn ingest: exit 0 in {meta['ingest']['seconds']:.1f} s → {out / 'processed'}")
        for line in meta["ingest"]["output_tail"]:
            print(f"  | {line}")
    (out / "many.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--departments", type=int, default=50, help="how many departments (default 50)")
    parser.add_argument("--year", type=int, default=2022,
                        help="report year; it and the two years before are copied (default 2022)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"output folder: raw/, processed/, many.json (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    if args.departments < 1:
        parser.error("--departments must be at least 1")
    try:
        build(args.out, args.departments, args.year)
    except (RuntimeError, FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
