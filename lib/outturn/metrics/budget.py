"""Budget against actual: execution, adjustment, control, completion and balance rates.

The department self-evaluation report (domain.md §2–§3) compares the budget phases
(上年结转, 年初预算, 追加, 调减, 调整后预算, 实际到位) with actual expenditure (执行数)
at several levels: department, unit, project, fund type and expense kind. All of them
are one operation, :func:`budget_vs_actual`, grouped differently.

This module sums the phases and the payments per group and joins them; the derived
amounts and the rates are added by :mod:`outturn.metrics.budget_rates` (whose
:data:`DENOMINATORS`, :data:`RATE_PARTS` and ``Denominator`` are re-exported here).
Amounts stay int64 分 and sums are exact. Each rate ``x`` comes with ``x_note`` (see
:mod:`outturn.metrics.ratios`), and the integer numerator and denominator of every rate
stay in the frame (:data:`RATE_PARTS`) so a report prints percentages exactly with
:func:`outturn.money.percent`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from outturn.aliases import EXPENSE_KINDS, FUND_TYPES
from outturn.metrics.budget_rates import (
    DENOMINATORS,
    RATE_PARTS,
    Denominator,
    check_denominator,
    derive_rates,
)
from outturn.metrics.ratios import add_rate, money_array, na_reasons, require_columns
from outturn.vocabulary import BASIC as BASIC
from outturn.vocabulary import BOOKS, UNCLASSIFIED
from outturn.vocabulary import COST_TYPES as COST_TYPES
from outturn.vocabulary import TOTAL_LABEL as TOTAL_LABEL

__all__ = [
    "BUDGET_AMOUNTS",
    "COST_TYPES",
    "DENOMINATORS",
    "RATE_PARTS",
    "TOTAL_LABEL",
    "UNCLASSIFIED_LABEL",
    "Denominator",
    "budget_vs_actual",
    "fill_amounts",
    "headline",
    "personnel_operating",
]

#: Budget phase columns summed by :func:`budget_vs_actual`.
BUDGET_AMOUNTS: tuple[str, ...] = (
    "carryover", "original_budget", "supplementary", "reduction", "adjusted_budget",
)

#: The label for basic lines that are neither 人员经费 nor 公用经费 (domain.md §1); the
#: two halves themselves (COST_TYPES), 基本支出 (BASIC) and 合计 (TOTAL_LABEL) are
#: :mod:`outturn.vocabulary`'s, imported above.
UNCLASSIFIED_LABEL = UNCLASSIFIED


def _normalise_by(by: Sequence[str] | str) -> list[str]:
    """``by`` as a list of column names; a bare string means one column."""
    cols = [by] if isinstance(by, str) else list(by)
    if len(set(cols)) != len(cols):
        raise ValueError(f"duplicate grouping column(s) in by={cols!r}")
    return cols


#: Sums go into a dense array indexed by the combined code while the number of possible
#: key combinations is at most this many per row (or _DENSE_FLOOR); beyond, codes are factorised.
_DENSE_FACTOR = 4
_DENSE_FLOOR = 1 << 16
#: Beyond this many possible combinations the codes would overflow int64: pandas groupby.
_INT64_LIMIT = 2**62


def _group_sums(frame: pd.DataFrame, by: list[str], values: dict[str, np.ndarray]) -> pd.DataFrame:
    """Exact int64 sums of ``values`` per group of ``frame[by]``, keys as columns.

    Missing key values (NA) form their own group so that totals are preserved; with no
    ``by`` the result is one row of grand totals. Group order is unspecified.

    Why not ``DataFrame.groupby``: on millions of rows with text keys it spends most of
    its time hashing the keys, again for every call. Here each key column is factorised
    once (a categorical column costs nothing), the codes are folded into one int64 per
    row (mixed radix) and the sums are ``np.add.at`` on int64, which is exact. The keys
    of each group are decoded back from the radix, so they keep their column's dtype.
    """
    n = len(frame)
    if not by:
        return pd.DataFrame({k: np.array([v.sum()], dtype=np.int64) for k, v in values.items()})
    codes_list: list[np.ndarray] = []
    uniques_list: list[pd.Index] = []
    radix = 1
    for col in by:
        codes, uniques = pd.factorize(frame[col], use_na_sentinel=False)
        size = max(len(uniques), 1)
        if radix * size >= _INT64_LIMIT:  # astronomically many combinations: let pandas do it
            vals = pd.DataFrame(values, index=frame.index, copy=False)
            grouped = vals.groupby([frame[c] for c in by], sort=False, dropna=False,
                                   observed=True)
            return grouped.sum().reset_index()
        codes_list.append(codes.astype(np.int64, copy=False))
        uniques_list.append(uniques)
        radix *= size
    combined = codes_list[0].copy()
    for codes, uniques in zip(codes_list[1:], uniques_list[1:], strict=True):
        combined *= len(uniques)
        combined += codes
    if radix <= max(_DENSE_FACTOR * n, _DENSE_FLOOR):
        used = np.flatnonzero(np.bincount(combined, minlength=radix))
        sums = {}
        for name, v in values.items():
            dense = np.zeros(radix, dtype=np.int64)
            np.add.at(dense, combined, v)
            sums[name] = dense[used]
    else:
        group_id, used = pd.factorize(combined)
        used = np.asarray(used, dtype=np.int64)
        sums = {}
        for name, v in values.items():
            acc = np.zeros(len(used), dtype=np.int64)
            np.add.at(acc, group_id, v)
            sums[name] = acc
    keys: dict[str, object] = {}
    rest = used
    for col, uniques in zip(reversed(by), reversed(uniques_list), strict=True):
        size = len(uniques)
        keys[col] = uniques.take(rest % size) if size else uniques
        rest = rest // size if size else rest
    out = pd.DataFrame({col: pd.Series(keys[col]).reset_index(drop=True) for col in by})
    for name, arr in sums.items():
        out[name] = arr
    return out


def _sum_budget(budget: pd.DataFrame, by: list[str], needed_by: str) -> pd.DataFrame:
    """Budget phases summed per group, with ``funds_received`` NA where any line lacks it."""
    require_columns(budget, [*by, *BUDGET_AMOUNTS], frame_name="budget", needed_by=needed_by)
    values = {c: money_array(budget, c, frame_name="budget") for c in BUDGET_AMOUNTS}
    has_received = "funds_received" in budget.columns
    if has_received:
        received = budget["funds_received"]
        values["funds_received"] = pd.to_numeric(received).fillna(0).to_numpy(dtype=np.int64)
        values["_received_missing"] = received.isna().to_numpy(dtype=np.int64)
    sums = _group_sums(budget, by, values)
    if has_received:
        lacking = sums.pop("_received_missing") > 0
        sums["funds_received"] = sums["funds_received"].astype("Int64").mask(lacking)
    else:
        sums["funds_received"] = pd.array([pd.NA] * len(sums), dtype="Int64")
    sums.attrs["has_received"] = has_received  # read by _combine
    return sums


def _sum_payments(payments: pd.DataFrame, by: list[str], needed_by: str) -> pd.DataFrame:
    """Actual expenditure and its unbudgeted part summed per group.

    ``budgeted`` marks payments that match a budget line; only rows where it is
    ``False`` count as unbudgeted (a missing flag is not evidence of unbudgeted spending).
    """
    require_columns(payments, [*by, "amount", "budgeted"], frame_name="payments",
                    needed_by=needed_by)
    amount = money_array(payments, "amount", frame_name="payments")
    flag = payments["budgeted"]
    unbudgeted = (flag.eq(False) & flag.notna()).to_numpy(dtype=bool)
    values = {"actual": amount, "unbudgeted": np.where(unbudgeted, amount, 0)}
    return _group_sums(payments, by, values)


def _combine(bud: pd.DataFrame, pay: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Outer-join budget and payment sums; absent sides count as zero.

    A group with payments but no budget line gets zero for every phase, and zero
    ``funds_received`` when the budget frame has that column (no line, nothing received).
    """
    has_received = bool(bud.attrs.get("has_received", False))
    if by:
        if len(pay) == 0:  # (merging empty arrow-backed keys trips pandas; nothing to join)
            merged = bud.assign(actual=0, unbudgeted=0)
            no_budget = np.zeros(len(merged), dtype=bool)
        elif len(bud) == 0:
            merged = pay.assign(**{c: 0 for c in BUDGET_AMOUNTS},
                                funds_received=pd.array([pd.NA] * len(pay), dtype="Int64"))
            no_budget = np.ones(len(merged), dtype=bool)
        else:
            merged = bud.merge(pay, on=by, how="outer", indicator=True)
            no_budget = (merged.pop("_merge") == "right_only").to_numpy()
        merged = merged[[*by, *BUDGET_AMOUNTS, "funds_received", "actual", "unbudgeted"]]
        order = merged.sort_values(by, na_position="last", kind="stable").index
        merged = merged.loc[order].reset_index(drop=True)
        no_budget = no_budget[order.to_numpy()]
    else:
        merged = pd.concat([bud.reset_index(drop=True), pay.reset_index(drop=True)], axis=1)
        no_budget = np.zeros(len(merged), dtype=bool)
    return fill_amounts(merged, no_budget, has_received)


def fill_amounts(frame: pd.DataFrame, no_budget: np.ndarray, has_received: bool) -> pd.DataFrame:
    """Zero the amounts of groups missing on one side of a join (exact int64 again).

    ``funds_received`` stays missing where the budget had it missing, but is 0 for groups
    with no budget line at all (``no_budget``) when the budget does carry the column.
    """
    for c in (*BUDGET_AMOUNTS, "actual", "unbudgeted"):
        frame[c] = frame[c].fillna(0).astype(np.int64)
    received = frame["funds_received"].astype("Int64")
    if has_received:
        received = received.mask(pd.Series(no_budget, index=frame.index), 0)
    frame["funds_received"] = received
    return frame


def budget_vs_actual(
    budget: pd.DataFrame,
    payments: pd.DataFrame,
    by: Sequence[str] | str = ("dept_code",),
    denominator: Denominator = "adjusted",
) -> pd.DataFrame:
    """Budget phases against actual expenditure per group, with every budget rate.

    ``budget`` needs ``by`` plus carryover, original_budget, supplementary, reduction and
    adjusted_budget (int 分); funds_received is optional (needed for
    ``denominator="received"``, where a missing column makes every execution rate not
    applicable). ``payments`` needs ``by`` plus amount and budgeted.

    Groups are the union of both frames' groups (outer join): unbudgeted spending shows up
    with zero budget and budget lines without spending show zero actual. ``by=()`` gives
    one department-total row. Frames are summed as given: include ``year`` in ``by`` (or
    filter first) when they span several years.

    Columns, in order: the ``by`` keys; the summed phases (carryover, original_budget,
    supplementary, reduction, adjusted_budget; int64) and funds_received (Int64, NA when
    any line of the group lacks it); actual and unbudgeted (int64); derived int64 amounts
    available = carryover + adjusted_budget, variance = actual − adjusted_budget,
    balance (年末结转结余) = available − actual, adjustment = adjusted − original,
    actual_vs_original = actual − original, completion_base = carryover + original +
    supplementary, completed = completion_base − balance; denominator (the option) and
    denominator_amount (Int64); then the rates, each followed by its ``_note``:

    - execution_rate 预算执行率 = actual / denominator_amount
    - adjustment_rate 预算调整率 = adjustment / original_budget
    - control_rate 预算控制率 (Hunan) = supplementary / original_budget
    - final_vs_original_rate 预决算差异率 = actual_vs_original / original_budget
    - completion_rate 预算完成率 = completed / completion_base
    - balance_rate 结转结余率 = balance / available

    ``attrs`` records ``denominator``, ``denominator_label`` and ``rate_parts``
    (:data:`RATE_PARTS`: rate → its integer numerator and denominator columns).
    """
    by_cols = _normalise_by(by)
    check_denominator(denominator)
    bud = _sum_budget(budget, by_cols, "budget_vs_actual")
    pay = _sum_payments(payments, by_cols, "budget_vs_actual")
    return derive_rates(_combine(bud, pay, by_cols), denominator)


def _single_scope(frames: dict[str, pd.DataFrame], columns: Sequence[str], needed_by: str) -> None:
    """Raise ``ValueError`` when the frames together hold more than one value of a column."""
    for col in columns:
        values: set[object] = set()
        for f in frames.values():
            if col in f.columns:
                values.update(f[col].dropna().unique().tolist())
        if len(values) > 1:
            raise ValueError(
                f"{needed_by} expects one {col}, found {sorted(map(str, values))}; "
                "filter the frames first or use budget_vs_actual with by"
            )


def _report_order(
    frame: pd.DataFrame, columns: Sequence[tuple[str, Sequence[str]]]
) -> pd.DataFrame:
    """Sort rows by canonical value order per column; other values after, sorted; NA last."""
    sort_cols: list[str] = []
    tmp = frame.copy(deep=False)
    for col, canonical in columns:
        pos = {v: i for i, v in enumerate(canonical)}
        tmp[f"_order_{col}"] = tmp[col].map(pos).fillna(len(canonical)).astype(np.int64)
        sort_cols += [f"_order_{col}", col]
    tmp = tmp.sort_values(sort_cols, na_position="last", kind="stable", ignore_index=True)
    return tmp.drop(columns=[c for c in sort_cols if c.startswith("_order_")])


def headline(
    budget: pd.DataFrame, payments: pd.DataFrame, denominator: Denominator = "adjusted"
) -> pd.DataFrame:
    """One department-year at a glance: a row per fund type × expense kind, then the total.

    Rows follow report order: the four books × 基本支出/项目支出 (canonical order of
    :mod:`outturn.aliases`), every combination present even when empty (zero amounts,
    rates not applicable, so a report can print 无), then the other sources of funds
    (事业收入 …) found in the data, then a total row whose fund_type and expense_kind are ``"合计"``.
    Columns are those of :func:`budget_vs_actual` grouped by fund_type and expense_kind.

    Raises ``ValueError`` when the frames hold more than one dept_code or year.
    """
    _single_scope({"budget": budget, "payments": payments}, ("dept_code", "year"), "headline")
    keys = ["fund_type", "expense_kind"]
    bud = _sum_budget(budget, keys, "headline")
    has_received = bool(bud.attrs["has_received"])
    parts = _combine(bud, _sum_payments(payments, keys, "headline"), keys)
    parts[keys] = parts[keys].astype("str")

    present = set(zip(parts["fund_type"], parts["expense_kind"], strict=True))
    absent = [(f, k) for f in BOOKS for k in EXPENSE_KINDS if (f, k) not in present]
    zeros = pd.DataFrame(absent, columns=keys, dtype="str")
    for c in (*BUDGET_AMOUNTS, "actual", "unbudgeted"):
        zeros[c] = np.zeros(len(zeros), dtype=np.int64)
    zeros["funds_received"] = pd.array([0 if has_received else pd.NA] * len(zeros), dtype="Int64")
    rows = _report_order(pd.concat([parts, zeros], ignore_index=True),
                         [("fund_type", FUND_TYPES), ("expense_kind", EXPENSE_KINDS)])

    total = _combine(_sum_budget(budget, [], "headline"), _sum_payments(payments, [], "headline"),
                     [])
    total.insert(0, "expense_kind", TOTAL_LABEL)
    total.insert(0, "fund_type", TOTAL_LABEL)
    out = pd.concat([rows, total], ignore_index=True)
    out[keys] = out[keys].astype("str")
    return derive_rates(out, denominator)


def personnel_operating(
    payments: pd.DataFrame,
    by: Sequence[str] | str = (),
    *,
    fund_types: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Basic expenditure (基本支出) split into 人员经费 and 公用经费, per group.

    Uses payments with expense_kind == "基本支出" (and fund_type in ``fund_types`` when
    given; ``None`` keeps every fund type — the report's section 二 passes
    ``("一般公共预算",)``). ``cost_type`` comes from ingest (人员经费 = econ 301 + 303,
    公用经费 = 302 + 310); other or empty values are reported as ``"未分类"`` so the rows
    still add up to the basic total.

    One row per group and cost_type, in the order 人员经费, 公用经费, 未分类, 合计 (all
    four always present, zero when empty). Columns: the ``by`` keys, cost_type, actual
    (int64), share (actual / the group's basic total) and share_note. Groups are those
    with basic payments; ``by=()`` gives one group, present even when there are none.
    """
    by_cols = _normalise_by(by)
    needed = [*by_cols, "expense_kind", "cost_type", "amount"]
    if fund_types is not None:
        needed.append("fund_type")
    require_columns(payments, needed, frame_name="payments", needed_by="personnel_operating")
    keep = payments["expense_kind"].eq(BASIC)
    if fund_types is not None:
        keep &= payments["fund_type"].isin(list(fund_types))
    basic = payments.loc[keep.fillna(False).to_numpy(dtype=bool)]
    label = basic["cost_type"].where(basic["cost_type"].isin(COST_TYPES), UNCLASSIFIED_LABEL)
    basic = basic.assign(cost_type=label.astype("str"))
    amount = money_array(basic, "amount", frame_name="payments")
    sums = _group_sums(basic, [*by_cols, "cost_type"], {"actual": amount})

    labels = pd.DataFrame({"cost_type": [*COST_TYPES, UNCLASSIFIED_LABEL]}, dtype="str")
    grid = sums[by_cols].drop_duplicates().merge(labels, how="cross") if by_cols else labels
    rows = grid.merge(sums, on=[*by_cols, "cost_type"], how="left")
    rows["actual"] = rows["actual"].fillna(0).astype(np.int64)
    totals = _group_sums(rows, by_cols, {"actual": rows["actual"].to_numpy()})
    totals["cost_type"] = TOTAL_LABEL
    out = pd.concat([rows, totals], ignore_index=True)
    if by_cols:
        base = out[by_cols].merge(totals.rename(columns={"actual": "_total"}),
                                  on=by_cols, how="left")["_total"]
    else:
        base = pd.Series(int(totals["actual"].iloc[0]), index=out.index)
    out["_total"] = base.to_numpy(dtype=np.int64)
    out = _report_order(out, [*((c, ()) for c in by_cols),
                              ("cost_type", (*COST_TYPES, UNCLASSIFIED_LABEL, TOTAL_LABEL))])
    out["cost_type"] = out["cost_type"].astype("str")
    out = add_rate(out, "share", "actual", "_total", **na_reasons("占比", "基本支出合计"))
    return out.drop(columns="_total")[[*by_cols, "cost_type", "actual", "share", "share_note"]]
