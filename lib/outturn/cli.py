"""The ``outturn`` command line: a thin front door over library functions.

Sub-commands:

- ``outturn ingest [--raw data/raw] [--processed data/processed] [--scheduler ADDRESS]``
- ``outturn validate PATH``  (a raw folder or one file; writes nothing)
- ``outturn summary --dept 零陵区城市管理和综合执法局 --year 2022 [--json]``
- ``outturn score --dept … --year … [--rules hunan-dept-overall|mof-2020-project|FILE]``
- ``outturn report --dept … --year …``  (one department's report: HTML, Word, PDF, CSV)
- ``outturn batch --year … [--dept …] [--jobs N | --scheduler ADDRESS] [--force]``  (many, and an index)

Exit codes: 0 success; 1 the input could not be used (nothing written); 2 rows were
rejected or a reconciliation did not balance (ingest wrote the good rows; the problems
are listed and kept in the snapshot's ``problems.csv`` and ``rejected/``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from outturn.metrics.budget import DENOMINATORS
from outturn.problems import InputError, OutturnError, Problem
from outturn.report.paths import DEFAULT_OUTPUTS, report_folder, year_folder
from outturn.schema import TABLES
from outturn.scoring.indicators import format_number
from outturn.scoring.rules import DEFAULT_RULE_SET, RULES_HELP
from outturn.store.layout import DEFAULT_PROCESSED
from outturn.store.snapshot import DEFAULT_WAIT

EXIT_OK, EXIT_FATAL, EXIT_REJECTED = 0, 1, 2
#: argparse's own code for a usage error (a bad option or value)
EXIT_USAGE = 2
#: The default processed folder and its help line, shared by every command that reads it.
PROCESSED_HELP = (DEFAULT_PROCESSED,
                  "folder of processed snapshots that ingest writes (default data/processed)")
#: The --denominator help line, from the denominators the metrics define.
DENOMINATOR_HELP = ("execution-rate denominator: " + ", ".join(
    f"{name} {label}" for name, (_, label) in DENOMINATORS.items()) + " (default: adjusted)")
MAX_SHOWN = 50
#: Set to any value to see the traceback of an unexpected error instead of its one line.
DEBUG_VAR = "OUTTURN_DEBUG"


def _print_problems(problems: list[Problem]) -> None:
    stream = sys.stdout
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    for label, group in (("Errors", errors), ("Warnings", warnings)):
        if not group:
            continue
        print(f"{label} ({len(group)}):", file=stream)
        for p in group[:MAX_SHOWN]:
            print(f"  {p}", file=stream)
        if len(group) > MAX_SHOWN:
            print(f"  … and {len(group) - MAX_SHOWN} more (see problems.csv)", file=stream)


def cmd_ingest(args: argparse.Namespace) -> int:
    from outturn.ingest.reconcile import format_reconciliation
    from outturn.ingest.run import ingest

    result = ingest(args.raw, args.processed, unit=args.unit, wait=args.wait,
                    notify=lambda line: print(line, file=sys.stderr, flush=True),
                    scheduler=args.scheduler)
    collected = result.collected
    _print_problems(collected.problems)
    print("\nReconciliation (rows and amounts in vs out; every file, to the 分):")
    print(format_reconciliation(result.reconciliation, full=args.full))
    rejected = result.rows_rejected  # payments read in batches are counted, not held
    print(f"\nData version {result.data_version} written to {args.processed}/current "
          f"({result.snapshot.name}); {rejected} row(s) rejected.")
    if rejected:
        print(f"Rejected rows and their reasons: {args.processed}/current/rejected/")
    return EXIT_OK if result.balanced and collected.error_count == 0 else EXIT_REJECTED


def cmd_validate(args: argparse.Namespace) -> int:
    from outturn.ingest.collect import collect, read_file, table_of

    path = Path(args.path)
    if path.is_dir():
        collected = collect(path, unit=args.unit)
        problems = collected.problems
        rows = {name: len(frame) for name, frame in collected.tables.items()}
        print("Rows accepted: " + ", ".join(f"{k} {v}" for k, v in rows.items()))
    else:
        table = args.table or table_of(path)
        problems = []
        for norm in read_file(path, table, unit=args.unit, sheet=args.sheet,
                              encoding=args.encoding):
            problems += norm.problems
            where = f"{path}, sheet {norm.sheet}" if norm.sheet else f"{path}"
            print(f"{where}: {norm.rows_in} row(s) read as {table}, {len(norm.frame)} "
                  f"accepted, {len(norm.rejected)} rejected")
    _print_problems(problems)
    errors = sum(1 for p in problems if p.severity == "error")
    print("No errors." if not errors else f"{errors} error(s).")
    return EXIT_OK if not errors else EXIT_REJECTED


def cmd_summary(args: argparse.Namespace) -> int:
    from outturn.metrics.summary import format_summary, summarise
    from outturn.store.read import load, previous_year

    dy = load(args.dept, args.year, args.processed)
    previous = previous_year(dy, args.processed)
    result = summarise(dy, denominator=args.denominator,
                       previous_payments=None if previous is None else previous.payments,
                       previous_income=None if previous is None else previous.income,
                       previous_budget=None if previous is None else previous.budget)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(format_summary(result))
    return EXIT_OK


def cmd_score(args: argparse.Namespace) -> int:
    from outturn.report.build import load_inputs
    from outturn.scoring.judged import judgements_hint
    from outturn.scoring.workbook import write_workbook

    inputs = load_inputs(args.dept, args.year, args.processed, args.rules)
    table, pefa_result, dy = inputs.score, inputs.pefa, inputs.dy
    print(f"{table.dept_name}（{table.dept_code}）{table.year}年度自评表 — {table.rule_set.name}")
    for line in table.lines:
        print(f"  {line.level1} / {line.level2} / {line.level3}  分值 {format_number(line.exact_weight)}  "
              f"得分 {line.shown}  {line.explanation}")
    print(f"合计 {table.total} 分，等级 {table.grade_label}")
    if table.pending:
        print(f"{len(table.pending)} line(s) await the evaluator and count 0 until judged: "
              f"{'、'.join(x.level3 for x in table.pending)}. Give their points and reason in "
              f"{judgements_hint(dy.profile, dy.dept_code, dy.year)}")
    if pefa_result is not None:
        pi1, pi2 = pefa_result["pi1"], pefa_result["pi2"]
        years = [int(y) for y in pi1.years_used]
        dims = "，".join(f"{k} {v}" for k, v in pi2.dimensions.items())
        print(f"PEFA {years[0]}–{years[-1]}：PI-1 {pi1.score}；PI-2 {pi2.score}（{dims}）")
    out = args.out or report_folder(DEFAULT_OUTPUTS, table.year, table.dept_code) / "自评表.xlsx"
    print(f"Workbook: {write_workbook(table, out, pefa_result)}")
    return EXIT_OK


def _report_kwargs(args: argparse.Namespace) -> dict[str, object]:
    """The runner's options, checked first so a bad one is one line, not a failed report."""
    from datetime import date

    from outturn.scoring.rules import load_rule_set
    from outturn.store.read import available_years, resolve_dept

    load_rule_set(args.rules)
    if args.date:
        try:
            date.fromisoformat(args.date)
        except ValueError:
            raise OutturnError(f"--date {args.date!r} is not a date; give it as YYYY-MM-DD, "
                               "e.g. 2023-03-31") from None
    if getattr(args, "func", None) is cmd_report:
        code, name = resolve_dept(args.dept, args.processed)
        if args.year not in available_years(code, args.processed):
            raise OutturnError(f"{name} ({code}) has no data for {args.year}; years on file: "
                               f"{', '.join(map(str, available_years(code, args.processed))) or 'none'}")
    return {"processed_dir": args.processed, "output_root": args.out, "rules": args.rules,
            "denominator": args.denominator, "force": args.force, "pdf": args.pdf,
            "generated": args.date}


def cmd_report(args: argparse.Namespace) -> int:
    from outturn.report.batch import format_results
    from outturn.report.index import write_index
    from outturn.report.runner import clean_stale, run_report

    clean_stale(year_folder(args.out, args.year))
    result = run_report(args.dept, args.year, **_report_kwargs(args))  # type: ignore[arg-type]
    print(format_results([result]))
    if result.status == "failed":
        return EXIT_FATAL
    write_index(args.out, args.year)
    print(f"Open: {Path(result.folder) / 'report.html'}")
    return EXIT_OK


def cmd_batch(args: argparse.Namespace) -> int:
    from outturn.report.batch import format_results, run_batch
    from outturn.report.index import INDEX_NAME

    results = run_batch(args.year, args.dept, jobs=args.jobs, scheduler=args.scheduler,
                        **_report_kwargs(args))  # type: ignore[arg-type]
    print(format_results(results))
    print(f"Open: {year_folder(args.out, args.year) / INDEX_NAME}")
    return EXIT_FATAL if any(r.status == "failed" for r in results) else EXIT_OK


def _positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (``--jobs 0`` would start no worker)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse with a usage error said in one line that names the help to read."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    from outturn.version import __version__
    parser = _Parser(
        prog="outturn", description="Budget and expenditure ledgers in; the figures, the score "
        "and the 整体支出绩效自评报告 out.", epilog="Exit codes: 0 success; 1 the input could not "
        "be used; 2 rows were rejected or a reconciliation did not balance.")
    parser.add_argument("--version", action="version", version=f"outturn {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="read data/raw, write a validated snapshot to data/processed")
    p.add_argument("--raw", type=Path, default=Path("data/raw"),
                   help="folder of raw ledgers to read (default data/raw)")
    p.add_argument("--processed", type=Path, default=PROCESSED_HELP[0], help=PROCESSED_HELP[1])
    p.add_argument("--unit", choices=["元", "万元"],
                   help="amount unit for files whose headers do not state it")
    p.add_argument("--full", action="store_true",
                   help="print the reconciliation of every file and column (it is always "
                        "written in full to reconciliation.csv)")
    p.add_argument("--wait", type=float, default=DEFAULT_WAIT, metavar="SECONDS",
                   help="if another ingest is writing the same processed folder, wait this "
                        f"long for it to finish, then stop (default {DEFAULT_WAIT:g}; 0: stop at once)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="read and write large payments ledgers on a Dask cluster: a scheduler's "
                        "address (tcp://HOST:8786) or local:N to start N workers here "
                        "(docs/scale.md); the raw and processed folders must be shared")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("validate", help="report problems in a raw folder or file; writes nothing")
    p.add_argument("path", type=Path, help="a raw folder (like data/raw) or one CSV/XLSX file")
    p.add_argument("--table", choices=list(TABLES),
                   help="which table a single file holds (default: from its folder)")
    p.add_argument("--unit", choices=["元", "万元"],
                   help="amount unit for files whose headers do not state it")
    p.add_argument("--sheet", help="read only this worksheet of an XLSX file, hidden or not "
                   "(default: every visible sheet with a header)")
    p.add_argument("--encoding", help="text encoding of a CSV file (default: detected)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("summary", help="headline figures of a department-year, in 万元")
    p.add_argument("--dept", required=True, help="department code or name")
    p.add_argument("--year", required=True, type=int, help="budget year, e.g. 2022")
    p.add_argument("--processed", type=Path, default=PROCESSED_HELP[0], help=PROCESSED_HELP[1])
    p.add_argument("--denominator", choices=DENOMINATORS, default="adjusted", help=DENOMINATOR_HELP)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("score", help="the 自评表 of a department-year: printed and as a workbook")
    p.add_argument("--dept", required=True, help="department code or name")
    p.add_argument("--year", required=True, type=int, help="budget year, e.g. 2022")
    p.add_argument("--rules", default=DEFAULT_RULE_SET, help=RULES_HELP)
    p.add_argument("--processed", type=Path, default=PROCESSED_HELP[0], help=PROCESSED_HELP[1])
    p.add_argument("--out", type=Path, help="workbook path (default "
                                            "outputs/<year>/<dept_code>/自评表.xlsx)")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("report", help="one department-year's self-evaluation report "
                                      "(outputs/<year>/<dept_code>/report.html, .docx, .pdf, data/)")
    p.add_argument("--dept", required=True, help="department code or name")
    _report_options(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("batch", help="every department's report for a year, in parallel, "
                                     "and outputs/<year>/index.html")
    p.add_argument("--dept", action="append", help="department code or name (repeat; default: all)")
    p.add_argument("--jobs", type=_positive_int,
                   help="worker processes, at least 1 (default: the number of CPUs)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run the reports on a Dask cluster: a scheduler's address "
                        "(tcp://HOST:8786) or local:N to start N workers here (docs/scale.md); "
                        "the store and the outputs folder must be shared; --jobs is then unused")
    _report_options(p)
    p.set_defaults(func=cmd_batch)
    return parser


def _report_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", required=True, type=int, help="budget year, e.g. 2022")
    p.add_argument("--processed", type=Path, default=PROCESSED_HELP[0], help=PROCESSED_HELP[1])
    p.add_argument("--out", type=Path, default=DEFAULT_OUTPUTS,
                   help=f"output root (default {DEFAULT_OUTPUTS})")
    p.add_argument("--rules", default=DEFAULT_RULE_SET, help=RULES_HELP)
    p.add_argument("--denominator", choices=DENOMINATORS, default="adjusted", help=DENOMINATOR_HELP)
    p.add_argument("--date", default="", help="report date printed in the header (ISO; default today)")
    p.add_argument("--force", action="store_true", help="rebuild reports whose inputs are unchanged")
    pdf = p.add_mutually_exclusive_group()
    pdf.add_argument("--pdf", dest="pdf", action="store_true", default=None,
                     help="require a PDF (default: made when Chromium is installed)")
    pdf.add_argument("--no-pdf", dest="pdf", action="store_false", help="make no PDF")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``outturn`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except InputError as exc:  # one line per problem, each naming file, row and column
        print(str(exc), file=sys.stderr)
        return EXIT_FATAL
    except OutturnError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FATAL
    except OSError as exc:  # a path that cannot be read or written
        where = f" {exc.filename}" if exc.filename else ""
        print(f"error: cannot use{where}: {exc.strerror or exc}; check the path and its "
              "permissions", file=sys.stderr)
        return EXIT_FATAL
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get(DEBUG_VAR):
            raise
        print(f"error: unexpected {type(exc).__name__}: {exc}. This is a bug in outturn; please "
              f"report it with the command you ran ({DEBUG_VAR}=1 shows the traceback)",
              file=sys.stderr)
        return EXIT_FATAL


if __name__ == "__main__":
    sys.exit(main())
