"""Rule sets as data: which indicators a 自评表 has, their weights, metrics and methods.

A rule set is a YAML file (shipped ones live in ``outturn/rules/``; a province's own is
any file with the same shape, see docs/scoring.md). :func:`load_rule_set` reads and
checks it: first-level blocks sum to 100, each block's rules sum to its weight, every
metric and method is known, method parameters make sense (e.g. bands increase). Every
error names the file and the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from outturn.scoring.indicators import ScoringError, _frac, _num
from outturn.scoring.methods import check_bands

#: Metrics a rule may read, with their Chinese names.
METRICS: dict[str, str] = {
    "execution_rate": "预算执行率",
    "adjustment_rate": "预算调整率",
    "control_rate": "预算控制率",
    "completion_rate": "预算完成率",
    "balance_rate": "结转结余率",
    "sangong_change_rate": "“三公”经费变动率",
    "sangong_control_rate": "“三公”经费控制率",
    "staffing_control_rate": "在职人员控制率",
    "building_control_rate": "新建楼堂馆所面积控制率",
    "progress_gap": "支出进度与序时进度之差",
    "indicators": "绩效指标表",
    "manual": "评价人评分",
}

#: Methods and the parameters each requires.
METHODS: dict[str, tuple[str, ...]] = {
    "proportional": (),
    "deduction": ("threshold", "per"),
    "bands": ("bands",),
    "full_if": ("op", "limit"),
    "manual": (),
    "indicators": ("level1",),
}


class RuleSetError(ScoringError):
    """A rule-set file that cannot be used; the message names the file and the rule."""


@dataclass(frozen=True)
class Rule:
    """One line of the 自评表."""

    level1: str
    level2: str
    level3: str
    weight: Fraction
    metric: str
    method: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleSet:
    """A checked rule set."""

    id: str
    name: str
    source: str
    blocks: dict[str, Fraction]
    rules: tuple[Rule, ...]
    path: str = ""


def available_rule_sets() -> list[str]:
    """Ids of the rule sets shipped with outturn."""
    folder = resources.files("outturn") / "rules"
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir()
                  if p.name.endswith(".yaml"))


def rule_set_source(name_or_path: str | Path) -> tuple[str, str]:
    """The text of a shipped rule set (by id) or a rule-set file (by path), and where it
    came from."""
    path = Path(name_or_path)
    if path.suffix not in (".yaml", ".yml"):
        shipped = resources.files("outturn") / "rules" / f"{name_or_path}.yaml"
        if not shipped.is_file():
            raise RuleSetError(f"no rule set {name_or_path!r}; shipped: "
                               f"{', '.join(available_rule_sets())}, or give a .yaml path")
        return shipped.read_text(encoding="utf-8"), f"rules/{name_or_path}.yaml"
    if not path.is_file():
        raise RuleSetError(f"{path}: file not found")
    return path.read_text(encoding="utf-8"), str(path)


def load_rule_set(name_or_path: str | Path) -> RuleSet:
    """Load a shipped rule set by id, or any rule-set file by path, and check it."""
    return parse_rule_set(*rule_set_source(name_or_path))


def parse_rule_set(text: str, origin: str) -> RuleSet:
    """Parse and check rule-set YAML; ``origin`` names the file in error messages."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleSetError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RuleSetError(f"{origin}: expected a mapping with id, name, blocks and rules")
    for key in ("id", "name", "blocks", "rules"):
        if key not in data:
            raise RuleSetError(f"{origin}: missing key {key!r}")
    blocks = {str(k): _frac(v) for k, v in dict(data["blocks"]).items()}
    if sum(blocks.values()) != 100:
        listed = "，".join(f"{k} {_num(v)}" for k, v in blocks.items())
        raise RuleSetError(f"{origin}: first-level weights sum to {_num(sum(blocks.values()))}, "
                           f"not 100 ({listed})")
    rules = tuple(_rule(raw, i, origin, blocks) for i, raw in enumerate(data["rules"], 1))
    for block, weight in blocks.items():
        got = sum((r.weight for r in rules if r.level1 == block), Fraction(0))
        if got != weight:
            raise RuleSetError(f"{origin}: rules of {block} weigh {_num(got)}, but the block "
                               f"weighs {_num(weight)}")
    return RuleSet(str(data["id"]), str(data["name"]), str(data.get("source", "")), blocks,
                   rules, origin)


def _rule(raw: Any, number: int, origin: str, blocks: dict[str, Fraction]) -> Rule:
    where = f"{origin}: rule {number}"
    if not isinstance(raw, dict):
        raise RuleSetError(f"{where}: expected a mapping")
    missing = [k for k in ("level1", "level2", "level3", "weight", "metric", "method")
               if k not in raw]
    if missing:
        raise RuleSetError(f"{where}: missing {', '.join(missing)}")
    where = f"{origin}: rule {number} ({raw['level3']})"
    if raw["level1"] not in blocks:
        raise RuleSetError(f"{where}: level1 {raw['level1']!r} is not one of the blocks "
                           f"{', '.join(blocks)}")
    weight = _frac(raw["weight"])
    if weight <= 0:
        raise RuleSetError(f"{where}: weight must be positive, not {raw['weight']}")
    if raw["metric"] not in METRICS:
        raise RuleSetError(f"{where}: unknown metric {raw['metric']!r}; use one of "
                           f"{', '.join(METRICS)}")
    if raw["method"] not in METHODS:
        raise RuleSetError(f"{where}: unknown method {raw['method']!r}; use one of "
                           f"{', '.join(METHODS)}")
    params = dict(raw.get("params") or {})
    lacking = [p for p in METHODS[raw["method"]] if p not in params]
    if lacking:
        raise RuleSetError(f"{where}: method {raw['method']} needs {', '.join(lacking)}")
    if raw["method"] == "bands":
        try:
            table = [(b, p) for b, p in params["bands"]]
            check_bands(table)
        except (TypeError, ValueError) as exc:
            raise RuleSetError(f"{where}: bad bands: {exc}") from exc
        if any(_frac(p) > weight for _, p in table):
            raise RuleSetError(f"{where}: a band gives more points than the weight")
    return Rule(str(raw["level1"]), str(raw["level2"]), str(raw["level3"]), weight,
                str(raw["metric"]), str(raw["method"]), params)
