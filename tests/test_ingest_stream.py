"""Payments read in batches (outturn.ingest.stream) give the snapshot of payments read
whole: the same accepted rows, rejected rows, problems and reconciliation, whatever the
batch size — with repeats, unknown codes, bad cells beyond the listing cap, summary rows
across batch boundaries and a department's folder holding another's rows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from outturn.ingest import textstream
from outturn.ingest.dedupe import fingerprint
from outturn.ingest.rowproblems import MAX_LISTED
from outturn.ingest.run import ingest
from outturn.ingest.streamed import StreamOptions
from stream_tools import HEADER, SAMPLE, _row, hostile_raw


def _problems(result) -> list[tuple]:
    return sorted(tuple(str(v) for v in p.__dict__.values()) for p in result.collected.problems)


def _partitions(result) -> pd.DataFrame:
    table = ds.dataset(result.snapshot / "payments", format="parquet", partitioning="hive").to_table()
    frame = table.to_pandas().astype("str")
    return frame.sort_values(["_file", "_row"]).reset_index(drop=True)


def _rejected(result) -> pd.DataFrame:
    frame = pd.read_csv(result.snapshot / "rejected" / "payments.csv", dtype="str",
                        keep_default_na=False, encoding="utf-8-sig")
    frame = frame[[c for c in frame.columns if frame[c].ne("").any()]]
    return frame.sort_values(["_file", "_row"]).reset_index(drop=True)


def _manifest(result) -> dict:
    manifest = json.loads((result.snapshot / "manifest.json").read_text(encoding="utf-8"))
    return {k: manifest[k] for k in ("rows", "rejected", "errors", "department_years",
                                     "data_version")}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    tmp = tmp_path_factory.mktemp("stream")
    raw = hostile_raw(tmp)
    return raw, ingest(raw, tmp / "whole", stream=None)


@pytest.mark.parametrize("batch_rows", [333, 100_000])
def test_payments_read_in_batches_give_the_snapshot_of_payments_read_whole(
        hostile: tuple[Path, object], tmp_path: Path, batch_rows: int) -> None:
    raw, whole = hostile
    batched = ingest(raw, tmp_path / "p", stream=StreamOptions(batch_rows=batch_rows,
                                                              min_bytes=0, buckets=3))
    assert batched.collected.streamed is not None and whole.collected.streamed is None
    assert _problems(batched) == _problems(whole)
    assert batched.reconciliation.astype("str").equals(whole.reconciliation.astype("str"))
    assert batched.balanced and whole.balanced
    assert _partitions(batched).equals(_partitions(whole))
    assert _rejected(batched).equals(_rejected(whole)[_rejected(batched).columns])
    assert _manifest(batched) == _manifest(whole)
    assert batched.rows_rejected == whole.rows_rejected > MAX_LISTED
    assert not (batched.snapshot / ".spill").exists()


def test_a_duplicate_voucher_in_two_batches_and_two_files_is_found(
        hostile: tuple[Path, object], tmp_path: Path) -> None:
    raw, _ = hostile
    result = ingest(raw, tmp_path / "p", stream=StreamOptions(batch_rows=333, min_bytes=0))
    rejected = _rejected(result)
    repeats = rejected[rejected["_reason"].str.contains("duplicate voucher id")]
    assert sorted(repeats["voucher_id"]) == ["JY116-2022-000001", "X-00003", "X-00017"]
    first = repeats.loc[repeats["voucher_id"] == "X-00017", "_reason"].iloc[0]
    assert "999-extra.csv row 19)" in first  # the header is line 1: X-00017 is on line 19


def test_a_total_row_at_the_end_is_checked_against_every_batch(
        hostile: tuple[Path, object], tmp_path: Path) -> None:
    raw, _ = hostile
    result = ingest(raw, tmp_path / "p", stream=StreamOptions(batch_rows=333, min_bytes=0))
    totals = [p for p in result.collected.problems if p.rule.startswith("total row states")]
    assert {p.value for p in totals} == {"1.00", "99.00"}  # the right 小计 passes
    file = next(r for _, r in result.reconciliation.iterrows() if r["file"].endswith("999-extra.csv"))
    assert file["declared_fen"] == 9_900 and file["in_fen"] != 9_900


def test_rows_beyond_the_cap_are_summed_up_once_across_batches(
        hostile: tuple[Path, object], tmp_path: Path) -> None:
    raw, _ = hostile
    result = ingest(raw, tmp_path / "p", stream=StreamOptions(batch_rows=333, min_bytes=0))
    dates = [p for p in result.collected.problems if p.column == "支付日期" and p.row is not None]
    more = [p for p in result.collected.problems if "more row(s) like the" in p.rule
            and p.column == "支付日期"]
    assert len(dates) == MAX_LISTED
    assert len(more) == 1 and more[0].rule.split(": ")[-1].startswith("60 more row(s)")


def test_payments_read_in_batches_are_byte_identical_on_a_rerun(
        hostile: tuple[Path, object], tmp_path: Path) -> None:
    raw, _ = hostile
    options = StreamOptions(batch_rows=400, min_bytes=0, buckets=2)
    first = ingest(raw, tmp_path / "a", stream=options)
    second = ingest(raw, tmp_path / "b", stream=options)
    files = sorted(p.relative_to(first.snapshot) for p in first.snapshot.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second.snapshot) for p in second.snapshot.rglob("*")
                           if p.is_file())
    assert any(f.parts[0] == "payments" for f in files)
    for f in files:
        assert (first.snapshot / f).read_bytes() == (second.snapshot / f).read_bytes(), f


def test_tasks_on_threads_write_the_bytes_of_tasks_one_after_another(
        hostile: tuple[Path, object], tmp_path: Path) -> None:
    raw, _ = hostile
    one = StreamOptions(batch_rows=400, min_bytes=0, buckets=3, workers=1)
    threads = StreamOptions(batch_rows=400, min_bytes=0, buckets=3, workers=3)
    alone, together = ingest(raw, tmp_path / "a", stream=one), ingest(raw, tmp_path / "b", stream=threads)
    files = sorted(p.relative_to(alone.snapshot) for p in alone.snapshot.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(together.snapshot) for p in together.snapshot.rglob("*")
                           if p.is_file())
    assert sum(f.parts[0] == "payments" for f in files) > 3  # several groups were written
    for f in files:
        assert (alone.snapshot / f).read_bytes() == (together.snapshot / f).read_bytes(), f


def test_a_file_the_streaming_reader_fails_on_midway_is_read_again_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE, raw)
    lines = [HEADER, *(_row(f"R-{i:05d}") for i in range(5000)), _row("R-X") + ",extra,cells"]
    (raw / "payments" / "2022" / "999-ragged.csv").write_text("\n".join(lines) + "\n",
                                                                encoding="utf-8")
    whole = ingest(raw, tmp_path / "whole", stream=None)
    monkeypatch.setattr(textstream, "STREAM_BLOCK_BYTES", 1 << 14)  # fail after some batches
    batched = ingest(raw, tmp_path / "p", stream=StreamOptions(batch_rows=1000, min_bytes=0))
    assert any("cells but the header has" in p.rule for p in batched.collected.problems)
    assert _problems(batched) == _problems(whole)
    assert _partitions(batched).equals(_partitions(whole))
    assert _manifest(batched) == _manifest(whole)


def test_small_payments_files_are_read_whole_by_default(tmp_path: Path) -> None:
    result = ingest(SAMPLE, tmp_path / "p")
    assert result.collected.streamed is None and len(result.collected.tables["payments"])


def test_many_small_payments_files_that_add_up_to_a_large_ledger_are_read_in_batches(
        tmp_path: Path) -> None:
    from outturn.ingest.stream import streams

    files = sorted((SAMPLE / "payments").rglob("*.csv"))
    assert len(files) > 1
    largest = max(p.stat().st_size for p in files)
    together = sum(p.stat().st_size for p in files)
    assert largest < together  # each alone is below the threshold, together they reach it
    assert streams(files, StreamOptions(min_bytes=together))
    assert not streams(files, StreamOptions(min_bytes=together + 1))
    result = ingest(SAMPLE, tmp_path / "p", stream=StreamOptions(min_bytes=together))
    assert result.collected.streamed is not None and result.collected.streamed.accepted > 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=90), min_size=1, max_size=40), st.data())
def test_a_text_has_one_fingerprint_whatever_texts_stand_beside_it(
        texts: list[str], data: st.DataObject) -> None:
    order = data.draw(st.permutations(range(len(texts))))
    alone = [int(fingerprint(pd.Series([t], dtype="str"))[0]) for t in texts]
    together = fingerprint(pd.Series([texts[i] for i in order], dtype="str"))
    assert [int(h) for h in together] == [alone[i] for i in order]
    distinct = {t: h for t, h in zip(texts, alone, strict=True)}
    assert len(set(distinct.values())) == len(distinct)  # no two texts here collide


def test_texts_alike_in_their_first_and_last_bytes_still_differ_as_repeats(tmp_path: Path) -> None:
    # fingerprints read 64 bytes from the start and 8 from the end: such ids share one,
    # and only the exact comparison tells them apart
    ids = [f"{'A' * 64}{i:03d}{'B' * 8}" for i in range(5)]
    assert len(set(fingerprint(pd.Series(ids, dtype="str")).tolist())) == 1
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE, raw)
    lines = [HEADER, *(_row(v) for v in ids), _row(ids[2])]
    (raw / "payments" / "2022" / "999-long.csv").write_text("\n".join(lines) + "\n",
                                                              encoding="utf-8")
    result = ingest(raw, tmp_path / "p", stream=StreamOptions(batch_rows=2000, min_bytes=0))
    repeats = [p for p in result.collected.problems if p.rule.startswith("duplicate voucher")]
    assert [p.value for p in repeats] == [ids[2]]
    assert np.all(result.reconciliation["balanced"])


def test_three_public_payments_on_lines_without_a_code_are_warned_of_as_when_read_whole(
        tmp_path: Path) -> None:
    """The batch path adds each line's 三公 payments up across batches: how many, how
    much, which items and which came first are those of the whole ledger."""
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE, raw)
    pay = raw / "payments" / "2022" / "116-教育局.csv"
    # two project lines of the sample's budget without an economic code: one funds
    # payments of two 三公 items, the other of one item; their ids run backwards
    mixed = "116,116001,一般公共预算拨款,项目,43110219116002,2050299"
    single = "116,116001,一般公共预算拨款,项目,43110219116003,2050803"
    lines = []
    for i in range(700):
        econ = "30217" if i % 3 else "30231"
        lines.append(f"SG-A-{700 - i:04d},2022-0{1 + i % 9}-1{i % 10},{mixed},{econ},"
                     f"{i + 1}.0{i % 10},三公")
        if i % 7 == 0:
            lines.append(f"SG-B-{700 - i:04d},2022-03-0{1 + i % 9},{single},30217,{i}.50,三公")
    text = pay.read_text(encoding="utf-8-sig").rstrip("\n")
    pay.write_text(text + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    whole = ingest(raw, tmp_path / "whole", stream=None)
    batched = ingest(raw, tmp_path / "batched", stream=StreamOptions(batch_rows=333, min_bytes=0))
    warned = [p.rule for p in batched.collected.problems if "三公 payment(s)" in p.rule]
    assert len(warned) == 2, warned
    assert any("700 三公 payment(s) of 公务接待费、公务用车运行维护费" in w for w in warned)
    assert any("100 三公 payment(s) of 公务接待费" in w and "SG-B-0700" in w for w in warned)
    assert _problems(batched) == _problems(whole)
