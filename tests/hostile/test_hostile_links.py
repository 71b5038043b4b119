"""Symbolic links in the raw folder: nothing outside it is read, and no link is left out
without a word."""

from __future__ import annotations

import shutil
from pathlib import Path

from corpus import assert_conserved, one_problem
from outturn.ingest.run import ingest


def test_a_ledger_file_linking_outside_the_raw_folder_is_not_read_and_is_named(
        raw_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.csv"
    shutil.copy(raw_dir / "payments" / "p.csv", outside)
    (raw_dir / "payments" / "more.csv").symlink_to(outside)
    result = ingest(raw_dir, tmp_path / "processed")
    problem = one_problem(result.collected.problems, file="more.csv")
    assert problem.severity == "warning" and "not followed" in problem.rule
    assert len(result.collected.tables["payments"]) == 5  # not read twice
    assert str(outside) not in set(result.reconciliation["file"])
    assert_conserved(result)


def test_a_linked_folder_is_not_walked_and_is_named(raw_dir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(raw_dir / "payments" / "p.csv", elsewhere / "q.csv")
    (raw_dir / "payments" / "units").symlink_to(elsewhere, target_is_directory=True)
    result = ingest(raw_dir, tmp_path / "processed")
    problem = one_problem(result.collected.problems, file="units")
    assert problem.severity == "warning" and "not read" in problem.rule
    assert len(result.collected.tables["payments"]) == 5
    assert_conserved(result)


def test_a_link_inside_the_raw_folder_is_read_and_a_dangling_one_named(
        raw_dir: Path, tmp_path: Path) -> None:
    (raw_dir / "budget" / "b.csv").rename(raw_dir / "b-master.csv")
    (raw_dir / "budget" / "b.csv").symlink_to(raw_dir / "b-master.csv")
    (raw_dir / "payments" / "gone.csv").symlink_to(raw_dir / "nowhere.csv")
    result = ingest(raw_dir, tmp_path / "processed")
    assert len(result.collected.tables["budget"]) == 3
    problem = one_problem(result.collected.problems, file="gone.csv")
    assert problem.severity == "warning" and "no file" in problem.rule
    assert_conserved(result)
