"""Reconciliation: rows and money in versus rows and money out, per source file, to the 分.

For every source file (every sheet of a workbook) and money column: rows read (detail
rows; total rows are counted apart), rows accepted, rows rejected, and the amounts of
each. ``balanced`` is true when rows in = accepted + rejected and amount in = accepted
+ rejected exactly. A file's own 合计/总计 row, when it has one, is shown as ``declared``.
"""

from __future__ import annotations

import pandas as pd

from outturn.ingest.collected import Collected
from outturn.ingest.normalise import Normalised
from outturn.ingest.streamed import SourceCount
from outturn.money import exact_sum, fen_to_yuan

COLUMNS = ("table", "file", "sheet", "column", "rows_in", "total_rows", "rows_accepted", "rows_rejected",
           "unreadable_amounts", "in_fen", "accepted_fen", "rejected_fen", "declared_fen",
           "balanced")


def reconcile(collected: Collected) -> pd.DataFrame:
    """One row per source file (and sheet) × money column (one row for tables without
    money)."""
    rows = []
    for norm in collected.files:
        name, file, sheet = norm.table.name, norm.file, norm.sheet
        streamed = collected.streamed
        if streamed is not None and streamed.table == name:  # counted as written
            counted = streamed.count(file, sheet)
            rows.extend(_counted(norm, counted))
            continue
        acc_f = _of(collected.tables[name], file, sheet)
        rej_f = _of(collected.rejected[name], file, sheet)
        n_acc, n_rej = len(acc_f), len(rej_f)
        base = {"table": name, "file": file, "sheet": sheet, "rows_in": norm.rows_in,
                "total_rows": norm.total_rows, "rows_accepted": n_acc, "rows_rejected": n_rej,
                "unreadable_amounts": norm.unreadable_amounts}
        rows_ok = norm.rows_in == n_acc + n_rej
        if not norm.totals:
            rows.append({**base, "column": "", "balanced": rows_ok})
            continue
        for column, (total_in, _, _) in norm.totals.items():
            accepted = exact_sum(acc_f[column]) if n_acc else 0
            rejected = exact_sum(rej_f[f"{column}_fen"].fillna(0)) if n_rej else 0
            rows.append({**base, "column": column, "in_fen": total_in, "accepted_fen": accepted,
                         "rejected_fen": rejected, "declared_fen": norm.declared.get(column),
                         "balanced": rows_ok and total_in == accepted + rejected})
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for c in ("in_fen", "accepted_fen", "rejected_fen", "declared_fen"):
        frame[c] = pd.Series([r.get(c) for r in rows], dtype=object)  # never inferred as float
        if all(pd.isna(v) or _INT64[0] <= int(v) <= _INT64[1] for v in frame[c]):
            frame[c] = frame[c].astype("Int64")  # else exact Python ints, beyond int64
    return frame


_INT64 = (-(2**63), 2**63 - 1)


def _counted(norm: Normalised, counted: SourceCount) -> list[dict[str, object]]:
    """The rows of a file read in batches, from what was written of it."""
    base = {"table": norm.table.name, "file": norm.file, "sheet": norm.sheet,
            "rows_in": norm.rows_in, "total_rows": norm.total_rows,
            "rows_accepted": counted.accepted, "rows_rejected": counted.rejected,
            "unreadable_amounts": norm.unreadable_amounts}
    rows_ok = norm.rows_in == counted.accepted + counted.rejected
    if not norm.totals:
        return [{**base, "column": "", "balanced": rows_ok}]
    out: list[dict[str, object]] = []
    for column, (total_in, _, _) in norm.totals.items():
        accepted = counted.accepted_fen.get(column, 0)
        rejected = counted.rejected_fen.get(column, 0)
        out.append({**base, "column": column, "in_fen": total_in, "accepted_fen": accepted,
                    "rejected_fen": rejected, "declared_fen": norm.declared.get(column),
                    "balanced": rows_ok and total_in == accepted + rejected})
    return out


def _of(frame: pd.DataFrame, file: str, sheet: str) -> pd.DataFrame:
    """The rows of ``frame`` that came from one file and sheet."""
    if not len(frame):
        return frame
    mine = (frame["_file"] == file).to_numpy(dtype=bool)
    if "_sheet" in frame.columns:
        mine = mine & (frame["_sheet"] == sheet).to_numpy(dtype=bool)
    return frame[mine] if not mine.all() else frame


#: The amount column each table's reconciliation summary shows.
MAIN_COLUMN = {"budget": "adjusted_budget", "payments": "amount"}


def _yuan(v: object) -> str:
    return "" if pd.isna(v) else f"{fen_to_yuan(int(v)):,.2f}"  # type: ignore[call-overload]


def format_reconciliation(frame: pd.DataFrame, full: bool = False) -> str:
    """A plain-text reconciliation, amounts in 元 with two decimals.

    By default one line per table (files summed) plus every file that does not balance;
    ``full`` lists every file and money column.
    """
    if not full:
        lines = []
        for table, group in frame.groupby("table", sort=False):
            files = group.drop_duplicates(["file", "sheet"])
            main = group[group["column"] == MAIN_COLUMN.get(str(table), "")]
            money = (f"; {MAIN_COLUMN[str(table)]} in {_yuan(sum(map(int, main['in_fen'])))} 元 = "
                     f"accepted {_yuan(sum(map(int, main['accepted_fen'])))} + rejected "
                     f"{_yuan(sum(map(int, main['rejected_fen'])))}") if str(table) in MAIN_COLUMN else ""
            count = files["file"].nunique()
            sheets = f" ({len(files)} sheets)" if len(files) > count else ""
            lines.append(f"  {table}: {count} file(s){sheets}, rows in {files['rows_in'].sum()} = "
                         f"accepted {files['rows_accepted'].sum()} + rejected "
                         f"{files['rows_rejected'].sum()}{money}")
        bad = frame[~frame["balanced"]]
        lines.append("  all files balance to the 分." if bad.empty else
                     "  NOT BALANCED:\n" + format_reconciliation(bad, full=True))
        return "\n".join(lines)
    shown = pd.DataFrame({
        "file": frame["file"], "sheet": frame["sheet"], "column": frame["column"],
        "rows in": frame["rows_in"], "accepted": frame["rows_accepted"],
        "rejected": frame["rows_rejected"], "total rows": frame["total_rows"],
        "in (元)": frame["in_fen"].map(_yuan), "accepted (元)": frame["accepted_fen"].map(_yuan),
        "rejected (元)": frame["rejected_fen"].map(_yuan),
        "declared (元)": frame["declared_fen"].map(_yuan),
        "ok": frame["balanced"].map({True: "yes", False: "NO"}),
    })
    return shown.to_string(index=False)
