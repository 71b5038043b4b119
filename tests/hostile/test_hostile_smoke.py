"""The corpus's starting point: the clean conftest ledgers balance to the row and the 分."""

from corpus import assert_conserved
from outturn.ingest.run import ingest


def test_the_clean_ledgers_balance(raw_dir, tmp_path):  # type: ignore[no-untyped-def]
    assert_conserved(ingest(raw_dir, tmp_path / "processed"))
