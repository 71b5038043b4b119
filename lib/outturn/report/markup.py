"""The small Markdown subset profile narratives are written in, parsed to plain blocks.

Finance staff write a department's own words (``performance.md``, ``problems.md`` …)
as paragraphs, ``###`` headings and numbered or bulleted lists. Parsing them into
blocks here — rather than handing them to a Markdown engine — means every export
renders the same structure and no HTML, link or image in the text can get through:
the renderers escape each block's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ORDERED = re.compile(r"^\s*(?:\d+|[一二三四五六七八九十]+)[.、．)）]\s*(.*)$")
_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")


@dataclass(frozen=True)
class MarkupBlock:
    """``kind`` is ``heading``, ``paragraph`` or ``list``; a list has ``items`` and
    ``ordered``."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    ordered: bool = False


def parse(text: str) -> list[MarkupBlock]:
    """Blocks of a narrative: consecutive lines join into one paragraph (Chinese text
    joins without a space); a blank line ends it."""
    blocks: list[MarkupBlock] = []
    lines: list[str] = []
    items: list[str] = []
    ordered = False

    def flush() -> None:
        nonlocal lines, items
        if lines:
            blocks.append(MarkupBlock("paragraph", _join(lines)))
        if items:
            blocks.append(MarkupBlock("list", items=tuple(items), ordered=ordered))
        lines, items = [], []

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        heading = _HEADING.match(line)
        item = _ORDERED.match(line) or _BULLET.match(line)
        if not line:
            flush()
        elif heading:
            flush()
            blocks.append(MarkupBlock("heading", heading.group(2)))
        elif item:
            if lines:
                flush()
            is_ordered = item.re is _ORDERED
            if items and is_ordered != ordered:
                flush()
            ordered = is_ordered
            items.append(item.group(1).strip())
        elif items:
            items[-1] = _join([items[-1], line])
        else:
            lines.append(line)
    flush()
    return blocks


def _join(parts: list[str]) -> str:
    """Join wrapped lines: no space between two CJK characters, one space otherwise."""
    out = parts[0]
    for part in parts[1:]:
        if out and part and (_wide(out[-1]) or _wide(part[0])):
            out += part
        else:
            out += " " + part
    return out


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80
