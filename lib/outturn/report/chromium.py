"""Headless Chromium: report HTML to PDF and PNG, and which fonts its text was drawn with.

The HTML report is the single source of the layout; Chromium is the print engine, so the
PDF looks exactly like the page in a browser. Each call starts one throw-away headless
browser (about a second) and drives it over the Chrome DevTools Protocol (CDP) through
``--remote-debugging-pipe``: messages are JSON, terminated by a NUL byte, written to the
browser's file descriptor 3 and read from its descriptor 4. That needs only the standard
library (no websocket client, no open TCP port) and lets this module

* print to A4 unless the page's CSS ``@page`` says otherwise (the ``--print-to-pdf`` command
  line would default to US Letter),
* wait for the page's ``load`` event and for its web fonts before printing,
* ask Chromium which platform fonts it actually used (``CSS.getPlatformFontsForNode``), so a
  test can prove that Chinese text was not drawn with a fallback font or as empty boxes.

The browser is kept offline and self-contained: no background networking, component or
extension updates, sync, first-run or default-browser checks, a fresh ``--user-data-dir``
in a temporary folder that is deleted afterwards, and every host name resolves to nothing,
so a report that links a remote font or script fails visibly instead of differing from
machine to machine. The report is our own trusted local file, which is why running as root
in CI with ``--no-sandbox`` is acceptable.

POSIX only (the pipe is handed over as file descriptors 3 and 4). See ``docs/pdf.md``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from outturn import atomic
from outturn.problems import OutturnError

__all__ = [
    "A4_INCHES",
    "BROWSER_NAMES",
    "ENV_VAR",
    "OFFLINE_FLAGS",
    "ChromiumError",
    "ChromiumNotFound",
    "chromium_version",
    "find_chromium",
    "font_glyph_counts",
    "fonts_used",
    "html_to_pdf",
    "html_to_png",
]

#: Environment variable naming the browser executable (a path or a name on PATH).
ENV_VAR = "OUTTURN_CHROMIUM"

#: Executables looked for on PATH, in this order, when ``OUTTURN_CHROMIUM`` is not set.
BROWSER_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: A4 in inches (the unit of ``Page.printToPDF``); CSS ``@page { size: ... }`` overrides it.
A4_INCHES: tuple[float, float] = (210 / 25.4, 297 / 25.4)

#: Flags for every run. Headless, no GPU, and nothing that talks to the network or needs
#: a desktop: no background networking (safe-browsing lists, translate, variations seed),
#: no component or extension updates, no sync, no first-run or default-browser prompts.
#: ``--disable-dev-shm-usage`` because containers often give /dev/shm only 64 MB, which
#: crashes the renderer; ``--host-resolver-rules`` makes every host name unresolvable so
#: that only local files (file:// and data: URLs) can be loaded.
OFFLINE_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-breakpad",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--metrics-recording-only",
    "--password-store=basic",
    "--mute-audio",
    "--hide-scrollbars",
    "--disable-dev-shm-usage",
    "--force-color-profile=srgb",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)

_INSTALL_ADVICE = (
    "Install the Debian package `chromium` (apt-get install chromium fonts-noto-cjk; "
    f".ci/run does this), or set {ENV_VAR} to the path of a Chromium or Chrome executable."
)

# How long to wait for a graceful Browser.close before killing the process group.
_CLOSE_GRACE = 5.0
# How much of the browser's stderr goes into an error message.
_STDERR_TAIL_LINES = 25
# CSS.getPlatformFontsForNode calls sent before reading their answers.
_BATCH = 256
# Events kept for later inspection; all others (DOM, CSS, ...) are dropped on arrival.
_KEPT_EVENTS = frozenset({"Page.lifecycleEvent"})
# Runs a Python trampoline that moves the two pipe ends to descriptors 3 and 4 and then
# execs the browser: subprocess can pass descriptors but not renumber them, and a
# preexec_fn is unsafe in a threaded parent.
_TRAMPOLINE = (
    "import os,sys\n"
    "r,w=int(sys.argv[1]),int(sys.argv[2])\n"
    "os.dup2(r,3);os.dup2(w,4);os.close(r);os.close(w)\n"
    "os.execv(sys.argv[3],sys.argv[3:])\n"
)


class ChromiumError(OutturnError, RuntimeError):
    """The browser failed, crashed, timed out or reported a DevTools error.

    The message ends with the tail of the browser's stderr when there is one.
    """


class ChromiumNotFound(ChromiumError):
    """No Chromium/Chrome executable: the message says how to install or point to one."""


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
    exe = _resolve_browser(browser)
    try:
        done = subprocess.run(
            [exe, "--version"], capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ChromiumError(f"{exe} --version failed: {exc}") from exc
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or not lines:
        raise ChromiumError(f"{exe} --version failed (exit {done.returncode})" + _tail_text(done.stderr))
    return lines[-1].strip()


def html_to_pdf(html: Path, pdf: Path, *, browser: str | None = None, timeout: float = 120) -> Path:
    """Print ``html`` to ``pdf`` on A4 (unless its CSS ``@page`` sets a size) and return ``pdf``.

    Backgrounds are printed, Chromium's own header and footer (date, title, URL, page
    number) are not: the report's CSS decides margins and any running headers. The file is
    written beside the target and renamed into place, so a reader never sees half a PDF.
    """
    source = _existing(html)
    width, height = A4_INCHES
    with _Chromium(_resolve_browser(browser), timeout=timeout) as chrome:
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
    source = _existing(html)
    with _Chromium(_resolve_browser(browser), timeout=timeout, window=(width, height)) as chrome:
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
    source = _existing(html)
    counts: dict[str, int] = {}
    with _Chromium(_resolve_browser(browser), timeout=timeout) as chrome:
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


def evaluate(html: Path, expression: str, *, browser: str | None = None, timeout: float = 60) -> Any:
    """Open ``html`` and return the value of a JavaScript ``expression`` run in the page
    (JSON-serialisable values only) — for checking a page's behaviour, e.g. that a table
    sorts when its header is clicked."""
    source = _existing(html)
    with _Chromium(_resolve_browser(browser), timeout=timeout) as chrome:
        page = chrome.open_page(source.as_uri())
        result = chrome.call("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                             session=page)
    if "exceptionDetails" in result:
        raise ChromiumError(f"script failed in {source}: {result['exceptionDetails'].get('text', '')}")
    return result["result"].get("value")


# --- internals ----------------------------------------------------------------------------------


def _resolve_browser(browser: str | None) -> str:
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


def _existing(html: Path) -> Path:
    """``html`` as an absolute path, or FileNotFoundError (Chromium would print an error page)."""
    path = Path(html).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"HTML file not found: {path}")
    return path


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


def _tail_text(text: str) -> str:
    """The last lines of the browser's stderr, without its harmless D-Bus complaints, as a suffix."""
    lines = [
        line
        for line in text.splitlines()
        if line.strip() and "dbus" not in line.lower() and "unexpected operator" not in line
    ]
    if not lines:
        return ""
    return "\nChromium stderr (last lines):\n" + "\n".join(lines[-_STDERR_TAIL_LINES:])


class _Chromium:
    """One headless browser process driven over ``--remote-debugging-pipe``.

    A context manager: on exit the browser is asked to close, then its whole process group
    (browser, zygote, renderers) is killed, and its temporary profile folder is deleted.
    Every read and write is bounded by one deadline, ``timeout`` seconds after the start.
    """

    def __init__(self, exe: str, *, timeout: float, window: tuple[int, int] = (1240, 1754)) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        self.exe = exe
        self.timeout = timeout
        self.window = window
        self._deadline = 0.0
        self._next_id = 0
        self._buffer = bytearray()
        self._events: list[dict[str, Any]] = []
        self._proc: subprocess.Popen[bytes] | None = None
        self._tmp: Path | None = None
        self._to_browser = -1
        self._from_browser = -1

    # -- life cycle ------------------------------------------------------------------------------

    def __enter__(self) -> _Chromium:
        import fcntl  # POSIX only; imported here so that the module imports everywhere.

        self._deadline = time.monotonic() + self.timeout
        self._tmp = Path(tempfile.mkdtemp(prefix="outturn-chromium-"))
        try:
            read_end, self._to_browser = os.pipe()  # we write, the browser reads on fd 3
            self._from_browser, write_end = os.pipe()  # the browser writes on fd 4, we read
            # Renumber the browser's ends to >= 5 so that the trampoline's dup2 onto 3 and 4
            # cannot overwrite one with the other.
            child_read = fcntl.fcntl(read_end, fcntl.F_DUPFD_CLOEXEC, 5)
            child_write = fcntl.fcntl(write_end, fcntl.F_DUPFD_CLOEXEC, 5)
            os.close(read_end)
            os.close(write_end)
            os.set_blocking(self._to_browser, False)
            args = [
                sys.executable, "-I", "-S", "-c", _TRAMPOLINE, str(child_read), str(child_write),
                self.exe, *OFFLINE_FLAGS,
                f"--user-data-dir={self._tmp / 'profile'}",
                f"--window-size={self.window[0]},{self.window[1]}",
                "--remote-debugging-pipe",
                "about:blank",
            ]  # fmt: skip
            with open(self._tmp / "stderr.log", "wb") as stderr:
                try:
                    self._proc = subprocess.Popen(
                        args,
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL,
                        stderr=stderr,
                        pass_fds=(child_read, child_write),
                        start_new_session=True,  # its own process group, killed as a whole
                    )
                except OSError as exc:  # e.g. no Python at sys.executable for the trampoline
                    raise ChromiumError(f"cannot start {self.exe}: {exc}") from exc
                finally:
                    os.close(child_read)
                    os.close(child_write)
        except BaseException:
            self._cleanup()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self._cleanup(graceful=exc_type is None)

    def _cleanup(self, *, graceful: bool = False) -> None:
        """Close the browser (politely after success, else at once), the pipes and the temp folder."""
        proc = self._proc
        if proc is not None:
            if graceful and proc.poll() is None:
                with contextlib.suppress(OSError, ChromiumError):
                    self._send(
                        {"id": self._new_id(), "method": "Browser.close"}, deadline=time.monotonic() + 1
                    )
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=_CLOSE_GRACE)
            # The group id is the browser's pid (start_new_session); it stays reserved while
            # any member (zygote, renderer) lives, so this reaches only our processes.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=_CLOSE_GRACE)
        for fd in (self._to_browser, self._from_browser):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._to_browser = self._from_browser = -1
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def _fail(self, message: str) -> ChromiumError:
        """A ChromiumError for ``message`` with the exit status and stderr tail appended."""
        proc = self._proc
        if proc is not None and proc.poll() is not None:
            message += f" (browser exited with status {proc.returncode})"
        stderr = ""
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                stderr = (self._tmp / "stderr.log").read_text(encoding="utf-8", errors="replace")
        return ChromiumError(f"{message} [{self.exe}]" + _tail_text(stderr))

    # -- protocol --------------------------------------------------------------------------------

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _remaining(self, deadline: float | None = None) -> float:
        remaining = (self._deadline if deadline is None else deadline) - time.monotonic()
        if remaining <= 0:
            raise self._fail(f"timed out after {self.timeout:g} s")
        return remaining

    def _send(self, message: dict[str, Any], *, deadline: float | None = None) -> None:
        """Write one NUL-terminated JSON message, never blocking past the deadline."""
        data = memoryview(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\0")
        while data:
            _, writable, _ = select.select([], [self._to_browser], [], min(self._remaining(deadline), 1.0))
            if not writable:
                continue
            try:
                written = os.write(self._to_browser, data)
            except BlockingIOError:
                continue
            except OSError as exc:  # BrokenPipeError: the browser is gone
                raise self._fail(f"cannot talk to the browser: {exc}") from exc
            data = data[written:]

    def _receive(self) -> dict[str, Any]:
        """Read the next message (an answer or an event), never blocking past the deadline."""
        while True:
            end = self._buffer.find(b"\0")
            if end >= 0:
                raw = bytes(self._buffer[:end])
                del self._buffer[: end + 1]
                message: dict[str, Any] = json.loads(raw)
                if message.get("method") in ("Inspector.targetCrashed", "Target.targetCrashed"):
                    raise self._fail("the page crashed while rendering")
                return message
            readable, _, _ = select.select([self._from_browser], [], [], min(self._remaining(), 1.0))
            if not readable:
                continue
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    if self._proc is not None:
                        self._proc.wait(timeout=2)
                raise self._fail("the browser closed the DevTools pipe")
            self._buffer += chunk

    def call_many(
        self, calls: Iterable[tuple[str, dict[str, Any]]], *, session: str | None = None
    ) -> list[Any]:
        """Send several commands at once and return their results in order (fewer round trips)."""
        ids: list[tuple[int, str]] = []
        for method, params in calls:
            message: dict[str, Any] = {"id": self._new_id(), "method": method, "params": params}
            if session:
                message["sessionId"] = session
            self._send(message)
            ids.append((message["id"], method))
        results: dict[int, Any] = {}
        wanted = {i for i, _ in ids}
        while wanted:
            message = self._receive()
            if "id" not in message:
                self._keep(message)
                continue
            if message["id"] not in wanted:
                continue
            wanted.discard(message["id"])
            if "error" in message:
                method = next(m for i, m in ids if i == message["id"])
                error = message["error"]
                raise self._fail(f"{method} failed: {error.get('message')} {error.get('data', '')}".rstrip())
            results[message["id"]] = message.get("result", {})
        return [results[i] for i, _ in ids]

    def call(self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None) -> Any:
        """Send one command and return its result, keeping events that arrive meanwhile."""
        return self.call_many([(method, params or {})], session=session)[0]

    def _keep(self, event: dict[str, Any]) -> None:
        if event.get("method") in _KEPT_EVENTS:
            self._events.append(event)

    def _events_matching(self, method: str, session: str | None) -> Iterator[dict[str, Any]]:
        for event in self._events:
            if event.get("method") == method and event.get("sessionId") == session:
                yield event

    def wait_for_load(self, session: str, loader_id: str | None) -> None:
        """Wait for the ``load`` lifecycle event of the navigation ``loader_id``."""
        while True:
            for event in self._events_matching("Page.lifecycleEvent", session):
                params = event.get("params", {})
                if params.get("name") == "load" and (
                    loader_id is None or params.get("loaderId") == loader_id
                ):
                    self._events.clear()
                    return
            self._events.clear()
            message = self._receive()
            if "id" not in message:
                self._keep(message)

    def open_page(self, url: str, *, viewport: tuple[int, int] | None = None) -> str:
        """Open ``url`` in a new tab, wait for its load event and web fonts; return the session id."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=session)
        self.call("Page.setLifecycleEventsEnabled", {"enabled": True}, session=session)
        if viewport is not None:
            self.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": viewport[0], "height": viewport[1], "deviceScaleFactor": 1, "mobile": False},
                session=session,
            )
        self._events.clear()
        navigated = self.call("Page.navigate", {"url": url}, session=session)
        if navigated.get("errorText"):
            raise self._fail(f"cannot open {url}: {navigated['errorText']}")
        self.wait_for_load(session, navigated.get("loaderId"))
        self.call(
            "Runtime.evaluate",
            {"expression": "document.fonts.ready.then(() => document.readyState)", "awaitPromise": True},
            session=session,
        )
        return session

    def read_stream(self, handle: str, *, session: str | None = None) -> bytes:
        """The whole content of a DevTools IO stream (e.g. a PDF), then close the stream."""
        parts: list[bytes] = []
        while True:
            chunk = self.call("IO.read", {"handle": handle, "size": 1 << 20}, session=session)
            data = chunk.get("data", "")
            parts.append(base64.b64decode(data) if chunk.get("base64Encoded") else data.encode("utf-8"))
            if chunk.get("eof"):
                break
        with contextlib.suppress(ChromiumError):
            self.call("IO.close", {"handle": handle}, session=session)
        return b"".join(parts)
