"""A report table as a Word grid: widths from content, bold totals, rows kept together.

A finance reader checks a table figure by figure, so a figure must never wrap
("1308.8" over "2") and a 合计 must stand out; a table must not leave its header or a
two-row fragment alone at the foot of a page. Word lays a fixed-width table out exactly
as told and LibreOffice follows the same widths, so this module measures the text it
writes instead of trusting proportions:

- **Widths.** Each column needs room for its widest unbreakable piece: a whole figure (its
  unit, as in 8337.395平方米, may wrap), code or Latin word, and two Chinese characters of
  a header (headers wrap between characters). Widths are estimated from
  the characters' advance widths in the table's fonts (Times New Roman figures, CJK
  full-width) plus the cell margins. What is left of the text width goes to the columns
  that would wrap otherwise, in proportion to how much more they would like.
- **Emphasis.** Rows whose label is 合计 or 小计 are bold.
- **Keeping.** A table of up to `KEEP_WHOLE_ROWS` rows is kept on one page (every row's
  paragraphs keep with the next row). A longer one breaks between rows, its header
  repeated on every page (``w:tblHeader``); its rows carry no keep-with-next, because
  LibreOffice 7.4 silently drops the rows after a kept run that crosses a page. Rows
  never split (``w:cantSplit``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Length
from docx.table import Table as WordTable
from lxml.etree import SubElement

from outturn.vocabulary import SUBTOTAL_LABEL, TOTAL_LABEL

__all__ = ["KEEP_WHOLE_ROWS", "column_widths", "fill_grid", "shade", "text_width"]

#: Tables with at most this many rows (header included) are kept on one page.
KEEP_WHOLE_ROWS = 16
#: Left plus right cell margin of the "Table Grid" style (0.19 cm each) and a little slack
#: for the renderer's rounding and a bold figure, in points.
_CELL_PADDING_PT = 10.8 + 4.0
#: A header may wrap between Chinese characters, but keeps at least this many on a line.
_HEADER_MIN_CJK = 2
#: A long text cell wraps after about this many em rather than widening its column.
_TEXT_MAX_EM = 20.0
#: A header wraps after about this many em rather than widening a column of short figures.
_HEADER_MAX_EM = 6.0
# Advance widths in em of Times New Roman (LibreOffice's Liberation Serif has the same
# metrics); characters not listed count as 0.55 em, CJK and full-width forms as 1 em.
_LATIN_EM = {**dict.fromkeys("0123456789", 0.5), ".": 0.25, ",": 0.25, " ": 0.25, "-": 0.333,
             "%": 0.833, "(": 0.333, ")": 0.333, "/": 0.278, ":": 0.278}
# A piece of text the renderer will not break: a run of anything but CJK and spaces.
_UNBREAKABLE = re.compile(r"[^\s\u2e80-\uffff]+")
_EMU_PER_PT = 12700


def text_width(text: str) -> float:
    """Estimated width of ``text`` in em (CJK 1, figures 0.5, see `_LATIN_EM`).

    >>> text_width("1308.82")
    3.25
    >>> text_width("合计")
    2.0
    """
    return sum(1.0 if ord(ch) >= 0x2E80 else _LATIN_EM.get(ch, 0.55) for ch in text)


def _unbroken(text: str) -> float:
    """Width in em of the widest piece of ``text`` that cannot wrap."""
    return max((text_width(piece) for piece in _UNBREAKABLE.findall(text)), default=0.0)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int],
                  total: int, font_pt: float) -> list[Length]:
    """Column widths (EMU, adding up to ``total``) so that no figure and no code wraps.

    >>> from docx.shared import Pt
    >>> widths = column_widths(["项目", "金额"], [["道路维护", "1308.82"]], {1}, Pt(200), 10.5)
    >>> sum(widths) == Pt(200), widths[1] >= Pt(3.25 * 10.5 + _CELL_PADDING_PT)
    (True, True)
    """
    pad = _CELL_PADDING_PT
    need: list[float] = []
    want: list[float] = []
    for c, header in enumerate(headers):
        cells = [row[c] for row in rows]
        head_need = max(_unbroken(header), min(text_width(header), float(_HEADER_MIN_CJK)))
        head_want = min(text_width(header), _HEADER_MAX_EM)
        if c in numeric:  # a figure never wraps; its unit (8337.395平方米) may
            body = max((text_width(v) for v in cells), default=0.0)
            n = max(max((_unbroken(v) for v in cells), default=0.0), head_need)
            w = max(body, head_want, n)
        else:
            body_need = max((_unbroken(v) for v in cells), default=0.0)
            body_want = min(max((text_width(v) for v in cells), default=0.0), _TEXT_MAX_EM)
            n = max(body_need, head_need, float(_HEADER_MIN_CJK))
            w = max(n, body_want, head_want)
        need.append(n * font_pt + pad)
        want.append(w * font_pt + pad)
    room = total / _EMU_PER_PT
    if sum(want) <= room:  # everything fits on one line: share the slack in proportion
        points = [w * room / sum(want) for w in want]
    elif sum(need) <= room:  # the columns that would wrap share what the figures leave
        spare = room - sum(need)
        extra = [w - n for w, n in zip(want, need, strict=True)]
        points = [n + spare * e / sum(extra) for n, e in zip(need, extra, strict=True)]
    else:  # more figures than the page holds: the closest we can get, in proportion
        points = [n * room / sum(need) for n in need]
    widths = [int(p * _EMU_PER_PT) for p in points]
    widths[-1] += total - sum(widths)  # rounding: the columns add up exactly
    return [Emu(w) for w in widths]


def fill_grid(grid: WordTable, headers: Sequence[str], rows: Sequence[Sequence[str]],
              numeric: set[int], widths: Sequence[Length], text_style_id: str, header_fill: str) -> None:
    """Write the header and the rows into ``grid`` (1 + len(rows) rows already made).

    The cells are written as WordprocessingML directly (a width, the header's shading and
    centred cells; a styled paragraph, aligned, kept or not with the next row; one run,
    bold or not): the same XML python-docx's cell, paragraph and run setters write, at a
    fraction of their cost, which is most of a report's Word time for long tables.
    """
    count = 1 + len(rows)
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    twips = [str(Emu(w).twips) for w in widths]
    for r, tr in enumerate(grid._tbl.tr_lst):
        tr_pr = tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
        if r == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of each page
        values = headers if r == 0 else rows[r - 1]
        bold = r == 0 or any(str(v).strip() in (TOTAL_LABEL, SUBTOTAL_LABEL) for v in values[:2])
        keep = _keeps_with_next(r, count)
        for c, (tc, value) in enumerate(zip(tr.tc_lst, values, strict=True)):
            align = "center" if r == 0 else "right" if c in numeric else "left"
            _write_cell(tc, str(value), twips[c], text_style_id, align, keep, bold,
                        header_fill if r == 0 else None)


def _write_cell(tc: Any, value: str, width: str, style_id: str, align: str, keep: bool,
                bold: bool, fill: str | None) -> None:
    """One cell: ``w:tcPr`` (width, shading, vertical centre) and its paragraph's one run."""
    tc_pr = tc.get_or_add_tcPr()
    tc_w = tc_pr.get_or_add_tcW()
    tc_w.set(qn("w:type"), "dxa")
    tc_w.set(qn("w:w"), width)
    if fill is not None:
        shade(tc, fill)
    SubElement(tc_pr, qn("w:vAlign")).set(qn("w:val"), "center")
    p = tc.p_lst[0]
    p_pr = SubElement(p, qn("w:pPr"))
    SubElement(p_pr, qn("w:pStyle")).set(qn("w:val"), style_id)
    keep_next = SubElement(p_pr, qn("w:keepNext"))
    if not keep:
        keep_next.set(qn("w:val"), "0")
    SubElement(p_pr, qn("w:jc")).set(qn("w:val"), align)
    run = SubElement(p, qn("w:r"))
    weight = SubElement(SubElement(run, qn("w:rPr")), qn("w:b"))
    if not bold:
        weight.set(qn("w:val"), "0")
    run.text = value  # python-docx's run text: tabs, breaks and kept spaces as Word wants


def _keeps_with_next(r: int, count: int) -> bool:
    """Whether row ``r`` of ``count`` keeps with the row below (see the module docstring)."""
    return r < count - 1 and count <= KEEP_WHOLE_ROWS


def shade(tc: Any, fill: str) -> None:
    """Fill a cell's background (w:shd, placed where the schema wants it in w:tcPr)."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc.get_or_add_tcPr().insert_element_before(
        shd, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
        "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange",
    )
