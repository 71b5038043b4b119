"""The portfolio as a report prints it: 万元 with two decimals, percentages half-up,
and the execution chart."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import pandas as pd

from outturn.display import in_wan
from outturn.money import fen_to_wan, format_percent, format_wan, round_half_up
from outturn.portfolio.figures import (
    DEFAULT_EXECUTION_FLOOR,
    DEPT_KEYS,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def execution_table(ranking: pd.DataFrame) -> pd.DataFrame:
    """:func:`execution_ranking` as printed: 万元, exact percentages, Chinese headers."""
    out = in_wan(ranking, ["rank", *DEPT_KEYS])
    out["rank"] = ranking["rank"].astype("object").where(ranking["rank"].notna(), "—")
    out["execution_rate_note"] = ranking["execution_rate_note"]
    return out.rename(columns={"rank": "排名", "dept_code": "部门编码", "dept_name": "部门名称",
                               "original_budget": "年初预算（万元）",
                               "adjusted_budget": "调整后预算（万元）", "actual": "执行数（万元）",
                               "execution_rate": "预算执行率", "execution_rate_note": "说明"})


def lagging_table(lagging: pd.DataFrame) -> pd.DataFrame:
    """:func:`lagging_projects` as printed: 万元, percentages and gaps to two decimals."""
    return pd.DataFrame({
        "部门名称": lagging["dept_name"], "单位名称": lagging["unit_name"],
        "项目名称": lagging["project_name"], "月份": lagging["month"],
        "累计支出（万元）": lagging["cumulative_actual"].map(format_wan),
        "可用预算（万元）": lagging["denominator_amount"].map(format_wan),
        "支出进度": [format_percent(int(n), int(d)) for n, d in
                    zip(lagging["cumulative_actual"], lagging["denominator_amount"], strict=True)],
        "序时进度": [f"{round_half_up(str(b * 100), 2)}%" for b in lagging["benchmark"]],
        "差距（百分点）": [str(round_half_up(str(g), 2)) for g in lagging["gap_pp"]],
        "状态": lagging["status"],
    })


def _rate_text(num: object, den: object, note: str) -> str:
    return note if note else format_percent(int(num), int(den))  # type: ignore[call-overload]


def sangong_table(totals: pd.DataFrame) -> pd.DataFrame:
    """三公 totals per department as printed: 万元 and the change rate (or why none)."""
    return pd.DataFrame({
        "部门编码": totals["dept_code"], "部门名称": totals["dept_name"],
        "本年（万元）": totals["current"].map(format_wan),
        "上年（万元）": ["—" if pd.isna(p) else format_wan(int(p)) for p in totals["previous"]],
        "增减（万元）": ["—" if pd.isna(c) else format_wan(int(c)) for c in totals["change"]],
        "变动率": [_rate_text(c, p, n) for c, p, n in
                zip(totals["change"], totals["previous"], totals["change_rate_note"], strict=True)],
    })


def scores_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`scores` as printed: total half-up to two decimals, highest first."""
    ordered = table.sort_values(["total", "dept_code"], ascending=[False, True],
                                na_position="last", ignore_index=True)
    return pd.DataFrame({
        "部门编码": ordered["dept_code"], "部门名称": ordered["dept_name"],
        "自评得分": ["—" if pd.isna(t) else str(round_half_up(str(t), 2)) for t in ordered["total"]],
        "等级": ordered["grade"].replace("", "—"), "说明": ordered["score_note"],
    })


def sangong_chart_frame(totals: pd.DataFrame) -> pd.DataFrame:
    """三公 totals in 万元 (Decimal, half-up) for ``report.charts.year_on_year``:
    columns 部门, 本年, 上年 (``None`` where there is no previous year)."""
    return pd.DataFrame({
        "部门": totals["dept_name"].tolist(),
        "本年": [fen_to_wan(int(c)) for c in totals["current"]],
        "上年": [None if pd.isna(p) else fen_to_wan(int(p)) for p in totals["previous"]],
    })


def execution_chart(ranking: pd.DataFrame, *, floor: float | None = DEFAULT_EXECUTION_FLOOR,
                    title: str = "各部门预算执行率") -> Figure:
    """Horizontal bars of each department's execution rate (%), highest on top, labelled
    with the exact percentage (half-up), the floor as a dashed accent line. Departments
    whose rate does not apply are left out. Drawn in the house style
    (:func:`outturn.report.charts.use_house_style`), 16 cm wide like the report's charts.
    """
    from matplotlib.figure import Figure

    from outturn.report import charts

    charts.use_house_style()
    shown = ranking[ranking["execution_rate_note"] == ""]
    labels = [charts.wrap_label(name) for name in shown["dept_name"]]
    fig = Figure(figsize=(charts.FIGURE_WIDTH_CM * charts.CM, (3.5 + 0.8 * len(shown)) * charts.CM),
                 layout="constrained")
    ax = fig.add_subplot()
    percents = (shown["execution_rate"] * 100).tolist()
    bars = ax.barh(range(len(shown)), percents, height=0.6, color=charts.ACTUAL_COLOR)
    ax.bar_label(bars, labels=[format_percent(int(n), int(d)) for n, d in
                               zip(shown["actual"], shown["denominator_amount"], strict=True)],
                 padding=2, fontsize=charts.VALUE_LABEL_SIZE)
    ax.set_yticks(range(len(shown)), labels)
    ax.set_ylim(len(shown) - 0.5, -0.5)  # highest rate on top
    ax.tick_params(axis="y", length=0)
    ax.grid(False)
    ax.grid(True, axis="x")
    if floor is not None:
        ax.axvline(floor * 100, linestyle="--", linewidth=1.2, color=charts.ACCENT_COLOR,
                   label=f"下限 {format_percent(*Fraction(str(floor)).as_integer_ratio())}")
        ax.legend(loc="lower right")
    ax.set_xlim(min([0.0, *percents]), max([100.0, *percents]) * 1.15)
    ax.set_xlabel("预算执行率（%）")
    ax.set_title(title)
    return fig
