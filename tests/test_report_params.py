"""Report parameters are checked before any work: unknown names, wrong types, no data."""

from __future__ import annotations

from pathlib import Path

import pytest
from outturn.report.notebook import PARAMETERS, ParameterError, check_names, check_parameters
from outturn.report.runner import NOTEBOOK, run_report


def _ns(processed: Path, **over: object) -> dict[str, object]:
    ns: dict[str, object] = {"dept": "115", "year": 2022, "processed_dir": str(processed),
                             "rules": "mof-2020-project", "denominator": "adjusted", "output_dir": "",
                             "generated": "", "In": [], "Out": {}, "_i1": "x", "get_ipython": print}
    ns.update(over)
    return ns


def test_known_parameters_pass(sample_processed: Path) -> None:
    params = check_parameters(_ns(sample_processed))
    assert (params.dept, params.year, params.denominator) == ("115", 2022, "adjusted")


def test_unknown_parameter_is_an_error(sample_processed: Path) -> None:
    with pytest.raises(ParameterError, match=r"unknown report parameter.*yaer"):
        check_parameters(_ns(sample_processed, yaer=2022))
    with pytest.raises(ParameterError, match="dept, year"):
        check_names({"departmnet": "115"})


@pytest.mark.parametrize(("name", "value", "message"), [
    ("year", 2019, "has no data for 2019 in .*; years available: 2020, 2021, 2022, 2023"),
    ("dept", "不存在的局", "不存在的局"),
    ("denominator", "budget", "choose one of adjusted, original, received"),
    ("year", "二〇二二", "must be int"),
    ("generated", "31/03/2023", "ISO date"),
])
def test_bad_values_are_named(sample_processed: Path, name: str, value: object, message: str) -> None:
    with pytest.raises(Exception, match=message):
        check_parameters(_ns(sample_processed, **{name: value}))


def test_year_given_as_text_digits_is_accepted(sample_processed: Path) -> None:
    assert check_parameters(_ns(sample_processed, year="2022")).year == 2022


def test_notebook_parameters_cell_matches_the_known_list() -> None:
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    names = {line.split("=")[0].strip() for line in cell.source.splitlines()
             if "=" in line and not line.lstrip().startswith("#")}
    assert names == set(PARAMETERS)


def test_notebook_is_stored_without_outputs() -> None:
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in nb.cells if c.cell_type == "code")


def test_run_report_rejects_unknown_parameter_before_running(sample_processed: Path, tmp_path: Path) -> None:
    result = run_report("115", 2022, processed_dir=sample_processed, output_root=tmp_path,
                        extra={"colour": "red"})
    assert result.status == "failed" and "unknown report parameter(s): colour" in result.error
    assert not (tmp_path / "2022").exists()


@pytest.mark.slow
def test_papermill_unknown_parameter_stops_the_notebook(sample_processed: Path, tmp_path: Path) -> None:
    """papermill itself only warns about an unknown parameter; the notebook stops."""
    import papermill

    with pytest.raises(papermill.PapermillExecutionError, match=r"unknown report parameter.*colour"):
        papermill.execute_notebook(
            str(NOTEBOOK), str(tmp_path / "out.ipynb"), cwd=str(NOTEBOOK.parent), progress_bar=False,
            parameters={"dept": "115", "year": 2022, "processed_dir": str(sample_processed),
                        "output_dir": str(tmp_path / "o"), "colour": "red"})
    assert not (tmp_path / "o").exists()


def test_papermill_sees_every_parameter() -> None:
    """papermill parses the parameters cell itself (e.g. for --help-notebook and its
    unknown-parameter warning); every parameter must be visible to it."""
    import papermill

    assert set(papermill.inspect_notebook(str(NOTEBOOK))) == set(PARAMETERS)
