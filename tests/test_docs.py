"""Documentation stays true to the code."""

from __future__ import annotations

from pathlib import Path

from outturn.aliases import COLUMN_ALIASES
from outturn.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]


def test_data_model_doc_lists_every_column_and_alias() -> None:
    text = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    for table in TABLES.values():
        assert f"### `{table.name}`" in text
        for f in table.fields:
            assert f"| `{f.name}` |" in text, f"{table.name}.{f.name} missing"
            for alias in COLUMN_ALIASES.get(f.name, ()):
                assert alias in text, f"alias {alias} of {f.name} missing"
