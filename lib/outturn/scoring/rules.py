"""Rule sets as data: which indicators a 自评表 has, their weights, metrics and methods.

A rule set is a YAML file (shipped ones live in ``outturn/rules/``; a province's own is
any file with the same shape, see docs/scoring.md). :func:`load_rule_set` reads and
checks it strictly: only known keys, first-level blocks sum to 100, each block's rules
sum to its weight, every metric and method is known, every parameter is one its method
or metric registered with it (:mod:`outturn.scoring.methods`,
:mod:`outturn.scoring.metric_values`) takes, with a value of its type,
bands increase, ``when_missing`` is one of :data:`WHEN_MISSING`. Every error names the
file, the rule (number and 三级指标) and the allowed names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from outturn.scoring.indicators import ScoringError, _frac, _num
from outturn.scoring.methods import METHODS, check_bands
from outturn.scoring.metric_values import METRICS
from outturn.scoring.params import PAIRED, Param

#: Methods and metrics a rule may name are those registered in
#: :data:`outturn.scoring.methods.METHODS` and :data:`outturn.scoring.metric_values.METRICS`.


def allowed(method: str, metric: str) -> dict[str, Param]:
    """The parameters a rule with ``method`` and ``metric`` may give, by name."""
    return {p.name: p for p in (*METHODS[method].params, *METRICS[metric].params)}


def problems(method: str, metric: str, params: Mapping[str, Any]) -> list[str]:
    """What is wrong with ``params`` for ``method`` and ``metric``, in words (empty: fine)."""
    table = allowed(method, metric)
    names = ", ".join(table) or "none"
    out = [f"unknown parameter {name!r} for method {method} and metric {metric}; "
           f"allowed: {names}" for name in params if name not in table]
    out += [f"method {method} needs parameter {p.name} ({p.kind})"
            for p in table.values() if p.required and p.name not in params]
    out += [f"parameter {name} {why}" for name, value in params.items() if name in table
            if (why := table[name].check(value))]
    return out


#: What a rule does when its input is missing (no indicators in its block, no previous
#: year, no staffing figures, no 三公 budget …) or when it is a manual line:
#: ``judge`` the evaluator gives the points (the default; without a judgement the line is
#: pending, 0 points counted, the grade provisional); ``zero`` 0 points; ``full`` the full
#: weight, only with a stated ``reason`` (printed); ``exclude`` the line is scored at the
#: rate the other scored lines of its first-level block earn (its weight shared out over
#: them in proportion to their weights).
WHEN_MISSING: tuple[str, ...] = ("judge", "zero", "full", "exclude")

#: The shipped rule set a department-wide 整体支出 report is scored with, unless told
#: otherwise (``mof-2020-project`` is the 项目支出 template).
DEFAULT_RULE_SET = "hunan-dept-overall"

#: The ``--rules`` option's help, shared by every command that scores.
RULES_HELP = (f"scoring rule set: a shipped one ({DEFAULT_RULE_SET}, the default: 部门整体支出 "
              "投入 20 / 过程 30 / 产出 30 / 效果 20; mof-2020-project: the 项目支出 template, "
              "预算执行 10 / 产出 50 / 效益 30 / 满意度 10) or a .yaml path")

#: Keys a rule-set file may have, and keys a rule may have.
TOP_KEYS: tuple[str, ...] = ("id", "name", "source", "blocks", "rules")
RULE_KEYS: tuple[str, ...] = ("level1", "level2", "level3", "weight", "metric", "method",
                              "params", "when_missing", "reason")


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
    #: one of :data:`WHEN_MISSING`
    when_missing: str = "judge"
    #: why the policy is right (required for ``full``; printed with the line)
    reason: str = ""


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
    """Parse and check rule-set YAML; ``origin`` names the file in error messages.

    Strict: an unknown key (of the file, of a rule, or a parameter its method and metric
    do not take), a value of the wrong type, a ``when_missing`` that is not one of
    :data:`WHEN_MISSING` (``full`` without a ``reason``), or weights that do not add up
    is a :class:`RuleSetError` naming the file, the rule and the allowed names.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleSetError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RuleSetError(f"{origin}: expected a mapping with {', '.join(TOP_KEYS)}")
    unknown = [str(k) for k in data if k not in TOP_KEYS]
    if unknown:
        raise RuleSetError(f"{origin}: unknown key {unknown[0]!r}; allowed: {', '.join(TOP_KEYS)}")
    for key in ("id", "name", "blocks", "rules"):
        if key not in data:
            raise RuleSetError(f"{origin}: missing key {key!r}")
    for key in ("id", "name", "source"):
        if key in data and not isinstance(data[key], str | int):
            raise RuleSetError(f"{origin}: {key} must be a text, not {data[key]!r}")
    if not isinstance(data["blocks"], dict) or not data["blocks"]:
        raise RuleSetError(f"{origin}: blocks must map each first-level block to its weight")
    blocks = {str(k): _weight(v, f"{origin}: block {k}") for k, v in data["blocks"].items()}
    if sum(blocks.values()) != 100:
        listed = "，".join(f"{k} {_num(v)}" for k, v in blocks.items())
        raise RuleSetError(f"{origin}: first-level weights sum to {_num(sum(blocks.values()))}, "
                           f"not 100 ({listed})")
    if not isinstance(data["rules"], list) or not data["rules"]:
        raise RuleSetError(f"{origin}: rules must be a list of rules, one per line of the 自评表")
    rules = tuple(_rule(raw, i, origin, blocks) for i, raw in enumerate(data["rules"], 1))
    for block, weight in blocks.items():
        got = sum((r.weight for r in rules if r.level1 == block), Fraction(0))
        if got != weight:
            listed = "，".join(f"{r.level3} {_num(r.weight)}" for r in rules if r.level1 == block)
            raise RuleSetError(f"{origin}: rules of {block} weigh {_num(got)}, but the block "
                               f"weighs {_num(weight)} ({listed or 'no rules'})")
    return RuleSet(str(data["id"]), str(data["name"]), str(data.get("source", "")), blocks,
                   rules, origin)


def _weight(value: Any, where: str) -> Fraction:
    """A positive weight, written as a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RuleSetError(f"{where}: weight must be a number, not {value!r}")
    if value <= 0:
        raise RuleSetError(f"{where}: weight must be positive, not {value}")
    return _frac(value)


def _rule(raw: Any, number: int, origin: str, blocks: dict[str, Fraction]) -> Rule:
    where = f"{origin}: rule {number}"
    if not isinstance(raw, dict):
        raise RuleSetError(f"{where}: expected a mapping with {', '.join(RULE_KEYS)}")
    if "level3" in raw:
        where = f"{origin}: rule {number} ({raw['level3']})"
    unknown = [str(k) for k in raw if k not in RULE_KEYS]
    if unknown:
        raise RuleSetError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(RULE_KEYS)}")
    missing = [k for k in ("level1", "level2", "level3", "weight", "metric", "method")
               if k not in raw]
    if missing:
        raise RuleSetError(f"{where}: missing {', '.join(missing)}")
    for key in ("level1", "level2", "level3"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise RuleSetError(f"{where}: {key} must be a text, not {raw[key]!r}")
    if raw["level1"] not in blocks:
        raise RuleSetError(f"{where}: level1 {raw['level1']!r} is not one of the blocks "
                           f"{', '.join(blocks)}")
    weight = _weight(raw["weight"], where)
    metric, method = raw["metric"], raw["method"]
    if metric not in METRICS:
        raise RuleSetError(f"{where}: unknown metric {metric!r}; use one of {', '.join(METRICS)}")
    if method not in METHODS:
        raise RuleSetError(f"{where}: unknown method {method!r}; use one of {', '.join(METHODS)}")
    for one, other in ((method, metric), (metric, method)):
        if PAIRED.get(one, other) != other:
            raise RuleSetError(f"{where}: metric {metric} and method {method} do not go together; "
                               f"{one} goes with {PAIRED[one]}")
    params = raw.get("params") or {}
    if not isinstance(params, dict):
        raise RuleSetError(f"{where}: params must be a mapping, not {params!r}")
    wrong = problems(method, metric, params)
    if wrong:
        raise RuleSetError(f"{where}: {wrong[0]}")
    if method == "bands":
        try:
            table = [(b, p) for b, p in params["bands"]]
            check_bands(table)
        except (TypeError, ValueError) as exc:
            raise RuleSetError(f"{where}: bad bands: {exc}") from exc
        if any(_frac(p) > weight for _, p in table):
            raise RuleSetError(f"{where}: a band gives more points than the weight")
    if method == "deduction" and _frac(params.get("floor", 0)) > weight:
        raise RuleSetError(f"{where}: floor {params['floor']} is above the weight {_num(weight)}")
    when, reason = raw.get("when_missing", "judge"), raw.get("reason", "")
    if when not in WHEN_MISSING:
        raise RuleSetError(f"{where}: when_missing {when!r} is not one of {', '.join(WHEN_MISSING)}")
    if not isinstance(reason, str):
        raise RuleSetError(f"{where}: reason must be a text, not {reason!r}")
    if when == "full" and not reason.strip():
        raise RuleSetError(f"{where}: when_missing full needs a reason (printed with the line: "
                           "why missing input earns the full weight)")
    if when == "judge" and reason.strip():
        raise RuleSetError(f"{where}: a reason goes with when_missing zero, full or exclude; with "
                           "judge the evaluator gives the reason")
    return Rule(str(raw["level1"]), str(raw["level2"]), str(raw["level3"]), weight,
                str(metric), str(method), dict(params), str(when), reason.strip())
