"""Run the report notebook for one department-year and publish its files atomically.

A run parameterises ``notebooks/report.ipynb`` with papermill, executes it with nbclient
in a Jupyter kernel, exports the leadership HTML (and PDF where Chromium is installed)
into a staging folder next to the target, and only then swaps the staging folder into
``outputs/<year>/<dept_code>/``. A run killed at any moment leaves the previous report
(or none) and a staging folder that the next run removes — never a half-written report.

A report is skipped when its folder holds the hash of everything it was built from
(the department's own Parquet partitions and profile for the years the report reads,
the evaluator's raw ``judgements.toml``, which scoring reads when it scores, the rule set,
the notebook, the parameters, the outturn version and a fingerprint of outturn's own code
and data files) and that hash is unchanged.

:class:`~outturn.report.kernel.Kernel` keeps one kernel and its client warm across
reports: the notebook's imports (pandas, matplotlib, outturn) then load once per worker
instead of once per report, and each run starts by clearing the kernel's namespace, so
reports cannot see each other.

The department code names the target folder, so it is checked
(``outturn.identifiers``) before anything is created, renamed or removed: the target
must resolve to a folder directly inside ``output_root/<year>/``, and publishing renames
and removes only folders there. An unsafe code fails its run with a clear error and
touches nothing.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import time
import traceback
import uuid
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from outturn import locks
from outturn.atomic import grouped_sync, write_text
from outturn.identifiers import check_code, safe_join
from outturn.problems import OutturnError
from outturn.report.build import years_read
from outturn.report.export import notebook_html
from outturn.report.kernel import Kernel, execute
from outturn.report.model import report_title
from outturn.report.notebook import Parameters, check_names
from outturn.report.paths import DEFAULT_OUTPUTS, STAGING_PREFIX
from outturn.scoring.judged import judgements_file
from outturn.scoring.rules import DEFAULT_RULE_SET, rule_set_source
from outturn.store.layout import DEFAULT_PROCESSED, DEPARTMENTS_FILE, department_year_files
from outturn.store.read import available_years, read_profile, resolve_dept
from outturn.store.snapshot import current_path
from outturn.version import __version__

if TYPE_CHECKING:
    from outturn.report.chromium import Printer

#: The report notebook, shipped inside the package (``notebooks/report.ipynb`` in the
#: repository links to it), so an installed wheel can run ``outturn report``.
NOTEBOOK = Path(str(resources.files("outturn.report") / "notebooks" / "report.ipynb"))
HASH_FILE = ".outturn-inputs"
LOCK_FILE = ".lock"


@dataclass
class RunResult:
    """What happened to one department-year."""

    dept_code: str
    dept_name: str
    year: int
    status: str  # done | skipped | failed
    folder: str = ""
    seconds: float = 0.0
    error: str = ""
    headline: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parameterise(notebook: Path, params: Parameters) -> Any:
    """The report notebook with papermill's injected-parameters cell."""
    from papermill.execute import prepare_notebook_metadata
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(notebook))
    nb = prepare_notebook_metadata(nb, str(notebook), str(Path(params.output_dir) / "report.ipynb"))
    return parameterize_notebook(nb, asdict(params), kernel_name="python3", language="python")


@functools.cache
def code_fingerprint() -> str:
    """A hash of outturn's own code and data files (modules, rule sets, templates, the
    notebook), read once per process: a changed outturn rebuilds reports even when its
    version number did not move."""
    package = Path(str(resources.files("outturn")))
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".csv", ".j2", ".css", ".js",
                                               ".json", ".ipynb"):
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_hash(code: str, year: int, params: Parameters, notebook: Path) -> str:
    """A hash of everything the report is built from (see the module docstring)."""
    digest = hashlib.sha256()
    folder = current_path(Path(params.processed_dir))
    assert folder is not None
    code = check_code(code, "department code")
    files = [folder / DEPARTMENTS_FILE]
    for y in years_read(code, year, params.processed_dir):
        files += department_year_files(folder, code, y)
    for path in files:
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes() if path.exists() else b"-")
    judged = judgements_file(read_profile(code, year, params.processed_dir))  # read when scoring
    digest.update(judged.read_bytes() if judged is not None and judged.is_file() else b"-")
    digest.update(rule_set_source(params.rules)[0].encode())
    digest.update(notebook.read_bytes())
    digest.update(json.dumps({**asdict(params), "output_dir": "", "processed_dir": ""},
                             sort_keys=True).encode())
    digest.update(__version__.encode())
    digest.update(code_fingerprint().encode())
    return digest.hexdigest()


def target_folder(output_root: Path, year: int, code: str) -> Path:
    """``output_root/<year>/<code>``, resolved; :class:`~outturn.identifiers.UnsafeIdentifier`
    when the code is not a safe code or the folder would resolve outside the year folder
    (a symlink pointing elsewhere included)."""
    return safe_join(safe_join(output_root, str(int(year))), check_code(code, "department code"))


def up_to_date(folder: Path, digest: str) -> bool:
    hashed = folder / HASH_FILE
    return (folder / "report.html").is_file() and hashed.is_file() and \
        hashed.read_text(encoding="utf-8").strip() == digest


def clean_stale(year_folder: Path) -> None:
    """Remove staging folders left by runs that were killed.

    A run holds an exclusive ``flock`` on ``.lock`` in its staging folder for as long as
    it works there; the operating system releases it when the process ends, however it
    ends. A staging folder whose lock can be taken is therefore abandoned. Folders of a
    swap in progress (``old-``) are being deleted anyway.
    """
    if not year_folder.is_dir():
        return
    for stale in year_folder.glob(f"{STAGING_PREFIX}*"):
        if stale.name.startswith(f"{STAGING_PREFIX}old-") or not locks.held_elsewhere(stale / LOCK_FILE):
            shutil.rmtree(stale, ignore_errors=True)


def _lock(folder: Path) -> int:
    """Create ``folder`` and hold its lock; returns the descriptor to close when done."""
    folder.mkdir(parents=True)
    return locks.hold(folder / LOCK_FILE)


def publish(staging: Path, target: Path) -> None:
    """Swap a finished staging folder in for the target folder.

    The old target is renamed aside and removed, so first both folders are checked to be
    names directly inside the same (resolved) year folder: nothing elsewhere can be
    renamed or removed, whatever the target's name.
    """
    year_folder = target.parent.resolve()
    if staging.parent.resolve() != year_folder:
        raise OutturnError(f"staging folder {staging} is not beside the target {target}")
    staging, target = safe_join(year_folder, staging.name), safe_join(year_folder, target.name)
    old = safe_join(year_folder, f"{STAGING_PREFIX}old-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def run_report(dept: str, year: int, *, processed_dir: Path | str = DEFAULT_PROCESSED,
               output_root: Path | str = DEFAULT_OUTPUTS, rules: str = DEFAULT_RULE_SET,
               denominator: str = "adjusted", generated: str = "", force: bool = False,
               pdf: bool | None = None, kernel: Kernel | None = None,
               printer: Printer | None = None, notebook: Path = NOTEBOOK, timeout: int = 600,
               extra: dict[str, Any] | None = None) -> RunResult:
    """Build, export and publish one department-year's report (see the module docstring).

    ``pdf``: ``None`` renders a PDF when Chromium is installed, ``True`` requires it;
    ``printer`` (a kept browser) prints it, else a browser is started for it.
    ``extra``: further notebook parameters (rejected unless the notebook knows them).
    Errors are returned in the result, never raised, so a batch goes on.
    """
    started = time.perf_counter()
    processed_dir, output_root = Path(processed_dir).resolve(), Path(output_root).resolve()
    try:
        check_names({**(extra or {}), "dept": dept, "year": year})
        code, name = resolve_dept(str(dept), processed_dir)
    except OutturnError as exc:
        return RunResult(str(dept), "", int(year), "failed", error=str(exc),
                         seconds=time.perf_counter() - started)
    result = RunResult(code, name, int(year), "failed")
    try:  # before anything is created: the code names the folders below
        target = target_folder(output_root, year, code)
        staging = safe_join(target.parent,
                            f"{STAGING_PREFIX}{code}-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    except OutturnError as exc:
        result.error, result.seconds = str(exc), time.perf_counter() - started
        return result
    lock = -1
    try:
        params = Parameters(dept=code, year=int(year), processed_dir=str(processed_dir),
                            rules=str(rules), denominator=denominator, output_dir=str(staging),
                            generated=generated, **(extra or {}))
        if int(year) not in available_years(code, processed_dir):
            raise OutturnError(f"{name} ({code}) has no data for {year}; years available: "
                               f"{', '.join(map(str, available_years(code, processed_dir)))}")
        digest = inputs_hash(code, int(year), params, notebook)
        if not force and up_to_date(target, digest):
            result.status, result.folder = "skipped", str(target)
            result.headline = _headline(target)
            return result
        lock = _lock(staging)
        nb = execute(parameterise(notebook, params), kernel, timeout)
        with grouped_sync(staging):  # the folder is published whole, after the block
            _write_outputs(nb, staging, name, int(year), pdf, printer)
            write_text(staging / HASH_FILE, digest)
        (staging / LOCK_FILE).unlink()  # still held through the open descriptor
        publish(staging, target)
        result.status, result.folder, result.headline = "done", str(target), _headline(target)
    except Exception as exc:  # one department's failure must not stop a batch
        result.error = failure_message(exc)
        if kernel is not None:
            kernel.shutdown()  # a failed run may leave the kernel in any state
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if lock >= 0:
            os.close(lock)
        result.seconds = time.perf_counter() - started
    return result


def _write_outputs(nb: Any, folder: Path, name: str, year: int, pdf: bool | None,
                   printer: Printer | None) -> None:
    title = report_title(name, year)
    nbformat.write(nb, str(folder / "report.ipynb"))
    html_path = write_text(folder / "report.html", notebook_html(nb, title))
    if pdf is False:
        return
    from outturn.report import chromium

    if chromium.find_chromium() is None:
        if pdf:
            raise OutturnError("PDF requested but no Chromium found: install the Debian package "
                               "chromium, or set OUTTURN_CHROMIUM")
        return
    chromium.html_to_pdf(html_path, folder / "report.pdf", printer=printer)


def _headline(folder: Path) -> dict[str, str]:
    path = folder / "summary.json"
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: str(data[k]) for k in ("total_spending", "execution_rate", "score", "grade")
            if k in data}


def failure_message(exc: BaseException) -> str:
    """The error a user needs: for a failing notebook cell, its exception and the cell."""
    from nbclient.exceptions import CellExecutionError

    if isinstance(exc, CellExecutionError):
        source = (exc.args[0] if exc.args else str(exc)).strip()
        cell = ""
        lines = source.splitlines()
        marks = [i for i, x in enumerate(lines) if x.strip() == "------------------"]
        if len(marks) >= 2:
            cell = " ".join(x.strip() for x in lines[marks[0] + 1:marks[1]] if x.strip())[:160]
        return f"{exc.ename}: {exc.evalue}" + (f" (cell: {cell})" if cell else "")
    if isinstance(exc, OutturnError):
        return str(exc)
    return f"{type(exc).__name__}: {exc} ({traceback.extract_tb(exc.__traceback__)[-1].name})"
