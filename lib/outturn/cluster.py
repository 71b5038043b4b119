"""Where outturn's work runs when one machine is not enough: a Dask cluster.

``outturn ingest --scheduler`` runs the tasks of a large payments ledger there
(:mod:`outturn.ingest.tasks`), ``outturn batch --scheduler`` the reports
(:mod:`outturn.report.cluster`), and :mod:`outturn.portfolio.on_dask` the views across
departments. ``--scheduler ADDRESS`` names a running Dask scheduler (``tcp://10.0.0.5:8786``; start one
with ``dask scheduler`` and its workers with ``dask worker ADDRESS``: docs/scale.md);
``--scheduler local:N`` starts a :class:`distributed.LocalCluster` of ``N`` worker
processes on this machine, to try the cluster path without one. Without the option
nothing here is imported and outturn runs on its embedded, single-machine path.

Every worker runs one task at a time (one thread: a report is a notebook kernel and a
browser working for one task), and no web dashboard is started (it would open an HTTP
port, and its page loads from the internet). What the tasks read and write — the
raw folder, the processed store, the outputs folder — must be the same paths on every
worker: a shared filesystem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from outturn.problems import OutturnError

#: ``--scheduler local:N``: a LocalCluster of N worker processes on this machine.
LOCAL_PREFIX = "local:"
#: Most local workers one ``local:N`` may start (more is a typo, not a plan).
MAX_LOCAL_WORKERS = 256
#: Seconds to wait for a scheduler to answer before saying it cannot be reached.
CONNECT_TIMEOUT = 30
_ADDRESS = re.compile(r"^(?:(tcp|tls|ws|wss|inproc|ucx)://)?[\w.\-\[\]:]+:\d{1,5}$")

_ADVICE = ("give --scheduler the address a running Dask scheduler printed (tcp://HOST:8786; "
           "start one with `dask scheduler`, docs/scale.md), or local:N to start N workers here")


class ClusterError(OutturnError):
    """The cluster named cannot be used: a malformed address, no scheduler there, a lost one."""


def parse_scheduler(value: str) -> tuple[str | None, int | None]:
    """``(address, None)`` for a scheduler address, ``(None, N)`` for ``local:N``.

    >>> parse_scheduler("local:2")
    (None, 2)
    >>> parse_scheduler("tcp://10.0.0.5:8786")
    ('tcp://10.0.0.5:8786', None)
    """
    text = value.strip()
    if text.startswith(LOCAL_PREFIX):
        count = text.removeprefix(LOCAL_PREFIX)
        if not count.isdigit() or not 1 <= int(count) <= MAX_LOCAL_WORKERS:
            raise ClusterError(f"--scheduler {value!r}: local:N needs a number of workers from 1 to "
                               f"{MAX_LOCAL_WORKERS}, e.g. local:2")
        return None, int(count)
    if not _ADDRESS.match(text):
        raise ClusterError(f"--scheduler {value!r} is not a scheduler address; {_ADVICE}")
    return (text if "://" in text else f"tcp://{text}"), None


@contextmanager
def connect(scheduler: str) -> Iterator[Any]:
    """A :class:`distributed.Client` of the cluster ``scheduler`` names (see the module
    docstring), closed afterwards; a local cluster is stopped with it."""
    address, local = parse_scheduler(scheduler)
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - a dependency of outturn
        raise ClusterError(f"--scheduler needs the Python package distributed ({exc}); "
                           "install outturn again with its dependencies") from exc
    if local is not None:
        with LocalCluster(n_workers=local, threads_per_worker=1, processes=True,
                          dashboard_address=None, host="127.0.0.1") as cluster, \
                Client(cluster) as client:
            yield client
        return
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({exc}); {_ADVICE}") from exc
    try:
        yield client
    finally:
        client.close()


def worker_count(client: Any) -> int:
    """How many workers the cluster has now (at least 1 for sizing work)."""
    return max(1, len(client.scheduler_info().get("workers", {})))
