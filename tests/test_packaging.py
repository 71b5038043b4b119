"""The dependency lists of pyproject.toml and environment.yml must not drift apart."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = dict(map(_name_and_spec, project["dependencies"]))
    wanted |= dict(map(_name_and_spec, project["optional-dependencies"]["test"]))
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = dict(_name_and_spec(d) for d in env["dependencies"]
                 if isinstance(d, str) and not re.match(r"^(python|pip)\b(?!-)", d))
    pip = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    conda |= dict(_name_and_spec(d.split("#")[0]) for d in pip if not d.startswith("-e"))
    assert conda == wanted


def test_console_script_is_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["outturn"] == "outturn.cli:main"
