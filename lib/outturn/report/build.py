"""Build a department-year's report: load what it needs (the edge), then assemble the
sections 一 to 九 from pure section builders.

:func:`load_inputs` reads only the department's own partitions of ``data/processed``
(this year, the year before, and the two before that for PEFA), so the memory a report
needs does not grow with the whole ledger. :func:`build_report` is pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from outturn.metrics.budget import DENOMINATORS, Denominator
from outturn.problems import OutturnError
from outturn.report.claims import check_report
from outturn.report.figures import total_row
from outturn.report.finance import book_sections
from outturn.report.findings import FindingRules, find_problems
from outturn.report.income import income_section
from outturn.report.model import Report, Table
from outturn.report.overall import OVERVIEW, overall_section
from outturn.report.performance import basic_section, performance_section
from outturn.report.remedies import measures_section, problems_section
from outturn.report.result import score_section
from outturn.scoring import ScoringError
from outturn.scoring.engine import ScoreTable, judgements_from_profile, score_department
from outturn.scoring.judged import judgements_hint
from outturn.scoring.rules import DEFAULT_RULE_SET, RuleSet, parse_rule_set, rule_set_source
from outturn.scoring.selection import scored_mask
from outturn.store.read import DEFAULT_PROCESSED, DeptYear, available_years, load, previous_year


@dataclass
class ReportInputs:
    """Everything a report is built from."""

    dy: DeptYear
    previous: DeptYear | None
    score: ScoreTable
    pefa: dict[str, Any] | None
    denominator: Denominator = "adjusted"


#: How far back a report reads: PEFA's three-year window (the previous year is inside it).
YEARS_READ = 3


def years_read(dept_code: str, year: int, processed_dir: Path | str = DEFAULT_PROCESSED) -> list[int]:
    """The years of a department a report of ``year`` reads, oldest first: the one home
    of the report's read set, used by :func:`load_inputs` and by the runner's skip hash."""
    return [y for y in available_years(dept_code, processed_dir) if year - YEARS_READ < y <= year]


@lru_cache(maxsize=8)
def _parsed_rule_set(text: str, origin: str) -> RuleSet:
    """A rule set parsed and checked once per process for the same text (a batch worker
    scores every report with the same one; an edited file is a new text, parsed anew)."""
    return parse_rule_set(text, origin)


def load_inputs(dept: str, year: int, processed_dir: Path | str = DEFAULT_PROCESSED,
                rules: str | RuleSet = DEFAULT_RULE_SET,
                denominator: Denominator = "adjusted") -> ReportInputs:
    """Read one department-year (and the years the report compares with) and score it."""
    from outturn.metrics.pefa_ledgers import department_pefa

    if denominator not in DENOMINATORS:
        raise OutturnError(f"unknown denominator {denominator!r}; choose one of {', '.join(DENOMINATORS)}")
    dy = load(dept, year, processed_dir)
    years = years_read(dy.dept_code, dy.year, processed_dir)
    previous = previous_year(dy, processed_dir)
    rule_set = rules if isinstance(rules, RuleSet) else _parsed_rule_set(*rule_set_source(rules))
    try:
        score = score_department(dy, rule_set, judgements=judgements_from_profile(dy.profile),
                                 previous=previous)
    except ScoringError as exc:
        raise OutturnError(
            f"{dy.dept_name} {dy.year}: {exc}. Evaluator judgements go in "
            f"{judgements_hint(dy.profile, dy.dept_code, dy.year)}") from exc
    # PEFA's window holds this year and the year before: they are not read twice
    pefa = department_pefa(dy.dept_code, years, processed_dir,
                           loaded=[d for d in (previous, dy) if d is not None]) \
        if len(years) == YEARS_READ else None
    return ReportInputs(dy, previous, score, pefa, denominator)


def build_report(inputs: ReportInputs, *, generated: date | None = None,
                 finding_rules: FindingRules | None = None) -> Report:
    """The report's sections 一 to 九, every figure computed from the inputs."""
    dy, denominator = inputs.dy, inputs.denominator
    rules = finding_rules or FindingRules()
    overall = overall_section(dy, denominator, rules.lag_behind_pp)
    overview = next(b for b in overall.blocks if isinstance(b, Table) and b.key == OVERVIEW)
    books = book_sections(dy, inputs.previous, denominator, overview)
    finances = income_section(dy, inputs.previous)
    performance = performance_section(dy, scored_mask(dy.indicators, inputs.score.rule_set.rules))
    tables = {b.key: b for s in [overall, *books, performance] for b in s.walk()
              if isinstance(b, Table)}
    findings = find_problems(dy, inputs.previous, rules, tables, denominator)
    sections = [
        basic_section(dy, overall, finances),
        *books,
        performance,
        problems_section(findings, dy),
        measures_section(findings, dy),
        score_section(inputs.score, inputs.pefa, dy.profile),
    ]
    for section in sections:  # （一） is printed only where a （二） follows
        if len(section.subsections) == 1:
            section.subsections[0].number = ""
    report = Report(
        dept_code=dy.dept_code, dept_name=dy.dept_name, year=dy.year,
        data_version=dy.data_version, generated=generated or date.today(), sections=sections,
        headline={"total_spending": overview.cell(total_row(overview), "实际支出"),
                  "execution_rate": overview.cell(total_row(overview), "执行率"),
                  "score": str(inputs.score.total), "grade": inputs.score.grade_label,
                  "problems": str(len(findings))},
        data_note=str(dy.profile.get("data_note", "")),
    )
    check_report(report)
    return report
