"""The notebook front door, on the ingested sample."""

from __future__ import annotations

from pathlib import Path

import outturn
import pytest
from outturn.problems import OutturnError
from outturn.store.read import resolve_dept


def test_three_line_path(sample_processed: Path) -> None:
    dy = outturn.load("零陵区城市管理和综合执法局", 2022, sample_processed)
    bva = outturn.budget_vs_actual(dy, by=["unit_name", "project_name"])
    progress = outturn.progress(dy)
    assert int(bva["actual"].sum()) == int(dy.payments["amount"].sum()) == 5_185_690_000
    assert progress["month"].tolist() == list(range(1, 13))
    assert progress["cumulative_actual"].iloc[-1] == 5_185_690_000
    assert set(progress["status"]) <= {"正常", "滞后", "严重滞后"}


def test_sangong_against_previous_year(sample_processed: Path) -> None:
    dy = outturn.load("115", 2022, sample_processed)
    table = outturn.sangong(dy, sample_processed).set_index("item")
    assert table.loc["公务接待费", "current"] == 3_700_000
    assert table.loc["合计", "previous"] > table.loc["合计", "current"]


def test_multi_year(sample_processed: Path) -> None:
    table = outturn.multi_year("115", processed_dir=sample_processed)
    assert table["year"].tolist() == [2020, 2021, 2022, 2023]


def test_department_by_part_of_name(sample_processed: Path) -> None:
    assert resolve_dept("城市管理", sample_processed)[0] == "115"
    with pytest.raises(OutturnError, match="several"):
        resolve_dept("零陵区", sample_processed)
    with pytest.raises(OutturnError, match="not a known department"):
        resolve_dept("不存在的局", sample_processed)


def test_unknown_year_names_the_years_available(sample_processed: Path) -> None:
    with pytest.raises(OutturnError, match="2020, 2021, 2022, 2023"):
        outturn.load("115", 2019, sample_processed)


def test_no_processed_data_says_run_ingest(tmp_path: Path) -> None:
    with pytest.raises(OutturnError, match="outturn ingest"):
        outturn.load("115", 2022, tmp_path)
