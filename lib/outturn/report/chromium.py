"""Headless Chromium: find the browser and print the report HTML to an A4 PDF.

The HTML report is the single source of the layout; Chromium is the print engine, so the
PDF looks exactly like the page in a browser. Each call starts one throw-away headless
browser (about a second) and drives it over the Chrome DevTools Protocol (CDP) through
``--remote-debugging-pipe``: messages are JSON, terminated by a NUL byte, written to the
browser's file descriptor 3 and read from its descriptor 4. That needs only the standard
library (no websocket client, no open TCP port) and lets this module

* print to A4 unless the page's CSS ``@page`` says otherwise (the ``--print-to-pdf`` command
  line would default to US Letter),
* wait for the page's ``load`` event and for its web fonts before printing,
* and, in the tests (``tests/browser_tools.py``), screenshot a page, run a script in it or
  ask which platform fonts Chromium used (``CSS.getPlatformFontsForNode``).

The DevTools-protocol client itself is :mod:`outturn.report.devtools`.

The browser is kept offline and self-contained: no background networking, component or
extension updates, sync, first-run or default-browser checks, a fresh ``--user-data-dir``
in a temporary folder that is deleted afterwards, and every host name resolves to nothing,
so a report that links a remote font or script fails visibly instead of differing from
machine to machine. The report is our own trusted local file, which is why running as root
in CI with ``--no-sandbox`` is acceptable.

POSIX only (the pipe is handed over as file descriptors 3 and 4). See ``docs/pdf.md``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from outturn import atomic
from outturn.report.devtools import OFFLINE_FLAGS, Browser, ChromiumError, tail_text
from outturn.report.devtools import ChromiumNotFound as ChromiumNotFound

__all__ = [
    "A4_INCHES",
    "BROWSER_NAMES",
    "ENV_VAR",
    "OFFLINE_FLAGS",
    "ChromiumError",
    "ChromiumNotFound",
    "chromium_version",
    "existing_html",
    "find_chromium",
    "html_to_pdf",
    "resolve_browser",
]

#: Environment variable naming the browser executable (a path or a name on PATH).
ENV_VAR = "OUTTURN_CHROMIUM"

#: Executables looked for on PATH, in this order, when ``OUTTURN_CHROMIUM`` is not set.
BROWSER_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: A4 in inches (the unit of ``Page.printToPDF``); CSS ``@page { size: ... }`` overrides it.
A4_INCHES: tuple[float, float] = (210 / 25.4, 297 / 25.4)

_INSTALL_ADVICE = (
    "Install the Debian package `chromium` (apt-get install chromium fonts-noto-cjk; "
    f".ci/run does this), or set {ENV_VAR} to the path of a Chromium or Chrome executable."
)


def find_chromium() -> str | None:
    """The browser to use: ``$OUTTURN_CHROMIUM`` if set, else the first of `BROWSER_NAMES` on PATH.

    The environment variable is returned as given (checked when the browser is started) so
    that a wrong setting is an error rather than a silent switch to another browser.
    """
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured:
        return configured
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_version(browser: str | None = None, *, timeout: float = 30) -> str:
    """The browser's ``--version`` line, e.g. ``Chromium 120.0.6099.224 built on Debian ...``."""
    exe = resolve_browser(browser)
    try:
        done = subprocess.run(
            [exe, "--version"], capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ChromiumError(f"{exe} --version failed: {exc}") from exc
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or not lines:
        raise ChromiumError(f"{exe} --version failed (exit {done.returncode})" + tail_text(done.stderr))
    return lines[-1].strip()


def html_to_pdf(html: Path, pdf: Path, *, browser: str | None = None, timeout: float = 120) -> Path:
    """Print ``html`` to ``pdf`` on A4 (unless its CSS ``@page`` sets a size) and return ``pdf``.

    Backgrounds are printed, Chromium's own header and footer (date, title, URL, page
    number) are not: the report's CSS decides margins and any running headers. The file is
    written beside the target and renamed into place, so a reader never sees half a PDF.
    """
    source = existing_html(html)
    width, height = A4_INCHES
    with Browser(resolve_browser(browser), timeout=timeout) as chrome:
        page = chrome.open_page(source.as_uri())
        handle = chrome.call(
            "Page.printToPDF",
            {
                "paperWidth": width,
                "paperHeight": height,
                "preferCSSPageSize": True,
                "printBackground": True,
                "displayHeaderFooter": False,
                "transferMode": "ReturnAsStream",
            },
            session=page,
        )["stream"]
        data = chrome.read_stream(handle, session=page)
    if not data.startswith(b"%PDF"):
        raise ChromiumError(f"Chromium returned {len(data)} bytes that are not a PDF for {source}")
    return atomic.write_bytes(Path(pdf), data)


# --- shared with the tests' browser tools (tests/browser_tools.py) ------------------------------


def resolve_browser(browser: str | None) -> str:
    """An absolute path to an executable browser, or `ChromiumNotFound` saying what to do."""
    candidate = browser or find_chromium()
    if not candidate:
        raise ChromiumNotFound(
            f"No Chromium or Chrome found (looked for ${ENV_VAR}, then {', '.join(BROWSER_NAMES)} on PATH). "
            + _INSTALL_ADVICE
        )
    found = shutil.which(candidate)
    if not found:
        origin = "the browser argument" if browser else f"${ENV_VAR}"
        raise ChromiumNotFound(f"{candidate!r} (from {origin}) is not an executable file. " + _INSTALL_ADVICE)
    return str(Path(found).absolute())


def existing_html(html: Path) -> Path:
    """``html`` as an absolute path, or FileNotFoundError (Chromium would print an error page)."""
    path = Path(html).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"HTML file not found: {path}")
    return path
