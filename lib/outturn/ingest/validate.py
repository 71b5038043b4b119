"""Row rules of each table, declared as pandera schemas.

Parsing (``outturn.ingest.parsing``) turns text into typed values; the schemas here state what
a typed row must satisfy (a project line names its project, reductions are positive, a
given adjusted budget adds up, voucher ids are unique …). pandera runs them lazily so
every failure of a file is reported at once; :func:`check_rules` turns its failure
cases into :class:`~outturn.problems.Problem` rows that name the source row.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from outturn.aliases import DIRECTIONS, EXPENSE_KINDS, FUND_TYPES
from outturn.identifiers import CODE_ADVICE, CODE_RULE, unsafe_codes
from outturn.vocabulary import PROCUREMENT_CATEGORIES, PROJECT

#: Advice printed with each rule, keyed by the rule's name.
ADVICE: dict[str, str] = {
    "fund_type": "use one of " + "、".join(FUND_TYPES) + " (财政拨款收入 names its book: "
                 "一般公共预算财政拨款收入, 政府性基金预算财政拨款收入 …)",
    "expense_kind": "use 基本支出 or 项目支出",
    "direction": "use ≥, ≤, = or 定性",
    "project_required": "give the project code of every 项目支出 line",
    "non_negative": "enter the amount as a positive number",
    "adjusted_adds_up": "调整后预算 must equal 年初预算 + 追加 − 调减: correct one of them, "
                        "or leave 调整后预算 empty to have it derived",
    "required": "fill in the cell; it may not be empty",
    "not_nullable": "fill in the cell; it may not be empty",
    "weight_range": "weights are points between 0 and 100",
    "safe_code": CODE_ADVICE,
}


@dataclass(frozen=True)
class RuleFailure:
    """One failed rule on one row (``index`` is the frame's index label)."""

    index: int
    column: str
    value: str
    rule: str
    advice: str


def _required(*columns: str) -> list[pa.Check]:
    return [
        pa.Check(lambda df, c=c: df[c].ne(""), name=f"required:{c}")
        for c in columns
    ]


def _safe_codes(*columns: str) -> list[pa.Check]:
    """Department and unit codes match ``outturn.identifiers.CODE_PATTERN``: they become
    folder names and links, so ``../x``, ``115/x`` or a NUL byte must not get through."""
    return [
        pa.Check(lambda df, c=c: pd.Series(~unsafe_codes(df[c]), index=df.index),
                 name=f"safe_code:{c}")
        for c in columns
    ]


def _budget_schema() -> pa.DataFrameSchema:
    money = ("carryover", "original_budget", "supplementary", "reduction", "adjusted_budget")
    return pa.DataFrameSchema(
        {
            "fund_type": pa.Column(checks=pa.Check.isin(FUND_TYPES, name="fund_type")),
            "expense_kind": pa.Column(checks=pa.Check.isin(EXPENSE_KINDS, name="expense_kind")),
            **{m: pa.Column("int64") for m in money},
            "year": pa.Column("Int64", nullable=False),
        },
        checks=[
            *_required("dept_code", "unit_code", "func_code"),
            *_safe_codes("dept_code", "unit_code"),
            pa.Check(lambda df: (df["expense_kind"] != PROJECT) | (df["project_code"] != ""),
                     name="project_required:project_code"),
            pa.Check(lambda df: df["supplementary"] >= 0, name="non_negative:supplementary"),
            pa.Check(lambda df: df["reduction"] >= 0, name="non_negative:reduction"),
            pa.Check(lambda df: df["adjusted_budget"] == df["original_budget"]
                     + df["supplementary"] - df["reduction"],
                     name="adjusted_adds_up:adjusted_budget"),
        ],
        strict=False,
    )


def _payments_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "fund_type": pa.Column(checks=pa.Check.isin(FUND_TYPES, name="fund_type")),
            "expense_kind": pa.Column(checks=pa.Check.isin(EXPENSE_KINDS, name="expense_kind")),
            "amount": pa.Column("int64"),
        },
        checks=[
            *_required("voucher_id", "dept_code", "unit_code", "func_code", "econ_code"),
            *_safe_codes("dept_code", "unit_code"),
            pa.Check(lambda df: (df["expense_kind"] != PROJECT) | (df["project_code"] != ""),
                     name="project_required:project_code"),
        ],
        strict=False,
    )


def _indicators_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "direction": pa.Column(checks=pa.Check.isin(DIRECTIONS, name="direction")),
            "weight": pa.Column(float, pa.Check.in_range(0, 100, name="weight_range"),
                                nullable=True),
            "year": pa.Column("Int64", nullable=False),
        },
        checks=[*_required("dept_code", "scope", "level1", "level2", "level3"),
                *_safe_codes("dept_code")],
        strict=False,
    )


def _income_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "fund_type": pa.Column(checks=pa.Check.isin(FUND_TYPES, name="fund_type")),
            "amount": pa.Column("int64"),
            "year": pa.Column("Int64", nullable=False),
        },
        checks=[*_required("dept_code", "unit_code"), *_safe_codes("dept_code", "unit_code")],
        strict=False,
    )


def _balances_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "fund_type": pa.Column(checks=pa.Check.isin(FUND_TYPES, name="fund_type")),
            **{m: pa.Column("int64") for m in ("opening_balance", "closing_balance")},
            "year": pa.Column("Int64", nullable=False),
        },
        checks=[
            *_required("dept_code", "unit_code"),
            *_safe_codes("dept_code", "unit_code"),
            pa.Check(lambda df: df["opening_balance"] >= 0, name="non_negative:opening_balance"),
            pa.Check(lambda df: df["closing_balance"] >= 0, name="non_negative:closing_balance"),
        ],
        strict=False,
    )


def _procurement_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "procurement_category": pa.Column(checks=pa.Check.isin(PROCUREMENT_CATEGORIES,
                                                                   name="procurement_category")),
            **{m: pa.Column("int64") for m in ("procurement_budget", "procurement_actual")},
            "year": pa.Column("Int64", nullable=False),
        },
        checks=[
            *_required("dept_code", "unit_code", "procurement_item"),
            *_safe_codes("dept_code", "unit_code", "project_code"),
            pa.Check(lambda df: df["procurement_budget"] >= 0,
                     name="non_negative:procurement_budget"),
            pa.Check(lambda df: df["procurement_actual"] >= 0,
                     name="non_negative:procurement_actual"),
        ],
        strict=False,
    )


def _departments_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        checks=[*_required("dept_code", "dept_name", "unit_code", "unit_name"),
                *_safe_codes("dept_code", "unit_code")],
        unique=["unit_code"], report_duplicates="exclude_first", strict=False,
    )


SCHEMAS = {
    "budget": _budget_schema,
    "payments": _payments_schema,
    "indicators": _indicators_schema,
    "income": _income_schema,
    "balances": _balances_schema,
    "procurement": _procurement_schema,
    "departments": _departments_schema,
}


def _rule_column(check: str, fallback: str) -> tuple[str, str]:
    """Split a check name ``rule:column`` into its parts."""
    rule, _, column = str(check).partition(":")
    return rule, column or fallback


def check_rules(table: str | pa.DataFrameSchema, frame: pd.DataFrame) -> list[RuleFailure]:
    """Run a table's schema lazily; return every failure with the row index it hit."""
    schema = SCHEMAS[table]() if isinstance(table, str) else table
    try:
        schema.validate(frame, lazy=True, inplace=True)  # inplace: no copy of a big frame
    except pa.errors.SchemaErrors as exc:
        return _failures(exc.failure_cases, frame)
    return []


def _failures(cases: pd.DataFrame, frame: pd.DataFrame) -> list[RuleFailure]:
    out: list[RuleFailure] = []
    seen: set[tuple[int, str, str]] = set()
    for case in cases.itertuples(index=False):
        if pd.isna(case.index):
            continue
        index = int(case.index)
        check = str(case.check)
        if check == "multiple_fields_uniqueness":
            rule, column = "unique", str(case.column)
            message = f"duplicate {column}"
        else:
            rule, column = _rule_column(check.split("(")[0], str(case.column or ""))
            message = check
        # dataframe-level checks report every column of the row: keep the one the rule names
        if column not in frame.columns:
            column = str(case.column)
        # one failure per row, rule and column (a row-wide check lists every column)
        if (index, rule, column) in seen:
            continue
        seen.add((index, rule, column))
        value = frame.at[index, column] if column in frame.columns else case.failure_case
        out.append(RuleFailure(index, column, "" if pd.isna(value) else str(value),
                               _describe(rule, column, message), ADVICE.get(rule, "")))
    return out


def _describe(rule: str, column: str, message: str) -> str:
    texts = {
        "fund_type": "not one of the four budget books nor another source of funds",
        "expense_kind": "expense kind must be 基本支出 or 项目支出",
        "direction": "unknown indicator direction",
        "procurement_category": "采购类别 must be " + "、".join(PROCUREMENT_CATEGORIES),
        "required": "required cell is empty",
        "project_required": "项目支出 row without a project code",
        "non_negative": f"{column} is negative",
        "adjusted_adds_up": "调整后预算 differs from 年初预算 + 追加 − 调减",
        "weight_range": "weight outside 0–100",
        "unique": f"duplicate {column}",
        "not_nullable": "required cell is empty",
        "safe_code": CODE_RULE,
    }
    return texts.get(rule, message)
