"""What ``notebooks/report.ipynb`` calls: check the parameters, build the report, show
each section, save the companions (Word, CSV, 自评表 workbook, headline JSON).

The notebook stays thin — each of its cells is one call here — so everything it does is
reachable from tests and from ``outturn report``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import FunctionType, ModuleType
from typing import Any

from outturn.atomic import grouped_sync
from outturn.metrics.budget import DENOMINATORS
from outturn.problems import OutturnError
from outturn.report import html
from outturn.report.build import ReportInputs, build_report, load_inputs
from outturn.report.model import Report
from outturn.report.paths import DEFAULT_OUTPUTS, is_staging, report_folder
from outturn.store.read import available_years, resolve_dept

#: The report notebook's parameters and their types (``generated``: ISO date, "" = today).
PARAMETERS: dict[str, type] = {"dept": str, "year": int, "processed_dir": str, "rules": str,
                               "denominator": str, "output_dir": str, "generated": str}
#: Names IPython itself puts in a kernel's namespace.
_KERNEL_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}


class ParameterError(OutturnError):
    """A report parameter is unknown, of the wrong type, or names no data."""


@dataclass(frozen=True)
class Parameters:
    """The checked parameters of one report run."""

    dept: str
    year: int
    processed_dir: str
    rules: str
    denominator: str
    output_dir: str
    generated: str = ""


def check_names(given: Mapping[str, Any]) -> None:
    """Fail on a parameter the report notebook does not know (papermill only warns)."""
    unknown = sorted(set(given) - set(PARAMETERS))
    if unknown:
        raise ParameterError(
            f"unknown report parameter(s): {', '.join(unknown)}; the report notebook takes "
            f"{', '.join(PARAMETERS)}. Check the spelling (e.g. -p dept 115 -p year 2022)")


def check_parameters(namespace: Mapping[str, Any]) -> Parameters:
    """The parameters found in a notebook's namespace, checked before any work: every
    name must be known, of the right type, and the department-year must exist."""
    given = {k: v for k, v in namespace.items()
             if not k.startswith("_") and k not in _KERNEL_NAMES
             and not isinstance(v, ModuleType | FunctionType | type)}
    check_names(given)
    missing = [k for k in PARAMETERS if k not in given and k != "generated"]
    if missing:
        raise ParameterError(f"report parameter(s) missing: {', '.join(missing)}")
    for name, kind in PARAMETERS.items():
        if name in given and not isinstance(given[name], kind):
            if kind is int and isinstance(given[name], str) and given[name].isdigit():
                given[name] = int(given[name])
            elif kind is str and isinstance(given[name], int):
                given[name] = str(given[name])
            else:
                raise ParameterError(f"parameter {name} must be {kind.__name__}, "
                                     f"not {given[name]!r}")
    params = Parameters(**{k: given[k] for k in PARAMETERS if k in given})
    if params.denominator not in DENOMINATORS:
        raise ParameterError(f"parameter denominator is {params.denominator!r}; choose one of "
                             f"{', '.join(DENOMINATORS)}")
    if params.generated:
        try:
            date.fromisoformat(params.generated)
        except ValueError as exc:
            raise ParameterError(f"parameter generated must be an ISO date (2023-03-31), "
                                 f"not {params.generated!r}") from exc
    code, name = resolve_dept(params.dept, params.processed_dir)
    years = available_years(code, params.processed_dir)
    if params.year not in years:
        raise ParameterError(f"{name} ({code}) has no data for {params.year} in "
                             f"{params.processed_dir}; years available: "
                             f"{', '.join(map(str, years)) or 'none'}")
    return params


class ReportSession:
    """A built report being shown section by section (tables and charts numbered
    across the whole report) and saved."""

    def __init__(self, inputs: ReportInputs, report: Report) -> None:
        self.inputs = inputs
        self.report = report
        self._counter = {"table": 0, "chart": 0}

    def cover(self) -> Any:
        """The report header and contents list, for display."""
        from IPython.display import HTML

        return HTML(html.cover(self.report))

    def section(self, number: str) -> Any:
        """One numbered section (``"一"`` … ``"九"``), for display."""
        from IPython.display import HTML

        return HTML(html.section(self.report.section(number), self._counter))

    def save(self, output_dir: Path | str) -> list[Path]:
        """Write the Word report, every table's and chart's data as CSV, the 自评表
        workbook and ``summary.json`` (headline figures for the index page).

        Each file is written atomically; into a staging folder (``outturn report`` and
        ``batch``) they are flushed to disk together at the end (:func:`outturn.atomic.grouped_sync`).
        """
        from outturn.report.companions import write_companions

        folder = Path(output_dir)
        with grouped_sync(folder) if is_staging(folder) else nullcontext():
            return write_companions(self.report, self.inputs, folder)


def start(params: Parameters) -> ReportSession:
    """Load the department-year and build its report."""
    inputs = load_inputs(params.dept, params.year, params.processed_dir, params.rules,
                         params.denominator)  # type: ignore[arg-type]
    generated = date.fromisoformat(params.generated) if params.generated else None
    return ReportSession(inputs, build_report(inputs, generated=generated))


def write_json(path: Path, data: Mapping[str, Any]) -> Path:
    """Write JSON atomically."""
    from outturn.atomic import write_text

    return write_text(path, json.dumps(data, ensure_ascii=False, indent=2))


def summary_record(report: Report) -> dict[str, Any]:
    """The headline record the index page lists."""
    return {"dept_code": report.dept_code, "dept_name": report.dept_name, "year": report.year,
            "data_version": report.data_version, "generated": report.generated.isoformat(),
            **report.headline}


def output_folder(params: Parameters, report: Report) -> Path:
    """Where a report's companions go: ``output_dir`` when given, else
    ``../outputs/<year>/<dept_code>`` beside the notebooks folder."""
    if params.output_dir:
        return Path(params.output_dir)
    return report_folder(Path("..") / DEFAULT_OUTPUTS, report.year, report.dept_code)
