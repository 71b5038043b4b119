"""The Word report's page and styles: A4 in the 公文 layout (GB/T 9704-2012 margins), 仿宋
body and 黑体 headings with Times New Roman for Latin text, named paragraph styles for the
title, meta lines, body, tables, notes, figures and captions, page numbers in the footer,
and the document's core properties. :mod:`outturn.report.docx` fills a document set up here.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Length, Pt, RGBColor
from docx.styles.style import BaseStyle

from outturn.report.model import Report

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


def _clean(text: str) -> str:
    """Text XML can hold: Excel's vertical tab becomes a line break, other control
    characters are dropped (python-docx would otherwise refuse the whole document)."""
    return _NOT_XML.sub("", _VERTICAL_BREAKS.sub("\n", text))
