"""The Word export: layout, fonts, tables, pictures, text round-trip, atomic writes."""

from __future__ import annotations

import io
import math
import zipfile
from datetime import date
from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from matplotlib.figure import Figure
from outturn.report.docx import docx_text, write_docx
from outturn.report.model import Chart, Narrative, Paragraph, Report, Section, Table

NARRATIVE = """### 小标题
本部门严格执行预算，<script>alert(1)</script>照常印出。

1. 第一项措施
2. 第二项措施

- 要点甲
"""


def _png() -> bytes:
    """A tiny real PNG (3:2), drawn without pyplot so no GUI backend is involved."""
    fig = Figure(figsize=(3, 2), dpi=50)
    fig.subplots().bar([0, 1, 2], [3, 1, 2])
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def _report(data_note: str = "部分数据为合成数据。") -> Report:
    frame = pd.DataFrame(
        [
            ["智慧照明运行、维护项目", "500.00", "520.00", "418.02", "80.39%"],
            ["道路维护", "300.00", "300.00", None, math.nan],
        ],
        columns=["项目", "年初预算", "调整后预算", "实际支出", "执行率"],
    )
    chart = Chart("spend", "项目支出结构", "bar", pd.DataFrame({"x": [1]}))
    chart.__dict__["png"] = _png()  # the cached property, drawn here instead of by charts
    one = Section("一", "基本情况", [Paragraph("本部门2025年度支出总体情况如下。"), Narrative(NARRATIVE)])
    two = Section(
        "二",
        "绩效情况",
        [Table("projects", "项目支出执行情况", frame, note="单位：万元")],
        subsections=[Section("（一）", "项目支出", [chart, Paragraph("控制\x0b字符\x01。")])],
    )
    return Report("901", "测试局", 2025, "v3", date(2026, 11, 26), [one, two], data_note=data_note)


@pytest.fixture
def written(tmp_path: Path) -> Path:
    return write_docx(_report(), tmp_path / "out" / "report.docx")


def _style_chain(style):  # the style and the styles it is based on
    while style is not None:
        yield style
        style = style.base_style


def test_returns_the_path_and_creates_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "r.docx"
    assert write_docx(_report(), str(target)) == target
    assert target.is_file()


def test_page_is_a4_with_official_margins(written: Path) -> None:
    section = docx.Document(str(written)).sections[0]
    expected = {"page_width": 21.0, "page_height": 29.7, "top_margin": 3.7, "bottom_margin": 3.5,
                "left_margin": 2.8, "right_margin": 2.6}
    # Word stores twips: within 0.01 cm
    assert {k: round(getattr(section, k).cm, 2) for k in expected} == expected


def test_title_and_metadata_lines(written: Path) -> None:
    paragraphs = docx.Document(str(written)).paragraphs
    # two lines, broken by a line break between the department and the year, never inside a word
    assert paragraphs[0].text == "测试局\n2025年度整体支出绩效自评报告"
    assert paragraphs[0].alignment is None  # centred by its style …
    assert paragraphs[0].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert paragraphs[0].style.font.size == Pt(22) and paragraphs[0].style.font.bold
    meta = paragraphs[1].text
    for part in ("901", "2025", "v3", "生成日期：2026年11月26日"):
        assert part in meta
    assert paragraphs[2].text == "部分数据为合成数据。"


def test_no_data_note_line_when_empty(tmp_path: Path) -> None:
    path = write_docx(_report(data_note=""), tmp_path / "r.docx")
    assert docx.Document(str(path)).paragraphs[2].text == "一、基本情况"


def test_headings_in_order_and_levels(written: Path) -> None:
    paragraphs = docx.Document(str(written)).paragraphs
    headings = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "一、基本情况"),
        ("Heading 3", "小标题"),
        ("Heading 1", "二、绩效情况"),
        ("Heading 2", "（一）项目支出"),
    ]


def test_headings_black_not_themed(written: Path) -> None:
    styles = docx.Document(str(written)).styles
    for level in (1, 2, 3):
        style = styles[f"Heading {level}"]
        assert str(style.font.color.rgb) == "000000"
        assert style.font.color.theme_color is None
    assert styles["Heading 1"].font.size == Pt(16)
    assert styles["Heading 2"].font.size == Pt(14)


def test_east_asian_fonts_are_set(written: Path) -> None:
    document = docx.Document(str(written))
    styles = document.styles

    def east_asian(style) -> str | None:
        for s in _style_chain(style):
            r_pr = s.element.rPr
            if r_pr is not None and r_pr.rFonts is not None and r_pr.rFonts.get(qn("w:eastAsia")):
                return r_pr.rFonts.get(qn("w:eastAsia"))
        return None

    body = next(p for p in document.paragraphs if p.text.startswith("本部门2025"))
    assert east_asian(body.style) == "仿宋"
    assert east_asian(styles["Heading 1"]) == "黑体"
    assert east_asian(styles["Table Text"]) == "仿宋"
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3"):
        r_fonts = styles[name].element.rPr.rFonts
        assert r_fonts.get(qn("w:ascii")) == "Times New Roman"
        # a theme font beside the explicit one would win: none may be left
        assert not [a for a in r_fonts.attrib if "Theme" in a or "theme" in a]


def test_body_paragraph_format(written: Path) -> None:
    document = docx.Document(str(written))
    body = next(p for p in document.paragraphs if p.text.startswith("本部门2025"))
    fmt = body.style.paragraph_format
    assert fmt.first_line_indent == Pt(24)
    assert body.style.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert fmt.line_spacing == 1.5


def test_narrative_blocks(written: Path) -> None:
    texts = [p.text for p in docx.Document(str(written)).paragraphs]
    start = texts.index("小标题")
    assert texts[start + 1 : start + 5] == [
        "本部门严格执行预算，<script>alert(1)</script>照常印出。",
        "1.第一项措施",
        "2.第二项措施",
        "• 要点甲",
    ]


def test_table_structure_borders_and_header(written: Path) -> None:
    document = docx.Document(str(written))
    assert len(document.tables) == 1
    table = document.tables[0]
    assert (len(table.rows), len(table.columns)) == (3, 5)
    assert [c.text for c in table.rows[0].cells] == ["项目", "年初预算", "调整后预算", "实际支出", "执行率"]

    # all borders: the Table Grid style, whose tblBorders draw every edge
    assert table.style.name == "Table Grid"
    borders = table.style.element.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}")
    edges = {child.tag.split("}")[1]: child.get(qn("w:val")) for child in borders}
    assert edges == dict.fromkeys(["top", "left", "bottom", "right", "insideH", "insideV"], "single")

    header_tr = table.rows[0]._tr
    assert header_tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    first = table.rows[0].cells[0]
    assert first._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "D9D9D9"
    assert all(run.bold for run in first.paragraphs[0].runs)


def test_table_caption_note_and_alignment(written: Path) -> None:
    document = docx.Document(str(written))
    body = list(document.iter_inner_content())
    index = next(i for i, item in enumerate(body) if isinstance(item, docx.table.Table))
    caption, note = body[index - 1], body[index + 1]
    assert caption.text == "表1　项目支出执行情况" and caption.style.name == "Caption"
    assert caption.style.font.bold and caption.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert note.text == "单位：万元"

    row = document.tables[0].rows[1].cells
    assert row[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert [c.paragraphs[0].alignment for c in row[1:]] == [WD_ALIGN_PARAGRAPH.RIGHT] * 4
    assert document.styles["Table Text"].font.size == Pt(10.5)
    # the first column (long names) is the widest; the widths fill the text block
    widths = [c.width for c in row]
    assert widths[0] == max(widths)
    assert abs(sum(widths) - Cm(15.6)) < Cm(0.01)


def test_missing_cells_are_empty(written: Path) -> None:
    cells = [c.text for c in docx.Document(str(written)).tables[0].rows[2].cells]
    assert cells == ["道路维护", "300.00", "300.00", "", ""]


def test_chart_picture_and_caption(written: Path) -> None:
    document = docx.Document(str(written))
    assert len(document.inline_shapes) == 1
    shape = document.inline_shapes[0]
    assert abs(shape.width - Cm(15.5)) < Cm(0.01)
    assert abs(shape.height / shape.width - 2 / 3) < 0.01  # aspect ratio kept
    texts = [p.text for p in document.paragraphs]
    assert "图1　项目支出结构" in texts
    picture_paragraph = next(p for p in document.paragraphs if p._p.xpath(".//w:drawing"))
    assert texts[texts.index("图1　项目支出结构") - 1] == picture_paragraph.text
    assert picture_paragraph.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_docx_text_has_the_figures_and_literal_markup(written: Path) -> None:
    text = docx_text(written)
    assert "418.02" in text and "80.39%" in text
    assert "智慧照明运行、维护项目\t500.00\t520.00\t418.02\t80.39%" in text
    assert "<script>alert(1)</script>" in text
    assert "控制\n字符。" in text  # vertical tab → line break, control character dropped


def test_core_properties(written: Path) -> None:
    props = docx.Document(str(written)).core_properties
    assert props.title == "测试局2025年度整体支出绩效自评报告"
    assert props.author == "outturn"
    assert props.created.date() == date(2026, 11, 26)
    assert props.comments == ""


def test_same_report_same_bytes(tmp_path: Path) -> None:
    a = write_docx(_report(), tmp_path / "a.docx").read_bytes()
    b = write_docx(_report(), tmp_path / "b.docx").read_bytes()
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        assert {info.date_time for info in z.infolist()} == {(2026, 11, 26, 0, 0, 0)}
        assert not [n for n in z.namelist() if "thumbnail" in n]


def test_no_temporary_files_left(tmp_path: Path) -> None:
    write_docx(_report(), tmp_path / "r.docx")
    write_docx(_report(), tmp_path / "r.docx")  # overwrite
    assert [p.name for p in tmp_path.iterdir()] == ["r.docx"]


def test_failed_save_keeps_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.docx"
    write_docx(_report(), target)
    before = target.read_bytes()

    def broken_save(self, stream):
        stream.write(b"PK partial")
        raise OSError("disk full")

    monkeypatch.setattr(docx.document.Document, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_docx(_report(data_note="新的说明"), target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["r.docx"]


def test_failed_replace_removes_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.docx"
    target.write_bytes(b"previous")

    def broken_replace(src, dst):
        raise OSError("cannot rename")

    monkeypatch.setattr("outturn.atomic.os.replace", broken_replace)
    with pytest.raises(OSError, match="cannot rename"):
        write_docx(_report(), target)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["r.docx"]


def test_unknown_block_is_an_error(tmp_path: Path) -> None:
    report = _report()
    report.sections[0].blocks.append("not a block")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="str"):
        write_docx(report, tmp_path / "r.docx")
    assert not (tmp_path / "r.docx").exists()
