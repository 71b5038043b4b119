"""Every sub-command, given a bad argument of each kind, says so in one line: no traceback.

The cases cover what a user gets wrong: a value argparse rejects (a year that is not a
number, a choice not offered), a folder or file that does not exist, a department or
year with no data, a rule set that does not exist or does not parse, a date that is not
one, and a path that cannot be written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from outturn.cli import main

BAD_YAML = ("id: x\nname: y\nblocks: {a: 100}\nrules: [{level1: a, level2: b, level3: c, "
            "weight: 100, metric: manual, method: manual, bassis: 1}]\n")


def _cases(processed: str, tmp: Path) -> list[tuple[str, list[str], str]]:
    bad_rules = tmp / "bad.yaml"
    bad_rules.write_text(BAD_YAML, encoding="utf-8")
    p = ["--processed", processed]
    out = ["--out", str(tmp / "o")]
    return [
        ("ingest", ["--raw", str(tmp / "no-such-raw"), "--processed", str(tmp / "out")], "no-such-raw"),
        ("ingest", ["--unit", "斤"], "invalid choice"),
        ("ingest", ["--wait", "soon"], "invalid float value"),
        ("validate", [str(tmp / "no-such-file.csv")], "no-such-file.csv"),
        ("validate", [str(tmp), "--table", "ledger"], "invalid choice"),
        ("summary", ["--dept", "999", "--year", "2022", *p], "999"),
        ("summary", ["--dept", "115", "--year", "abc", *p], "invalid int value"),
        ("summary", ["--dept", "115", "--year", "1999", *p], "1999"),
        ("summary", ["--dept", "115", "--year", "2022", "--processed", str(tmp / "none")], "ingest"),
        ("summary", ["--dept", "115", "--year", "2022", "--denominator", "paid", *p], "invalid choice"),
        ("score", ["--dept", "115", "--year", "2022", "--rules", "no-such-rules", *p], "no-such-rules"),
        ("score", ["--dept", "115", "--year", "2022", "--rules", str(bad_rules), *p], "bassis"),
        ("score", ["--dept", "115", "--year", "2022", "--rules", str(tmp / "gone.yaml"), *p], "gone.yaml"),
        ("score", ["--dept", "../115", "--year", "2022", *p], "../115"),
        ("score", ["--dept", "115", "--year", "2022", *p, "--out", "/proc/no/自评表.xlsx"], "/proc/no"),
        ("report", ["--dept", "999", "--year", "2022", *p, *out], "999"),
        ("report", ["--dept", "115", "--year", "2022", *p, "--date", "yesterday", *out],
         "yesterday"),
        ("report", ["--dept", "115", "--year", "2022", *p, "--rules", "no-such-rules", *out],
         "no-such-rules"),
        ("batch", ["--year", "1999", *p, *out], "1999"),
        ("batch", ["--year", "2022", "--jobs", "0", *p], "at least 1"),
        ("batch", ["--year", "2022", "--rules", "no-such-rules", *p, *out], "no-such-rules"),
    ]


def test_every_bad_argument_is_one_line_and_no_traceback(sample_processed: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture) -> None:
    failures = []
    for command, args, named in _cases(str(sample_processed), tmp_path):
        try:
            code = main([command, *args])
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code
        except Exception as exc:  # a traceback is what the user would have seen
            failures.append(f"{command} {args}: raised {type(exc).__name__}: {exc}")
            continue
        err = capsys.readouterr().err.strip()
        lines = err.splitlines()
        if code == 0 or len(lines) != 1 or named not in err or "Traceback" in err:
            failures.append(f"{command} {args}: exit {code}, stderr {err!r}")
    assert failures == [], "\n".join(failures)


def test_an_unexpected_error_is_one_line_that_asks_for_a_report(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    from outturn import cli

    def broken(args: object) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "cmd_summary", broken)
    monkeypatch.delenv(cli.DEBUG_VAR, raising=False)
    assert main(["summary", "--dept", "115", "--year", "2022"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "bug in outturn" in err and cli.DEBUG_VAR in err
