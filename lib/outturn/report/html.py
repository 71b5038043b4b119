"""The report's blocks as HTML fragments, every piece of text escaped.

The notebook displays these fragments (so an analyst sees the report as it will be
printed) and the leadership HTML is made of them. Nothing from the data reaches the page
unescaped: names, narrative and table cells all go through :func:`html.escape`, and
narrative Markdown is parsed by :mod:`outturn.report.markup`, not passed through.
Charts are inline PNG (``data:`` URIs), so the page needs nothing from outside.
"""

from __future__ import annotations

import base64
from html import escape

from outturn.report import markup
from outturn.report.model import Block, Chart, Narrative, Paragraph, Report, Section, Table
from outturn.vocabulary import TOTAL_LABEL

#: A table of at most this many rows is printed whole on one page (CSS ``figure.short``);
#: a longer one breaks between rows with its header repeated.
SHORT_TABLE_ROWS = 12


def anchor(section: Section) -> str:
    """The id of a section's heading, for the contents list."""
    return "s" + str(section.number.strip("（）"))


def cover(report: Report) -> str:
    """The header (title, department, year, data version, generation date) and contents."""
    items = []
    for s in report.sections:
        subs = "".join(f'<li><a href="#{escape(anchor(s))}-{i}">{escape(x.heading)}</a></li>'
                       for i, x in enumerate(s.subsections, 1))
        items.append(f'<li><a href="#{escape(anchor(s))}">{escape(s.heading)}</a>'
                     + (f"<ol>{subs}</ol>" if subs else "") + "</li>")
    note = f'<p class="data-note">{escape(report.data_note)}</p>' if report.data_note else ""
    return (
        '<header class="report-header">'
        "<h1>" + "".join(f'<span class="title-line">{escape(x)}</span>' for x in report.title_lines) + "</h1>"
        '<dl class="meta">'
        f"<dt>部门</dt><dd>{escape(report.dept_name)}（{escape(report.dept_code)}）</dd>"
        f"<dt>年度</dt><dd>{report.year}</dd>"
        f"<dt>数据版本</dt><dd>{escape(report.data_version)}</dd>"
        f"<dt>生成日期</dt><dd>{report.generated:%Y年%m月%d日}</dd>"
        "</dl>" + note + "</header>"
        f'<nav class="toc"><h2>目录</h2><ol>{"".join(items)}</ol></nav>'
    )


def section(s: Section, counter: dict[str, int] | None = None) -> str:
    """A numbered section with its sub-sections. ``counter`` numbers tables and charts
    across the whole report (表1, 图1 …)."""
    counter = counter if counter is not None else {"table": 0, "chart": 0}
    parts = [f'<section class="level1" id="{escape(anchor(s))}"><h2>{escape(s.heading)}</h2>']
    parts += [block(b, counter) for b in s.blocks]
    for i, sub in enumerate(s.subsections, 1):
        parts.append(f'<section class="level2" id="{escape(anchor(s))}-{i}">'
                     f"<h3>{escape(sub.heading)}</h3>")
        parts += [block(b, counter) for b in sub.walk()]
        parts.append("</section>")
    parts.append("</section>")
    return "".join(parts)


def block(b: Block, counter: dict[str, int]) -> str:
    if isinstance(b, Paragraph):
        return f"<p>{escape(b.text)}</p>"
    if isinstance(b, Narrative):
        return narrative(b.text)
    if isinstance(b, Table):
        counter["table"] += 1
        return table(b, counter["table"])
    if isinstance(b, Chart):
        counter["chart"] += 1
        return chart(b, counter["chart"])
    raise TypeError(f"not a report block: {type(b).__name__}")


def narrative(text: str) -> str:
    """The department's own words: headings, paragraphs and lists, escaped."""
    out = ['<div class="narrative">']
    for item in markup.parse(text):
        if item.kind == "heading":
            out.append(f"<h4>{escape(item.text)}</h4>")
        elif item.kind == "paragraph":
            out.append(f"<p>{escape(item.text)}</p>")
        else:
            tag = "ol" if item.ordered else "ul"
            out.append(f"<{tag}>" + "".join(f"<li>{escape(x)}</li>" for x in item.items) + f"</{tag}>")
    out.append("</div>")
    return "".join(out)


def table(t: Table, number: int) -> str:
    numeric = set(t.numeric_columns())
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in t.frame.columns)
    rows = []
    for values in t.frame.itertuples(index=False):
        cells = "".join(
            f'<td class="num">{escape(_cell(v))}</td>' if j in numeric else f"<td>{escape(_cell(v))}</td>"
            for j, v in enumerate(values))
        total = ' class="total"' if str(values[0]) == TOTAL_LABEL else ""
        rows.append(f"<tr{total}>{cells}</tr>")
    note = "".join(f'<p class="table-note">{escape(line)}</p>' for line in (t.footnote, t.source) if line)
    unit = f'<p class="table-unit">{escape(t.unit_line)}</p>' if t.unit_line else ""
    kind = "table short" if len(t.frame) <= SHORT_TABLE_ROWS else "table"
    return (f'<figure class="{kind}"><figcaption>表{number}　{escape(t.title)}</figcaption>{unit}'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}</figure>")


def chart(c: Chart, number: int) -> str:
    data = base64.b64encode(c.png).decode("ascii")
    return (f'<figure class="chart"><img src="data:image/png;base64,{data}" alt="{escape(c.title)}">'
            f"<figcaption>图{number}　{escape(c.title)}</figcaption></figure>")


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)
