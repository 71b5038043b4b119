"""Checks that need more than one table, run on everything ``collect`` has read.

- department and unit codes must be known (``departments``); unknown codes are errors
  that name the nearest known code;
- voucher ids are unique per department-year across all payment files: every repeat
  after the first is rejected, naming where the first one is;
- functional and economic codes missing from the code table of the year are reported
  with the nearest known code (warnings: the shipped tables may lag the Ministry's);
- each payment is matched to a budget line (``schema.MATCH_KEY`` plus the economic code
  where the line gives one); unmatched payments are kept, flagged ``budgeted = False``
  and reported as unbudgeted spending, one warning per budget key;
- a budget line without an economic code that funds 三公 payments is a warning naming it
  and the first such payment (:mod:`outturn.ingest.sangong_check`).

Rows that fail move to the table's rejected rows with their reason; nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from outturn import classify
from outturn.ingest.balance_check import check_balances
from outturn.ingest.rejects import reject_rows
from outturn.ingest.rowproblems import MAX_LISTED  # rows listed one by one per check
from outturn.ingest.sangong_check import check_sangong_lines
from outturn.keys import composite_keys
from outturn.money import MAX_DEPT_YEAR_FEN, exact_sum, fen_to_yuan
from outturn.problems import Problem
from outturn.schema import LEDGER_TABLES, MATCH_KEY, MONEY_TABLES, TABLES

if TYPE_CHECKING:
    from outturn.ingest.collect import Collected


def _row_problem(row: pd.Series, column: str, value: str, rule: str, advice: str,
                 severity: str = "error") -> Problem:
    return Problem(file=str(row["_file"]), sheet=str(row["_sheet"]), row=int(row["_row"]),
                   column=column, value=value, rule=rule, advice=advice,
                   severity=severity)  # type: ignore[arg-type]


def _report(collected: Collected, frame: pd.DataFrame, positions: np.ndarray, column: str,
            values: list[str], rules: list[str], advice: str, what: str) -> None:
    """List the first rows of one check as problems and sum up the rest in one line."""
    listing, key = collected.listing, ("cross-check", what, column)
    listed = positions[:MAX_LISTED if listing is None else listing.allow(key, len(positions))]
    rows = frame.iloc[listed]
    collected.problems.extend(
        Problem(file=str(f), sheet=str(sh), row=int(r), column=column, value=v, rule=rule,
                advice=advice)
        for f, sh, r, v, rule in zip(rows["_file"], rows["_sheet"], rows["_row"], values,
                                     rules, strict=False))
    first_file = str(frame["_file"].iloc[positions[0]]) if len(positions) else ""

    def summary(extra: int, shown: int) -> Problem:
        return Problem(file=first_file, column=column,
                       rule=f"{what}: {extra:,} more row(s) like the {shown:,} above",
                       advice=advice + " (every row is in the rejected rows with its reason)")

    if listing is not None:
        listing.more(key, len(positions) - len(listed), summary)
    elif len(positions) > len(listed):
        collected.problems.append(summary(len(positions) - len(listed), len(listed)))


def cross_check(collected: Collected, after: Callable[[str], None] | None = None) -> None:
    """The checks that need several tables; see the module docstring.

    ``after(name)`` runs after each check: a caller that checks the payments batch by
    batch (:mod:`outturn.ingest.stream`) adds their part of that check there, so the
    problems keep the order of the checks.
    """
    for name, check in CHECKS:
        check(collected)
        if after is not None:
            after(name)


def _check_code_case(collected: Collected) -> None:
    """Department codes that differ only in case (D2, d2) are one folder on Windows and
    macOS, where one department's report would overwrite the other's: the later code is
    rejected, naming the first (its ledger rows then fail as an unknown department)."""
    depts = collected.tables["departments"]
    if depts.empty:
        return
    codes = pd.Series(pd.unique(depts["dept_code"].astype("str")), dtype="str")
    folded = codes.str.casefold()
    clash = folded.duplicated(keep="first")
    if not clash.any():
        return
    first = dict(zip(folded[~clash], codes[~clash], strict=True))
    later = {code: first[fold] for code, fold in zip(codes[clash], folded[clash], strict=True)}
    bad = depts["dept_code"].astype("str").isin(later).to_numpy()
    positions = np.flatnonzero(bad)
    values = depts["dept_code"].astype("str").iloc[positions].tolist()
    rules = [f"department code differs from {later[v]} only in case (their folders would be "
             "one on Windows)" for v in values]
    _report(collected, depts, positions, "部门编码", values, rules,
            "give the department a code that differs in more than letter case", "code case")
    reject_rows(collected, "departments", bad,
            pd.Series(["dept_code: " + r for r in rules], index=depts.index[bad]).reindex(
                depts.index, fill_value=""))


def _check_magnitudes(collected: Collected) -> None:
    """Reject the rows of a department-year whose money adds up beyond any real budget
    (:data:`~outturn.money.MAX_DEPT_YEAR_FEN`), so no later sum can leave int64 分."""
    for name in MONEY_TABLES:
        frame = collected.tables[name]
        money = [c for c in TABLES[name].of_kind("money") if c in frame.columns]
        if frame.empty or not money:
            continue
        # a float sum tells the magnitude (it cannot wrap); the exact sum is taken for the few
        keys = [frame["dept_code"], frame["year"]]
        rough = frame[money].astype("float64").abs().groupby(keys, observed=True).sum()
        suspects = rough[(rough > MAX_DEPT_YEAR_FEN / 2).any(axis=1)].index
        bad = np.zeros(len(frame), dtype=bool)
        for dept, year in suspects:
            mine = ((frame["dept_code"] == dept) & (frame["year"] == year)).to_numpy(dtype=bool)
            over = [c for c in money if abs(exact_sum(frame[c][mine].fillna(0))) > MAX_DEPT_YEAR_FEN]
            if not over:
                continue
            bad |= mine
            collected.problems.append(magnitude_problem(
                frame[mine].iloc[0], name, over[0], str(dept), int(year),
                exact_sum(frame[over[0]][mine].fillna(0)), int(mine.sum())))
        if bad.any():
            reasons = pd.Series("", index=frame.index, dtype="str")
            reasons[bad] = TOO_BIG
            reject_rows(collected, name, bad, reasons)


#: Why every row of a department-year beyond any real budget is rejected.
TOO_BIG = "department-year beyond any real budget"


def magnitude_problem(first: pd.Series, name: str, column: str, dept: str, year: int,
                      total: int, rows: int) -> Problem:
    """The error naming a department-year whose money is beyond any real budget, at its
    first row."""
    return _row_problem(
        first, TABLES[name].field(column).zh, dept,
        f"department {dept}'s {year} {name} add up to {fen_to_yuan(total):,.2f} 元, beyond "
        f"any real budget (100 万亿元): all {rows:,} rows are rejected",
        "check the unit (元 or 万元) of these files and whether a file was copied twice")


def check_org_codes(collected: Collected) -> None:
    depts = collected.tables["departments"]
    dept_codes = set(depts["dept_code"])
    unit_pairs = set(zip(depts["dept_code"], depts["unit_code"], strict=True))
    for name in LEDGER_TABLES:
        frame = collected.tables[name]
        if frame.empty:
            continue
        bad_dept = ~frame["dept_code"].isin(dept_codes).to_numpy()
        if "unit_code" in frame.columns:
            rows, known = composite_keys([frame, depts], ["dept_code", "unit_code"])
            bad_unit = ~pd.Series(rows).isin(known).to_numpy() & ~bad_dept
        else:
            bad_unit = np.zeros(len(frame), dtype=bool)
        if not (bad_dept.any() or bad_unit.any()):
            continue
        bad = bad_dept | bad_unit
        positions = np.flatnonzero(bad)
        picked = frame.iloc[positions]
        pairs = pd.DataFrame({"dept_code": picked["dept_code"].astype("str"),  # indicators have
                              "unit_code": picked["unit_code"].astype("str")  # no unit column
                              if "unit_code" in picked.columns else ""})
        # one message per distinct wrong code, spread to its rows
        message: dict[tuple[str, str], tuple[str, str, str]] = {}
        for d, u in pairs.drop_duplicates().itertuples(index=False):
            if d not in dept_codes:
                column, value, what, known = "部门编码", d, "department", dept_codes
            else:
                column, value, what = "单位编码", u, "unit"
                known = {unit for dept, unit in unit_pairs if dept == d}
            padded = classify.lost_zeros(value, known)
            nearest = classify.nearest_code(value, known)
            hint = (f"did you mean {padded}? a spreadsheet drops leading zeros unless the "
                    "column is formatted as text") if padded else \
                f"nearest known {what} code is {nearest}" if nearest else "no similar code"
            message[(d, u)] = (column, value, f"unknown {what} code ({hint})")
        found = [message[(d, u)] for d, u in pairs.itertuples(index=False)]
        reasons = pd.Series("", index=frame.index, dtype="str")
        reasons.iloc[positions] = [f"{c}: {rule}" for c, _, rule in found]
        for column in ("部门编码", "单位编码"):
            mine = [i for i, m in enumerate(found) if m[0] == column]
            if mine:
                what = "department" if column == "部门编码" else "unit"
                _report(collected, frame, positions[mine], column,
                        [found[i][1] for i in mine], [found[i][2] for i in mine],
                        f"correct the code or add the {what} to departments.csv",
                        f"unknown {what} code")
        reject_rows(collected, name, bad, reasons)


def _check_vouchers(collected: Collected) -> None:
    pay = collected.tables["payments"]
    if pay.empty:
        return
    key = ["dept_code", "year", "voucher_id"]
    # one payments file whose ids were all distinct when parsed has no duplicates;
    # otherwise hash the one column, and run the three-column check on repeats only
    files = [f for f in collected.files if f.table.name == "payments" and len(f.frame)]
    if len(files) == 1 and files[0].unique_columns.get("voucher_id"):
        return
    if pd.Index(pay["voucher_id"]).is_unique:
        return
    dup = pay.duplicated(key, keep="first").to_numpy()
    if not dup.any():
        return
    # where each repeated id was first seen, for every repeat (vectorised over the repeats)
    repeated = pay.duplicated(key, keep=False).to_numpy()
    subset = pay[repeated]
    groups = subset.groupby(key, sort=False, observed=True)
    first_file = groups["_file"].transform("first").astype("str")
    first_row = groups["_row"].transform("first").astype("str")
    first_sheet = groups["_sheet"].transform("first").astype("str")
    where = duplicate_rules(first_file, first_sheet, first_row)
    positions = np.flatnonzero(dup)
    rules = where[dup[repeated]].tolist()
    reasons = pd.Series("", index=pay.index, dtype="str")
    reasons.iloc[positions] = ["voucher_id: " + r for r in rules]
    _report(collected, pay, positions, "凭证号", pay["voucher_id"].iloc[positions].astype("str")
            .tolist(), rules, DUPLICATE_ADVICE, "duplicate voucher id")
    reject_rows(collected, "payments", dup, reasons)


DUPLICATE_ADVICE = ("remove the repeated row, or give it its own voucher id if it is a "
                    "different payment")


def duplicate_rules(first_file: pd.Series, first_sheet: pd.Series,
                    first_row: pd.Series) -> pd.Series:
    """The rule of each repeated voucher: where its id was first seen (text Series)."""
    in_sheet = first_sheet.where(first_sheet == "", ", sheet " + first_sheet)
    return "duplicate voucher id (first seen at " + first_file + in_sheet + " row " + first_row + ")"


def distinct_pairs(frame: pd.DataFrame, column: str, year: str) -> pd.DataFrame:
    """The distinct (code, year) pairs of a frame, counted rather than hashed.

    A categorical code column and an integer year fold into one small integer per row;
    ``bincount`` finds the pairs present. Other dtypes fall back to ``drop_duplicates``.
    """
    values = frame[column]
    years = frame[year]
    if not (isinstance(values.dtype, pd.CategoricalDtype)
            and pd.api.types.is_integer_dtype(years.dtype)) or frame.empty:
        return frame[[column, year]].drop_duplicates()
    codes = values.cat.codes.to_numpy().astype(np.int64) + 1  # missing → 0
    y = years.to_numpy(dtype=np.int64)
    low, width = int(y.min()), len(values.cat.categories) + 1
    present = np.flatnonzero(np.bincount((y - low) * width + codes))
    labels = np.array(["", *values.cat.categories.astype("str")], dtype=object)
    return pd.DataFrame({column: labels[present % width].astype(str),
                         year: present // width + low})


def _check_class_codes(collected: Collected) -> None:
    """Report codes missing from the year's code tables, once per file and code."""
    for name in ("budget", "payments"):
        frame = collected.tables[name]
        if frame.empty:
            continue
        for column, kind in (("func_code", "functional"), ("econ_code", "economic")):
            # look codes up once per distinct (code, year), then find where the unknown are
            distinct = distinct_pairs(frame, column, "year")
            for year, group in distinct[distinct[column] != ""].groupby("year"):
                unknown = classify.unknown_codes(group[column], kind, int(year))
                if unknown.empty:
                    continue
                info = unknown.set_index("code")
                where = frame[frame[column].isin(info.index).to_numpy()
                              & (frame["year"] == year).to_numpy()]
                for _, row in where.drop_duplicates([column, "_file"]).iterrows():
                    collected.problems.append(class_code_problem(
                        row, name, column, kind, int(year), info.at[row[column], "nearest"],
                        info.at[row[column], "nearest_name"]))


def class_code_problem(row: pd.Series, name: str, column: str, kind: str, year: int,
                       near: str, near_name: str) -> Problem:
    """The warning for a code missing from the year's code table, at its first row."""
    hint = f"nearest known code is {near} {near_name}" if near else "no similar code"
    return _row_problem(row, TABLES[name].field(column).zh, str(row[column]),
                        f"{kind} code not in the {year} code table ({hint})",
                        "check the code; if it is valid, add it to the code table",
                        severity="warning")


def _match_budget(collected: Collected) -> None:
    """Flag each payment budgeted or not, and report unbudgeted spending per budget key."""
    pay, bud = collected.tables["payments"], collected.tables["budget"]
    if pay.empty:
        pay["budgeted"] = pd.Series(dtype=bool)
        return
    budgeted, pay_part = budget_flags(pay, bud)
    pay["budgeted"] = budgeted
    if budgeted.all():
        return
    # one warning per budget key: aggregate with numpy, then build the few warnings
    positions = np.flatnonzero(~budgeted)
    keys, first, inverse = np.unique(pay_part[positions], return_index=True,
                                     return_inverse=True)
    counts = np.bincount(inverse, minlength=len(keys))
    amounts = pay["amount"].to_numpy(dtype=np.int64)[positions]
    totals = np.zeros(len(keys), dtype=np.int64)
    np.add.at(totals, inverse, amounts)  # exact int64 sums (bincount would go via float)
    rows = pay.iloc[positions[first]]
    found = [(row, int(count), int(total)) for (_, row), count, total
             in zip(rows.iterrows(), counts, totals, strict=True)]
    collected.problems.extend(unbudgeted_problems(found))


def budget_flags(pay: pd.DataFrame, bud: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Whether each payment matches a budget line, and its budget key (without the
    economic code) as a small integer, equal for payments of the same key."""
    with_econ = bud[bud["econ_code"] != ""]
    without_econ = bud[bud["econ_code"] == ""]
    # factorise the seven key columns once for all three frames, then add the econ code
    pay_part, with_part, bud_part = composite_keys([pay, with_econ, without_econ], MATCH_KEY)
    pay_full, bud_full = composite_keys(
        [pd.DataFrame({"k": pay_part, "e": pay["econ_code"].array}),
         pd.DataFrame({"k": with_part, "e": with_econ["econ_code"].array})], ["k", "e"])
    budgeted = (pd.Series(pay_full).isin(bud_full).to_numpy()
                | pd.Series(pay_part).isin(bud_part).to_numpy())
    return budgeted, pay_part


def unbudgeted_problems(found: list[tuple[pd.Series, int, int]]) -> list[Problem]:
    """One warning per budget key of unbudgeted payments, given its first payment, how
    many there are and their 分; in the order of the first payments in their files."""
    out = []
    for row, count, total in sorted(found, key=lambda t: (str(t[0]["_file"]), t[0]["_row"])):
        what = f"project {row['project_code']}" if row["project_code"] else \
            f"{row['expense_kind']} {row['func_code']}"
        out.append(_row_problem(
            row, "项目编码" if row["project_code"] else "功能分类科目编码",
            str(row["project_code"] or row["func_code"]),
            f"unbudgeted spending: {count} payment(s) totalling {fen_to_yuan(total)} 元 "
            f"match no budget line ({row['unit_code']} {row['fund_type']} {what})",
            "kept and reported as unbudgeted; add the budget line if it exists",
            severity="warning"))
    return out


CHECKS: tuple[tuple[str, Callable[[Collected], None]], ...] = (
    ("code case", _check_code_case), ("org codes", check_org_codes),
    ("magnitudes", _check_magnitudes), ("vouchers", _check_vouchers),
    ("class codes", _check_class_codes), ("budget", _match_budget),
    ("三公", check_sangong_lines), ("balances", check_balances))
