"""The report's charts, in one house style.

Every chart function takes a tidy DataFrame plus the names of its columns and returns a
:class:`matplotlib.figure.Figure` built with the object-oriented API (not ``pyplot``), so
nothing is shown behind the caller's back: in Jupyter the figure appears when the caller
returns it from a cell, in a batch run it goes to :func:`to_png`. No backend is forced;
the figures render with Agg.

The house style (:func:`use_house_style`) suits an official report printed on A4: a
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
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

import matplotlib as mpl
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from outturn.metrics.ratios import require_columns
from outturn.money import round_half_up
from outturn.report.fonts import register_cjk_font

# ----------------------------------------------------------------------------- style

#: Actual spending (and this year): dark blue.
ACTUAL_COLOR = "#1F4E79"
#: Budgets (and last year): light grey-blue.
BUDGET_COLOR = "#9DB3CC"
#: The 序时进度 benchmark: burnt orange, the one accent.
ACCENT_COLOR = "#C55A11"
#: Series order for anything drawn with the default colour cycle.
PALETTE: tuple[str, ...] = (ACTUAL_COLOR, BUDGET_COLOR, ACCENT_COLOR, "#7F7F7F", "#548235", "#2E75B6")

TEXT_COLOR = "#262626"
GRID_COLOR = "#D9D9D9"

CM = 1 / 2.54
#: Figure width: the text width of an A4 page with 2.5 cm margins.
FIGURE_WIDTH_CM = 16.0
#: Resolution of exported PNGs (print quality at 16 cm: about 1260 px wide).
EXPORT_DPI = 150

#: Wrap category labels (e.g. project names) at this many half-width columns (a Chinese
#: character counts two), and keep at most this many lines.
LABEL_COLUMNS = 24
LABEL_MAX_LINES = 3

#: Value-label font size (points).
VALUE_LABEL_SIZE = 7.5

#: Legend labels used when the caller does not pass its own.
BUDGET_LABEL = "调整后预算"
ACTUAL_LABEL = "实际支出"
ACTUAL_RATE_LABEL = "累计执行率"
BENCHMARK_LABEL = "序时进度"


def house_rc(family: str) -> dict[str, object]:
    """The house rcParams for the CJK font ``family`` (see :func:`use_house_style`)."""
    return {
        "font.family": [family, "DejaVu Sans"],
        "font.sans-serif": [family, "DejaVu Sans"],
        "font.size": 9.0,
        # The minus sign as ASCII hyphen-minus: many CJK fonts (SimHei, for one) have no
        # U+2212 glyph, and Chinese reports print amounts with "-" anyway.
        "axes.unicode_minus": False,
        # Project names are data, not TeX: a "$" in one must print as "$".
        "text.parse_math": False,
        "text.color": TEXT_COLOR,
        "axes.titlesize": 11.0,
        "axes.titleweight": "normal",
        "axes.titlepad": 8.0,
        "axes.titlelocation": "center",
        "axes.labelsize": 9.0,
        "axes.labelcolor": TEXT_COLOR,
        "axes.edgecolor": "#595959",
        "axes.linewidth": 0.8,
        "axes.prop_cycle": cycler(color=list(PALETTE)),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "axes.axisbelow": True,
        "axes.formatter.useoffset": False,
        "grid.color": GRID_COLOR,
        "grid.linestyle": "-",
        "grid.linewidth": 0.6,
        "xtick.color": "#404040",
        "ytick.color": "#404040",
        "xtick.labelsize": 8.5,
        "ytick.labelsize": 8.5,
        "legend.fontsize": 8.5,
        "legend.frameon": False,
        "figure.figsize": (FIGURE_WIDTH_CM * CM, 9.0 * CM),
        "figure.facecolor": "white",
        "figure.dpi": 100,
        "savefig.dpi": EXPORT_DPI,
        "savefig.bbox": None,
        "savefig.facecolor": "white",
    }


def use_house_style() -> None:
    """Register the CJK font and apply the house rcParams globally (idempotent, cheap).

    Raises :class:`outturn.report.fonts.FontNotFoundError` when no CJK font is available.
    """
    mpl.rcParams.update(house_rc(register_cjk_font()))


# --------------------------------------------------------------------------- helpers


def format_wan(value: object) -> str:
    """A 万元 value label: two decimals rounded half-up; empty for missing values.

    >>> format_wan(0.125), format_wan(Decimal("-3.005")), format_wan(None)
    ('0.13', '-3.01', '')
    """
    number = _decimal(value)
    if number is None:
        return ""
    rounded = round_half_up(number, 2)
    if rounded.is_zero():
        rounded = abs(rounded)  # no "-0.00"
    return f"{rounded:.2f}"


def _decimal(value: object) -> Decimal | None:
    """``value`` as a Decimal (floats via their shortest repr), ``None`` when missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, Decimal):
        return None if value.is_nan() else value
    if isinstance(value, float) and math.isnan(value):
        return None
    number = Decimal(str(value)) if not isinstance(value, int) else Decimal(value)
    return None if number.is_nan() else number


def _floats(values: Sequence[Decimal | None]) -> list[float]:
    """Plot coordinates: missing values become NaN (no bar, no label)."""
    return [math.nan if v is None else float(v) for v in values]


def _column(frame: pd.DataFrame, column: str) -> list[Decimal | None]:
    return [_decimal(v) for v in frame[column].tolist()]


def _columns_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


#: Characters that must not begin a line (Chinese line-breaking rule, 避头尾).
_NO_LINE_START = set("，。、；：？！）》」』】〕〉”’·%％…—,.;:?!)]}")


def wrap_label(text: object, columns: int = LABEL_COLUMNS, max_lines: int = LABEL_MAX_LINES) -> str:
    """Wrap a category label (Chinese has no spaces) to ``columns`` half-width columns.

    Closing punctuation is kept off the start of a line. Labels longer than ``max_lines``
    lines end in "…". Missing labels print as "（未命名）".
    """
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return "（未命名）"
    text = " ".join(str(text).split())
    lines: list[str] = []
    current = ""
    for ch in text:
        if current and _columns_width(current + ch) > columns and ch not in _NO_LINE_START:
            lines.append(current)
            current = "" if ch == " " else ch
        else:
            current += ch
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and _columns_width(last + "…") > columns:
            last = last[:-1]
        lines[-1] = last + "…"
    return "\n".join(line.strip() for line in lines)


#: Text properties of wrapped category labels: lines flush right against the axis, spaced.
_LABEL_TEXT: dict[str, object] = {"multialignment": "right", "linespacing": 1.3}


def _new_figure(height_cm: float) -> Figure:
    """A house-style figure, 16 cm wide, laid out by constrained layout."""
    use_house_style()
    return Figure(figsize=(FIGURE_WIDTH_CM * CM, height_cm * CM), layout="constrained")


def _legend_below(fig: Figure, ax: Axes, order: Sequence[str] | None = None) -> None:
    """One legend row under the plot, clear of the bars and the title, in ``order`` if given."""
    handles, labels = ax.get_legend_handles_labels()
    if order is not None:
        by_label = dict(zip(labels, handles, strict=True))
        labels = [lbl for lbl in order if lbl in by_label]
        handles = [by_label[lbl] for lbl in labels]
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels))


def _pad_value_axis(ax: Axes, values: Sequence[float], axis: str) -> None:
    """Room on the value axis for the value labels; a sane range when all values are 0."""
    finite = [v for v in values if math.isfinite(v)]
    low = min([0.0, *finite])
    high = max([0.0, *finite])
    if high == low:  # nothing but zeros (or no data): show 0–1 rather than a degenerate axis
        high = 1.0
    span = high - low
    limits = (low - 0.18 * span if low < 0 else 0.0, high + 0.18 * span if high > 0 else 0.0)
    if axis == "x":
        ax.set_xlim(*limits)
    else:
        ax.set_ylim(*limits)


def _grouped_barh(
    frame: pd.DataFrame,
    label: str,
    series: Sequence[tuple[str, str, str]],
    *,
    title: str,
    xlabel: str,
) -> Figure:
    """Horizontal grouped bars: one row per frame row, one bar per (column, legend, colour)."""
    labels = [wrap_label(v) for v in frame[label].tolist()]
    n_rows = len(labels)
    lines = max([lbl.count("\n") + 1 for lbl in labels] or [1])
    row_cm = max(0.55 * len(series), 0.42 * lines) + 0.35
    fig = _new_figure(3.6 + max(n_rows, 1) * row_cm)
    ax = fig.add_subplot()
    bar_height = 0.8 / len(series)
    all_values: list[float] = []
    for i, (column, legend, colour) in enumerate(series):
        values = _column(frame, column)
        widths = _floats(values)
        all_values.extend(widths)
        offset = (i - (len(series) - 1) / 2) * bar_height
        bars = ax.barh(
            [row + offset for row in range(n_rows)],
            [0.0 if math.isnan(w) else w for w in widths],
            height=bar_height * 0.92,
            color=colour,
            label=legend,
        )
        ax.bar_label(bars, labels=[format_wan(v) for v in values], padding=2,
                     fontsize=VALUE_LABEL_SIZE, color=TEXT_COLOR)
    ax.set_yticks(range(n_rows), labels, **_LABEL_TEXT)
    ax.set_ylim(n_rows - 0.5, -0.5)  # first row on top
    ax.tick_params(axis="y", length=0)
    ax.grid(False)
    ax.grid(True, axis="x")
    if any(v < 0 for v in all_values if math.isfinite(v)):
        ax.axvline(0.0, color="#595959", linewidth=0.8)
    _pad_value_axis(ax, all_values, "x")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    _legend_below(fig, ax)
    return fig


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
    fig = _new_figure(3.2 + max(len(parts), 1) * (max(0.7, 0.42 * lines) + 0.3))
    ax = fig.add_subplot()
    ax.set_title(title)
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

    fig = _new_figure(9.0)
    ax = fig.add_subplot()
    heights = _floats(actual)
    bars = ax.bar(months, [0.0 if math.isnan(h) else h for h in heights], width=0.6,
                  color=ACTUAL_COLOR, label=actual_label)
    ax.bar_label(bars, labels=[format_wan(v) for v in actual], padding=2,
                 fontsize=VALUE_LABEL_SIZE, color=TEXT_COLOR)
    line = _floats(benchmark)
    ax.plot(months, line, color=ACCENT_COLOR, linestyle="--", linewidth=1.4, marker="o",
            markersize=3, label=benchmark_label)
    ax.set_xticks(range(1, 13), [f"{m}月" for m in range(1, 13)])
    ax.set_xlim(0.4, 12.6)
    ax.tick_params(axis="x", length=0)
    _pad_value_axis(ax, [*heights, *line, 100.0], "y")
    ax.set_ylabel("%")
    ax.set_xlabel("月份")
    ax.set_title(title)
    _legend_below(fig, ax, order=[actual_label, benchmark_label])
    return fig


# ---------------------------------------------------------------------------- export


def to_png(fig: Figure) -> bytes:
    """The figure as PNG bytes at the export dpi (the constrained layout already fits it).

    Deterministic: the same figure gives the same bytes (no software version or time
    stamp in the PNG metadata), so regenerated reports diff cleanly.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=EXPORT_DPI, bbox_inches=None, facecolor="white",
                metadata={"Software": None})
    return buffer.getvalue()
