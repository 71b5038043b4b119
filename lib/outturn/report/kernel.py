"""A Jupyter kernel kept warm across reports, with one client for its whole life.

Starting a kernel costs seconds (the notebook's imports: pandas, matplotlib, outturn), and
connecting a client to it costs a fixed wait on every connection: jupyter_client's
``wait_for_ready`` drains the IOPub channel until it has been quiet for 0.2 s. A report
is a few seconds of work, so both are paid once per :class:`Kernel`, not once per
report: :func:`execute` hands nbclient the kernel's own client, already connected, and
clears the kernel's namespace with a first cell so reports cannot see each other.

A kernel is replaced after :data:`KERNEL_REUSE` reports (to bound what it accumulates),
when it has died, or when it is used from another thread than the one that connected
its client (the client's sockets belong to that thread's event loop).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

import nbformat

#: Cleared before each report in a reused kernel.
RESET_SOURCE = "%reset -f\nimport matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt"
RESET_TAG = "outturn-reset"
#: A warm kernel is replaced after this many reports, to bound what it accumulates.
KERNEL_REUSE = 25
#: How the kernel is started: no output cache (outputs live in the notebook; without the
#: cache, ``%reset`` skips the full garbage collection that flushing it costs, about 0.1 s
#: per report) and no SQLite history (nothing a batch needs, and one file shared by
#: every kernel on the machine).
KERNEL_ARGUMENTS = ("--InteractiveShell.cache_size=0", "--HistoryManager.enabled=False")
#: Seconds a new kernel (or client) may take to answer.
STARTUP_TIMEOUT = 60


class Kernel:
    """A Jupyter kernel and its connected client, kept running across reports."""

    def __init__(self, kernel_name: str = "python3", cwd: Path | None = None) -> None:
        self.kernel_name = kernel_name
        self.cwd = cwd or Path.cwd()
        self.km: Any = None
        self.kc: Any = None
        self.uses = 0
        self.starts = 0
        self._sockets = ""
        self._thread: int | None = None

    def manager(self) -> Any:
        """The running kernel's manager (started, or restarted when dead, well used or
        reached from another thread)."""
        from jupyter_core.utils import run_sync

        if self.km is not None and (self.uses >= KERNEL_REUSE or self._thread != threading.get_ident()
                                    or not run_sync(self.km.is_alive)()):
            self.shutdown()
        if self.km is None:
            from jupyter_client.manager import AsyncKernelManager

            # IPC sockets in a private folder: no TCP port open on the machine (and no
            # ipykernel warning about unencrypted TCP on every start)
            self._sockets = tempfile.mkdtemp(prefix="outturn-kernel-")
            self.km = AsyncKernelManager(kernel_name=self.kernel_name, transport="ipc",
                                         ip=os.path.join(self._sockets, "kernel"))
            run_sync(self.km.start_kernel)(cwd=str(self.cwd), extra_arguments=list(KERNEL_ARGUMENTS))
            self._thread = threading.get_ident()
            self.uses = 0
            self.starts += 1
        self.uses += 1
        return self.km

    def client(self) -> Any:
        """The kernel's client, connected once (the fixed wait is paid here, once)."""
        from jupyter_core.utils import run_sync

        if self.kc is None:
            kc = self.km.client()
            kc.start_channels()
            try:
                run_sync(kc.wait_for_ready)(timeout=STARTUP_TIMEOUT)
            except BaseException:
                kc.stop_channels()
                raise
            kc.allow_stdin = False
            self.kc = kc
        return self.kc

    def shutdown(self) -> None:
        """Stop the client and the kernel (a dead kernel is already what we want)."""
        from jupyter_core.utils import run_sync

        if self.kc is not None:
            try:
                self.kc.stop_channels()
            except Exception:  # the sockets may be gone with the kernel
                pass
            self.kc = None
        if self.km is not None:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:
                pass
            self.km = None
            shutil.rmtree(self._sockets, ignore_errors=True)


def execute(nb: Any, kernel: Kernel | None = None, timeout: int = 600) -> Any:
    """Execute a notebook in ``kernel`` (reused; namespace cleared first) or a fresh one."""
    from nbclient import NotebookClient

    if kernel is None:
        own = Kernel()
        try:
            return execute(nb, own, timeout)
        finally:
            own.shutdown()
    reset = nbformat.v4.new_code_cell(RESET_SOURCE, metadata={"tags": [RESET_TAG]})
    nb.cells.insert(0, reset)
    client = NotebookClient(nb, km=kernel.manager(), timeout=timeout, allow_errors=False,
                            record_timing=False, kernel_name=kernel.kernel_name,
                            startup_timeout=STARTUP_TIMEOUT)
    client.kc = kernel.client()  # not owned by nbclient: it stays connected afterwards
    try:
        client.execute()
    finally:
        nb.cells = [c for c in nb.cells if RESET_TAG not in c.get("metadata", {}).get("tags", [])]
    return nb
