"""The report's charts, in one house style.

Every chart function takes a tidy DataFrame plus the names of its columns and returns a
:class:`matplotlib.figure.Figure` built with the object-oriented API (not ``pyplot``), so
nothing is shown behind the caller's back: in Jupyter the figure appears when the caller
returns it from a cell, in a batch run it goes to :func:`to_png`. No backend is forced;
the figures render with Agg.

The house style (:func:`use_house_style`, in :mod:`outturn.report.chart_style` with the
shared helpers) suits an official report printed on A4: a
16 cm wide figure, a CJK font (see :mod:`outturn.report.fonts`), a restrained palette —
dark blue for actual spending, light grey-blue for budgets and last year, a burnt-orange
accent for the 序时进度 benchmark — no top/right frame and a light grid on the value axis.
Each chart function applies the style itself, because some settings (the minus sign of
tick labels, fonts of lazily created ticks) are read when the figure is drawn.

Amounts arrive in 万元 as floats or Decimals; value labels are rounded half-up (四舍五入)
to two decimals with :func:`outturn.money.round_half_up`, never with ``round`` or ``%``
formatting, which round half-to-even on the binary value.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from decimal import Decimal

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from outturn.metrics.ratios import require_columns
from outturn.money import round_half_up
from outturn.report.chart_canvas import MappedFontCanvas
from outturn.report.chart_style import (
    _LABEL_TEXT,
    ACCENT_COLOR,
    ACTUAL_COLOR,
    ACTUAL_LABEL,
    ACTUAL_RATE_LABEL,
    BENCHMARK_LABEL,
    BUDGET_COLOR,
    BUDGET_LABEL,
    EXPORT_DPI,
    TEXT_COLOR,
    VALUE_LABEL_SIZE,
    _column,
    _floats,
    _grouped_barh,
    _legend_below,
    _new_figure,
    _pad_value_axis,
    format_wan,
    nonzero,
    wrap_label,
)
from outturn.report.chart_style import CM as CM
from outturn.report.chart_style import FIGURE_WIDTH_CM as FIGURE_WIDTH_CM
from outturn.report.chart_style import LABEL_MAX_LINES as LABEL_MAX_LINES
from outturn.report.chart_style import house_rc as house_rc
from outturn.report.chart_style import use_house_style as use_house_style

# ---------------------------------------------------------------------------- charts


def budget_vs_actual(
    frame: pd.DataFrame,
    *,
    label: str,
    budget: str,
    actual: str,
    title: str,
    budget_label: str = BUDGET_LABEL,
    actual_label: str = ACTUAL_LABEL,
) -> Figure:
    """Budget against actual spending per row (e.g. per project), as horizontal grouped bars.

    ``budget`` and ``actual`` are 万元 columns; each bar carries its value, two decimals
    half-up. Rows keep the frame's order, top to bottom; long names wrap (at most three
    lines) and the figure grows with the number of rows.
    """
    require_columns(frame, [label, budget, actual], frame_name="chart frame", needed_by="budget_vs_actual")
    return _grouped_barh(
        frame,
        label,
        [(budget, budget_label, BUDGET_COLOR), (actual, actual_label, ACTUAL_COLOR)],
        title=title,
        xlabel="万元",
    )


def year_on_year(
    frame: pd.DataFrame,
    *,
    label: str,
    current: str,
    previous: str,
    title: str,
    current_label: str = "本年",
    previous_label: str = "上年",
) -> Figure:
    """This year against last year per row (e.g. the 三公 items), as horizontal grouped bars.

    Amounts in 万元 with value labels (two decimals half-up). Copes with zeros (no 因公出国
    spending at all) and negatives (net refunds): the value axis then spans 0–1 or crosses 0.
    """
    require_columns(frame, [label, current, previous], frame_name="chart frame", needed_by="year_on_year")
    return _grouped_barh(
        frame,
        label,
        [(previous, previous_label, BUDGET_COLOR), (current, current_label, ACTUAL_COLOR)],
        title=title,
        xlabel="万元",
    )


def composition(frame: pd.DataFrame, *, label: str, value: str, title: str,
                share: str | None = None, total: str | None = None) -> Figure:
    """Composition of spending (e.g. 人员经费 / 公用经费 / 项目支出), as horizontal bars.

    Each part is labelled with its 万元 amount and its share of the total of all parts,
    both half-up to two decimals (``1234.56万元（占45.67%）``). Zero and missing parts are
    left out. A report passes the shares (``share``, a column of printed percentages) and
    the total (``total``, printed) of its composition table, so the chart prints exactly
    what the table does; without them they are computed from the parts. Bars rather than
    a pie: long labels stay readable and a negative part (net refunds) can still be drawn.
    """
    require_columns(frame, [label, value], frame_name="chart frame", needed_by="composition")
    shares = frame[share].astype(str).tolist() if share else [None] * len(frame)
    kept = [
        (name, amount, printed)
        for name, amount, printed in zip(frame[label].tolist(), _column(frame, value), shares,
                                         strict=True)
        if amount is not None and not amount.is_zero()
    ]
    parts = [(name, amount) for name, amount, _ in kept]
    total = Decimal(total) if total else sum((amount for _, amount in parts), Decimal(0))
    labels = [wrap_label(name) for name, _ in parts]
    lines = max([lbl.count("\n") + 1 for lbl in labels] or [1])
    fig = _new_figure(3.2 + max(len(parts), 1) * (max(0.7, 0.42 * lines) + 0.3), title)
    ax = fig.add_subplot()
    ax.set_xlabel(f"万元（合计{format_wan(total)}万元）" if parts else "万元")
    if not parts:
        ax.set_yticks([])
        ax.set_xlim(0.0, 1.0)
        ax.text(0.5, 0.5, "无支出数据", transform=ax.transAxes, ha="center", va="center")
        return fig
    widths = [float(amount) for _, amount in parts]
    bars = ax.barh(range(len(parts)), widths, height=0.6, color=ACTUAL_COLOR)
    value_labels = []
    for _, amount, printed in kept:
        if printed is not None:
            said = f"占{printed}" if printed.endswith("%") else "占比不适用"
        elif total.is_zero():
            said = "占比不适用"
        else:
            said = f"占{round_half_up(amount / total * 100, 2):.2f}%"
        value_labels.append(f"{format_wan(amount)}万元（{said}）")
    ax.bar_label(bars, labels=value_labels, padding=2, fontsize=VALUE_LABEL_SIZE, color=TEXT_COLOR)
    ax.set_yticks(range(len(parts)), labels, **_LABEL_TEXT)
    ax.set_ylim(len(parts) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.grid(False)
    ax.grid(True, axis="x")
    if any(w < 0 for w in widths):
        ax.axvline(0.0, color="#595959", linewidth=0.8)
    _pad_value_axis(ax, [w * 1.25 for w in widths], "x")  # the labels are long: more room
    return fig


def _month_number(value: object) -> int:
    """1–12 from an int, a numeric string or a label such as "7月"."""
    text = str(value).strip().removesuffix("月")
    try:
        month = int(float(text))
    except ValueError:
        raise ValueError(f"month must be 1–12 or a label like '7月', not {value!r}") from None
    if not 1 <= month <= 12 or float(text) != month:
        raise ValueError(f"month must be 1–12 or a label like '7月', not {value!r}")
    return month


def progress(
    frame: pd.DataFrame,
    *,
    month: str,
    actual_rate: str,
    benchmark_rate: str,
    title: str,
    actual_label: str = ACTUAL_RATE_LABEL,
    benchmark_label: str = BENCHMARK_LABEL,
) -> Figure:
    """Cumulative execution rate by month (bars) against the 序时进度 benchmark (dashed line).

    ``actual_rate`` and ``benchmark_rate`` are in percent (0–100, more when overspent) —
    multiply fractions such as ``metrics.progress``'s ``cumulative_rate`` by 100 first.
    ``month`` holds 1–12 (or "7月"), one row per month; the x axis always shows 1月…12月.
    Missing rates (不适用) draw no bar.
    """
    require_columns(frame, [month, actual_rate, benchmark_rate], frame_name="chart frame",
                    needed_by="progress")
    months = [_month_number(m) for m in frame[month].tolist()]
    if len(set(months)) != len(months):
        raise ValueError("progress needs one row per month; the month column has duplicates")
    order = sorted(range(len(months)), key=months.__getitem__)
    months = [months[i] for i in order]
    actual_all, benchmark_all = _column(frame, actual_rate), _column(frame, benchmark_rate)
    actual = [actual_all[i] for i in order]
    benchmark = [benchmark_all[i] for i in order]

    fig = _new_figure(9.0, title)
    ax = fig.add_subplot()
    heights = _floats(actual)
    ax.bar(months, [0.0 if math.isnan(h) else h for h in heights], width=0.6,
           color=ACTUAL_COLOR, label=actual_label)
    line = _floats(benchmark)
    ax.plot(months, line, color=ACCENT_COLOR, linestyle="--", linewidth=1.4, marker="o",
            markersize=3, label=benchmark_label)
    ax.set_xticks(range(1, 13), [f"{m}月" for m in range(1, 13)])
    ax.set_xlim(0.4, 12.6)
    ax.tick_params(axis="x", length=0)
    _pad_value_axis(ax, [*heights, *line, 100.0], "y")
    _label_bars_clear_of_line(ax, months, actual, heights, line)
    ax.set_ylabel("%")
    ax.set_xlabel("月份")
    _legend_below(fig, ax, order=[actual_label, benchmark_label])
    return fig


def _label_bars_clear_of_line(ax: Axes, months: Sequence[int], values: Sequence[Decimal | None],
                              heights: Sequence[float], line: Sequence[float]) -> None:
    """Value labels that the 序时进度 line never strikes through.

    A bar's label goes inside the bar, at its top in white, when the bar is tall enough to
    hold it; else just above the bar, or, when the line passes there, just below the line's
    point if that leaves room, else above the point. Zero and missing bars get no label.
    """
    low, high = ax.get_ylim()
    room = (high - low) * 0.075  # about the height of a label
    for month, value, height, mark in zip(months, values, heights, line, strict=True):
        if not nonzero(value) or math.isnan(height):
            continue
        text = format_wan(value)
        if height >= 2 * room and (math.isnan(mark) or not height - room <= mark <= height + room * 0.3):
            ax.text(month, height - room * 0.15, text, ha="center", va="top", color="white",
                    fontsize=VALUE_LABEL_SIZE)
            continue
        above = height + room * 0.15
        if not math.isnan(mark) and above - room * 0.3 <= mark <= above + room * 1.3:
            above = mark + room * 0.45  # the line's point sits where the label would
        ax.text(month, above, text, ha="center", va="bottom", color=TEXT_COLOR, fontsize=VALUE_LABEL_SIZE)


# ---------------------------------------------------------------------------- export


def to_png(fig: Figure) -> bytes:
    """The figure as PNG bytes at the export dpi (the constrained layout already fits it).

    Deterministic: the same figure gives the same bytes (no software version or time
    stamp in the PNG metadata), so regenerated reports diff cleanly. Drawn on
    :class:`~outturn.report.chart_canvas.MappedFontCanvas`: the same pixels as matplotlib's
    Agg canvas, without FreeType reading the font file again for every glyph.
    """
    buffer = io.BytesIO()
    MappedFontCanvas(fig)  # the figure's canvas from now on: Agg, fonts read from memory
    fig.savefig(buffer, format="png", dpi=EXPORT_DPI, bbox_inches=None, facecolor="white",
                metadata={"Software": None})
    return buffer.getvalue()
