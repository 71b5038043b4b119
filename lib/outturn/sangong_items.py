"""How a budget line or a payment is recognised as one of the four "三公" items.

The economic code decides: 30212 因公出国（境）费用, 30217 公务接待费, 30231
公务用车运行维护费, 31013 公务用车购置 (:data:`SANGONG_CODES`). A project budget line may
carry no economic code (the documented default: it then funds payments of any code), and
if nothing else were done a 公务用车购置 budgeted that way would drop out of the 三公
budget while its spending stayed in, moving the 三公经费控制率 from about 98 % to about
6 %. So a line without an economic code is recognised

1. by its project name (:data:`NAME_PATTERNS`: "公务用车购置", "公务接待" …), when the name
   names exactly one item; else
2. by the payments it funds, when every one of them is of the same 三公 item;

and a payment funded by a line recognised so, whose own code names no item, takes the
line's item: the budget and the spending of a line are then counted in the same item.
A line whose payments are of several kinds is not counted, and ingest says so
(:func:`unlabelled_lines` feeds its warnings).

Everything here is a pure function of the frames it is given, vectorised over rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from outturn.keys import composite_keys, factorize_text
from outturn.schema import MATCH_KEY
from outturn.vocabulary import SANGONG_CATEGORIES

#: Economic 款 code → its "三公" item.
SANGONG_CODES: Mapping[str, str] = MappingProxyType({
    "30212": SANGONG_CATEGORIES[0],
    "30217": SANGONG_CATEGORIES[1],
    "30231": SANGONG_CATEGORIES[2],
    "31013": SANGONG_CATEGORIES[3],
})

_CARS = "(?:公务用车|公务车|公车|执法执勤用车|执法用车|执法车)辆?"
_NEAR = "[^，,。；;、]{0,4}?"  # a few characters within one clause
#: A project name naming a 三公 item (searched anywhere in the name).
NAME_PATTERNS: Mapping[str, re.Pattern[str]] = MappingProxyType({
    SANGONG_CATEGORIES[0]: re.compile(r"因公出国|因公出境|出国[（(]境[）)]|出国出境"),
    SANGONG_CATEGORIES[1]: re.compile(r"公务接待"),
    SANGONG_CATEGORIES[2]: re.compile(_CARS + _NEAR + r"(?:运行|维护|运维|维修|燃油|保险)"),
    SANGONG_CATEGORIES[3]: re.compile(_CARS + _NEAR + r"(?:购置|购买|采购|更新)"
                                      r"|(?:购置|购买|采购|更新)" + _NEAR + _CARS),
})


def item_of_code(code: str) -> str:
    """The 三公 item of an economic code ("" for none); a code longer than the 款 counts
    by its 款.

    >>> item_of_code("31013"), item_of_code("3021701"), item_of_code("30201")
    ('公务用车购置', '公务接待费', '')
    """
    return SANGONG_CODES.get(code[:5], "")


def items_named(name: str) -> tuple[str, ...]:
    """Every 三公 item a project name names, in report order.

    >>> items_named("2022年执法执勤用车购置"), items_named("公务用车购置及运行维护")
    (('公务用车购置',), ('公务用车运行维护费', '公务用车购置'))
    >>> items_named("道路维护")
    ()
    """
    return tuple(item for item, pattern in NAME_PATTERNS.items() if pattern.search(name))


def item_of_name(name: str) -> str:
    """The 三公 item a project name names, "" when it names none or more than one."""
    found = items_named(name)
    return found[0] if len(found) == 1 else ""


def _funding_lines(budget: pd.DataFrame, payments: pd.DataFrame) -> np.ndarray:
    """For each payment, the label in ``budget`` of the line without an economic code that
    funds it, or -1: a payment matches such a line by :data:`~outturn.schema.MATCH_KEY`
    when no line of the same key carries its economic code (as ingest matches them); of
    several such lines with the same key, the last.

    The keys are compared as text, each folded into one int64 per row
    (:func:`~outturn.keys.composite_keys`): two ``merge`` calls on eight text columns cost
    a department-year's load more than reading it.
    """
    key = list(MATCH_KEY)
    lines = budget[[*key, "econ_code"]].astype("str")
    pay = payments[[*key, "econ_code"]].astype("str")
    bare = (lines["econ_code"] == "").to_numpy(dtype=bool)
    line_key, pay_key = composite_keys([lines, pay], key)
    line_full, pay_full = composite_keys([lines.assign(_key=line_key), pay.assign(_key=pay_key)],
                                         ["_key", "econ_code"])
    exact = np.isin(pay_full, line_full[~bare])
    last = pd.Series(budget.index[bare].to_numpy(dtype=np.int64), index=line_key[bare])
    last = last[~last.index.duplicated(keep="last")]
    found = last.index.get_indexer(pay_key)
    line_of = np.append(last.to_numpy(), -1)[found]  # found is -1 where no line: the -1
    line_of[exact] = -1
    return line_of.astype(np.int64, copy=False)


def _items_of_codes(codes: pd.Series) -> np.ndarray:
    """Each row's 三公 item by its economic code, computed once per distinct code."""
    index, uniques = factorize_text(codes)
    return np.array([item_of_code(c) for c in uniques], dtype=object)[index]


def unlabelled_lines(budget: pd.DataFrame, payments: pd.DataFrame) -> pd.DataFrame:
    """The budget lines without an economic code that fund 三公 payments: one row per
    line with ``line`` (its label in ``budget``), ``items`` (the 三公 items its payments
    are of, "、"-joined), ``other`` (whether it also funds payments of no 三公 item),
    ``payments`` (how many 三公 payments), ``amount`` (their 分), ``first`` (the
    position in ``payments`` of the first) and ``item`` (what the line is counted as,
    "" when it cannot be: several items, or other spending beside them).

    Only the 三公 payments and the payments of the same projects are matched, so a
    ledger of millions of vouchers with a few 三公 ones costs little.
    """
    columns = ["line", "items", "other", "payments", "amount", "first", "item"]
    if budget.empty or payments.empty or not (budget["econ_code"].astype("str") == "").any():
        return pd.DataFrame(columns=columns)
    items = _items_of_codes(payments["econ_code"])
    sangong = np.flatnonzero(items != "")
    line_of = _funding_lines(budget, payments.iloc[sangong])
    hit = line_of >= 0
    if not hit.any():
        return pd.DataFrame(columns=columns)
    funded = pd.DataFrame({"line": line_of[hit], "item": items[sangong[hit]],
                           "amount": payments["amount"].to_numpy(dtype=np.int64)[sangong[hit]],
                           "pos": sangong[hit]})
    # the other payments of the same projects, to tell a line that funds more than 三公
    projects = budget.loc[np.unique(funded["line"]), "project_code"].astype("str")
    rest = np.flatnonzero((items == "")
                          & payments["project_code"].astype("str").isin(projects).to_numpy())
    rest_lines = _funding_lines(budget, payments.iloc[rest])
    with_other = set(rest_lines[rest_lines >= 0].tolist())
    out = []
    for line, mine in funded.groupby("line", sort=True):
        kinds = [c for c in SANGONG_CATEGORIES if c in set(mine["item"])]
        other = line in with_other
        out.append({"line": line, "items": "、".join(kinds), "other": other,
                    "payments": len(mine), "amount": int(mine["amount"].sum()),
                    "first": int(mine["pos"].min()),
                    "item": kinds[0] if len(kinds) == 1 and not other else ""})
    return pd.DataFrame(out, columns=columns)


def link_items(budget: pd.DataFrame, payments: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Copies of classified ``budget`` and ``payments`` (``sangong`` from the economic code,
    and for lines without one from the project name) in which a line without an economic
    code and without an item from its name takes the one item all its payments are of,
    and each payment whose code names no item takes its line's. See the module docstring."""
    budget, payments = budget.copy(), payments.copy()
    if budget.empty or payments.empty:
        return budget, payments
    labelled = unlabelled_lines(budget, payments)
    labelled = labelled[labelled["item"] != ""].set_index("line")["item"]
    todo = labelled[budget.loc[labelled.index, "sangong"].astype("str").eq("").to_numpy()]
    budget.loc[todo.index, "sangong"] = todo.to_numpy()
    line_of = _funding_lines(budget, payments)
    has_line = line_of >= 0
    line_items = np.full(len(payments), "", dtype=object)
    line_items[has_line] = budget.loc[line_of[has_line], "sangong"].astype("str").to_numpy()
    own = payments["sangong"].astype("str").to_numpy()
    payments["sangong"] = pd.Series(np.where(own == "", line_items, own), index=payments.index,
                                    dtype="str")
    return budget, payments


#: For ingest's batch-by-batch 三公 check (:mod:`outturn.ingest.stream_checks`), which adds
#: up :func:`unlabelled_lines` over the batches of a ledger too large to hold at once.
funding_lines = _funding_lines
items_of_codes = _items_of_codes
