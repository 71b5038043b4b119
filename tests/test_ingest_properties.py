"""Property: whatever mix of well- and badly-written amounts a payments file holds,
ingest loses nothing — rows in = accepted + rejected, the accepted total is exactly the
sum of the good amounts, and money in = money accepted + money rejected, to the 分."""

from __future__ import annotations

import tempfile
from pathlib import Path

from conftest import BUDGET_CSV, DEPARTMENTS_CSV, write_raw
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from outturn.ingest.collect import collect
from outturn.ingest.reconcile import reconcile

HEADER = ("凭证号,支付日期,部门编码,单位编码,预算类型,支出类型,项目编码,功能分类科目编码,"
          "经济分类科目编码,金额（元）\n")


def _render(fen: int, style: int) -> str:
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    plain = f"{yuan}.{cents:02d}"
    if style == 0:
        return f"{sign}{plain}"
    if style == 1:
        return f'"{sign}{yuan:,}.{cents:02d}"'
    if style == 2:
        return f"({plain})" if fen < 0 else plain
    full = plain.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    return f"{sign}{full}"


rows = st.lists(
    st.tuples(st.integers(-10**11, 10**11), st.integers(0, 3),
              st.sampled_from(["", "", "", "", "x", "1.2.3", "0.001"])),
    min_size=1, max_size=40,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_nothing_is_lost(spec: list[tuple[int, int, str]]) -> None:
    lines, good_total, bad_rows = [], 0, 0
    for i, (fen, style, junk) in enumerate(spec):
        cell = _render(fen, style) if not junk else junk
        lines.append(f"V{i},2022-05-01,901,901001,一般公共预算,基本支出,,2120101,30101,{cell}")
        if junk:
            bad_rows += 1
        else:
            good_total += fen
    with tempfile.TemporaryDirectory() as tmp:
        raw = write_raw(Path(tmp) / "raw", departments=DEPARTMENTS_CSV, budget=BUDGET_CSV,
                        payments=HEADER + "\n".join(lines) + "\n")
        collected = collect(raw)
        rec = reconcile(collected).set_index("table").loc["payments"]
    pay = collected.tables["payments"]
    assert len(pay) == len(spec) - bad_rows
    assert int(pay["amount"].sum()) == good_total
    assert rec["rows_in"] == rec["rows_accepted"] + rec["rows_rejected"] == len(spec)
    assert rec["in_fen"] == rec["accepted_fen"] + rec["rejected_fen"]
    assert bool(rec["balanced"])
    rejected = collected.rejected["payments"]
    assert len(rejected) == bad_rows
    assert (rejected["_reason"] != "").all() if bad_rows else True
