"""A raw folder whose payments cross every rule the batch path must keep across batch
and file boundaries (shared by the streaming and the cluster ingest tests)."""

from __future__ import annotations

import shutil
from pathlib import Path

from outturn.ingest.rowproblems import MAX_LISTED

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw"
HEADER = ("凭证号,支付日期,部门编码,单位编码,预算类型,支出类型,项目编码,功能分类科目编码,经济分类科目编码,"
          "金额（元）,摘要")


def _row(voucher: str, date: str = "2022-03-01", dept: str = "116", unit: str = "116001",
         amount: str = "100.00", func: str = "2050101", econ: str = "30299") -> str:
    return f"{voucher},{date},{dept},{unit},一般公共预算,基本支出,,{func},{econ},{amount},测试"


def hostile_raw(tmp_path: Path) -> Path:
    """The sample raw folder plus payments files that exercise every batch-crossing rule."""
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE, raw)
    lines = [HEADER]
    lines += [_row(f"X-{i:05d}") for i in range(620)]
    lines += ["小计,,,,,,,,,62000.00,"]  # right: the 620 rows above, across batches
    lines += [_row("JY116-2022-000001")]  # repeats a voucher of another file
    lines += [_row(f"X-{i:05d}", amount="1.00") for i in (3, 17)]  # repeats in this file
    lines += [_row(f"BAD-{i:05d}", date="2022-13-01") for i in range(MAX_LISTED + 60)]
    lines += [_row("U-1", dept="199", unit="199001"), _row("U-2", unit="116999")]
    lines += [_row("F-1", func="2999999"), _row("F-2", func="2999999", dept="117", unit="117001")]
    lines += [_row("UB-1", func="2130101"), ""]  # unbudgeted, then a blank line
    lines += ["小计,,,,,,,,,1.00,"]  # wrong: states 1 元
    lines += ["合计,,,,,,,,,99.00,"]  # wrong: the whole file adds up to more
    (raw / "payments" / "2022" / "999-extra.csv").write_text("\n".join(lines) + "\n",
                                                               encoding="utf-8")
    own = [HEADER, _row("OWN-1", dept="122", unit="122001"), _row("OWN-2")]  # 116 in 122's folder
    (raw / "122" / "payments" / "2022" / "extra.csv").write_text("\n".join(own) + "\n",
                                                                   encoding="utf-8")
    return raw
