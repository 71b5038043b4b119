"""Executed report notebook → one self-contained HTML file for leadership (nbconvert).

nbconvert's default templates show code and prompts and load MathJax and require.js
from the internet. outturn's template (``templates/outturn``) renders only the
notebook's HTML outputs — the report's own escaped fragments — with the stylesheet
inline, so the file opens offline and prints on A4.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _exporter() -> Any:
    """One configured exporter per process (building it parses the templates)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="outturn", extra_template_basedirs=[str(TEMPLATES)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def notebook_html(nb: Any, title: str, footer: str = "") -> str:
    """The leadership HTML of an executed report notebook."""
    css = (TEMPLATES / "outturn" / "report.css").read_text(encoding="utf-8")
    body, _ = _exporter().from_notebook_node(
        nb, resources={"outturn": {"title": title, "css": css, "footer": footer}})
    return body

