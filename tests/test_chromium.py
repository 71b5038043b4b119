"""Headless Chromium renders Chinese report HTML to PNG and PDF with a real CJK font.

These tests start the real browser (about a second each). CI installs the Debian packages
``chromium`` and ``fonts-noto-cjk`` (``scripts/system-packages.sh``); without a browser they
fail, unless ``OUTTURN_ALLOW_NO_CHROMIUM=1`` says that skipping is acceptable on this machine
(``scripts/test.sh`` sets it when it cannot install the packages; see ``require_chromium``).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import struct
import subprocess
import tempfile
import time
from pathlib import Path

import matplotlib
import pytest
from browser_tools import font_glyph_counts, fonts_used, html_to_png
from conftest import require_chromium
from outturn.report.chromium import (
    ENV_VAR,
    ChromiumError,
    ChromiumNotFound,
    find_chromium,
    html_to_pdf,
)
from PIL import Image

HEADING = "零陵区城市管理和综合执法局 2022年度整体支出绩效自评报告"
FONT_STACK = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
LEAD = (
    "2022年度，本部门全年预算数2909.79万元，执行数2856.40万元，预算执行率98.17%。"
    "部门整体支出绩效自评得分为92.5分，评价等级为“优”。"
)

REPORT_HTML = f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{HEADING}</title>
<style>
  body {{ font-family: {FONT_STACK}; margin: 48px; color: #222; }}
  h1 {{ font-size: 28px; }}
  p {{ font-size: 16px; line-height: 1.8; }}
  table {{ border-collapse: collapse; font-size: 15px; }}
  th, td {{ border: 1px solid #555; padding: 6px 12px; }}
  th {{ background: #dde6f0; }}
  td.n {{ text-align: right; }}
</style>
</head>
<body>
<h1>{HEADING}</h1>
<p class="lead">{LEAD}</p>
<table>
  <tr><th>项目</th><th>预算数（万元）</th><th>执行数（万元）</th><th>执行率</th></tr>
  <tr><td>基本支出</td><td class="n">1,523.60</td><td class="n">1,518.22</td><td class="n">99.65%</td></tr>
  <tr><td>项目支出</td><td class="n">1,386.19</td><td class="n">1,338.18</td><td class="n">96.54%</td></tr>
  <tr><td>合计</td><td class="n">2,909.79</td><td class="n">2,856.40</td><td class="n">98.17%</td></tr>
</table>
</body>
</html>
"""

#: Markers of CJK font family names (Noto/Source Han, YaHei, PingFang, SimSun, WenQuanYi, ...).
CJK_FONT_MARKERS = ("CJK", "Han", "Hei", "Song", "Kai", "Ming", "Fang", "WenQuanYi", "Droid Sans Fallback")


def is_cjk_font(family: str) -> bool:
    return any(marker.lower() in family.lower() for marker in CJK_FONT_MARKERS)


@pytest.fixture(scope="module")
def browser() -> str:
    """The browser the module will use; a clear failure (or an opted-in skip) when there is none."""
    return require_chromium()


@pytest.fixture
def private_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A temporary folder of its own for the module's throw-away browser profiles."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("chromium") / "报告.html"
    path.write_text(REPORT_HTML, encoding="utf-8")
    return path


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (after checking the signature)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def names_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def installed_font_families() -> str:
    """fontconfig's family list (what Chromium on Linux chooses from), or "" without fc-list."""
    if not shutil.which("fc-list"):
        return ""
    return subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout


# --- PNG ----------------------------------------------------------------------------------------


def test_png_is_an_a4_page_with_rendered_content(browser: str, report_html: Path, tmp_path: Path) -> None:
    out = html_to_png(report_html, tmp_path / "out" / "page.png", browser=browser)

    assert out == tmp_path / "out" / "page.png"
    assert names_in(out.parent) == ["page.png"], "the temporary file was not renamed into place"
    assert png_size(out.read_bytes()) == (1240, 1754)
    with Image.open(out) as image:
        grey = image.convert("L")
        histogram = grey.histogram()
        bbox = grey.point(lambda v: 255 if v < 200 else 0).getbbox()
    pixels = 1240 * 1754
    ink = sum(histogram[:128]) / pixels  # dark pixels: text and table rules
    non_white = sum(histogram[:250]) / pixels
    assert ink > 0.004, f"only {ink:.2%} dark pixels: the page looks blank"
    assert non_white > 0.01, f"only {non_white:.2%} non-white pixels"
    # Content starts inside the 48px body margin and the heading spans a good part of the width.
    assert bbox is not None
    left, top, right, _ = bbox
    assert 40 <= left <= 60 and 40 <= top <= 90, bbox
    assert right - left > 500, bbox


# --- fonts --------------------------------------------------------------------------------------


def test_heading_is_drawn_with_a_cjk_font_only(browser: str, report_html: Path, private_tmp: Path) -> None:
    fonts = fonts_used(report_html, "h1", browser=browser)
    assert names_in(private_tmp) == [], "the browser profile was not deleted"
    assert fonts, "Chromium reported no fonts for the heading"
    assert all(is_cjk_font(name) for name in fonts), f"some glyphs fell back to a non-CJK font: {fonts}"
    if "Noto Sans CJK SC" in installed_font_families():  # fonts-noto-cjk, as in CI
        assert fonts == ["Noto Sans CJK SC"]


def test_fonts_used_tells_a_latin_fallback_apart(browser: str, tmp_path: Path) -> None:
    """A control: Latin text in a Latin web font and Chinese text that must fall back are told apart."""
    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    shutil.copy(dejavu, tmp_path / "latin.ttf")
    page = tmp_path / "control.html"
    page.write_text(
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><style>'
        '@font-face { font-family: "TestLatin"; src: url("latin.ttf"); }'
        f'p {{ font-family: "TestLatin", {FONT_STACK}; }}</style>'
        "<p>Outturn 2022 万元</p><p hidden>隐藏</p></html>",
        encoding="utf-8",
    )
    counts = font_glyph_counts(page, "p", browser=browser)
    latin = {name: n for name, n in counts.items() if not is_cjk_font(name)}
    cjk = {name: n for name, n in counts.items() if is_cjk_font(name)}
    assert latin == {"DejaVu Sans": len("Outturn 2022 ")}, counts
    assert sum(cjk.values()) == 2, counts  # 万元; the hidden paragraph is not rendered
    with pytest.raises(ValueError, match="no element matches"):
        fonts_used(page, "table", browser=browser)


# --- PDF ----------------------------------------------------------------------------------------


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of each page's MediaBox; Chromium writes page dictionaries uncompressed."""
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", data)
    boxes = [
        (float(x1) - float(x0), float(y1) - float(y0))
        for x0, y0, x1, y1 in re.findall(
            rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", data
        )
    ]
    assert len(boxes) == len(pages), (len(boxes), len(pages))
    return boxes


def test_pdf_is_one_a4_page_with_the_cjk_font_embedded(
    browser: str, report_html: Path, tmp_path: Path
) -> None:
    out = html_to_pdf(report_html, tmp_path / "report.pdf", browser=browser)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert names_in(tmp_path) == ["report.pdf"]
    [(width, height)] = pdf_pages(data)  # the page has no @page rule: A4 is the default
    assert width == pytest.approx(595.3, abs=1.5) and height == pytest.approx(841.9, abs=1.5)
    embedded = set(re.findall(rb"/FontName\s*/[A-Z]{6}\+([\w-]+)", data))
    assert embedded, "no embedded fonts: was any text printed?"
    assert all(is_cjk_font(name.decode()) for name in embedded), embedded


def test_pdf_page_size_follows_css_page_rule(browser: str, tmp_path: Path) -> None:
    page = tmp_path / "landscape.html"
    page.write_text(
        REPORT_HTML.replace("<style>", "<style>@page { size: A5 landscape; margin: 10mm; }"), encoding="utf-8"
    )
    [(width, height)] = pdf_pages(html_to_pdf(page, tmp_path / "landscape.pdf", browser=browser).read_bytes())
    assert width == pytest.approx(595.3, abs=1.5) and height == pytest.approx(419.5, abs=1.5)


# --- finding the browser and failing clearly ------------------------------------------------------


def fake_browser(folder: Path, name: str, body: str) -> Path:
    """An executable shell script standing in for the browser."""
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def test_find_chromium_prefers_env_var_then_path_order(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake_browser(tmp_path, "google-chrome", "exit 0")
    chromium_browser = fake_browser(tmp_path, "chromium-browser", "exit 0")
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_chromium() == str(chromium_browser)
    monkeypatch.setenv(ENV_VAR, "/opt/my/chrome")
    assert find_chromium() == "/opt/my/chrome"
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv(ENV_VAR)
    assert find_chromium() is None


def test_no_browser_anywhere_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, report_html: Path, tmp_path: Path
) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ChromiumNotFound, match=r"No Chromium or Chrome found.*apt-get install chromium"):
        html_to_png(report_html, tmp_path / "x.png")


def test_browser_path_that_does_not_exist(
    monkeypatch: pytest.MonkeyPatch, report_html: Path, tmp_path: Path
) -> None:
    missing = str(tmp_path / "no-such-chromium")
    with pytest.raises(ChromiumNotFound, match=r"no-such-chromium.*browser argument.*OUTTURN_CHROMIUM"):
        html_to_pdf(report_html, tmp_path / "x.pdf", browser=missing)
    monkeypatch.setenv(ENV_VAR, missing)
    with pytest.raises(ChromiumError, match=r"no-such-chromium.*\$OUTTURN_CHROMIUM.*Debian package"):
        fonts_used(report_html)
    assert names_in(tmp_path) == []


def test_browser_that_fails_reports_its_stderr(report_html: Path, tmp_path: Path) -> None:
    bad = fake_browser(tmp_path, "chromium", 'echo "FATAL: cannot load libfoo.so" >&2\nexit 3')
    out = tmp_path / "out"
    with pytest.raises(ChromiumError, match=r"(?s)status 3.*FATAL: cannot load libfoo\.so"):
        html_to_pdf(report_html, out / "x.pdf", browser=str(bad), timeout=20)
    assert not out.exists() or names_in(out) == []


def test_browser_that_hangs_times_out_and_is_killed(
    report_html: Path, tmp_path: Path, private_tmp: Path
) -> None:
    pid_file = tmp_path / "pid"
    hung = fake_browser(tmp_path, "chromium", f'echo $$ > "{pid_file}"\nexec sleep 60')
    started = time.monotonic()
    with pytest.raises(ChromiumError, match="timed out after 1 s"):
        html_to_png(report_html, tmp_path / "x.png", browser=str(hung), timeout=1)
    assert time.monotonic() - started < 10
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # gone (killed and reaped), not left sleeping
    assert names_in(private_tmp) == []


def test_missing_html_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nope\.html"):
        html_to_pdf(tmp_path / "nope.html", tmp_path / "x.pdf", browser="/nonexistent")


def test_a_printer_prints_many_pages_from_one_browser(
        browser: str, report_html: Path, tmp_path: Path) -> None:
    from outturn.report.chromium import Printer

    with Printer(browser) as printer:
        first = printer.print_pdf(report_html, tmp_path / "a.pdf").read_bytes()
        second = printer.print_pdf(report_html, tmp_path / "b.pdf").read_bytes()
        assert printer.starts == 1 and printer.prints == 2
    assert first.startswith(b"%PDF-") and second.startswith(b"%PDF-")
    assert len(pdf_pages(first)) == len(pdf_pages(second)) == 1
    assert printer._chrome is None  # closed with the block


def test_a_printer_whose_browser_died_starts_a_new_one(
        browser: str, report_html: Path, tmp_path: Path) -> None:
    import signal

    from outturn.report.chromium import Printer

    with Printer(browser) as printer:
        printer.print_pdf(report_html, tmp_path / "a.pdf")
        assert printer._chrome is not None and printer._chrome._proc is not None
        os.killpg(printer._chrome._proc.pid, signal.SIGKILL)
        printer._chrome._proc.wait(timeout=10)
        out = printer.print_pdf(report_html, tmp_path / "b.pdf")
        assert printer.starts == 2
    assert out.read_bytes().startswith(b"%PDF-")
