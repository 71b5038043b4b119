"""Headless Chromium: find the browser and print the report HTML to an A4 PDF.

The HTML report is the single source of the layout; Chromium is the print engine, so the
PDF looks exactly like the page in a browser. A :class:`Printer` keeps one headless
browser for many prints (a batch worker's reports; :func:`html_to_pdf` alone starts one
for its print) and drives it over the Chrome DevTools Protocol (CDP) through
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
    "PRINTS_PER_BROWSER",
    "ChromiumError",
    "ChromiumNotFound",
    "Printer",
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


#: A kept browser is replaced after this many prints, to bound what it accumulates.
PRINTS_PER_BROWSER = 50


class Printer:
    """One headless browser kept for many prints: a worker's reports, one after another.

    Starting Chromium costs about 1.3 s of a 2.4 s print (measured on the sample report),
    so a batch worker starts it once, prints each report in a new tab and closes the tab.
    The browser is started at the first print, replaced after `PRINTS_PER_BROWSER` prints
    or when it has died, and a print that fails in a browser used before is tried once
    more in a fresh one (a crashed renderer must not fail every later report). Each
    print has its own ``timeout``. Not thread-safe: one printer per worker thread.
    """

    def __init__(self, browser: str | None = None, *, timeout: float = 120) -> None:
        self.browser = browser
        self.timeout = timeout
        self.prints = 0
        self.starts = 0
        self._chrome: Browser | None = None

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the kept browser (a later print starts a new one)."""
        chrome, self._chrome = self._chrome, None
        if chrome is not None:
            chrome.__exit__(None, None, None)

    def _browser(self) -> Browser:
        if self._chrome is not None and (not self._chrome.alive or self.prints >= PRINTS_PER_BROWSER):
            self.close()
        if self._chrome is None:
            self._chrome = Browser(resolve_browser(self.browser), timeout=self.timeout).__enter__()
            self.starts += 1
            self.prints = 0
        self._chrome.renew()
        return self._chrome

    def print_pdf(self, html: Path, pdf: Path) -> Path:
        """Print ``html`` to ``pdf`` (see :func:`html_to_pdf`) and return ``pdf``."""
        source = existing_html(html)
        reused = self._chrome is not None and self._chrome.alive
        try:
            data = self._print(self._browser(), source)
        except ChromiumError:
            self.close()
            if not reused:
                raise
            data = self._print(self._browser(), source)  # once more, in a fresh browser
        self.prints += 1
        if not data.startswith(b"%PDF"):
            raise ChromiumError(f"Chromium returned {len(data)} bytes that are not a PDF for {source}")
        return atomic.write_bytes(Path(pdf), data)

    @staticmethod
    def _print(chrome: Browser, source: Path) -> bytes:
        width, height = A4_INCHES
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
        chrome.close_page(page)
        return data


def html_to_pdf(html: Path, pdf: Path, *, browser: str | None = None, timeout: float = 120,
                printer: Printer | None = None) -> Path:
    """Print ``html`` to ``pdf`` on A4 (unless its CSS ``@page`` sets a size) and return ``pdf``.

    Backgrounds are printed, Chromium's own header and footer (date, title, URL, page
    number) are not: the report's CSS decides margins and any running headers. The file is
    written beside the target and renamed into place, so a reader never sees half a PDF.
    With ``printer``, its kept browser prints; otherwise a browser is started for this one.
    """
    if printer is not None:
        return printer.print_pdf(html, pdf)
    with Printer(browser, timeout=timeout) as own:
        return own.print_pdf(html, pdf)


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
