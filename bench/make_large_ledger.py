"""Generate a large, deterministic synthetic raw folder for the ingest benchmarks.

Run from the repository root::

    .venv/bin/python bench/make_large_ledger.py --rows 5000000 --out bench/data/raw5m

Writes, under ``--out`` (a folder this script owns: it is replaced on every run):

- ``departments.csv``: ``--depts`` departments (codes 101, 102 …) × ``--units`` units;
- ``budget/<year>/budget-<year>.csv``: one file per year (2022, 2023), amounts in 元,
  basic lines (no project) and project lines (some with an empty economic code, which
  match payments of any economic code); every functional code is a 项 (7 digits) of
  ``lib/outturn/codes/functional_2022.csv`` and every economic code a 款 (5 digits) of
  ``economic_2022.csv``, so no code is reported as unknown;
- ``payments/payments.csv``: ONE file of ``--rows`` vouchers, UTF-8, headers as in
  ``data/raw/payments``; every payment's key matches a budget line except a share of
  ``--unbudgeted`` (they use functional codes no budget line has); voucher ids are unique;
  ISO dates; amounts with two decimals, ~``--grouped`` of them written with thousands
  separators in quotes (``"12,345.60"``), a few negative (refunds); a short memo;
- ``generator.json``: the parameters, row counts, file sizes and the totals in 分
  (payments amount, each budget phase), which the benchmarks check the ingest against.
  Ingest does not read it (it only reads departments.*, budget/, payments/ …).

Everything is vectorised (numpy + pyarrow string kernels, written in chunks), so 5M
rows take seconds, and the output is byte-identical for the same arguments.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parents[1]
CODES = ROOT / "lib" / "outturn" / "codes"

YEARS = (2022, 2023)
REGION = "431102"
PAYMENT_HEADER = ("凭证号,支付日期,部门编码,单位编码,预算类型,支出类型,项目编码,"
                  "功能分类科目编码,经济分类科目编码,金额（元）,摘要")
BUDGET_HEADER = ("年度", "部门编码", "单位编码", "预算类型", "支出类型", "项目编码", "项目名称",
                 "功能分类科目编码", "经济分类科目编码", "上年结转（元）", "年初预算（元）",
                 "追加（元）", "调减（元）", "调整后预算（元）")
BUDGET_PHASES = ("carryover", "original_budget", "supplementary", "reduction", "adjusted_budget")
GEN, GOV = "一般公共预算", "政府性基金预算"
BASIC, PROJ = "基本支出", "项目支出"

DEPT_NAMES = ("财政局", "教育局", "卫健局", "民政局", "交通运输局", "农业农村局", "城管局",
              "住建局", "水利局", "林业局", "文旅广体局", "司法局", "审计局", "统计局",
              "医保局", "人社局", "自然资源局", "生态环境局", "商务局", "应急管理局")
UNIT_SUFFIX = ("局本级", "事务中心", "服务站", "管理所", "执法大队")
PROJECT_WORDS = ("道路维护", "设施改造", "信息化建设", "专项补助", "人才培训", "安全生产",
                 "环境整治", "宣传推广", "设备购置", "应急保障", "运营维护", "课题研究")
MEMOS = ("办公耗材采购", "差旅费报销", "会议费", "培训费", "水电费", "物业管理费", "维修费",
         "印刷费", "邮电费", "专用材料费", "劳务费", "委托业务费", "公务用车加油费",
         "公务接待费", "设备购置款", "工程进度款", "工资发放", "社保缴费", "咨询费",
         "租赁费", "宣传资料制作费", "网络服务费", "取暖费", "垃圾清运费", "退回多付款")


def _codes(name: str, level: str) -> list[str]:
    """Codes of one level from a shipped code table (code,name,level)."""
    with open(CODES / name, encoding="utf-8") as fh:
        return [r["code"] for r in csv.DictReader(fh) if r["level"] == level]


def _text(value: str) -> pa.Scalar:
    """A literal for Arrow's string kernels, as 64-bit-offset text: the columns of 60 M
    rows and more exceed the 2 GiB of plain strings."""
    return pa.scalar(value, pa.large_string())


def _yuan(fen: np.ndarray) -> pa.Array:
    """Integer 分 as plain 元 text with two decimals (``-1234.50``), vectorised."""
    fen = np.asarray(fen, dtype=np.int64)
    mag = np.abs(fen)
    whole = pc.cast(pa.array(mag // 100), pa.large_string())
    frac = pc.utf8_lpad(pc.cast(pa.array(mag % 100), pa.large_string()), 2, "0")
    text = pc.binary_join_element_wise(whole, frac, _text("."))
    return pc.if_else(pa.array(fen < 0),
                      pc.binary_join_element_wise(_text("-"), text, _text("")), text)


def _grouped(fen: int) -> str:
    """One amount in 元 with thousands separators, quoted as a CSV field."""
    sign = "-" if fen < 0 else ""
    whole, frac = divmod(abs(fen), 100)
    return f'"{sign}{whole:,}.{frac:02d}"'


def make_departments(n_depts: int, n_units: int) -> list[dict[str, str]]:
    rows = []
    for d in range(n_depts):
        code = str(101 + d)
        short = DEPT_NAMES[d % len(DEPT_NAMES)].removesuffix("局")
        name = f"合成区{short}局" + ("" if d < len(DEPT_NAMES) else f"（{d // len(DEPT_NAMES)}）")
        for u in range(n_units):
            suffix = UNIT_SUFFIX[1 + (u - 1) % (len(UNIT_SUFFIX) - 1)]
            rows.append({"dept_code": code, "dept_name": name, "unit_code": f"{code}{u + 1:03d}",
                         "unit_name": UNIT_SUFFIX[0] if u == 0 else f"合成区{short}{suffix}",
                         "unit_kind": "本级" if u == 0 else "二级"})
    return rows


def make_budget(rng: np.random.Generator, units: list[dict[str, str]], func_pool: list[str],
                econ_basic: list[str], econ_project: list[str]) -> dict[str, np.ndarray]:
    """Budget lines of every unit and year, as column arrays (amounts in 分)."""
    cols: dict[str, list] = {k: [] for k in (
        "year", "dept_code", "unit_code", "fund_type", "expense_kind", "project_code",
        "project_name", "func_code", "econ_code")}
    for year in YEARS:
        project_seq: dict[str, int] = {}
        for unit in units:
            dept, code = unit["dept_code"], unit["unit_code"]
            admin_func = func_pool[int(rng.integers(len(func_pool)))]

            def add(fund: str, kind: str, project: str, pname: str, func: str, econ: str,
                    *, year: int = year, dept: str = dept, code: str = code) -> None:
                for key, value in (("year", year), ("dept_code", dept), ("unit_code", code),
                                   ("fund_type", fund), ("expense_kind", kind),
                                   ("project_code", project), ("project_name", pname),
                                   ("func_code", func), ("econ_code", econ)):
                    cols[key].append(value)

            for econ in rng.choice(econ_basic, size=8, replace=False):
                add(GEN, BASIC, "", "", admin_func, str(econ))
            for _ in range(6):
                seq = project_seq[dept] = project_seq.get(dept, 0) + 1
                project = f"{REGION}{year}{dept}{seq:04d}"
                pname = f"{PROJECT_WORDS[int(rng.integers(len(PROJECT_WORDS)))]}项目{seq}"
                fund = GOV if rng.random() < 0.2 else GEN
                func = func_pool[int(rng.integers(len(func_pool)))]
                if rng.random() < 0.25:  # a project line without an economic code
                    add(fund, PROJ, project, pname, func, "")
                    continue
                n_econ = int(rng.integers(1, 4))
                for econ in rng.choice(econ_project, size=n_econ, replace=False):
                    add(fund, PROJ, project, pname, func, str(econ))
    out = {k: np.asarray(v, dtype=object if k != "year" else np.int64) for k, v in cols.items()}
    n = len(out["year"])
    original = rng.integers(50_000_00, 5_000_000_00, size=n)  # 5 万 – 500 万元 in 分
    supplementary = np.where(rng.random(n) < 0.3, rng.integers(0, original // 5 + 1), 0)
    reduction = np.where(rng.random(n) < 0.1, rng.integers(0, original // 10 + 1), 0)
    carryover = np.where(rng.random(n) < 0.15, rng.integers(0, original // 4 + 1), 0)
    out["carryover"] = carryover.astype(np.int64)
    out["original_budget"] = original.astype(np.int64)
    out["supplementary"] = supplementary.astype(np.int64)
    out["reduction"] = reduction.astype(np.int64)
    out["adjusted_budget"] = (original + supplementary - reduction).astype(np.int64)
    return out


def write_budget(out: Path, budget: dict[str, np.ndarray]) -> list[Path]:
    paths = []
    texts = {k: _yuan(budget[k]).to_pylist() for k in BUDGET_PHASES}
    for year in YEARS:
        path = out / "budget" / str(year) / f"budget-{year}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(BUDGET_HEADER)
            for i in np.flatnonzero(budget["year"] == year).tolist():
                w.writerow([year, *(budget[k][i] for k in (
                    "dept_code", "unit_code", "fund_type", "expense_kind", "project_code",
                    "project_name", "func_code", "econ_code")),
                    *(texts[k][i] for k in BUDGET_PHASES)])
        paths.append(path)
    return paths


def make_payments(rng: np.random.Generator, n: int, budget: dict[str, np.ndarray],
                  econ_project: list[str], unbudgeted_funcs: list[str], unbudgeted_share: float,
                  unbudgeted_keys: int, grouped_share: float) -> tuple[pa.Table, dict[str, int]]:
    """``n`` payments as a table of text columns, plus counts and the total in 分."""
    lines = len(budget["year"])
    weights = budget["adjusted_budget"].astype(np.float64)
    line = rng.choice(lines, size=n, p=weights / weights.sum())
    # unbudgeted spending: a few keys (a budget line's key with a functional code no line
    # has), as in real ledgers, rather than one key per stray payment
    unbudgeted = rng.random(n) < unbudgeted_share
    key_line = rng.choice(lines, size=unbudgeted_keys)
    key_func = rng.integers(len(unbudgeted_funcs), size=unbudgeted_keys)
    which = rng.integers(unbudgeted_keys, size=int(unbudgeted.sum()))
    line[unbudgeted] = key_line[which]
    stray_func = np.full(n, -1, dtype=np.int64)
    stray_func[unbudgeted] = key_func[which]
    year = budget["year"][line]
    # dates: uniform over the year, then the ledger is sorted by date (vouchers in order)
    days = rng.integers(0, 365, size=n)
    epoch = np.array([np.datetime64(f"{y}-01-01", "D").astype(np.int64) for y in YEARS])
    day_number = epoch[np.searchsorted(np.array(YEARS), year)] + days
    order = np.argsort(day_number, kind="stable")
    line, year, day_number = line[order], year[order], day_number[order]
    stray_func = stray_func[order]
    unbudgeted = stray_func >= 0

    def take(column: str) -> pa.Array:
        return pa.array(budget[column], type=pa.large_string()).take(pa.array(line))

    econ = take("econ_code")
    no_econ = pc.equal(econ, "")
    random_econ = pa.array(econ_project, type=pa.large_string()).take(
        pa.array(rng.integers(len(econ_project), size=n)))
    econ = pc.if_else(no_econ, random_econ, econ)
    func = take("func_code")
    other_func = pa.array(unbudgeted_funcs, type=pa.large_string()).take(
        pa.array(np.maximum(stray_func, 0)))
    func = pc.if_else(pa.array(unbudgeted), other_func, func)

    # amounts: log-normal around ~3,000 元, a few refunds
    fen = np.round(np.exp(rng.normal(np.log(300_000), 1.2, size=n))).astype(np.int64)
    fen = np.clip(fen, 1, 5_000_000_00)
    refund = rng.random(n) < 0.002
    fen[refund] = -np.minimum(fen[refund], 200_000)
    amount = _yuan(fen)
    grouped = (rng.random(n) < grouped_share) & (np.abs(fen) >= 100_000)
    where = np.flatnonzero(grouped)
    if len(where):
        amount = pc.replace_with_mask(amount, pa.array(grouped),
                                      pa.array([_grouped(int(f)) for f in fen[where]],
                                               type=pa.large_string()))
    seq = pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1, dtype=np.int64)), pa.large_string()),
                       9, "0")
    voucher = pc.binary_join_element_wise(
        _text("PZ"), pc.cast(pa.array(year), pa.large_string()), _text("-"), seq, _text(""))
    date = pc.cast(pa.array(day_number.astype("datetime64[D]")), pa.large_string())
    memo = pa.array(MEMOS, type=pa.large_string()).take(pa.array(rng.integers(len(MEMOS), size=n)))
    table = pa.table({
        "voucher": voucher, "date": date, "dept": take("dept_code"), "unit": take("unit_code"),
        "fund": take("fund_type"), "kind": take("expense_kind"), "project": take("project_code"),
        "func": func, "econ": econ, "amount": amount, "memo": memo,
    })
    stats = {"rows": n, "amount_fen": int(fen.sum()), "unbudgeted_rows": int(unbudgeted.sum()),
             "unbudgeted_keys": len({(int(a), int(b)) for a, b in zip(
                 line[unbudgeted], stray_func[unbudgeted], strict=True)}),
             "unbudgeted_fen": int(fen[unbudgeted].sum()), "grouped_rows": int(grouped.sum()),
             "refund_rows": int(refund.sum()),
             **{f"rows_{y}": int((year == y).sum()) for y in YEARS},
             **{f"amount_fen_{y}": int(fen[year == y].sum()) for y in YEARS}}
    return table, stats


def write_payments(path: Path, table: pa.Table, chunk: int = 1_000_000) -> None:
    """Write text columns as CSV lines (fields joined by commas), chunk by chunk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write((PAYMENT_HEADER + "\n").encode("utf-8"))
        for start in range(0, table.num_rows, chunk):
            part = table.slice(start, chunk)
            cols = [part.column(i).combine_chunks() for i in range(part.num_columns)]
            lines = pc.binary_join_element_wise(*cols, _text(","))
            lines = pc.binary_join_element_wise(lines, _text(""), _text("\n"))
            offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)
            first, last = offsets[lines.offset], offsets[lines.offset + len(lines)]
            fh.write(memoryview(lines.buffers()[2])[first:last])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5_000_000, help="payment rows")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default bench/data/raw<rows>, e.g. raw5m)")
    parser.add_argument("--depts", type=int, default=40)
    parser.add_argument("--units", type=int, default=3, help="units per department")
    parser.add_argument("--unbudgeted", type=float, default=0.005,
                        help="share of payments matching no budget line")
    parser.add_argument("--unbudgeted-keys", type=int, default=200,
                        help="distinct budget keys the unbudgeted payments fall on")
    parser.add_argument("--grouped", type=float, default=0.01,
                        help="share of amounts written with thousands separators")
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args(argv)
    out = args.out or ROOT / "bench" / "data" / f"raw{_label(args.rows)}"
    if out.exists():
        if any(out.iterdir()) and not (out / "generator.json").exists():
            print(f"refusing to replace {out}: not made by this script", file=sys.stderr)
            return 2
        shutil.rmtree(out)
    out.mkdir(parents=True)
    t0 = time.perf_counter()
    rng = np.random.default_rng(args.seed)

    funcs = _codes("functional_2022.csv", "项")
    econs = _codes("economic_2022.csv", "款")
    func_order = rng.permutation(len(funcs))
    n_unbudgeted = max(20, len(funcs) // 10)
    unbudgeted_funcs = [funcs[i] for i in func_order[:n_unbudgeted]]  # never budgeted
    func_pool = [funcs[i] for i in func_order[n_unbudgeted:]]
    econ_basic = [c for c in econs if c[:3] in ("301", "302", "303")]
    econ_project = [c for c in econs if c[:3] in ("302", "310", "309", "312")]

    units = make_departments(args.depts, args.units)
    with open(out / "departments.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["部门编码", "部门名称", "单位编码", "单位名称", "单位级次"])
        for u in units:
            w.writerow([u["dept_code"], u["dept_name"], u["unit_code"], u["unit_name"],
                        u["unit_kind"]])
    budget = make_budget(rng, units, func_pool, econ_basic, econ_project)
    budget_paths = write_budget(out, budget)
    table, stats = make_payments(rng, args.rows, budget, econ_project, unbudgeted_funcs,
                                 args.unbudgeted, args.unbudgeted_keys, args.grouped)
    pay_path = out / "payments" / "payments.csv"
    write_payments(pay_path, table)
    del table

    files = {str(p.relative_to(out)): p.stat().st_size
             for p in [out / "departments.csv", *budget_paths, pay_path]}
    meta = {
        "generator": "bench/make_large_ledger.py",
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "years": list(YEARS),
        "departments": args.depts, "units": len(units),
        "budget_rows": len(budget["year"]),
        "budget_fen": {k: int(budget[k].sum()) for k in BUDGET_PHASES},
        "payments": stats,
        "payments_amount_fen": stats["amount_fen"],
        "files": files,
    }
    (out / "generator.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                                        encoding="utf-8")
    elapsed = time.perf_counter() - t0
    print(f"wrote {out} in {elapsed:.1f} s")
    for name, size in files.items():
        print(f"  {name:<32} {size / 1e6:>10.1f} MB")
    print(f"  budget lines {meta['budget_rows']:,} over {len(YEARS)} years; payments "
          f"{args.rows:,} ({stats['unbudgeted_rows']:,} unbudgeted, "
          f"{stats['grouped_rows']:,} with thousands separators, "
          f"{stats['refund_rows']:,} refunds)")
    print(f"  payments total: {stats['amount_fen']} 分 ({stats['amount_fen'] / 100:,.2f} 元)")
    return 0


def _label(rows: int) -> str:
    for size, suffix in ((1_000_000, "m"), (1_000, "k")):
        if rows >= size and rows % size == 0:
            return f"{rows // size}{suffix}"
    return str(rows)


if __name__ == "__main__":
    sys.exit(main())
