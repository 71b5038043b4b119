"""The examples in the library's docstrings (money, parsing, the cluster address …) are
run as tests: an example that no longer holds fails here, not in a reader's hands."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import outturn
import pytest

PACKAGE = Path(outturn.__file__).parent


def _modules_with_examples() -> list[str]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if ">>> " in path.read_text(encoding="utf-8"):
            parts = path.relative_to(PACKAGE).with_suffix("").parts
            out.append(".".join(("outturn", *(parts[:-1] if parts[-1] == "__init__" else parts))))
    return out


MODULES = _modules_with_examples()


def test_there_are_examples_to_run() -> None:
    assert "outturn.money" in MODULES and len(MODULES) >= 5


@pytest.mark.parametrize("name", MODULES)
def test_every_docstring_example_holds(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} mentions >>> but has no runnable example"
    assert result.failed == 0
