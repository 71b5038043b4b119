"""Ingest's warning for a 三公 budget that is inferred, not stated.

A project budget line may carry no economic code; when it funds 三公 payments (by their
economic codes) its 三公 budget is only known by inference
(:mod:`outturn.sangong_items`): from its project name, or from its payments when they are
all of one item. Either way the finance officer should give the line its code, and when
the payments are of several kinds the line cannot be counted at all. Each such line is a
warning naming the budget row and the first 三公 payment it funds, so both rows can be
found and the line fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from outturn.ingest.rowproblems import MAX_LISTED
from outturn.money import fen_to_yuan
from outturn.problems import Problem
from outturn.sangong_items import SANGONG_CODES, item_of_name, unlabelled_lines

if TYPE_CHECKING:
    from outturn.ingest.collect import Collected

#: Each 三公 item's economic code, for the advice.
_CODE_OF = {item: code for code, item in SANGONG_CODES.items()}


def _where(row: pd.Series) -> str:
    sheet = f", sheet {row['_sheet']}" if str(row["_sheet"]) else ""
    return f"{row['_file']}{sheet} row {row['_row']}"


def check_sangong_lines(collected: Collected) -> None:
    """One warning per budget line without an economic code that funds 三公 payments."""
    bud, pay = collected.tables["budget"], collected.tables["payments"]
    collected.problems.extend(sangong_problems(bud, unlabelled_lines(bud, pay),
                                               lambda position: pay.iloc[position]))


def sangong_problems(bud: pd.DataFrame, found: pd.DataFrame,
                     payment: Callable[[int], pd.Series]) -> list[Problem]:
    """The warnings for the lines of ``found`` (as from
    :func:`~outturn.sangong_items.unlabelled_lines`); ``payment(first)`` gives the first
    三公 payment of a line (its ``voucher_id``, ``_file``, ``_sheet`` and ``_row``)."""
    problems: list[Problem] = []
    for listed, line in enumerate(found.itertuples(index=False)):
        if listed == MAX_LISTED:
            problems.append(Problem(
                file=str(bud.loc[line.line, "_file"]), column="经济分类科目编码",
                rule=f"三公 payments on budget lines without an economic code: "
                     f"{len(found) - MAX_LISTED:,} more line(s) like the {MAX_LISTED:,} above",
                advice="give each line its economic code", severity="warning"))
            break
        budget_row, first = bud.loc[line.line], payment(int(line.first))
        by_name = item_of_name(str(budget_row["project_name"]))
        counted = by_name or line.item
        if counted:
            advice = (f"counted in the 三公 budget as {counted} from its "
                      f"{'project name' if by_name else 'payments'}; give the line its "
                      f"economic code ({_CODE_OF[counted]}) so the 三公 budget is stated, "
                      f"not inferred")
        else:
            why = ("its 三公 payments are of several items" if "、" in line.items
                   else "it also funds spending that is not 三公")
            advice = f"not counted in the 三公 budget, since {why}: split the line by economic code"
        project = f"project {budget_row['project_code']} {budget_row['project_name']}".rstrip()
        problems.append(Problem(
            file=str(budget_row["_file"]), sheet=str(budget_row["_sheet"]),
            row=int(budget_row["_row"]), column="经济分类科目编码", value="",
            rule=(f"budget line of {project} has no economic code but funds "
                  f"{line.payments} 三公 payment(s) of {line.items} totalling "
                  f"{fen_to_yuan(line.amount)} 元 (first: voucher {first['voucher_id']} at "
                  f"{_where(first)})"),
            advice=advice, severity="warning"))
    return problems
