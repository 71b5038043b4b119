"""Where reports are written: ``<output root>/<year>/<dept_code>/``, in one place.

The runner publishes each report folder there, the batch cleans and indexes the year
folder, the CLI and the notebook fall back to the default root. Department codes from
data pass :func:`outturn.identifiers.safe_join`, so no code can name a folder outside
the year's.
"""

from __future__ import annotations

from pathlib import Path

from outturn.identifiers import check_code, safe_join

#: The output root unless told otherwise (relative to where outturn is run).
DEFAULT_OUTPUTS = Path("outputs")
#: A report is built in ``<year>/.staging-<code>-…`` beside its folder, then swapped in.
STAGING_PREFIX = ".staging-"


def is_staging(folder: Path | str) -> bool:
    """Whether ``folder`` is a report's private staging folder (published as a whole later)."""
    return Path(folder).name.startswith(STAGING_PREFIX)


def year_folder(output_root: Path | str, year: int) -> Path:
    """The folder of one year's reports and its index page."""
    return Path(output_root) / str(int(year))


def report_folder(output_root: Path | str, year: int, dept_code: str) -> Path:
    """The folder of one department-year's report."""
    return safe_join(year_folder(output_root, year), check_code(dept_code, "department code"))
