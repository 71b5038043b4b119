"""``outputs/<year>/index.html``: every department's report of a year on one page.

One row per department with its headline figures (total spending, execution rate, score,
grade), links to its HTML, Word, PDF, workbook and data, and the failures of the last
batch. Columns sort with a click (a few lines of inline script; nothing loads from
outside). The page is the Jinja template ``templates/index/index.html.j2`` with
autoescaping on, styled by the report's own ``report.css`` plus ``index.css``. The page
is rebuilt from the ``summary.json`` of every report folder, so it also lists reports
that a batch skipped because they were up to date.

Links are built only from codes that match ``outturn.identifiers.CODE_PATTERN`` (no
``:``, ``/`` or ``..``): a department whose code is not safe is listed as escaped text
without links, so no ``javascript:`` or off-site ``href`` can come from data.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from outturn.atomic import write_text
from outturn.identifiers import is_safe_code
from outturn.report.paths import year_folder
from outturn.report.runner import RunResult

INDEX_NAME = "index.html"

#: The page's template folder (templates/index: the page, its CSS and its sort script).
TEMPLATES = resources.files("outturn.report") / "templates"
_ENV = Environment(loader=FileSystemLoader(str(TEMPLATES / "index")), autoescape=True,
                   undefined=StrictUndefined, keep_trailing_newline=True)
#: The sortable columns: header and how its values sort.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("部门编码", "text"), ("部门名称", "text"), ("支出合计（万元）", "number"),
    ("预算执行率", "number"), ("自评得分", "number"), ("等级", "text"))
#: A department's files the page links to, with their labels.
FILES: tuple[tuple[str, str], ...] = (
    ("report.html", "报告"), ("report.docx", "Word"), ("report.pdf", "PDF"),
    ("自评表.xlsx", "自评表"), ("data", "数据"))


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


def _links(folder: Path, code: str) -> list[dict[str, str]]:
    """Links to a department's files, relative to the index page; none for an unsafe code."""
    if not is_safe_code(code):
        return []
    return [{"href": f"{code}/{name}", "label": label}
            for name, label in FILES if (folder / code / name).exists()]


def render_index(year: int, summaries: Mapping[str, Mapping[str, Any]], failures: Sequence[RunResult],
                 folder: Path, names: Mapping[str, str] | None = None, today: date | None = None) -> str:
    """The index page's HTML (pure, given the folder to check which files exist), from the
    ``index.html.j2`` template with autoescaping: no text from data is ever markup."""
    names = names or {}
    rows = []
    for code, s in sorted(summaries.items()):
        values = (code, s.get("dept_name", names.get(code, "")), s.get("total_spending", ""),
                  s.get("execution_rate", ""), s.get("score", ""), s.get("grade", ""))
        cells = [{"kind": "num" if kind == "number" else "text", "text": str(v),
                  "sort": _num(v) if kind == "number" else str(v)}
                 for (_, kind), v in zip(COLUMNS, values, strict=True)]
        rows.append({"cells": cells, "links": _links(folder, code)})
    failed = [{"code": r.dept_code, "name": r.dept_name or names.get(r.dept_code, ""), "error": r.error}
              for r in failures if r.status == "failed"]
    return _ENV.get_template("index.html.j2").render(
        year=year, rows=rows, failures=failed, columns=COLUMNS, today=today or date.today(),
        report_css=(TEMPLATES / "outturn" / "report.css").read_text(encoding="utf-8"),
        index_css=(TEMPLATES / "index" / "index.css").read_text(encoding="utf-8"),
        sort_js=(TEMPLATES / "index" / "sort.js").read_text(encoding="utf-8"))


def write_index(output_root: Path, year: int, results: Sequence[RunResult] = (),
                names: Mapping[str, str] | None = None) -> Path:
    """Write ``<output_root>/<year>/index.html`` from the report folders present."""
    folder = year_folder(output_root, year)
    html = render_index(year, _summaries(folder), results, folder, names)
    return write_text(folder / INDEX_NAME, html)
