"""The one alias table: Chinese (and English) column headers → code names.

Budget systems, finance bureaus and hand-made spreadsheets name the same column many
ways (年初预算数 / 年初预算 / 年初批复数 / original_budget). Every reader goes through
:func:`resolve_header`, so adding a spelling here teaches the whole suite.

Headers may carry their amount unit, e.g. ``金额（万元）`` or ``年初预算(元)``; the unit is
returned separately so amounts are never scaled by guesswork.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from outturn.vocabulary import (
    AFFILIATE_REMITTANCES,
    BASIC,
    BUSINESS_INCOME,
    FUND_SOURCES,
    GENERAL_BUDGET,
    GOVERNMENT_FUND,
    HIGHER_GRANTS,
    INSTITUTION_INCOME,
    OTHER_INCOME,
    PROCUREMENT_CATEGORIES,
    PROJECT,
    SOCIAL_INSURANCE,
    STATE_CAPITAL,
)
from outturn.vocabulary import EXPENSE_KINDS as VOCABULARY_EXPENSE_KINDS

GOODS, WORKS, SERVICES = PROCUREMENT_CATEGORIES

#: canonical column name → accepted headers (compared after :func:`normalise_header`).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    # who
    "year": ("年度", "预算年度", "年份", "会计年度", "year", "fiscal_year"),
    "dept_code": ("部门编码", "部门代码", "主管部门编码", "dept_code", "department_code"),
    "dept_name": ("部门名称", "主管部门", "部门", "dept_name", "department"),
    "unit_code": ("单位编码", "单位代码", "预算单位编码", "unit_code"),
    "unit_name": ("单位名称", "预算单位", "单位", "unit_name", "unit"),
    "unit_kind": ("单位级次", "单位类型", "unit_kind"),
    # what kind of money
    "fund_type": ("预算类型", "资金性质", "资金来源", "预算类别", "收入来源", "收入类型", "收入项目",
                  "fund_type", "fund"),
    "expense_kind": ("支出类型", "支出类别", "支出性质", "expense_kind", "kind"),
    "project_code": ("项目编码", "项目代码", "project_code"),
    "project_name": ("项目名称", "项目", "project_name", "project"),
    "func_code": (
        "功能分类科目编码", "功能科目编码", "功能分类编码", "功能科目", "功能分类",
        "支出功能分类科目编码", "func_code", "functional_code",
    ),
    "func_name": ("功能分类科目名称", "功能科目名称", "func_name"),
    "econ_code": (
        "经济分类科目编码", "经济科目编码", "经济分类编码", "经济科目", "经济分类",
        "部门经济分类科目编码", "econ_code", "economic_code",
    ),
    "econ_name": ("经济分类科目名称", "经济科目名称", "econ_name"),
    # budget phases
    "carryover": ("上年结转", "上年结转数", "上年结转结余", "carryover", "carry_over"),
    "original_budget": (
        "年初预算", "年初预算数", "年初批复数", "年初预算批复数", "original_budget", "original",
    ),
    "supplementary": ("追加", "追加预算", "追加数", "本年追加", "supplementary"),
    "reduction": ("调减", "调减预算", "调减数", "本年调减", "reduction"),
    "adjusted_budget": (
        "调整后预算", "调整后预算数", "全年预算", "全年预算数", "adjusted_budget", "adjusted",
    ),
    "funds_received": ("实际到位", "实际到位资金", "到位资金", "funds_received", "received"),
    # payments
    "voucher_id": ("凭证号", "凭证编号", "支付凭证号", "支付令号", "voucher_id", "voucher"),
    "date": ("支付日期", "日期", "记账日期", "凭证日期", "date", "payment_date"),
    "amount": ("金额", "支付金额", "支出金额", "发生额", "本年收入", "收入金额", "收入数", "amount"),
    # balances
    "opening_balance": ("年初结转结余", "年初结转和结余", "年初结转结余数", "期初结转结余",
                        "opening_balance"),
    "closing_balance": ("年末结转结余", "年末结转和结余", "年末结转结余数", "期末结转结余",
                        "closing_balance"),
    # procurement
    "procurement_item": ("采购项目", "采购项目名称", "采购品目名称", "采购内容", "procurement_item"),
    "procurement_category": ("采购类别", "采购品目类别", "采购品目", "采购类型",
                             "procurement_category"),
    "procurement_method": ("采购方式", "procurement_method"),
    "procurement_budget": ("政府采购预算", "政府采购预算数", "采购预算", "采购预算金额",
                           "procurement_budget"),
    "procurement_actual": ("实际采购金额", "实际政府采购金额", "采购金额", "合同金额", "实际采购数",
                           "政府采购实际执行数", "procurement_actual"),
    "memo": ("摘要", "用途", "备注", "memo", "description"),
    # performance indicators
    "scope": ("指标范围", "适用范围", "scope"),
    "level1": ("一级指标", "level1"),
    "level2": ("二级指标", "level2"),
    "level3": ("三级指标", "指标名称", "level3", "indicator"),
    "target": ("年度指标值", "目标值", "指标值", "target"),
    "actual": ("实际完成值", "完成值", "实际值", "actual"),
    "measure_unit": ("计量单位", "度量单位", "measure_unit"),
    "direction": ("指标方向", "方向", "指标性质", "direction"),
    "weight": ("分值", "权重", "weight"),
    "deviation_reason": ("偏差原因分析及改进措施", "偏差原因分析", "偏差原因", "未完成原因",
                         "deviation_reason"),
}

#: Canonical values of categorical columns and the spellings accepted for them.
VALUE_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "fund_type": {
        GENERAL_BUDGET: ("一般公共预算", "一般公共预算拨款", "公共财政预算", "一般预算",
                         "一般公共预算财政拨款", "一般公共预算财政拨款收入", "general"),
        GOVERNMENT_FUND: ("政府性基金预算", "政府性基金", "政府基金预算", "政府性基金预算财政拨款",
                          "政府性基金预算财政拨款收入", "fund", "government_fund"),
        STATE_CAPITAL: ("国有资本经营预算", "国有资本经营", "国有资本经营预算财政拨款",
                        "国有资本经营预算财政拨款收入", "state_capital"),
        SOCIAL_INSURANCE: ("社会保险基金预算", "社会保险基金", "社保基金", "social_insurance"),
        INSTITUTION_INCOME: ("事业收入", "事业收入资金", "institution_income"),
        BUSINESS_INCOME: ("经营收入", "经营收入资金", "business_income"),
        HIGHER_GRANTS: ("上级补助收入", "上级补助", "higher_grants"),
        AFFILIATE_REMITTANCES: ("附属单位上缴收入", "附属单位上缴", "affiliate_remittances"),
        OTHER_INCOME: ("其他收入", "其他资金", "自有资金", "other_income"),
    },
    "expense_kind": {
        BASIC: ("基本支出", "基本", "basic"),
        PROJECT: ("项目支出", "项目", "project"),
    },
    "procurement_category": {
        GOODS: ("货物", "货物类", "goods"),
        WORKS: ("工程", "工程类", "works"),
        SERVICES: ("服务", "服务类", "services"),
    },
    "direction": {
        ">=": (">=", "≥", "正向", "正向指标", "越大越好"),
        "<=": ("<=", "≤", "反向", "反向指标", "越小越好"),
        "=": ("=", "＝", "等于"),
        "qualitative": ("定性", "定性指标", "qualitative"),
    },
}

#: The canonical values, from :mod:`outturn.vocabulary` (the alias table only adds spellings):
#: every source of funds, the four books first.
FUND_TYPES: tuple[str, ...] = FUND_SOURCES
EXPENSE_KINDS: tuple[str, ...] = VOCABULARY_EXPENSE_KINDS
DIRECTIONS: tuple[str, ...] = tuple(VALUE_ALIASES["direction"])

_UNIT_IN_HEADER = re.compile(r"[(（\[【]\s*(万元|元)\s*[)）\]】]|[:：_\s](万元|元)$")


def normalise_header(text: str) -> str:
    """Fold a header to the form used for lookup: NFKC, no spaces, lower case."""
    folded = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return re.sub(r"[\s\u3000]+", "", folded)


def normalise_value(text: str) -> str:
    """Fold a categorical cell value (NFKC, trimmed, inner spaces removed)."""
    return re.sub(r"[\s\u3000]+", "", unicodedata.normalize("NFKC", str(text)).strip())


def _build_header_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for canonical, spellings in COLUMN_ALIASES.items():
        for spelling in (canonical, *spellings):
            key = normalise_header(spelling)
            if key in lookup and lookup[key] != canonical:
                raise ValueError(f"alias {spelling!r} maps to both {lookup[key]} and {canonical}")
            lookup[key] = canonical
    return lookup


def _build_value_lookup() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for column, values in VALUE_ALIASES.items():
        table: dict[str, str] = {}
        for canonical, spellings in values.items():
            for spelling in (canonical, *spellings):
                table[normalise_value(spelling).lower()] = canonical
        out[column] = table
    return out


_HEADER_LOOKUP = _build_header_lookup()
_VALUE_LOOKUP = _build_value_lookup()


@dataclass(frozen=True)
class ResolvedHeader:
    """A source header resolved to a canonical column, with the amount unit it declared."""

    source: str
    column: str | None
    unit: str | None


def split_unit(header: str) -> tuple[str, str | None]:
    """Split ``金额（万元）`` into ``("金额", "万元")``; headers without a unit give ``None``."""
    text = unicodedata.normalize("NFKC", str(header)).strip()
    match = _UNIT_IN_HEADER.search(text)
    if not match:
        return text, None
    unit = match.group(1) or match.group(2)
    return (text[: match.start()] + text[match.end():]).strip(), unit


def resolve_header(header: str) -> ResolvedHeader:
    """Map one source header to its canonical column (``None`` if unknown) and its unit."""
    name, unit = split_unit(header)
    return ResolvedHeader(source=str(header), column=_HEADER_LOOKUP.get(normalise_header(name)),
                          unit=unit)


def canonical_value(column: str, value: str) -> str | None:
    """Canonical spelling of a categorical value (e.g. 一般预算 → 一般公共预算), else ``None``."""
    return _VALUE_LOOKUP[column].get(normalise_value(value).lower())


def known_values(column: str) -> tuple[str, ...]:
    """The canonical values a categorical column accepts."""
    return tuple(VALUE_ALIASES[column])
