"""Charts: the CJK font, the house style, value labels, and PNG export.

Missing glyphs only show up as a ``UserWarning`` when a figure is drawn, and as empty
boxes in the report; the glyph tests turn that warning into a failure.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import matplotlib as mpl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib import font_manager
from matplotlib.figure import Figure
from outturn.metrics.ratios import MissingColumnsError
from outturn.report import charts, fonts
from outturn.report.fonts import FontNotFoundError

#: Every character class the report prints: CJK, full-width punctuation, digits, signs.
PUNCTUATION = "（）、·％—“”：，。0123456789.%+-"

PROJECTS = pd.DataFrame(
    {
        "project": [
            "智慧照明运行、维护项目",
            "春节工程项目付款",
            "城区道路（含人行道·绿化带）维修改造—二期工程项目及附属设施、排水管网配套工程",
            f"标点{PUNCTUATION}",
        ],
        "budget": [1234.5, 0.125, Decimal("88.005"), 10.0],
        "actual": [1100.255, 0.115, Decimal("-0.5"), 0.0],
    }
)

SANGONG = pd.DataFrame(
    {
        "item": ["因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"],
        "current": [0.0, 12.345, -0.5],
        "previous": [0.0, 15.005, 2.1],
    }
)

SANGONG_ZERO = SANGONG.assign(current=0.0, previous=0.0)

COMPOSITION = pd.DataFrame(
    {
        "kind": ["人员经费", "公用经费", "项目支出", "政府性基金"],
        "amount": [Decimal("799"), Decimal("0"), Decimal("1"), Decimal("0")],
    }
)

PROGRESS = pd.DataFrame(
    {
        "month": list(range(1, 13)),
        "rate": [3.0, 8.0, 15.0, 22.0, 30.0, 38.0, 45.0, 52.0, 60.0, 70.0, 82.0, 101.5],
        "benchmark": [m / 12 * 100 for m in range(1, 13)],
    }
)


@pytest.fixture(autouse=True)
def _isolated_style(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Default font source, and rcParams restored after each test (the style is global)."""
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    with mpl.rc_context():
        yield


@pytest.fixture
def low_dpi(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draw at a low resolution where the pixels do not matter (glyph lookup is dpi-independent)."""
    monkeypatch.setattr(charts, "EXPORT_DPI", 50)


def _texts(fig: Figure) -> list[str]:
    """Every text string on the figure's axes (titles, labels, value labels, ticks)."""
    out: list[str] = []
    for ax in fig.axes:
        out += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in ax.texts]
        out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    return out


def _legend_texts(fig: Figure) -> list[str]:
    return [t.get_text() for legend in fig.legends for t in legend.get_texts()]


CHARTS: dict[str, Callable[[], Figure]] = {
    "budget_vs_actual": lambda: charts.budget_vs_actual(
        PROJECTS, label="project", budget="budget", actual="actual", title="2022年项目预算执行情况（万元）"
    ),
    "year_on_year": lambda: charts.year_on_year(
        SANGONG, label="item", current="current", previous="previous", title="“三公”经费——本年与上年"
    ),
    "year_on_year_zero": lambda: charts.year_on_year(
        SANGONG_ZERO, label="item", current="current", previous="previous", title="“三公”经费（全为0）"
    ),
    "composition": lambda: charts.composition(
        COMPOSITION, label="kind", value="amount", title="支出构成（人员经费·公用经费·项目支出）"
    ),
    "progress": lambda: charts.progress(
        PROGRESS, month="month", actual_rate="rate", benchmark_rate="benchmark",
        title="累计执行率与序时进度（％）",
    ),
}


# ------------------------------------------------------------------------------ fonts


def test_registered_font_is_the_open_licence_noto() -> None:
    path = fonts.cjk_font_path()
    assert path.name == "NotoSansCJKsc-Regular.otf"
    assert path.parent.parent.name == "mplfonts"
    assert "simhei" not in str(path).lower()
    family = fonts.register_cjk_font()
    assert family == "Noto Sans CJK SC"
    found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert Path(found).samefile(path)


def test_charts_draw_with_the_registered_font() -> None:
    fig = CHARTS["budget_vs_actual"]()
    title = fig.axes[0].title
    assert Path(font_manager.findfont(title.get_fontproperties())).samefile(fonts.cjk_font_path())


def test_register_is_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    family = fonts.register_cjk_font()

    def fail(path: str) -> None:
        raise AssertionError(f"font registered twice: {path}")

    monkeypatch.setattr(font_manager.fontManager, "addfont", fail)
    assert fonts.register_cjk_font() == family
    charts.use_house_style()


def test_env_var_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    noto = fonts.cjk_font_path()
    monkeypatch.setenv(fonts.ENV_VAR, str(noto))
    assert fonts.cjk_font_path() == noto
    assert fonts.register_cjk_font() == "Noto Sans CJK SC"


def test_env_var_to_missing_file_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fonts.register_cjk_font()  # a cached registration must not hide the bad setting
    missing = tmp_path / "nope.ttf"
    monkeypatch.setenv(fonts.ENV_VAR, str(missing))
    with pytest.raises(FontNotFoundError, match=r"OUTTURN_CJK_FONT.*nope\.ttf"):
        fonts.register_cjk_font()
    with pytest.raises(FontNotFoundError):
        charts.use_house_style()
    with pytest.raises(FontNotFoundError):
        CHARTS["progress"]()


def test_env_var_to_a_non_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font")
    monkeypatch.setenv(fonts.ENV_VAR, str(bogus))
    with pytest.raises(FontNotFoundError, match="could not be read as a font"):
        fonts.register_cjk_font()
    assert bogus not in fonts._registered


def test_no_font_anywhere_says_what_to_do(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(fonts, "_mplfonts_font", lambda: None)
    monkeypatch.setattr(fonts, "SYSTEM_FONT_PATHS", (tmp_path / "NotoSansCJK-Regular.ttc",))
    with pytest.raises(FontNotFoundError, match=r"scripts/setup\.sh.*OUTTURN_CJK_FONT"):
        fonts.cjk_font_path()


def test_system_font_is_the_fallback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    system = tmp_path / "NotoSansCJK-Regular.ttc"
    system.write_bytes(b"")
    monkeypatch.setattr(fonts, "_mplfonts_font", lambda: None)
    monkeypatch.setattr(fonts, "SYSTEM_FONT_PATHS", (tmp_path / "absent.ttc", system))
    assert fonts.cjk_font_path() == system


# ------------------------------------------------------------------------------ style


def test_house_style() -> None:
    charts.use_house_style()
    charts.use_house_style()  # idempotent
    family = fonts.register_cjk_font()
    assert mpl.rcParams["axes.unicode_minus"] is False
    assert mpl.rcParams["font.family"][0] == family
    assert mpl.rcParams["font.sans-serif"][:2] == [family, "DejaVu Sans"]
    assert mpl.rcParams["axes.spines.top"] is False
    assert mpl.rcParams["axes.spines.right"] is False
    width, _ = mpl.rcParams["figure.figsize"]
    assert width * 2.54 == pytest.approx(16.0)


# ----------------------------------------------------------------------------- glyphs


@pytest.mark.usefixtures("low_dpi")
def test_glyph_check_catches_a_missing_glyph() -> None:
    """The harness works: a character no font has (private use area) does fail."""
    charts.use_house_style()
    fig = Figure()
    fig.add_subplot().set_title("\ue000")
    with warnings.catch_warnings(), pytest.raises(UserWarning, match="missing from font"):
        warnings.simplefilter("error")
        charts.to_png(fig)


@pytest.mark.parametrize("name", sorted(CHARTS))
@pytest.mark.usefixtures("low_dpi")
def test_no_missing_glyphs_or_warnings(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = CHARTS[name]()
        png = charts.to_png(fig)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    text = "".join(_texts(fig) + _legend_texts(fig))
    assert "\N{MINUS SIGN}" not in text


@pytest.mark.usefixtures("low_dpi")
def test_negative_tick_labels_use_hyphen_minus() -> None:
    fig = CHARTS["year_on_year"]()
    charts.to_png(fig)  # draw: tick labels are formatted now
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert any(t.startswith("-") for t in ticks), ticks
    assert not any("\N{MINUS SIGN}" in t for t in ticks)


# ------------------------------------------------------------------------- the charts


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_every_chart_has_axis_labels_and_is_not_pyplot_managed(name: str) -> None:
    fig = CHARTS[name]()
    ax = fig.axes[0]
    assert ax.get_xlabel() or ax.get_ylabel()
    assert fig.canvas.manager is None  # not a pyplot figure: Jupyter will not auto-show it


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_a_chart_carries_its_title_but_does_not_draw_it(name: str) -> None:
    """The report prints a chart's title once, in the caption 图N; the image has none."""
    fig = CHARTS[name]()
    assert fig.get_label() and all(not ax.get_title() for ax in fig.axes)
    assert not fig.texts  # no suptitle either


def test_budget_vs_actual_labels_are_half_up() -> None:
    fig = CHARTS["budget_vs_actual"]()
    labels = [t.get_text() for t in fig.axes[0].texts]
    # budgets, then actuals, in row order
    assert labels == ["1234.50", "0.13", "88.01", "10.00", "1100.26", "0.12", "-0.50", ""]  # no 0.00
    assert _legend_texts(fig) == ["调整后预算", "实际支出"]
    assert fig.axes[0].get_xlabel() == "万元"


def test_budget_vs_actual_custom_legend_and_long_names() -> None:
    fig = charts.budget_vs_actual(PROJECTS, label="project", budget="budget", actual="actual",
                                  title="t", budget_label="年初预算", actual_label="支出")
    assert _legend_texts(fig) == ["年初预算", "支出"]
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks[0] == "智慧照明运行、维护项目"
    long = ticks[2]
    assert 1 < len(long.splitlines()) <= charts.LABEL_MAX_LINES
    assert long.endswith("…")


def test_height_grows_with_rows() -> None:
    small = charts.budget_vs_actual(PROJECTS.head(2), label="project", budget="budget", actual="actual",
                                    title="t")
    many = pd.concat([PROJECTS] * 5, ignore_index=True)
    big = charts.budget_vs_actual(many, label="project", budget="budget", actual="actual", title="t")
    assert big.get_figheight() > 3 * small.get_figheight()
    assert big.get_figwidth() == small.get_figwidth()


def test_wrap_label_keeps_closing_punctuation_off_line_starts() -> None:
    text = "一二三四五六七八九十一二（三）、四五六七八九十"
    wrapped = charts.wrap_label(text, columns=24)
    assert wrapped.replace("\n", "") == text
    for line in wrapped.splitlines()[1:]:
        assert line[0] not in "）、，。"
    assert charts.wrap_label(None) == "（未命名）"


def test_format_wan_is_half_up() -> None:
    assert charts.format_wan(0.125) == "0.13"
    assert charts.format_wan(1.005) == "1.01"  # the float is 1.00499…; its repr is not
    assert charts.format_wan(Decimal("2.675")) == "2.68"
    assert charts.format_wan(-0.001) == "0.00"
    assert charts.format_wan(float("nan")) == ""


def test_composition_shares_half_up_and_zero_parts_skipped() -> None:
    fig = CHARTS["composition"]()
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["人员经费", "项目支出"]
    assert [t.get_text() for t in ax.texts] == ["799.00万元（占99.88%）", "1.00万元（占0.13%）"]
    assert ax.get_xlabel() == "万元（合计800.00万元）"


def test_composition_with_nothing_to_show() -> None:
    frame = pd.DataFrame({"kind": ["人员经费"], "amount": [0.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = charts.composition(frame, label="kind", value="amount", title="支出构成")
        charts.to_png(fig)
    assert "无支出数据" in _texts(fig)


def test_progress_axes_and_legend() -> None:
    fig = CHARTS["progress"]()
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"{m}月" for m in range(1, 13)]
    assert ax.get_ylabel() == "%"
    assert _legend_texts(fig) == ["累计执行率", "序时进度"]
    (line,) = ax.get_lines()
    assert line.get_linestyle() == "--"
    assert line.get_color() == charts.ACCENT_COLOR
    assert ax.get_ylim()[1] > 101.5


def test_progress_accepts_month_labels_and_partial_years() -> None:
    frame = pd.DataFrame({"m": ["3月", "1月", "2月"], "a": [15.0, 3.0, None], "b": [25.0, 8.33, 16.67]})
    fig = charts.progress(frame, month="m", actual_rate="a", benchmark_rate="b", title="一季度")
    assert [t.get_text() for t in fig.axes[0].texts] == ["3.00", "15.00"]  # no label on no bar
    with pytest.raises(ValueError, match="one row per month"):
        charts.progress(pd.concat([frame, frame]), month="m", actual_rate="a", benchmark_rate="b", title="t")
    with pytest.raises(ValueError, match="month"):
        charts.progress(frame.assign(m=[13, 1, 2]), month="m", actual_rate="a", benchmark_rate="b", title="t")


def test_year_on_year_all_zero_draws_no_zero_bars_and_says_so() -> None:
    fig = CHARTS["year_on_year_zero"]()
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["无支出数据"]
    assert not ax.patches
    low, high = ax.get_xlim()
    assert low == 0 and high > 0


def test_rows_that_are_zero_in_every_series_are_left_out() -> None:
    frame = pd.DataFrame({"item": ["公务接待费", "因公出国（境）费", "公务用车运行维护费"],
                          "current": [3.7, 0.0, 2.86], "previous": [4.0, 0.0, 0.0]})
    fig = charts.year_on_year(frame, label="item", current="current", previous="previous", title="t")
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == ["公务接待费", "公务用车运行维护费"]
    assert sorted(t.get_text() for t in fig.axes[0].texts if t.get_text()) == ["2.86", "3.70", "4.00"]


@given(st.lists(st.floats(0, 130, allow_nan=False), min_size=12, max_size=12))
@settings(max_examples=40, deadline=None)
def test_progress_labels_never_sit_on_the_benchmark_line(rates: list[float]) -> None:
    frame = pd.DataFrame({"month": range(1, 13), "rate": rates,
                          "benchmark": [m / 12 * 100 for m in range(1, 13)]})
    fig = charts.progress(frame, month="month", actual_rate="rate", benchmark_rate="benchmark", title="t")
    ax = fig.axes[0]
    low, high = ax.get_ylim()
    label_height = (high - low) * 0.06
    for text in ax.texts:
        month, y = text.get_position()
        mark = int(month) / 12 * 100
        bottom = y - label_height if text.get_va() == "top" else y
        assert not bottom < mark < bottom + label_height, (text.get_text(), y, mark)


def test_a_bracketed_name_wraps_whole() -> None:
    assert charts.wrap_label("基础设施项目（局本级）", columns=16) == "基础设施项目\n（局本级）"
    assert charts.wrap_label("智慧照明项目（零陵区路灯管理所）") == "智慧照明项目\n（零陵区路灯管理所）"


def test_missing_column_is_named() -> None:
    with pytest.raises(MissingColumnsError, match="budget"):
        charts.budget_vs_actual(PROJECTS.drop(columns="budget"), label="project", budget="budget",
                                actual="actual", title="t")


# ----------------------------------------------------------------------------- export


def test_to_png_is_deterministic() -> None:
    first = charts.to_png(CHARTS["composition"]())
    second = charts.to_png(CHARTS["composition"]())
    assert first == second
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"Software" not in first and b"matplotlib" not in first


def test_to_png_uses_the_export_dpi() -> None:
    png = charts.to_png(CHARTS["progress"]())
    # The IHDR chunk holds the pixel width: 16 cm at EXPORT_DPI, give or take the tight crop.
    width = int.from_bytes(png[16:20], "big")
    assert width == pytest.approx(16 / 2.54 * charts.EXPORT_DPI, rel=0.1)
