"""``outputs/<year>/index.html``: every department's report of a year on one page.

One row per department with its headline figures (total spending, execution rate, score,
grade), links to its HTML, Word, PDF, workbook and data, and the failures of the last
batch. Columns sort with a click (a few lines of inline script; nothing loads from
outside). The page is rebuilt from the ``summary.json`` of every report folder, so it
also lists reports that a batch skipped because they were up to date.

Links are built only from codes that match ``outturn.identifiers.CODE_PATTERN`` (no
``:``, ``/`` or ``..``): a department whose code is not safe is listed as escaped text
without links, so no ``javascript:`` or off-site ``href`` can come from data.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from outturn.atomic import write_text
from outturn.identifiers import is_safe_code
from outturn.report.runner import RunResult

INDEX_NAME = "index.html"

_SCRIPT = """
document.querySelectorAll('th[data-sort]').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var up = th.getAttribute('aria-sort') !== 'ascending';
    th.closest('tr').querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
    var numeric = th.getAttribute('data-sort') === 'number';
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute('data-value'), y = b.cells[col].getAttribute('data-value');
      var c = numeric ? (parseFloat(x) || -Infinity) - (parseFloat(y) || -Infinity)
                      : x.localeCompare(y, 'zh');
      return up ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       color: #1a1a1a; margin: 0; line-height: 1.6; }
main { max-width: 68rem; margin: 0 auto; padding: 2rem 1.5rem; }
h1 { font-size: 1.5rem; text-align: center; }
p.meta { color: #5a6270; text-align: center; font-size: 0.9rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #c9ced6; padding: 0.35rem 0.6rem; }
th { background: #eef1f5; white-space: nowrap; }
th[data-sort] { cursor: pointer; } th[data-sort]::after { content: " ⇅"; color: #9aa3ae; }
th[aria-sort=ascending]::after { content: " ▲"; } th[aria-sort=descending]::after { content: " ▼"; }
td.num { text-align: right; white-space: nowrap; }
td.links a { margin-right: 0.6em; color: #1f4e79; }
tr.failed td { background: #fdf0ef; }
h2 { font-size: 1.15rem; margin-top: 2rem; }
"""


def _summaries(year_folder: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for path in sorted(year_folder.glob("*/summary.json")):
        if path.parent.name.startswith("."):
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        out[str(data.get("dept_code", path.parent.name))] = data
    return out


def _num(text: object) -> str:
    value = str(text).rstrip("%")
    try:
        float(value)
    except ValueError:
        return ""
    return value


def _links(folder: Path, code: str) -> str:
    """Links to a department's files, relative to the index page; none for an unsafe code."""
    if not is_safe_code(code):
        return ""
    files = (("report.html", "报告"), ("report.docx", "Word"), ("report.pdf", "PDF"),
             ("自评表.xlsx", "自评表"), ("data", "数据"))
    return "".join(f'<a href="{escape(code)}/{escape(name)}">{label}</a>'
                   for name, label in files if (folder / code / name).exists())


def render_index(year: int, summaries: Mapping[str, Mapping[str, Any]], failures: Sequence[RunResult],
                 folder: Path, names: Mapping[str, str] | None = None, today: date | None = None) -> str:
    """The index page's HTML (pure, given the folder to check which files exist)."""
    names = names or {}
    rows = []
    for code, s in sorted(summaries.items()):
        cells = [("text", code, code), ("text", s.get("dept_name", names.get(code, "")), None),
                 ("num", s.get("total_spending", ""), None), ("num", s.get("execution_rate", ""), None),
                 ("num", s.get("score", ""), None), ("text", s.get("grade", ""), None)]
        tds = "".join(
            f'<td class="{"num" if kind == "num" else "text"}" data-value="'
            f'{escape(_num(v) if kind == "num" else str(v))}">{escape(str(v))}</td>'
            for kind, v, _ in cells)
        rows.append(f"<tr>{tds}<td class=\"links\">{_links(folder, code)}</td></tr>")
    failed = [r for r in failures if r.status == "failed"]
    fail_rows = "".join(
        f'<tr class="failed"><td>{escape(r.dept_code)}</td>'
        f'<td>{escape(r.dept_name or names.get(r.dept_code, ""))}</td><td>{escape(r.error)}</td></tr>'
        for r in failed)
    failures_html = ("<h2>本次未能生成的报告</h2><table><thead><tr><th>部门编码</th><th>部门名称</th>"
                     f"<th>原因</th></tr></thead><tbody>{fail_rows}</tbody></table>") if failed else ""
    header = "".join(f'<th scope="col" data-sort="{kind}">{label}</th>' for label, kind in (
        ("部门编码", "text"), ("部门名称", "text"), ("支出合计（万元）", "number"), ("预算执行率", "number"),
        ("自评得分", "number"), ("等级", "text")))
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{year}年度部门整体支出绩效自评报告</title><style>{_STYLE}</style></head><body><main>"
        f"<h1>{year}年度部门整体支出绩效自评报告</h1>"
        f'<p class="meta">共{len(summaries)}个部门 · 更新于{(today or date.today()):%Y年%m月%d日} · '
        "点击表头排序</p>"
        f"<table><thead><tr>{header}<th>文件</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"{failures_html}</main><script>{_SCRIPT}</script></body></html>")


def write_index(output_root: Path, year: int, results: Sequence[RunResult] = (),
                names: Mapping[str, str] | None = None) -> Path:
    """Write ``<output_root>/<year>/index.html`` from the report folders present."""
    folder = Path(output_root) / str(year)
    html = render_index(year, _summaries(folder), results, folder, names)
    return write_text(folder / INDEX_NAME, html)
