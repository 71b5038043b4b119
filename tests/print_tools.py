"""Reading printed pages the way a reviewer does: where each line sits on each page.

Test tooling, not the product. :func:`page_views` turns a PDF (Chromium's print of the
HTML, or LibreOffice's conversion of the Word file) into pages of text lines with their
positions; the layout tests ask of them what a finance bureau's reviewer would notice:
a heading stranded at the foot of a page, a page left mostly blank, a missing page
number, a figure broken over two lines, a Type 3 font.

Text is NFKC-normalised: some CJK fonts map glyphs to the Kangxi radicals (⼀ for 一) in
their ToUnicode tables, which would make a correct page look wrong to a string compare.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

#: ``— 3 —``: the page number line of both the PDF and the Word file.
PAGE_NUMBER = re.compile(r"^[—–-]\s*(\d+)\s*[—–-]$")
#: A printed figure: 1308.82, -9.77%, 8,337.395 (the number part of a table cell).
FIGURE = re.compile(r"^[-−]?\d[\d,]*(\.\d+)?%?$")


@dataclass(frozen=True)
class Line:
    text: str
    top: float
    bottom: float


@dataclass(frozen=True)
class PageView:
    number: int
    height: float
    lines: list[Line]
    #: every word (pdfplumber's split at spaces and gaps), NFKC-normalised
    words: list[str]
    #: bottom of the lowest picture on the page (0 if none)
    image_bottom: float

    @property
    def footer(self) -> Line | None:
        """The page number line, if the page's last line is one."""
        if self.lines and PAGE_NUMBER.match(self.lines[-1].text):
            return self.lines[-1]
        return None

    @property
    def body(self) -> list[Line]:
        """The lines above the page number."""
        return self.lines[:-1] if self.footer is not None else list(self.lines)


def _quiet_pdfminer() -> None:
    # pdfminer warns once per glyph about fonts without a FontBBox (Type 3); the tests
    # count those fonts themselves.
    for name in ("pdfminer", "pdfplumber"):
        logging.getLogger(name).setLevel(logging.ERROR)


def page_views(pdf: Path) -> list[PageView]:
    """Every page of ``pdf`` as lines of text with their positions (points from the top)."""
    import pdfplumber

    _quiet_pdfminer()
    views = []
    with pdfplumber.open(str(pdf)) as document:
        for number, page in enumerate(document.pages, 1):
            lines = [Line(unicodedata.normalize("NFKC", x["text"]).strip(), x["top"], x["bottom"])
                     for x in page.extract_text_lines()]
            words = [unicodedata.normalize("NFKC", w["text"]) for w in page.extract_words(x_tolerance=1.5)]
            image_bottom = max((float(i["bottom"]) for i in page.images), default=0.0)
            views.append(PageView(number, float(page.height), [x for x in lines if x.text], words,
                                  image_bottom))
    return views


@dataclass(frozen=True)
class Body:
    """The text block shared by the pages: from the highest first line to the lowest last
    line above the page numbers, found from the pages themselves."""

    top: float
    bottom: float

    def fill(self, page: PageView) -> float:
        """How much of the text block the page uses (0–1), pictures included."""
        lowest = max([x.bottom for x in page.body] + [page.image_bottom, self.top])
        return (lowest - self.top) / (self.bottom - self.top)

    def position(self, line: Line) -> float:
        """Where ``line`` starts in the text block: 0 at its top, 1 at its foot."""
        return (line.top - self.top) / (self.bottom - self.top)


MM = 72 / 25.4


def body_of(pages: list[PageView], margins_pt: tuple[float, float] | None = None) -> Body:
    """The text block: from the page setup's top and bottom margins (points) when given,
    else from the pages themselves (the highest first line, the lowest last line)."""
    if margins_pt is not None:
        return Body(margins_pt[0], pages[0].height - margins_pt[1])
    tops = [p.body[0].top for p in pages if p.body]
    bottoms = [max([x.bottom for x in p.body] + [p.image_bottom]) for p in pages if p.body]
    return Body(min(tops), max(bottoms))


def css_page_margins(css: str) -> tuple[float, float]:
    """Top and bottom margin (points) of the first ``@page { margin: … }`` in ``css`` (mm)."""
    found = re.search(r"@page\s*{[^}]*?margin:\s*([\d.]+)mm(?:\s+([\d.]+)mm)?(?:\s+([\d.]+)mm)?", css)
    if not found:
        raise ValueError("no @page margin in mm in the stylesheet")
    top, _, bottom = found.group(1), found.group(2), found.group(3) or found.group(1)
    return float(top) * MM, float(bottom) * MM


def pdf_font_types(pdf: Path) -> Counter[str]:
    """Font subtype (``/Type0``, ``/Type3``, ``/TrueType`` …) → number of fonts, over all pages."""
    from pypdf import PdfReader

    seen: dict[int, str] = {}
    for page in PdfReader(str(pdf)).pages:
        resources = page.get("/Resources") or {}
        fonts = resources.get_object().get("/Font") if resources else None
        for ref in (fonts or {}).values():
            font = ref.get_object()
            seen[id(font) if not hasattr(ref, "idnum") else ref.idnum] = str(font.get("/Subtype"))
    return Counter(seen.values())


def find_soffice() -> str | None:
    """LibreOffice's command line (``soffice``), if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: Path, out_dir: Path, *, timeout: float = 180) -> Path:
    """Convert ``docx`` to PDF with LibreOffice headless, as a reviewer without Word would."""
    exe = find_soffice()
    if exe is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed")
    profile = out_dir / "lo-profile"
    done = subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)],
        capture_output=True, text=True, timeout=timeout, check=False)
    pdf = out_dir / (docx.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"soffice failed (exit {done.returncode}): {done.stderr[-500:]}")
    return pdf
