"""Browser tools for the tests: screenshot a page, run a script in it, and count the
platform fonts Chromium drew its text with (``CSS.getPlatformFontsForNode``), so a test can
prove Chinese text was not drawn with a fallback font or as empty boxes.

Test tooling, not the product: it drives :class:`outturn.report.devtools.Browser`, the
client the library prints PDFs with.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from outturn import atomic
from outturn.report.chromium import existing_html, resolve_browser
from outturn.report.devtools import Browser, ChromiumError

# CSS.getPlatformFontsForNode calls sent before reading their answers.
_BATCH = 256


def html_to_png(
    html: Path,
    png: Path,
    *,
    width: int = 1240,
    height: int = 1754,
    browser: str | None = None,
    timeout: float = 120,
) -> Path:
    """Screenshot the top ``width`` x ``height`` CSS pixels of ``html`` to ``png``; return ``png``.

    The default is an A4 page at 150 dpi, at a device scale of 1 (so the PNG has exactly
    that many pixels). It shows the screen layout, not the print layout. Written beside the
    target and renamed into place.
    """
    if width <= 0 or height <= 0:
        raise ValueError(f"width and height must be positive, got {width}x{height}")
    source = existing_html(html)
    with Browser(resolve_browser(browser), timeout=timeout, window=(width, height)) as chrome:
        page = chrome.open_page(source.as_uri(), viewport=(width, height))
        encoded = chrome.call("Page.captureScreenshot", {"format": "png", "fromSurface": True}, session=page)
    data = base64.b64decode(encoded["data"])
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ChromiumError(f"Chromium returned {len(data)} bytes that are not a PNG for {source}")
    return atomic.write_bytes(Path(png), data)


def font_glyph_counts(
    html: Path, selector: str = "body", *, browser: str | None = None, timeout: float = 60
) -> dict[str, int]:
    """Platform font family → number of glyphs Chromium drew with it, for the text under ``selector``.

    Every text node inside every element matching ``selector`` is counted once (nested
    matches are not counted twice). ``CSS.getPlatformFontsForNode`` is asked per *text*
    node because for an element it reports its own text plus an implementation-defined part
    of its descendants'. Text that is not rendered (``display: none``, ``<script>``) counts
    nothing. Raises ``ValueError`` when nothing matches ``selector``.
    """
    source = existing_html(html)
    counts: dict[str, int] = {}
    with Browser(resolve_browser(browser), timeout=timeout) as chrome:
        page = chrome.open_page(source.as_uri())
        chrome.call("DOM.enable", session=page)
        chrome.call("CSS.enable", session=page)
        document = chrome.call("DOM.getDocument", {"depth": -1}, session=page)["root"]
        matches = chrome.call(
            "DOM.querySelectorAll", {"nodeId": document["nodeId"], "selector": selector}, session=page
        )["nodeIds"]
        if not matches:
            raise ValueError(f"no element matches the selector {selector!r} in {source}")
        text_nodes = _text_nodes_under(document, set(matches))
        for start in range(0, len(text_nodes), _BATCH):
            calls = [
                ("CSS.getPlatformFontsForNode", {"nodeId": n}) for n in text_nodes[start : start + _BATCH]
            ]
            for result in chrome.call_many(calls, session=page):
                for font in result.get("fonts", []):
                    name = font["familyName"]
                    counts[name] = counts.get(name, 0) + int(font["glyphCount"])
    return counts


def fonts_used(
    html: Path, selector: str = "body", *, browser: str | None = None, timeout: float = 60
) -> list[str]:
    """Names of the platform fonts Chromium used for the text under ``selector``, most glyphs first.

    With ``fonts-noto-cjk`` installed, Chinese text styled with the report's font stack gives
    ``["Noto Sans CJK SC"]``; a Latin font in the list means some characters fell back to it.
    See `font_glyph_counts` for the counts themselves.
    """
    counts = font_glyph_counts(html, selector, browser=browser, timeout=timeout)
    return sorted(counts, key=lambda name: (-counts[name], name))


def evaluate(html: Path, expression: str, *, browser: str | None = None, timeout: float = 60,
             viewport: tuple[int, int] | None = None) -> Any:
    """Open ``html`` and return the value of a JavaScript ``expression`` run in the page
    (JSON-serialisable values only) — for checking a page's behaviour, e.g. that a table
    sorts when its header is clicked. ``viewport`` (CSS pixels) lays the page out at that
    size, e.g. ``(390, 844)`` for a phone."""
    source = existing_html(html)
    window = viewport or (1240, 1754)
    with Browser(resolve_browser(browser), timeout=timeout, window=window) as chrome:
        page = chrome.open_page(source.as_uri(), viewport=viewport)
        result = chrome.call("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                             session=page)
    if "exceptionDetails" in result:
        raise ChromiumError(f"script failed in {source}: {result['exceptionDetails'].get('text', '')}")
    return result["result"].get("value")


def _text_nodes_under(document: dict[str, Any], roots: set[int]) -> list[int]:
    """Node ids of the text nodes (nodeType 3) inside any of ``roots``, in document order, once each."""
    found: list[int] = []
    # Iterative walk (reports can nest deeply): (node, inside a matched root?).
    stack: list[tuple[dict[str, Any], bool]] = [(document, False)]
    while stack:
        node, inside = stack.pop()
        inside = inside or node["nodeId"] in roots
        if inside and node.get("nodeType") == 3:
            found.append(node["nodeId"])
        children = node.get("children", [])
        stack.extend((child, inside) for child in reversed(children))
    return found
