"""The house style of the report's charts and the helpers every chart kind shares.

The style (:func:`use_house_style`, :func:`house_rc`) suits an official report printed
on A4: a 16 cm wide figure, a CJK font (see :mod:`outturn.report.fonts`), a restrained
palette — dark blue for actual spending, light grey-blue for budgets and last year, a
burnt-orange accent for the 序时进度 benchmark — no top/right frame and a light grid on
the value axis. The helpers format 万元 labels half-up (四舍五入, never ``round``), wrap
long Chinese labels at allowed break points, and draw the grouped horizontal bars the
chart kinds (:mod:`outturn.report.charts`) are built from.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

import matplotlib as mpl
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure

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
#: Resolution of exported PNGs: 300 dpi, about 1890 px at 16 cm, twice the density of a
#: 150 dpi image, so value labels stay sharp in print and when a phone zooms in.
EXPORT_DPI = 300

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


#: A bracketed group (（局本级）, (一期)) wraps as one piece when it fits on a line.
_GROUP = re.compile(r"[（(][^（()）]*[）)]")


def _units(text: str, columns: int) -> list[str]:
    """``text`` as wrapping units: bracketed groups that fit a line, else single characters."""
    units: list[str] = []
    at = 0
    for match in _GROUP.finditer(text):
        units += list(text[at:match.start()])
        group = match.group()
        units += [group] if _columns_width(group) <= columns else list(group)
        at = match.end()
    return units + list(text[at:])


def wrap_label(text: object, columns: int = LABEL_COLUMNS, max_lines: int = LABEL_MAX_LINES) -> str:
    """Wrap a category label (Chinese has no spaces) to ``columns`` half-width columns.

    Closing punctuation is kept off the start of a line, and a bracketed group such as
    （局本级） moves to the next line whole rather than breaking inside. Labels longer than
    ``max_lines`` lines end in "…". Missing labels print as "（未命名）".

    >>> print(wrap_label("智慧照明运行、维护项目（零陵区路灯管理所）"))
    智慧照明运行、维护项目
    （零陵区路灯管理所）
    """
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return "（未命名）"
    text = " ".join(str(text).split())
    lines: list[str] = []
    current = ""
    for unit in _units(text, columns):
        if current and _columns_width(current + unit) > columns and unit[0] not in _NO_LINE_START:
            lines.append(current)
            current = "" if unit == " " else unit
        else:
            current += unit
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


def _new_figure(height_cm: float, title: str) -> Figure:
    """A house-style figure, 16 cm wide, laid out by constrained layout.

    The title is the figure's label (``fig.get_label()``, the image's alt text), not drawn:
    the report prints it once, in the caption 图N under the chart.
    """
    use_house_style()
    fig = Figure(figsize=(FIGURE_WIDTH_CM * CM, height_cm * CM), layout="constrained")
    fig.set_label(title)
    return fig


def nonzero(value: Decimal | None) -> bool:
    """Whether a bar has something to show: a value that is present and not zero."""
    return value is not None and not value.is_zero()


def value_labels(values: Sequence[Decimal | None]) -> list[str]:
    """Bar labels: the 万元 figure, or nothing for a zero or missing bar (no "0.00" on an
    empty bar; the table beside the chart says 0.00)."""
    return [format_wan(v) if nonzero(v) else "" for v in values]


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
    """Horizontal grouped bars: one row per frame row, one bar per (column, legend, colour).

    Rows whose every value is zero or missing are left out (no empty rows of 0.00 bars);
    the table the chart illustrates still lists them.
    """
    columns = {column: _column(frame, column) for column, _, _ in series}
    keep = [i for i in range(len(frame)) if any(nonzero(columns[c][i]) for c in columns)]
    frame = frame.iloc[keep]
    labels = [wrap_label(v) for v in frame[label].tolist()]
    n_rows = len(labels)
    lines = max([lbl.count("\n") + 1 for lbl in labels] or [1])
    row_cm = max(0.55 * len(series), 0.42 * lines) + 0.35
    fig = _new_figure(3.6 + max(n_rows, 1) * row_cm, title)
    ax = fig.add_subplot()
    if not n_rows:
        ax.set_yticks([])
        ax.set_xlim(0.0, 1.0)
        ax.set_xlabel(xlabel)
        ax.text(0.5, 0.5, "无支出数据", transform=ax.transAxes, ha="center", va="center")
        return fig
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
        ax.bar_label(bars, labels=value_labels(values), padding=2,
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
    _legend_below(fig, ax)
    return fig
