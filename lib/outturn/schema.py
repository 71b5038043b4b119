"""The data model: every table outturn reads, its columns, their types and meaning.

This module is the single source for column names and kinds; readers, validation,
ingest, docs (docs/data-model.md) and the sample generator all follow it. Chinese
header spellings live in :mod:`outturn.aliases`.

Column kinds:

- ``code``: a classification or identifier code, kept as a string (leading zeros matter).
- ``text``: free text.
- ``category``: one of a fixed set of canonical values (see ``aliases.VALUE_ALIASES``).
- ``money``: an amount, held as integer 分 (fen); ``nullable`` money may be missing.
- ``year``: a fiscal year (int).
- ``date``: a calendar date.
- ``number``: a measured quantity (float), e.g. an indicator's target.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["code", "text", "category", "money", "year", "date", "number"]


@dataclass(frozen=True)
class Field:
    """One column of a table."""

    name: str
    kind: Kind
    zh: str
    doc: str
    required: bool = False
    nullable: bool = False
    default: int | str | None = None


@dataclass(frozen=True)
class Table:
    """A table of the data model."""

    name: str
    zh: str
    doc: str
    fields: tuple[Field, ...]
    #: Columns that name one department-year partition of the table (when it has them).
    partition: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no column {name!r}")

    def of_kind(self, *kinds: Kind) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.kind in kinds)


_WHO = (
    Field("year", "year", "年度", "Fiscal year.", required=True),
    Field("dept_code", "code", "部门编码", "Budget department code.", required=True),
    Field("unit_code", "code", "单位编码",
          "Budget unit code (局本级 or a second-level unit).", required=True),
)
_CLASS = (
    Field("fund_type", "category", "预算类型",
          "Source of funds: one of the four books (一般公共预算, 政府性基金预算, 国有资本经营预算, "
          "社会保险基金预算: 财政拨款) or another source (事业收入, 经营收入, 上级补助收入, "
          "附属单位上缴收入, 其他收入: 其他资金).",
          required=True),
    Field("expense_kind", "category", "支出类型", "基本支出 (basic) or 项目支出 (project).",
          required=True),
    Field("project_code", "code", "项目编码",
          "Project code; required for 项目支出, empty for 基本支出.", default=""),
    Field("func_code", "code", "功能分类科目编码",
          "Functional classification, 7 digits (类3/款5/项7).", required=True),
)

DEPARTMENTS = Table(
    "departments", "部门及单位", "One row per budget unit, naming its department.",
    (
        Field("dept_code", "code", "部门编码", "Budget department code.", required=True),
        Field("dept_name", "text", "部门名称", "Department name.", required=True),
        Field("unit_code", "code", "单位编码", "Budget unit code.", required=True),
        Field("unit_name", "text", "单位名称", "Unit name, e.g. 局本级, 路灯管理所.", required=True),
        Field("unit_kind", "text", "单位级次", "本级 (the department itself) or 二级 (second level).",
              default="本级"),
    ),
)

BUDGET = Table(
    "budget", "预算指标", "One budget line per unit × fund × kind × project × function × economic "
    "code, with each budget phase as its own amount.",
    (
        *_WHO, *_CLASS,
        Field("project_name", "text", "项目名称", "Project name (项目支出).", default=""),
        Field("econ_code", "code", "经济分类科目编码",
              "Economic classification, 5 digits; may be empty on project lines, which then "
              "match payments of any economic code.", default=""),
        Field("carryover", "money", "上年结转", "Carried over from last year.", default=0),
        Field("original_budget", "money", "年初预算", "Original approved budget.", required=True),
        Field("supplementary", "money", "追加", "Supplementary appropriations in the year.",
              default=0),
        Field("reduction", "money", "调减", "Reductions in the year (a positive amount).",
              default=0),
        Field("adjusted_budget", "money", "调整后预算",
              "Adjusted budget = 年初 + 追加 − 调减; derived when absent, checked when given."),
        Field("funds_received", "money", "实际到位", "Funds actually received (optional).",
              nullable=True),
    ),
    partition=("year", "dept_code"),
)

PAYMENTS = Table(
    "payments", "支出明细", "Voucher-level expenditure; refunds and reversals are negative.",
    (
        Field("voucher_id", "code", "凭证号", "Voucher id, unique within a department-year.",
              required=True),
        Field("date", "date", "支付日期", "Payment date.", required=True),
        Field("year", "year", "年度", "Fiscal year; taken from the date when absent."),
        Field("dept_code", "code", "部门编码", "Budget department code.", required=True),
        Field("unit_code", "code", "单位编码", "Budget unit code.", required=True),
        *_CLASS[:4],
        Field("econ_code", "code", "经济分类科目编码", "Economic classification, 5 digits.",
              required=True),
        Field("amount", "money", "金额", "Amount paid (negative for refunds).", required=True),
        Field("memo", "text", "摘要", "Memo.", default=""),
    ),
    partition=("year", "dept_code"),
)

INDICATORS = Table(
    "indicators", "绩效指标", "Performance indicators with targets and results.",
    (
        *_WHO[:2],
        Field("scope", "code", "指标范围",
              "部门 for department-wide indicators, else the project code.", required=True),
        Field("level1", "text", "一级指标", "Level-1 name, e.g. 产出指标.", required=True),
        Field("level2", "text", "二级指标", "Level-2 name, e.g. 数量指标.", required=True),
        Field("level3", "text", "三级指标", "Indicator name.", required=True),
        Field("target", "text", "年度指标值", "Target as written (number or text).", default=""),
        Field("actual", "text", "实际完成值", "Result as written (number or text).", default=""),
        Field("measure_unit", "text", "计量单位", "Unit of measure (%, 件, 米 …).", default=""),
        Field("direction", "category", "指标方向", ">=, <=, = or qualitative (定性).",
              required=True),
        Field("weight", "number", "分值", "Weight (points) in the scoring table.", nullable=True),
        Field("target_value", "number", "目标数值",
              "Target parsed as a number (derived; empty for qualitative).", nullable=True),
        Field("actual_value", "number", "实际数值",
              "Result parsed as a number (derived; empty for qualitative).", nullable=True),
        Field("deviation_reason", "text", "偏差原因",
              "Why a target was missed, as the 自评表 column 偏差原因分析及改进措施 says.",
              default=""),
    ),
    partition=("year", "dept_code"),
)

_SOURCE = Field(
    "fund_type", "category", "资金来源",
    "Source of the money: one of the four books (its 财政拨款收入) or another source "
    "(事业收入, 经营收入, 上级补助收入, 附属单位上缴收入, 其他收入); the same values as a "
    "budget line's 预算类型.", required=True)

INCOME = Table(
    "income", "收入", "Income of the year per unit and source of funds (收入决算), one row per "
    "unit × source (× 功能分类 where the ledger gives it).",
    (
        *_WHO, _SOURCE,
        Field("func_code", "code", "功能分类科目编码",
              "Functional classification (optional on income lines).", default=""),
        Field("amount", "money", "本年收入", "Income received in the year (negative for refunds).",
              required=True),
        Field("memo", "text", "摘要", "Memo.", default=""),
    ),
    partition=("year", "dept_code"),
)

BALANCES = Table(
    "balances", "结转结余", "Carry-over balances per unit and source of funds: at the start "
    "of the year (年初结转结余) and at its end (年末结转结余); one row per unit × source.",
    (
        *_WHO, _SOURCE,
        Field("opening_balance", "money", "年初结转结余", "Balance carried into the year.",
              required=True),
        Field("closing_balance", "money", "年末结转结余", "Balance carried out of the year.",
              required=True),
    ),
    partition=("year", "dept_code"),
)

PROCUREMENT = Table(
    "procurement", "政府采购", "Government procurement (政府采购) per unit: one row per purchase, "
    "with its 政府采购预算 and what was actually procured (实际采购金额, the contract or paid "
    "amount), so that 政府采购执行率 = 实际采购金额 / 政府采购预算.",
    (
        *_WHO,
        Field("project_code", "code", "项目编码",
              "Project the purchase is made under; empty for purchases of 基本支出.", default=""),
        Field("procurement_item", "text", "采购项目", "What is bought (采购项目名称).", required=True),
        Field("procurement_category", "category", "采购类别", "货物, 工程 or 服务 (采购品目类别).",
              required=True),
        Field("procurement_method", "text", "采购方式",
              "公开招标, 邀请招标, 竞争性谈判, 竞争性磋商, 询价, 单一来源, 框架协议采购 …", default=""),
        Field("procurement_budget", "money", "政府采购预算", "Procurement budget of the purchase.",
              required=True),
        Field("procurement_actual", "money", "实际采购金额",
              "Amount actually procured in the year (0 when not yet bought).", required=True),
        Field("memo", "text", "摘要", "Memo.", default=""),
    ),
    partition=("year", "dept_code"),
)

TABLES: dict[str, Table] = {t.name: t for t in (DEPARTMENTS, BUDGET, PAYMENTS, INDICATORS, INCOME,
                                                BALANCES, PROCUREMENT)}

#: Tables stored per department-year (the others describe the organisation).
LEDGER_TABLES: tuple[str, ...] = ("budget", "payments", "indicators", "income", "balances",
                                  "procurement")

#: Ledgers a department-year may leave out: the report states what they would show as missing.
OPTIONAL_LEDGERS: tuple[str, ...] = ("income", "balances", "procurement")

#: Tables whose rows carry money (summed per department-year, reconciled to the 分).
MONEY_TABLES: tuple[str, ...] = ("budget", "payments", "income", "balances", "procurement")

#: Columns whose values repeat from row to row (codes, categories, dates): readers may
#: deliver them dictionary-encoded (pandas ``Categorical``) so each value is parsed once.
REPEATED_COLUMNS: frozenset[str] = frozenset({
    "year", "dept_code", "dept_name", "unit_code", "unit_name", "unit_kind", "fund_type",
    "expense_kind", "project_code", "project_name", "func_code", "func_name", "econ_code",
    "econ_name", "date", "scope", "level1", "level2", "measure_unit", "direction",
    "procurement_category", "procurement_method",
})

#: Columns whose values identify the budget line a payment is charged against.
MATCH_KEY: tuple[str, ...] = (
    "year", "dept_code", "unit_code", "fund_type", "expense_kind", "project_code", "func_code",
)
