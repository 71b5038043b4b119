"""Build a department-year's report: load what it needs (the edge), then assemble the
sections 一 to 九 from pure section builders.

:func:`load_inputs` reads only the department's own partitions of ``data/processed``
(this year, the year before, and the two before that for PEFA), so the memory a report
needs does not grow with the whole ledger. :func:`build_report` is pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from outturn.api import previous_year
from outturn.metrics.budget import DENOMINATORS, Denominator
from outturn.problems import OutturnError
from outturn.report.figures import execution, wan
from outturn.report.finance import book_sections, overall_section
from outturn.report.findings import FindingRules, find_problems, measures_section, problems_section
from outturn.report.model import Report
from outturn.report.performance import basic_section, performance_section
from outturn.report.result import points, score_section
from outturn.scoring import ScoringError
from outturn.scoring.engine import ScoreTable, judgements_from_profile, score_department
from outturn.scoring.rules import RuleSet, load_rule_set
from outturn.store import DEFAULT_PROCESSED, DeptYear, available_years, load


@dataclass
class ReportInputs:
    """Everything a report is built from."""

    dy: DeptYear
    previous: DeptYear | None
    score: ScoreTable
    pefa: dict[str, Any] | None
    denominator: Denominator = "adjusted"


def load_inputs(dept: str, year: int, processed_dir: Path | str = DEFAULT_PROCESSED,
                rules: str | RuleSet = "mof-2020-project",
                denominator: Denominator = "adjusted") -> ReportInputs:
    """Read one department-year (and the years the report compares with) and score it."""
    from outturn.pefa_ledgers import department_pefa

    if denominator not in DENOMINATORS:
        raise OutturnError(f"unknown denominator {denominator!r}; choose one of {', '.join(DENOMINATORS)}")
    dy = load(dept, year, processed_dir)
    years = [y for y in available_years(dy.dept_code, processed_dir) if y <= dy.year]
    previous = previous_year(dy, processed_dir)
    rule_set = rules if isinstance(rules, RuleSet) else load_rule_set(rules)
    try:
        score = score_department(dy, rule_set, judgements=judgements_from_profile(dy.profile),
                                 previous=previous)
    except ScoringError as exc:
        raise OutturnError(
            f"{dy.dept_name} {dy.year}: {exc}. Evaluator judgements go in data/raw/profiles/"
            f"{dy.dept_code}/{dy.year}/judgements.toml (see docs/scoring.md); then run outturn ingest "
            "again") from exc
    last3 = years[-3:]
    pefa = department_pefa(dy.dept_code, last3, processed_dir) \
        if len(last3) == 3 and last3[-1] == dy.year and last3[0] == dy.year - 2 else None
    return ReportInputs(dy, previous, score, pefa, denominator)


def build_report(inputs: ReportInputs, *, generated: date | None = None,
                 finding_rules: FindingRules | None = None) -> Report:
    """The report's sections 一 to 九, every figure computed from the inputs."""
    dy, denominator = inputs.dy, inputs.denominator
    findings = find_problems(dy, inputs.previous, denominator, finding_rules or FindingRules())
    from outturn import metrics

    total = metrics.budget_vs_actual(dy.budget, dy.payments, by=[], denominator=denominator).iloc[0]
    sections = [
        basic_section(dy, overall_section(dy, denominator)),
        *book_sections(dy, inputs.previous, denominator),
        performance_section(dy),
        problems_section(findings, dy),
        measures_section(findings, dy),
        score_section(inputs.score, inputs.pefa, dy.profile),
    ]
    return Report(
        dept_code=dy.dept_code, dept_name=dy.dept_name, year=dy.year,
        data_version=dy.data_version, generated=generated or date.today(), sections=sections,
        headline={"total_spending": wan(total["actual"]), "execution_rate": execution(total),
                  "score": points(inputs.score.total), "grade": inputs.score.grade,
                  "problems": str(len(findings))},
        data_note=str(dy.profile.get("data_note", "")),
    )
