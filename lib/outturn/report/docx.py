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
  repeated on every page, fixed column widths in proportion to their content, figures
  right-aligned.
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
import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Length, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph

from outturn import atomic
from outturn.report import markup
from outturn.report.model import Chart, Narrative, Paragraph, Report, Section, Table

__all__ = ["build_document", "docx_text", "write_docx"]

# --- Page (GB/T 9704-2012 公文版面) -------------------------------------------------------
PAGE_WIDTH = Cm(21.0)
PAGE_HEIGHT = Cm(29.7)
MARGIN_TOP = Cm(3.7)
MARGIN_BOTTOM = Cm(3.5)
MARGIN_LEFT = Cm(2.8)
MARGIN_RIGHT = Cm(2.6)
#: the text block's width: 15.6 cm
TEXT_WIDTH = Emu(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
#: charts are drawn at this width (a hair under the text width, so Word never rescales them)
CHART_WIDTH = Cm(15.5)
#: … unless that makes them taller than this (a tall chart keeps its caption on the page)
CHART_MAX_HEIGHT = Cm(20.0)

# --- Fonts --------------------------------------------------------------------------------
LATIN_FONT = "Times New Roman"
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
BODY_SIZE = Pt(12)
TABLE_SIZE = Pt(10.5)
NOTE_SIZE = Pt(9)
TITLE_SIZE = Pt(22)
#: heading level → point size (level 1 = 一、…, level 2 = （一）…, level 3 = ### in narratives)
HEADING_SIZES = {1: Pt(16), 2: Pt(14), 3: Pt(12)}
BLACK = RGBColor(0, 0, 0)
GREY = RGBColor(0x59, 0x59, 0x59)
#: header row shading (light grey)
HEADER_FILL = "D9D9D9"

# Custom paragraph styles (English names: Word shows them as given).
TITLE_STYLE = "Report Title"
META_STYLE = "Report Meta"
BODY_STYLE = "Body Text"
TABLE_TEXT_STYLE = "Table Text"
TABLE_NOTE_STYLE = "Table Note"
FIGURE_STYLE = "Figure"
CAPTION_STYLE = "Caption"

_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# XML 1.0 cannot hold C0 control characters other than tab, newline and carriage return.
_VERTICAL_BREAKS = re.compile("[\x0b\x0c]")  # Excel's in-cell line break, form feed
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")


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
    data = _restamp_zip(buffer.getvalue(), datetime.combine(report.generated, datetime.min.time()))
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
    builder.paragraph(report.title, TITLE_STYLE)
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
        widths = _column_widths(headers, rows, TEXT_WIDTH)
        for column, width in zip(grid.columns, widths, strict=True):
            column.width = width

        text_style = self.style_id(TABLE_TEXT_STYLE)
        for r, row in enumerate(grid.rows):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
            if r == 0:
                tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of each page
            values = headers if r == 0 else rows[r - 1]
            for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                cell.width = widths[c]
                paragraph = cell.paragraphs[0]
                paragraph._p.get_or_add_pPr().style = text_style
                run = paragraph.add_run(value)
                if r == 0:
                    run.bold = True
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    _shade(cell._tc, HEADER_FILL)
                elif c in numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                else:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

        if table.note.strip():
            self.paragraph(table.note.strip(), TABLE_NOTE_STYLE)

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


def _column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]], total: int) -> list[Length]:
    """Column widths in proportion to their content, filling ``total``.

    A column is as wide as its longest cell (CJK characters count double), but a long
    name wraps after 40 half-width characters and a header after 12 (headers wrap onto
    two lines rather than widening a column of short figures).
    """
    wants = []
    for c, header in enumerate(headers):
        content = max((_display_width(row[c]) for row in rows), default=0)
        wants.append(max(min(content, 40), min(_display_width(header), 12), 4) + 2)
    scale = total / sum(wants)
    widths = [int(w * scale) for w in wants]
    widths[-1] += total - sum(widths)  # rounding: the columns add up exactly
    return [Emu(w) for w in widths]


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _shade(tc: Any, fill: str) -> None:
    """Fill a cell's background (w:shd, placed where the schema wants it in w:tcPr)."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc.get_or_add_tcPr().insert_element_before(
        shd, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
        "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange",
    )


def _cell_text(value: object) -> str:
    """A printed cell: strings as they are, missing values (None, NaN, NA) as empty."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    return _clean(str(value))


def _clean(text: str) -> str:
    """Text XML can hold: Excel's vertical tab becomes a line break, other control
    characters are dropped (python-docx would otherwise refuse the whole document)."""
    return _NOT_XML.sub("", _VERTICAL_BREAKS.sub("\n", text))


def _chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# --- Page, styles, properties -------------------------------------------------------------


def _set_up_page(document: WordDocument) -> None:
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.header_distance, section.footer_distance = Cm(1.5), Cm(2.0)


def _add_page_number(document: WordDocument) -> None:
    """A centred ``— N —`` page number in the footer (a PAGE field, updated by Word)."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")


def _set_up_styles(document: WordDocument) -> None:
    """Explicit fonts, sizes and spacing for every style the report uses."""
    styles = document.styles
    _set_doc_defaults(document)

    normal = styles["Normal"]
    _set_run_fonts(normal, LATIN_FONT, BODY_FONT)
    normal.font.size = BODY_SIZE
    _set_paragraph(normal, before=0, after=0, line=1.0)

    body = _paragraph_style(document, BODY_STYLE)
    body.font.size = BODY_SIZE
    _set_paragraph(body, before=0, after=0, line=1.5, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _indent_first_line(body, BODY_SIZE)

    for level, size in HEADING_SIZES.items():
        heading = styles[f"Heading {level}"]
        _set_run_fonts(heading, LATIN_FONT, HEADING_FONT)
        heading.font.size = size
        heading.font.bold = True
        heading.font.italic = False
        heading.font.color.rgb = BLACK
        before, after = {1: (12, 6), 2: (8, 4), 3: (6, 3)}[level]
        _set_paragraph(heading, before=before, after=after, line=1.5, align=WD_ALIGN_PARAGRAPH.LEFT)
        heading.paragraph_format.keep_with_next = True

    title = _paragraph_style(document, TITLE_STYLE)
    _set_run_fonts(title, LATIN_FONT, HEADING_FONT)
    title.font.size = TITLE_SIZE
    title.font.bold = True
    _set_paragraph(title, before=0, after=12, line=1.25, align=WD_ALIGN_PARAGRAPH.CENTER)

    meta = _paragraph_style(document, META_STYLE)
    meta.font.size = NOTE_SIZE
    meta.font.color.rgb = GREY
    _set_paragraph(meta, before=0, after=6, line=1.0, align=WD_ALIGN_PARAGRAPH.CENTER)

    table_text = _paragraph_style(document, TABLE_TEXT_STYLE)
    table_text.font.size = TABLE_SIZE
    _set_paragraph(table_text, before=0, after=0, line=1.0)

    note = _paragraph_style(document, TABLE_NOTE_STYLE)
    note.font.size = NOTE_SIZE
    _set_paragraph(note, before=3, after=6, line=1.0, align=WD_ALIGN_PARAGRAPH.LEFT)

    figure = _paragraph_style(document, FIGURE_STYLE)
    _set_paragraph(figure, before=6, after=0, line=1.0, align=WD_ALIGN_PARAGRAPH.CENTER)
    figure.paragraph_format.keep_with_next = True  # the picture stays with its caption

    caption = styles[CAPTION_STYLE]
    _set_run_fonts(caption, LATIN_FONT, HEADING_FONT)
    caption.font.size = TABLE_SIZE
    caption.font.bold = True
    caption.font.color.rgb = BLACK
    _set_paragraph(caption, before=6, after=6, line=1.0, align=WD_ALIGN_PARAGRAPH.CENTER)
    caption.paragraph_format.keep_with_next = True  # a table's title stays with the table
    caption.hidden = False
    caption.unhide_when_used = False


def _set_doc_defaults(document: WordDocument) -> None:
    """The document defaults: explicit fonts instead of theme fonts, Chinese as the East
    Asian language, no paragraph spacing (the template's 10 pt after / 1.15 lines)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:  # pragma: no cover - python-docx's template has them
        return
    r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if r_pr is not None:
        _explicit_fonts(r_pr.get_or_add_rFonts(), LATIN_FONT, BODY_FONT)
        lang = r_pr.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")


def _paragraph_style(document: WordDocument, name: str) -> Any:
    """The paragraph style ``name`` based on Normal (added if the template lacks it)."""
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    style.quick_style = True
    return style


def _set_run_fonts(style: BaseStyle, latin: str, east_asian: str) -> None:
    """Latin and East Asian fonts of a style, replacing theme fonts."""
    r_fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    _explicit_fonts(r_fonts, latin, east_asian)


def _explicit_fonts(r_fonts: Any, latin: str, east_asian: str) -> None:
    for attr in _THEME_FONT_ATTRS:  # a theme font overrides the explicit name beside it
        r_fonts.attrib.pop(qn(attr), None)
    r_fonts.set(qn("w:ascii"), latin)
    r_fonts.set(qn("w:hAnsi"), latin)
    r_fonts.set(qn("w:cs"), latin)
    r_fonts.set(qn("w:eastAsia"), east_asian)


def _set_paragraph(style: Any, *, before: float, after: float, line: float,
                   align: WD_ALIGN_PARAGRAPH | None = None) -> None:
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE if line == 1.0 else WD_LINE_SPACING.MULTIPLE
    if line != 1.0:
        fmt.line_spacing = line
    if align is not None:
        fmt.alignment = align


def _indent_first_line(style: Any, size: Length) -> None:
    """First line indented two characters: ``firstLineChars`` (what Word's 首行缩进 2 字符
    writes, exact whatever the font) with the equivalent length for other readers."""
    style.paragraph_format.first_line_indent = Emu(2 * size)
    ind = style.element.get_or_add_pPr().find(qn("w:ind"))
    ind.set(qn("w:firstLineChars"), "200")


def _set_core_properties(document: WordDocument, report: Report) -> None:
    """Properties from the report, none from the clock or the template."""
    props = document.core_properties
    stamp = datetime.combine(report.generated, datetime.min.time())
    props.title = _clean(report.title)
    props.subject = "整体支出绩效自评报告"
    props.author = "outturn"
    props.last_modified_by = "outturn"
    props.keywords = _clean(f"{report.dept_code} {report.year} {report.data_version}")
    props.comments = ""
    props.language = "zh-CN"
    props.created = stamp
    props.modified = stamp
    props.revision = 1
    # The template's thumbnail shows python-docx's sample page, not this report: drop it.
    package_rels = document.part.package.rels
    for r_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[r_id]


# --- Writing ------------------------------------------------------------------------------


def _restamp_zip(data: bytes, stamp: datetime) -> bytes:
    """The same package with every entry dated ``stamp``: python-docx dates zip entries
    with the clock, so two writes of one report would otherwise differ."""
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, src.read(info))
    return out.getvalue()
