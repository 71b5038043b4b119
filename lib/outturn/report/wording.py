"""Phrases the sections share, each figure in them a checked claim.

One home for the report's recurring forms of words, so a change against last year reads
the same in every section and its words are always checked against the figures they
compare.
"""

from __future__ import annotations

from collections.abc import Mapping

from outturn.report.claims import Sentence
from outturn.report.model import Table


def change_clause(s: Sentence, table: Table, row: Mapping[str, str] | str, current: str,
                  previous: str) -> None:
    """``比上年减少0.71万元（下降9.77%）`` from a row's 增减额 and 增减率 cells, the words
    checked against the two figures they compare."""
    now, before = table.cell(row, current), table.cell(row, previous)
    diff = table.cell(row, "增减额")
    if diff.lstrip("-") == "0.00":
        s.direction("持平", now, before).say("，与上年基本持平" if now != before else "")
        return
    up = not diff.startswith("-")
    s.say("比上年").direction("增加" if up else "减少", now, before).say(f"{diff.lstrip('-')}万元")
    rate = table.cell(row, "增减率")
    if rate != "—":
        s.say("（").direction("增长" if up else "下降", now, before).say(f"{rate.lstrip('-')}）")
