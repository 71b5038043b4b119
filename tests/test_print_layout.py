"""The report read as a reviewer reads it: the PDF page by page, the Word file after
LibreOffice converts it, the HTML on a phone.

Each sample department's report is built with its PDF; the Word file is converted by
LibreOffice headless (a bureau without Word does exactly that). The tests then look at
where the lines fell: no heading or table caption in the last 10 % of a page, no page
under 35 % full unless a section ends there, a ``— N —`` on every page, every figure of
every Word table on one line, the title not broken inside a word, no Type 3 fonts where a
TrueType CJK face is installed, and no sideways scrolling of the page at 390 px.

CI installs Chromium, LibreOffice, the CJK faces and Liberation (Times New Roman's
metrics) through ``scripts/system-packages.sh``; elsewhere, without them, these tests fail
with what to install, or skip under ``OUTTURN_ALLOW_NO_CHROMIUM=1``.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from conftest import ALLOW_NO_CHROMIUM, require_chromium
from print_tools import (
    FIGURE,
    PAGE_NUMBER,
    PageView,
    body_of,
    css_page_margins,
    docx_to_pdf,
    find_soffice,
    page_views,
)

pytestmark = pytest.mark.slow

#: Departments of the sample whose reports are read: the reference, a 事业单位 with
#: 事业收入, a bureau with every 三公 item, and the smallest shape (tests/backtest/sample_shapes.toml).
DEPARTMENTS = ("115", "122", "123", "124")
#: A heading (or a table's caption) may not start in the last this-much of a page.
HEADING_FOOT = 0.90
#: A page must be at least this full unless a section ends on it.
MIN_FILL = 0.35


def _require_soffice() -> str:
    found = find_soffice()
    if found:
        return found
    message = ("LibreOffice not found: install the Debian package libreoffice-writer-nogui "
               "(scripts/system-packages.sh does this).")
    if os.environ.get(ALLOW_NO_CHROMIUM) == "1":
        pytest.skip(message)
    pytest.fail(message)


@pytest.fixture(scope="module")
def reports(sample_processed: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from outturn.report.runner import run_report

    require_chromium()
    out = tmp_path_factory.mktemp("printed")
    folders = {}
    for code in DEPARTMENTS:
        result = run_report(code, 2022, processed_dir=sample_processed, output_root=out,
                            generated="2023-03-31", pdf=True)
        assert result.status == "done", result.error
        folders[code] = Path(result.folder)
    return folders


@pytest.fixture(scope="module")
def word_pdfs(reports: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    _require_soffice()
    out = tmp_path_factory.mktemp("word-pdf")
    return {code: _convert(folder, out, code) for code, folder in reports.items()}


def _convert(folder: Path, out: Path, code: str) -> Path:
    target = out / code
    target.mkdir()
    return docx_to_pdf(folder / "report.docx", target)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _html_headings(page: str) -> tuple[set[str], set[str]]:
    """(level-1 headings, all headings and table captions) of the report HTML."""
    level1 = {_squash(html.unescape(x)) for x in re.findall(r"<h2>(.*?)</h2>", page)}
    level1.discard("目录")
    others = {_squash(html.unescape(x)) for x in re.findall(r"<h[34]>(.*?)</h[34]>", page)}
    captions = {_squash(html.unescape(x))
                for x in re.findall(r'<figure class="table[^"]*"><figcaption>(.*?)</figcaption>', page)}
    return level1, level1 | others | captions


def _word_headings(docx: Path) -> tuple[set[str], set[str]]:
    import docx as python_docx

    document = python_docx.Document(str(docx))
    level1, every = set(), set()
    for p in document.paragraphs:
        name = p.style.name if p.style is not None else ""
        text = _squash(p.text)
        if not text:
            continue
        if name == "Heading 1":
            level1.add(text)
        if name.startswith("Heading") or (name == "Caption" and text.startswith("表")):
            every.add(text)
    return level1, every


def _chromium_margins() -> tuple[float, float]:
    from importlib.resources import files

    css = (files("outturn.report") / "templates" / "outturn" / "report.css").read_text(encoding="utf-8")
    return css_page_margins(css)


def _word_margins() -> tuple[float, float]:
    from outturn.report.docx_styles import MARGIN_BOTTOM, MARGIN_TOP

    return MARGIN_TOP.pt, MARGIN_BOTTOM.pt


def _layout_faults(pages: list[PageView], level1: set[str], headings: set[str],
                   margins: tuple[float, float]) -> list[str]:
    """What a reviewer would mark on these pages; ``margins`` (top, bottom, points) place
    the text block, from the page setup of the file that was printed."""
    body = body_of(pages, margins)
    faults = []
    for i, page in enumerate(pages):
        if page.footer is None or int(PAGE_NUMBER.match(page.footer.text).group(1)) != page.number:
            faults.append(f"page {page.number}: no page number “— {page.number} —”")
        for line in page.body:
            if _squash(line.text) in headings and body.position(line) > HEADING_FOOT:
                faults.append(f"page {page.number}: heading “{line.text}” at "
                              f"{body.position(line):.0%} of the page")
        last = i == len(pages) - 1
        next_opens_section = not last and pages[i + 1].body and (
            _squash(pages[i + 1].body[0].text) in level1)
        if body.fill(page) < MIN_FILL and not (last or next_opens_section):
            faults.append(f"page {page.number}: {body.fill(page):.0%} full and no section ends there")
    return faults


@pytest.mark.parametrize("code", DEPARTMENTS)
def test_the_pdf_strands_no_heading_leaves_no_page_blank_and_numbers_every_page(
        reports: dict[str, Path], code: str) -> None:
    folder = reports[code]
    level1, headings = _html_headings((folder / "report.html").read_text(encoding="utf-8"))
    pages = page_views(folder / "report.pdf")
    assert _layout_faults(pages, level1, headings, _chromium_margins()) == []


@pytest.mark.parametrize("code", DEPARTMENTS)
def test_the_word_file_converted_ends_no_page_on_a_heading_and_numbers_every_page(
        reports: dict[str, Path], word_pdfs: dict[str, Path], code: str) -> None:
    level1, headings = _word_headings(reports[code] / "report.docx")
    pages = page_views(word_pdfs[code])
    # Word has no rule for "not in the last tenth"; what it promises is keep-with-next: a
    # heading or caption always has what it introduces below it on the same page.
    faults = [f for f in _layout_faults(pages, level1, set(), _word_margins()) if "full" not in f]
    faults += [f"page {page.number}: “{page.body[-1].text}” ends the page" for page in pages
               if page.body and _squash(page.body[-1].text) in headings]
    assert faults == []


@pytest.mark.parametrize("code", DEPARTMENTS)
def test_every_figure_of_every_word_table_prints_on_one_line(
        reports: dict[str, Path], word_pdfs: dict[str, Path], code: str) -> None:
    import docx as python_docx

    wanted: dict[str, int] = {}
    for table in python_docx.Document(str(reports[code] / "report.docx")).tables:
        for row in table.rows:
            for cell in row.cells:
                text = cell.text.strip()
                if FIGURE.match(text):
                    wanted[text] = wanted.get(text, 0) + 1
    printed: dict[str, int] = {}
    for page in page_views(word_pdfs[code]):
        for word in page.words:
            printed[word] = printed.get(word, 0) + 1
    broken = {figure: n for figure, n in wanted.items() if printed.get(figure, 0) < n}
    assert wanted and broken == {}


@pytest.mark.parametrize("code", DEPARTMENTS)
def test_the_title_breaks_only_between_the_department_and_the_year(
        reports: dict[str, Path], word_pdfs: dict[str, Path], code: str) -> None:
    from outturn.report.model import REPORT_KIND

    for pdf in (reports[code] / "report.pdf", word_pdfs[code]):
        first = page_views(pdf)[0].body
        kind = next(i for i, line in enumerate(first) if _squash(line.text).endswith(REPORT_KIND))
        printed = _squash(first[kind].text)
        whole = printed.startswith(_squash(first[0].text)) and kind == 0
        assert whole or re.fullmatch(rf"\d{{4}}{REPORT_KIND}", printed), first[kind].text


#: TrueType CJK faces of the print stack (report.css): Chromium embeds these as subset CID
#: fonts, where the CFF faces (Noto/Source Han CJK) come out as Type 3 glyphs.
TRUETYPE_CJK = ("FangSong", "SimSun", "AR PL SungtiL GB", "WenQuanYi Micro Hei", "SimHei")


def test_the_pdf_embeds_subset_fonts_not_type3_glyphs(reports: dict[str, Path]) -> None:
    import shutil
    import subprocess

    from print_tools import pdf_font_types

    fc_list = shutil.which("fc-list")  # fontconfig: Chromium's own font lookup on Linux
    families = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True,
                              check=False).stdout if fc_list else ""
    if not any(face in families for face in TRUETYPE_CJK):
        message = (f"none of {', '.join(TRUETYPE_CJK)} is installed: install fonts-arphic-gbsn00lp "
                   "and fonts-wqy-microhei (scripts/system-packages.sh does this)")
        if os.environ.get(ALLOW_NO_CHROMIUM) == "1":
            pytest.skip(message)
        pytest.fail(message)
    for folder in reports.values():
        types = pdf_font_types(folder / "report.pdf")
        assert types and "/Type3" not in types, types


@pytest.mark.parametrize("page", ["report", "index"])
def test_at_phone_width_the_page_never_scrolls_sideways(reports: dict[str, Path], page: str) -> None:
    from browser_tools import evaluate
    from outturn.report.index import write_index

    folder = reports["115"]
    target = folder / "report.html" if page == "report" else write_index(folder.parent.parent, 2022)
    width, view, charts = evaluate(
        target, "[document.documentElement.scrollWidth, window.innerWidth,"
                " [...document.querySelectorAll('figure.chart img')]"
                ".map(i => i.getBoundingClientRect().width)]",
        viewport=(390, 844))
    assert width <= view, f"{target.name} is {width} px wide at {view} px"
    # a chart keeps its labels legible (7.5 pt on a 16 cm figure: ≥ 9.5 px at ≥ 600 px wide)
    assert all(w >= 600 for w in charts), charts
