"""``docs/cli.md`` from the parser itself, so the reference cannot drift from the code.

``python -m outturn.cli_docs`` rewrites the file; ``tests/test_docs.py`` fails when the
file differs from what this module renders (the habit of datasette's documented options).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from outturn.cli import build_parser

#: Terminal width the help is rendered at (argparse wraps to $COLUMNS).
WIDTH = "100"

HEADER = """# Command line reference

Every command and option of `outturn`, as `outturn COMMAND --help` prints it. This file is
generated: run `.venv/bin/python -m outturn.cli_docs` after changing an option
(`tests/test_docs.py` fails until you do). Examples and exit codes: `README.md`.
"""


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def render() -> str:
    """The whole reference page: the top-level help, then one section per command."""
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = WIDTH
    try:
        parser = build_parser()
        parts = [HEADER, "## `outturn`\n", "```text\n" + parser.format_help() + "```\n"]
        for name, sub in _subparsers(parser).items():
            parts.append(f"## `outturn {name}`\n")
            parts.append("```text\n" + sub.format_help() + "```\n")
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    target = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "docs" / "cli.md"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
