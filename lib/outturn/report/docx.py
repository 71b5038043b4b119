"""The report as a Word document (.docx), for submission upward.

Finance bureaus ask for the self-evaluation report in Word, so that they can comment on
it and paste it into their own compilations. This module lays the report's blocks out
in the house style of official documents (GB/T 9704 page: A4, margins 3.7/3.5/2.8/2.6 cm)
with python-docx, and nothing else: every figure and sentence comes from
:mod:`outturn.report.model`, so the Word file says what the HTML says.

Layout choices, and why:

- **Fonts are set on styles, not runs.** python-docx's ``font.name`` sets only the Latin
  font; Chinese text uses the ``w:eastAsia`` font, and the default template points all
  fonts at the theme (``asciiTheme`` …), which overrides explicit names. So every style
  used here gets explicit ``ascii``/``hAnsi``/``eastAsia`` fonts with the theme
  attributes removed: body 仿宋 12 pt (a data-heavy report; 三号 16 pt would break every
  table), headings 黑体, tables 10.5 pt (五号), Latin text and figures Times New Roman.
  Headings are black (Word's default headings are blue).
- **No Word numbering definitions.** Section numbers (一、/（一）) are part of the heading
  text and list items are prefixed ``1.`` as plain text: numbering definitions renumber
  or vanish when a reader pastes the text elsewhere.
- **Tables** use the built-in "Table Grid" style (all borders), a shaded header row
  repeated on every page, fixed column widths measured so that no figure wraps, bold
  合计/小计 rows, figures right-aligned (:mod:`outturn.report.docx_tables`).
- **Text is text**: paragraphs, narratives and cells are written as runs, never
  interpreted, so ``<script>`` in a profile is printed as typed. Characters XML cannot
  hold (control characters pasted from Excel) are replaced, so one bad cell cannot stop
  the export.
- **Deterministic and atomic.** Core properties come from the report (created = the
  generation date), the zip entries are re-stamped with that date so the same report
  gives the same bytes, and the file is written to a temporary file in the target
  folder and moved into place, so a failed export never leaves a half-written report.

Note: this module is ``outturn.report.docx``; ``import docx`` here (an absolute import)
is python-docx.
"""

from __future__ import annotations

import io
import math
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image
from docx.shared import Emu, Length
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph

from outturn import atomic
from outturn.ooxml import restamp
from outturn.report import markup
from outturn.report.docx_styles import (
    BODY_STYLE,
    CAPTION_STYLE,
    CHART_MAX_HEIGHT,
    CHART_WIDTH,
    FIGURE_STYLE,
    HEADER_FILL,
    META_STYLE,
    TABLE_NOTE_STYLE,
    TABLE_SIZE,
    TABLE_TEXT_STYLE,
    TEXT_WIDTH,
    TITLE_STYLE,
    _add_page_number,
    _clean,
    _set_core_properties,
    _set_up_page,
    _set_up_styles,
)
from outturn.report.docx_tables import column_widths, fill_grid
from outturn.report.model import Chart, Narrative, Paragraph, Report, Section, Table

# --- Public API -----------------------------------------------------------------------------


def write_docx(report: Report, path: Path | str) -> Path:
    """Write ``report`` to ``path`` as a Word document and return the path.

    The parent folders are created. The document is built in memory, written to a
    temporary file next to ``path`` and moved over it in one step, so an error (or a
    crash) leaves any previous file as it was and no partial file behind.
    """
    path = Path(path)
    document = build_document(report)
    buffer = io.BytesIO()
    document.save(buffer)
    data = restamp(buffer.getvalue(), datetime.combine(report.generated, datetime.min.time()))
    atomic.write_bytes(path, data)
    return path


def build_document(report: Report) -> WordDocument:
    """The report as an in-memory python-docx document (for callers that add to it)."""
    document = Document()
    _set_up_page(document)
    _set_up_styles(document)
    _set_core_properties(document, report)
    _add_page_number(document)

    builder = _Builder(document)
    title = builder.paragraph(report.title_lines[0], TITLE_STYLE)
    title.runs[0].add_break()  # department, then year and kind: never broken inside a word
    title.add_run(report.title_lines[1])
    meta = (
        f"部门编码：{report.dept_code}　年度：{report.year}　数据版本：{report.data_version}"
        f"　生成日期：{_chinese_date(report.generated)}"
    )
    builder.paragraph(meta, META_STYLE)
    if report.data_note.strip():
        builder.paragraph(report.data_note.strip(), META_STYLE)
    for section in report.sections:
        builder.section(section, level=1)
    return document


def docx_text(path: Path | str) -> str:
    """All text of a Word document's body in reading order: one line per paragraph, one
    line per table row (cells separated by tabs). For tests and checks of headline figures."""
    document = Document(str(path))
    lines: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, WordTable):
            for row in item.rows:
                lines.append("\t".join(cell.text for cell in row.cells))
        else:
            lines.append(item.text)
    return "\n".join(lines)


# --- Content --------------------------------------------------------------------------------


class _Builder:
    """Appends the report's blocks to a document, numbering figures (图1, 图2 …) as it goes.

    Styles are applied by id, looked up once: python-docx's ``style=`` argument searches
    every style of the template for each paragraph, which made a ten-table report take
    seconds.
    """

    def __init__(self, document: WordDocument) -> None:
        self.document = document
        self.figures = 0
        self.tables = 0
        self._style_ids: dict[str, str] = {}

    def style_id(self, name: str) -> str:
        if name not in self._style_ids:
            self._style_ids[name] = self.document.styles[name].style_id
        return self._style_ids[name]

    def paragraph(self, text: str, style: str) -> WordParagraph:
        paragraph = self.document.add_paragraph(_clean(text))
        paragraph._p.get_or_add_pPr().style = self.style_id(style)
        return paragraph

    def section(self, section: Section, *, level: int) -> None:
        """A section's heading, its blocks in order, then its sub-sections one level down."""
        self.paragraph(section.heading, f"Heading {min(level, 3)}")
        for block in section.blocks:
            if isinstance(block, Paragraph):
                self.paragraph(block.text, BODY_STYLE)
            elif isinstance(block, Narrative):
                self.narrative(block.text)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Chart):
                self.chart(block)
            else:  # a new block type must be rendered here, not silently dropped
                raise TypeError(f"cannot write a {type(block).__name__} block to Word")
        for sub in section.subsections:
            self.section(sub, level=level + 1)

    def narrative(self, text: str) -> None:
        """The department's own words: ``###`` headings as Heading 3, paragraphs as body
        text, list items as body paragraphs prefixed ``1.`` … (or ``•``)."""
        for block in markup.parse(text):
            if block.kind == "heading":
                self.paragraph(block.text, "Heading 3")
            elif block.kind == "list":
                for i, item in enumerate(block.items, start=1):
                    prefix = f"{i}." if block.ordered else "• "
                    self.paragraph(prefix + item, BODY_STYLE)
            else:
                self.paragraph(block.text, BODY_STYLE)

    def table(self, table: Table) -> None:
        """Caption above (表N, numbered as in the HTML), the grid, the note below."""
        self.tables += 1
        self.paragraph(f"表{self.tables}　{table.title}", CAPTION_STYLE)
        if table.unit_line:  # above the grid at the right, kept on the grid's page
            unit = self.paragraph(table.unit_line, TABLE_NOTE_STYLE)
            unit.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            unit.paragraph_format.keep_with_next = True
        frame = table.frame
        headers = [_cell_text(c) for c in frame.columns]
        rows = [[_cell_text(v) for v in row] for row in frame.itertuples(index=False, name=None)]
        if not headers:
            self.paragraph("（无数据）", TABLE_NOTE_STYLE)
            return
        numeric = {i for i in table.numeric_columns() if 0 <= i < len(headers)}

        grid = self.document.add_table(rows=1 + len(rows), cols=len(headers))
        grid.style = self.document.styles["Table Grid"]
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        grid.autofit = False  # fixed layout: Word keeps the widths set here
        widths = column_widths(headers, rows, numeric, TEXT_WIDTH, TABLE_SIZE.pt)
        fill_grid(grid, headers, rows, numeric, widths, self.style_id(TABLE_TEXT_STYLE), HEADER_FILL)

        for line in (table.footnote.strip(), table.source):
            if line:
                self.paragraph(line, TABLE_NOTE_STYLE)

    def chart(self, chart: Chart) -> None:
        """The chart's PNG centred at the text width, captioned 图N below."""
        self.figures += 1
        png = chart.png
        width, height = _picture_size(png)
        paragraph = self.paragraph("", FIGURE_STYLE)
        paragraph.add_run().add_picture(io.BytesIO(png), width=width, height=height)
        self.paragraph(f"图{self.figures}　{chart.title}", CAPTION_STYLE)


def _picture_size(png: bytes) -> tuple[Length, Length]:
    """CHART_WIDTH wide, keeping the aspect ratio, unless that is taller than CHART_MAX_HEIGHT."""
    image = Image.from_blob(png)
    aspect = image.px_height / image.px_width
    width = int(CHART_WIDTH)
    if width * aspect > CHART_MAX_HEIGHT:
        width = int(CHART_MAX_HEIGHT / aspect)
    return Emu(width), Emu(round(width * aspect))


def _cell_text(value: object) -> str:
    """A printed cell: strings as they are, missing values (None, NaN, NA) as empty."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    return _clean(str(value))


def _chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
