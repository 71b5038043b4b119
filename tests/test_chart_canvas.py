"""The chart canvas: fonts read from memory, the same pixels as matplotlib's own canvas."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from outturn.report import chart_canvas, charts, fonts
from PIL import Image

PROJECTS = pd.DataFrame({
    "project": ["智慧照明运行、维护项目", "城区道路（含人行道·绿化带）维修改造—二期工程项目及附属设施",
                "标点（）、·％—“”：，。0123456789.%+-$x$"],
    "budget": [1234.5, Decimal("88.005"), 10.0],
    "actual": [1100.255, Decimal("-0.5"), 0.0],
})
PROGRESS = pd.DataFrame({"month": list(range(1, 13)),
                         "rate": [3.0, 8.0, 15.0, 22.0, 30.0, 38.0, 45.0, 52.0, 60.0, 70.0, 82.0, 101.5],
                         "benchmark": [m / 12 * 100 for m in range(1, 13)]})
COMPOSITION = pd.DataFrame({"kind": ["人员经费", "公用经费", "项目支出"],
                            "amount": [Decimal("799"), Decimal("0"), Decimal("1")]})

CHARTS: dict[str, Callable[[], Figure]] = {
    "budget_vs_actual": lambda: charts.budget_vs_actual(
        PROJECTS, label="project", budget="budget", actual="actual", title="项目预算执行情况（万元）"),
    "year_on_year": lambda: charts.year_on_year(
        PROJECTS, label="project", current="actual", previous="budget", title="本年与上年"),
    "composition": lambda: charts.composition(COMPOSITION, label="kind", value="amount", title="支出构成"),
    "progress": lambda: charts.progress(PROGRESS, month="month", actual_rate="rate",
                                        benchmark_rate="benchmark", title="累计执行率与序时进度（％）"),
}


@pytest.fixture(autouse=True)
def _isolated_style(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    with mpl.rc_context():
        yield


def _stock_png(fig: Figure) -> bytes:
    """The figure saved as :func:`charts.to_png` saves it, on matplotlib's own Agg canvas."""
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=charts.EXPORT_DPI, bbox_inches=None, facecolor="white",
                metadata={"Software": None})
    return buffer.getvalue()


def _read_bytes() -> int:
    with open("/proc/self/io", encoding="ascii") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("rchar:"))


def _pixels(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGBA"))


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_the_mapped_fonts_draw_the_same_pixels_as_matplotlib(name: str) -> None:
    ours, stock = charts.to_png(CHARTS[name]()), _stock_png(CHARTS[name]())
    assert ours != stock  # written by outturn.report.png, not Pillow …
    np.testing.assert_array_equal(_pixels(ours), _pixels(stock))  # … and the same image


def test_a_png_asked_for_with_metadata_is_written_by_matplotlib_as_asked() -> None:
    fig = CHARTS["composition"]()
    chart_canvas.MappedFontCanvas(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=72, metadata={"Title": "三公"})
    with Image.open(io.BytesIO(buffer.getvalue())) as image:
        assert image.text.get("Title") == "三公"


def test_the_chart_canvas_uses_the_mapped_fonts() -> None:
    fig = CHARTS["progress"]()
    charts.to_png(fig)
    assert isinstance(fig.canvas, chart_canvas.MappedFontCanvas)
    if chart_canvas.SUPPORTED:
        assert isinstance(fig.canvas.get_renderer(), chart_canvas.MappedFontRenderer)


@pytest.mark.skipif(not chart_canvas.SUPPORTED, reason="this matplotlib draws with its own fonts")
@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="needs Linux /proc/self/io")
def test_the_font_is_opened_once_per_process_and_not_read_again() -> None:
    charts.to_png(CHARTS["budget_vs_actual"]())  # opens and maps every font the charts use
    fonts_before, maps_before = dict(chart_canvas._fonts), dict(chart_canvas._maps)
    figures = [make() for make in CHARTS.values()]
    before = _read_bytes()
    for fig in figures:
        charts.to_png(fig)
    # a font file read through a file object cost ~100 MB of read() calls per report
    assert _read_bytes() - before < 100_000
    assert chart_canvas._fonts == fonts_before and chart_canvas._maps == maps_before
    assert str(fonts.cjk_font_path().resolve()) in chart_canvas._maps


def test_without_support_the_renderer_is_matplotlibs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chart_canvas, "SUPPORTED", False)
    fig = CHARTS["composition"]()
    png = charts.to_png(fig)
    assert type(fig.canvas.get_renderer()).__name__ == "RendererAgg"
    np.testing.assert_array_equal(_pixels(png), _pixels(_stock_png(CHARTS["composition"]())))
