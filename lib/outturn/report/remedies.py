"""Sections 七 (存在的问题及原因分析) and 八 (下一步改进措施) as the department writes them.

七 is one list, 一是、二是…: each problem :func:`outturn.report.findings.find_problems`
finds in the figures, followed by the department's cause where its profile gives one
(``[causes]``, keyed by the problem's kind), then the department's own points. 八 answers
it in the department's voice, a measure per problem in the same order, then its own.
"""

from __future__ import annotations

from outturn.report.claims import Sentence, Source
from outturn.report.findings import Finding
from outturn.report.model import Narrative, Paragraph, Section
from outturn.report.style import closed, list_items, point, self_name
from outturn.store.model import DeptYear


def _own_points(dy: DeptYear, name: str) -> tuple[list[str], str | None]:
    """The department's own points from ``<name>.md``: its items when it is an ordered
    list (they continue the section's 一是… list), else the text to print as written."""
    own = dy.profile.get("narrative", {}).get(name)
    if not own:
        return [], None
    items = list_items(own)
    return (items, None) if items is not None else ([], own)


def problems_section(findings: list[Finding], dy: DeptYear) -> Section:
    """七、存在的问题及原因分析: one list, 一是…: each problem the figures show (with its
    figures and, where known, its cause), then the department's own points (problems.md)."""
    section = Section("七", "存在的问题及原因分析")
    own, prose = _own_points(dy, "problems")
    causes = {str(k): str(v) for k, v in dy.profile.get("causes", {}).items()}
    n = 0
    for f in findings:
        n += 1
        prefix, p = point(n), f.paragraph
        spans = tuple((a + len(prefix), b + len(prefix)) for a, b in p.spans)
        text, claims = prefix + p.text, p.claims
        if cause := causes.pop(f.kind, ""):  # the department's cause, after its figures
            cause = closed(cause)
            spans += ((len(text), len(text) + len(cause)),)
            claims += (Source(cause, f"profile.toml [causes] {f.kind}"),)
            text += cause
        section.blocks.append(Paragraph(text, claims, spans))
        if f.table is not None:
            section.blocks.append(f.table)
    own = list(causes.values()) + own  # a cause of a problem not found this year is kept
    for item in own:  # the department's own words: a stated source, not figures to check
        n += 1
        section.blocks.append(Sentence().say(point(n)).source(closed(item), "problems.md").paragraph())
    if prose:
        section.blocks.append(Narrative(prose, "problems.md"))
    if not section.blocks:
        section.blocks.append(Paragraph("对照预算执行数据检查，未发现执行率偏低、追加比重过大、"
                                        "进度滞后、无预算支出或年度波动过大等问题。"))
    return section


def measures_section(findings: list[Finding], dy: DeptYear) -> Section:
    """八、下一步改进措施: the department's own measures, one list with 七: a measure for
    each problem found, in 七's order, then the department's own (measures.md)."""
    section = Section("八", "下一步改进措施")
    own, prose = _own_points(dy, "measures")
    if findings or own:
        section.blocks.append(Paragraph(f"针对上述问题，{self_name(dy.profile)}将重点做好以下工作："))
        section.blocks += [Paragraph(point(i) + closed(f.measure)) for i, f in enumerate(findings, 1)]
        section.blocks += [Sentence().say(point(i)).source(closed(m), "measures.md").paragraph()
                           for i, m in enumerate(own, len(findings) + 1)]
    if prose:
        section.blocks.append(Narrative(prose, "measures.md"))
    if not section.blocks:
        section.blocks.append(Paragraph("无。"))
    return section
