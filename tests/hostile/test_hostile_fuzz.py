"""No input ends in a traceback: whatever bytes a ledger file holds, ingest names its
problems and accounts for every row it read (hypothesis generates the files)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from conftest import PAYMENTS_CSV, write_raw
from corpus import assert_conserved
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from outturn.ingest.collect import collect
from outturn.ingest.reconcile import reconcile

GOOD = PAYMENTS_CSV.encode()

#: Ledger bytes damaged the ways files really are: cut, spliced with noise, re-encoded.
damaged = st.one_of(
    st.binary(max_size=400),
    st.builds(lambda cut: GOOD[:cut], st.integers(0, len(GOOD))),
    st.builds(lambda at, noise: GOOD[:at] + noise + GOOD[at:],
              st.integers(0, len(GOOD)), st.binary(min_size=1, max_size=8)),
    st.builds(lambda enc: PAYMENTS_CSV.encode(enc, errors="replace"),
              st.sampled_from(["utf-16-le", "utf-16-be", "utf-32", "big5", "shift_jis", "latin-1"])),
)


class _Read:
    """What ``assert_conserved`` looks at, from reading alone (nothing is written, so each
    example costs milliseconds, not a whole ingest)."""

    def __init__(self, raw: Path) -> None:
        self.collected = collect(raw)
        self.reconciliation = reconcile(self.collected)
        self.balanced = bool(self.reconciliation["balanced"].all())


def _xlsx_like(payload: bytes, cut: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", payload)
        archive.writestr("xl/workbook.xml", payload)
    data = buffer.getvalue()
    return data[: max(cut, 1)]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=damaged, suffix=st.sampled_from([".csv", ".txt", ".xlsx"]))
def test_whatever_a_ledger_file_holds_ingest_names_it_and_loses_nothing(
        content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        raw = write_raw(root / "raw")
        (raw / "payments" / "p.csv").unlink()
        (raw / "payments" / f"p{suffix}").write_bytes(content)
        assert_conserved(_Read(raw))  # no exception, whatever the bytes


@settings(max_examples=30, deadline=None)
@given(payload=st.binary(max_size=200), cut=st.integers(1, 2000))
def test_a_broken_workbook_is_one_error_never_a_traceback(payload: bytes, cut: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        raw = write_raw(root / "raw")
        (raw / "payments" / "w.xlsx").write_bytes(_xlsx_like(payload, cut))
        result = _Read(raw)
        errors = [p for p in result.collected.problems
                  if p.severity == "error" and p.file.endswith("w.xlsx")]
        assert len(errors) == 1, errors
        assert_conserved(result)


def test_a_damaged_header_that_leaves_a_rule_column_unread_names_the_column(tmp_path: Path) -> None:
    """Found by the fuzz above: a NUL inside 项目编码 left project rows failing a rule on a
    column the file did not have, which crashed; now each such row names 项目编码."""
    raw = write_raw(tmp_path / "raw")
    at = GOOD.index("项目编码".encode()) + 3
    (raw / "payments" / "p.csv").write_bytes(GOOD[:at] + b"\x00" + GOOD[at:])
    read = _Read(raw)
    rows = [p.row for p in read.collected.problems
            if p.column == "项目编码" and "without a project code" in p.rule]
    assert rows == [4, 5, 6]
    assert_conserved(read)


def test_a_lone_carriage_return_before_undecodable_bytes_is_named_not_a_crash(tmp_path: Path) -> None:
    """Found by the fuzz above (b"\\r\\x80"): the header search crashed on a bare CR."""
    raw = write_raw(tmp_path / "raw")
    (raw / "payments" / "p.csv").write_bytes(b"\r\x80")
    read = _Read(raw)
    errors = [p for p in read.collected.problems if p.severity == "error"]
    assert len(errors) == 1 and errors[0].file.endswith("p.csv")
    assert_conserved(read)
