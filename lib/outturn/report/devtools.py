"""A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe``.

One headless browser process per :class:`Browser`, driven with JSON messages terminated
by a NUL byte on the browser's file descriptors 3 and 4: only the standard library, no
websocket client and no open TCP port. :mod:`outturn.report.chromium` prints the report
with it; the tests' browser tools (screenshots, fonts used, scripts) reuse it. The flags
keep the browser offline and self-contained (see ``docs/pdf.md``). POSIX only.
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

from outturn.problems import OutturnError

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

# How long to wait for a graceful Browser.close before killing the process group.
_CLOSE_GRACE = 5.0
# How much of the browser's stderr goes into an error message.
_STDERR_TAIL_LINES = 25
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


def tail_text(text: str) -> str:
    """The last lines of the browser's stderr, without its harmless D-Bus complaints, as a suffix."""
    lines = [
        line
        for line in text.splitlines()
        if line.strip() and "dbus" not in line.lower() and "unexpected operator" not in line
    ]
    if not lines:
        return ""
    return "\nChromium stderr (last lines):\n" + "\n".join(lines[-_STDERR_TAIL_LINES:])


class Browser:
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
        self._targets: dict[str, str] = {}  # session id → target id of the open pages
        self._proc: subprocess.Popen[bytes] | None = None
        self._tmp: Path | None = None
        self._to_browser = -1
        self._from_browser = -1

    # -- life cycle ------------------------------------------------------------------------------

    def __enter__(self) -> Browser:
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

    @property
    def alive(self) -> bool:
        """Whether the browser process is still running."""
        return self._proc is not None and self._proc.poll() is None

    def renew(self) -> None:
        """Start a new deadline, ``timeout`` seconds from now, for a browser kept for more work."""
        self._deadline = time.monotonic() + self.timeout

    def close_page(self, session: str) -> None:
        """Close the tab of ``session`` (a page of :meth:`open_page`), freeing its renderer."""
        target = self._targets.pop(session, None)
        if target is not None:
            self.call("Target.closeTarget", {"targetId": target})

    def _fail(self, message: str) -> ChromiumError:
        """A ChromiumError for ``message`` with the exit status and stderr tail appended."""
        proc = self._proc
        if proc is not None and proc.poll() is not None:
            message += f" (browser exited with status {proc.returncode})"
        stderr = ""
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                stderr = (self._tmp / "stderr.log").read_text(encoding="utf-8", errors="replace")
        return ChromiumError(f"{message} [{self.exe}]" + tail_text(stderr))

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
        self._targets[session] = target
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
