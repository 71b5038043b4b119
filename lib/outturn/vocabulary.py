"""The domain's words, once: the labels outturn computes with and prints.

Code speaks English and reports speak Chinese; :mod:`outturn.aliases` maps what ledgers
write to these canonical words, and every module that tests or prints one imports it
from here, so a label cannot be spelt two ways in two places.
"""

from __future__ import annotations

#: The total row of every table, and the subtotal row of a group.
TOTAL_LABEL = "合计"
SUBTOTAL_LABEL = "小计"

#: The two kinds of expenditure (``expense_kind``).
BASIC = "基本支出"
PROJECT = "项目支出"
EXPENSE_KINDS: tuple[str, ...] = (BASIC, PROJECT)

#: The four budget books (``fund_type``), in the order reports present them (二–五).
GENERAL_BUDGET = "一般公共预算"
GOVERNMENT_FUND = "政府性基金预算"
STATE_CAPITAL = "国有资本经营预算"
SOCIAL_INSURANCE = "社会保险基金预算"
BOOKS: tuple[str, ...] = (GENERAL_BUDGET, GOVERNMENT_FUND, STATE_CAPITAL, SOCIAL_INSURANCE)
#: Money from the four books is 财政拨款; the word for its total.
FISCAL = "财政拨款"

#: The other sources a unit spends and receives beside its appropriations (a 事业单位's
#: fees, a unit's business income …): also ``fund_type`` values, after the books, in the
#: order 决算 tables list them. Spending from them is 其他资金支出 (:data:`NON_FISCAL`).
INSTITUTION_INCOME = "事业收入"
BUSINESS_INCOME = "经营收入"
HIGHER_GRANTS = "上级补助收入"
AFFILIATE_REMITTANCES = "附属单位上缴收入"
OTHER_INCOME = "其他收入"
OTHER_SOURCES: tuple[str, ...] = (INSTITUTION_INCOME, BUSINESS_INCOME, HIGHER_GRANTS,
                                  AFFILIATE_REMITTANCES, OTHER_INCOME)
NON_FISCAL = "其他资金"
#: Every source of funds a budget line, a payment or an income line may name.
FUND_SOURCES: tuple[str, ...] = BOOKS + OTHER_SOURCES

#: The cost types of basic expenditure (``cost_type``), and the word for a basic line
#: whose economic code does not tell which it is.
PERSONNEL = "人员经费"
OPERATING = "公用经费"
COST_TYPES: tuple[str, ...] = (PERSONNEL, OPERATING)
UNCLASSIFIED = "未分类"

#: The "三公"经费 categories, in the order reports list them.
SANGONG_CATEGORIES: tuple[str, ...] = (
    "因公出国（境）费用", "公务接待费", "公务用车运行维护费", "公务用车购置",
)

#: The categories of government procurement (政府采购品目), in the order reports list them.
PROCUREMENT_CATEGORIES: tuple[str, ...] = ("货物", "工程", "服务")

#: The word printed where a rate or a rule does not apply (its reason travels with it).
NOT_APPLICABLE = "不适用"
#: The mark a table cell carries where it has no figure (a rate over a zero budget, a
#: share of nothing); the table's note or the row's 说明 says why.
NO_FIGURE = "—"
#: The unit line a money table carries above it at the right (report and workbook alike).
UNIT_LINE = "单位：万元"
#: Between the ends of a printed range (一字线, GB/T 15834: 95%—105%); the Chinese fonts
#: of the print stack all have it, unlike the Latin en dash.
RANGE_DASH = "—"
