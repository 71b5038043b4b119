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


def test_every_command_line_option_says_what_it_does() -> None:
    import argparse

    from outturn.cli import build_parser
    from outturn.cli_docs import _subparsers

    parser = build_parser()
    for name, sub in {"outturn": parser, **_subparsers(parser)}.items():
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
                continue
            assert action.help, f"{name} {'/'.join(action.option_strings) or action.dest} has no help"


def test_the_command_line_reference_is_the_parsers_own_help() -> None:
    from outturn.cli_docs import render

    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert text == render(), "docs/cli.md is stale: run .venv/bin/python -m outturn.cli_docs"


def test_data_model_doc_states_the_reading_limits_the_readers_apply() -> None:
    from outturn.ingest import rawtable, textfiles
    text = " ".join((ROOT / "docs" / "data-model.md").read_text(encoding="utf-8").split())
    assert f"at most {rawtable.MAX_COLUMNS:,} columns in a header" in text
    assert f"at most 1 MiB ({rawtable.MAX_LINE_BYTES:,} bytes) in a line" in text
    assert rawtable.MAX_LINE_BYTES == 1 << 20 and rawtable.MAX_XLSX_INFLATED_BYTES == 1 << 30
    assert "inflate to at most 1 GiB in all" in text
    assert rawtable.XLSX_RATIO_FLOOR == 1 << 20
    assert f"a part larger than 1 MiB at most {rawtable.MAX_XLSX_RATIO} times" in text
    assert (f"at most {textfiles.MAX_BAD_LINES} lines (or {textfiles.MAX_BAD_SHARE:.0%} of "
            "the lines)") in text.replace(" %", "%")
