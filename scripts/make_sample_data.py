# Chinese text tables (indicators, memos, narratives) make many lines long: ruff measures
# CJK characters as two columns. Code lines are kept within the 100-column limit by hand.
# ruff: noqa: E501
"""Generate the bundled sample data under ``data/raw/``.

Run it from the repository root::

    .venv/bin/python scripts/make_sample_data.py

The output is deterministic: fixed seeds (``random.Random`` seeded with strings), no
clock, no network; running the script twice gives byte-identical files, XLSX included.

What is real and what is not (see docs/sample-data.md):

* 零陵区城市管理和综合执法局 (dept 115), year 2022: every expenditure figure and every
  performance figure of its published 整体支出绩效自评报告 is reproduced exactly (payments
  add up to the 分). The vouchers that make up those totals, all budget figures, the
  staffing numbers, indicator targets/weights and satisfaction values are synthetic.
* Dept 115 in 2020, 2021 and 2023, and departments 116–121 in every year: fully
  synthetic, marked as such in their profiles.
* The "sample shapes" 122–124 (2021 and 2022): fully synthetic too, built from the headline
  figures stated once in ``tests/backtest/sample_shapes.toml`` (a 事业单位 with 事业收入 and
  经营收入, all four 三公 items, three second-level units with carry-over spending), with
  income, balance and procurement ledgers besides.

The script owns these paths and rewrites only them: ``data/raw/departments.csv``;
``data/raw/{budget,payments,indicators,income,balances,procurement}/<year>/<dept>-*`` for
the departments below (every such path comes from :func:`raw_path`);
``data/raw/profiles/<dept>/``; and the sample shapes' own folders ``data/raw/<dept>/``
(each with its departments.csv rows, ledgers and profiles: the one-folder-per-department
layout). At the end it reads the written files back with pandas
(not through outturn) and checks the reference figures to the 分; it fails loudly if
anything is off.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import math
import random
import shutil
import sys
import tomllib
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"

SEED = "outturn-sample-v1"
YEARS = (2020, 2021, 2022, 2023)
REGION = "431102"  # 零陵区 administrative division code, used as the project-code prefix
FIXED_DT = datetime(2023, 3, 31, 9, 0, 0)  # XLSX created/modified and zip entry times
MAX_RAW_BYTES = 6 * 1024 * 1024

GEN, GOV, SOE, SSF = "一般公共预算", "政府性基金预算", "国有资本经营预算", "社会保险基金预算"
FUNDS = (GEN, GOV, SOE, SSF)
# the other sources of funds (其他资金), spent and received beside the four books
INST, BUSI, HIGHER, AFFIL, OTHER = "事业收入", "经营收入", "上级补助收入", "附属单位上缴收入", "其他收入"
SOURCES = (*FUNDS, INST, BUSI, HIGHER, AFFIL, OTHER)
BASIC, PROJ = "基本支出", "项目支出"
FEN_PER_WAN = 1_000_000

# --------------------------------------------------------------------------------------
# Money helpers: everything is integer 分 (fen) until it is formatted for a file.
# --------------------------------------------------------------------------------------


def wan(text: str | float | int) -> int:
    """An amount in 万元 written as text (``"25.70"``) → integer 分, exactly."""
    value = Decimal(str(text)) * FEN_PER_WAN
    if value != value.to_integral_value():
        raise ValueError(f"{text} 万元 is not a whole number of 分")
    return int(value)


def fen_wan_text(fen: int) -> str:
    """分 → 万元 text with 2 to 6 decimals, exact (``25700000`` → ``"25.70"``)."""
    sign = "-" if fen < 0 else ""
    whole, frac = divmod(abs(fen), FEN_PER_WAN)
    digits = f"{frac:06d}".rstrip("0")
    digits = digits + "0" * (2 - len(digits)) if len(digits) < 2 else digits
    return f"{sign}{whole}.{digits}"


def fen_yuan_text(fen: int, thousands: bool = False) -> str:
    """分 → 元 text with 2 decimals, optionally with thousands separators."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    whole_text = f"{whole:,}" if thousands else str(whole)
    return f"{sign}{whole_text}.{cents:02d}"


def round_to(fen: float, step: int, up: bool = False) -> int:
    """Round an amount in 分 to a multiple of ``step`` 分 (nearest, or up)."""
    if up:
        return math.ceil(fen / step) * step
    return math.floor(fen / step + 0.5) * step


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` 分 in proportion to ``weights``; the parts add up exactly."""
    ints = [max(1, round(w * 1_000_000)) for w in weights]
    scale = sum(ints)
    parts = [total * w // scale for w in ints]
    remainders = sorted(range(len(ints)), key=lambda i: (-(total * ints[i] % scale), i))
    for i in remainders[: total - sum(parts)]:
        parts[i] += 1
    return parts


# --------------------------------------------------------------------------------------
# Classification code names (written into the files that carry name columns).
# --------------------------------------------------------------------------------------

FUNC_NAMES = {
    "2011301": "行政运行", "2011302": "一般行政管理事务", "2011307": "国内贸易管理",
    "2011308": "招商引资", "2011350": "事业运行", "2011399": "其他商贸事务支出",
    "2130301": "行政运行", "2130305": "水利工程建设", "2130306": "水利工程运行与维护",
    "2130310": "水土保持", "2130311": "水资源节约管理与保护", "2130314": "防汛", "2130316": "农村水利",
    "2050101": "行政运行", "2050201": "学前教育", "2050202": "小学教育", "2050203": "初中教育",
    "2050204": "高中教育", "2050299": "其他普通教育支出", "2050302": "中等职业教育",
    "2050803": "培训支出", "2080201": "行政运行", "2080208": "基层政权建设和社区治理",
    "2080501": "行政单位离退休", "2080502": "事业单位离退休",
    "2080505": "机关事业单位基本养老保险缴费支出", "2080506": "机关事业单位职业年金缴费支出",
    "2081004": "殡葬", "2081005": "社会福利事业单位", "2081006": "养老服务",
    "2081901": "城市最低生活保障金支出", "2081902": "农村最低生活保障金支出",
    "2082001": "临时救助支出", "2082102": "农村特困人员救助供养支出",
    "2082502": "其他农村生活救助", "2091101": "城乡居民基本医疗保险基金医疗待遇支出",
    "2091102": "大病医疗保险支出", "2100101": "行政运行", "2100401": "疾病预防控制机构",
    "2100403": "妇幼保健机构", "2100408": "基本公共卫生服务", "2100409": "重大公共卫生服务",
    "2100410": "突发公共卫生事件应急处理", "2100799": "其他计划生育事务支出",
    "2101101": "行政单位医疗", "2101102": "事业单位医疗", "2101301": "城乡医疗救助",
    "2101501": "行政运行", "2101550": "事业运行", "2101599": "其他医疗保障管理事务支出",
    "2120101": "行政运行", "2120104": "城管执法", "2120199": "其他城乡社区管理事务支出",
    "2120399": "其他城乡社区公共设施支出", "2120501": "城乡社区环境卫生",
    "2120803": "城市建设支出", "2120804": "农村基础设施建设支出", "2121301": "城市公共设施",
    "2130101": "行政运行", "2130104": "事业运行", "2130108": "病虫害控制",
    "2130122": "农业生产发展", "2130126": "农村社会事业", "2130153": "农田建设",
    "2130504": "农村基础设施建设", "2140101": "行政运行", "2140104": "公路建设",
    "2140106": "公路养护", "2140110": "公路和运输安全", "2140112": "公路运输管理",
    "2140199": "其他公路水路运输支出", "2140601": "车辆购置税用于公路等基础设施建设支出",
    "2210201": "住房公积金", "2230202": "公益性设施投资支出",
    "2296002": "用于社会福利的彩票公益金支出", "2296004": "用于教育事业的彩票公益金支出",
}

ECON_NAMES = {
    "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费",
    "30110": "职工基本医疗保险缴费", "30113": "住房公积金", "30199": "其他工资福利支出",
    "30201": "办公费", "30205": "水费", "30206": "电费", "30207": "邮电费", "30211": "差旅费",
    "30212": "因公出国（境）费用",
    "30213": "维修（护）费", "30215": "会议费", "30216": "培训费", "30217": "公务接待费",
    "30218": "专用材料费", "30224": "被装购置费", "30226": "劳务费", "30227": "委托业务费",
    "30228": "工会经费", "30229": "福利费", "30231": "公务用车运行维护费",
    "30239": "其他交通费用", "30299": "其他商品和服务支出", "30302": "退休费",
    "30305": "生活补助", "30306": "救济费", "30307": "医疗费补助", "30308": "助学金",
    "30399": "其他对个人和家庭的补助", "31002": "办公设备购置", "31003": "专用设备购置",
    "31005": "基础设施建设", "31006": "大型修缮", "31013": "公务用车购置", "31201": "资本金注入",
    "31299": "其他对企业补助",
}

# --------------------------------------------------------------------------------------
# Data classes
# --------------------------------------------------------------------------------------


@dataclass
class Line:
    """One budget line and the actual spending charged to it."""

    unit: str
    fund: str
    kind: str
    func: str
    econ: str = ""
    project_code: str = ""
    project_name: str = ""
    carryover: int = 0
    original: int = 0
    supplementary: int = 0
    reduction: int = 0
    received: int | None = None
    actual: int = 0
    pattern: str = "spread"  # how the actual spending is spread over vouchers
    n: int = 10  # voucher count at full execution
    refunds: int = 0  # negative vouchers (refunds / reversals) netting into ``actual``
    econ_mix: tuple[tuple[str, float, tuple[str, ...]], ...] = ()  # project lines: econ, weight, memos
    memos: tuple[str, ...] = ()  # basic lines
    budgeted: bool = True  # False: payments only, no budget line (deliberate)

    @property
    def adjusted(self) -> int:
        return self.original + self.supplementary - self.reduction


@dataclass(frozen=True)
class Voucher:
    date: date
    unit: str
    fund: str
    kind: str
    project_code: str
    func: str
    econ: str
    amount: int
    memo: str
    order: int


@dataclass(frozen=True)
class Prof:
    """An execution profile: how budgets are set and how fast money is spent."""

    exec: tuple[float, float]  # project actual / adjusted budget
    supp: tuple[float, float]  # project supplementary / adjusted budget
    recv: tuple[float, float]  # share of the (adjusted - actual) gap that was received
    months: tuple[int, ...]  # month weights of lumpy project spending
    basic_exec: tuple[float, float] = (0.975, 0.998)
    label: str = "normal"


MONTHS_NORMAL = (3, 4, 5, 6, 7, 8, 8, 9, 9, 10, 12, 19)
MONTHS_FAST = (10, 11, 12, 11, 10, 9, 8, 8, 7, 6, 5, 3)
MONTHS_LAG = (0, 0, 1, 1, 1, 2, 2, 3, 4, 8, 16, 38)


@dataclass(frozen=True)
class Proj:
    """A recurring project of a department (synthetic budgets derive from ``budget``)."""

    seq: str
    unit: str
    fund: str
    name: str
    func: str
    budget: str  # adjusted budget level in 2022, 万元
    econ_mix: tuple[tuple[str, float, tuple[str, ...]], ...]  # econ code, weight, memos
    pattern: str = "lumpy"
    n: int = 12
    years: tuple[int, ...] = YEARS
    start: int = 2019
    annual: bool = False  # a new project code every year
    indicator: tuple[str, str, str] | None = None  # (quantity indicator, unit, 2022 target)
    effect: str = ""  # qualitative effect indicator
    target_text: str = ""  # project performance target (profile)
    unbudgeted: bool = False

    def code(self, dept: str, year: int) -> str:
        yy = (year if self.annual else self.start) % 100
        return f"{REGION}{yy:02d}{dept}{self.seq}"


@dataclass(frozen=True)
class UnitDef:
    code: str
    name: str
    level: str  # 本级 / 二级
    kind: str  # 行政 / 事业
    admin_func: str
    pers: str  # personnel expenditure level 2022, 万元 ("0" = no basic expenditure)
    oper: str  # operating expenditure level 2022, 万元


@dataclass(frozen=True)
class Ind:
    """A performance indicator (2022 values; other years are derived)."""

    level1: str
    level2: str
    name: str
    unit: str
    direction: str  # >=, <=, =, qualitative
    target: str
    actual: str
    weight: int
    years: tuple[int, ...] = YEARS


@dataclass(frozen=True)
class Style:
    """How a department's budget system writes its exports."""

    budget_headers: tuple[tuple[str, str], ...]
    pay_headers: tuple[tuple[str, str], ...]
    ind_headers: tuple[tuple[str, str], ...]
    budget_formats: dict[int, str]  # year → csv / xlsx / xlsx-title
    encoding: str = "utf-8"  # for budget & indicator CSVs
    pay_encoding: str = "utf-8"
    date_fmt: str = "iso"  # iso / slash / cn
    thousands: bool = False
    crlf: bool = False
    fund_names: dict[str, str] = field(default_factory=dict)
    kind_names: dict[str, str] = field(default_factory=dict)
    directions: dict[str, str] = field(default_factory=dict)
    voucher_prefix: str = "LL"


@dataclass(frozen=True)
class Dept:
    code: str
    name: str
    short: str
    units: tuple[UnitDef, ...]
    projects: tuple[Proj, ...]
    indicators: tuple[Ind, ...]
    style: Style
    prof: dict[int, Prof]
    established: int
    duties: str
    offices: tuple[str, ...]
    staffing: tuple[int, int]  # (authorised, in post) in 2022
    annual_targets: tuple[str, ...]
    synthetic: bool = True
    feature: str = ""  # the execution feature this department demonstrates
    year_factor: dict[int, float] | None = None  # project budget level by year (default YEAR_FACTOR)
    years: tuple[int, ...] = YEARS  # the years the sample has for it
    org_kind: str = "零陵区人民政府工作部门"  # what it is (overview.md)


# --------------------------------------------------------------------------------------
# Header and value spellings per department (all from aliases.COLUMN_ALIASES)
# --------------------------------------------------------------------------------------

H_BUDGET_115 = (
    ("year", "年度"), ("dept_code", "部门编码"), ("unit_code", "单位编码"), ("fund_type", "预算类型"),
    ("expense_kind", "支出类型"), ("project_code", "项目编码"), ("project_name", "项目名称"),
    ("func_code", "功能分类科目编码"), ("func_name", "功能分类科目名称"),
    ("econ_code", "经济分类科目编码"), ("econ_name", "经济分类科目名称"),
    ("carryover", "上年结转（万元）"), ("original_budget", "年初预算数（万元）"),
    ("supplementary", "追加（万元）"), ("reduction", "调减（万元）"),
    ("adjusted_budget", "调整后预算数（万元）"), ("funds_received", "实际到位（万元）"),
)
H_PAY_115 = (
    ("voucher_id", "凭证号"), ("date", "支付日期"), ("dept_code", "部门编码"), ("unit_code", "单位编码"),
    ("fund_type", "预算类型"), ("expense_kind", "支出类型"), ("project_code", "项目编码"),
    ("func_code", "功能分类科目编码"), ("econ_code", "经济分类科目编码"), ("amount", "金额（元）"),
    ("memo", "摘要"),
)
H_IND_115 = (
    ("year", "年度"), ("dept_code", "部门编码"), ("scope", "指标范围"), ("level1", "一级指标"),
    ("level2", "二级指标"), ("level3", "三级指标"), ("target", "年度指标值"), ("actual", "实际完成值"),
    ("measure_unit", "计量单位"), ("direction", "指标方向"), ("weight", "分值"),
)
DIR_SYMBOLS = {">=": "≥", "<=": "≤", "=": "=", "qualitative": "定性"}

STYLES = {
    "115": Style(
        budget_headers=H_BUDGET_115, pay_headers=H_PAY_115, ind_headers=H_IND_115,
        budget_formats={2020: "csv", 2021: "csv", 2022: "xlsx-title", 2023: "xlsx"},
        pay_encoding="gb18030", crlf=True, directions=DIR_SYMBOLS,
    ),
    "116": Style(
        budget_headers=(
            ("year", "预算年度"), ("dept_code", "部门代码"), ("unit_code", "单位代码"),
            ("fund_type", "资金性质"), ("expense_kind", "支出类别"), ("project_code", "项目代码"),
            ("project_name", "项目名称"), ("func_code", "功能科目编码"), ("econ_code", "经济科目编码"),
            ("carryover", "上年结转数（万元）"), ("original_budget", "年初预算（万元）"),
            ("supplementary", "追加预算（万元）"), ("reduction", "调减预算（万元）"),
            ("funds_received", "实际到位资金（万元）"),
        ),
        pay_headers=(
            ("voucher_id", "凭证编号"), ("date", "支付日期"), ("dept_code", "部门代码"),
            ("unit_code", "单位代码"), ("fund_type", "资金性质"), ("expense_kind", "支出类别"),
            ("project_code", "项目代码"), ("func_code", "功能科目编码"), ("econ_code", "经济科目编码"),
            ("amount", "支付金额（元）"), ("memo", "用途"),
        ),
        ind_headers=(
            ("year", "预算年度"), ("dept_code", "部门代码"), ("scope", "适用范围"),
            ("level1", "一级指标"), ("level2", "二级指标"), ("level3", "指标名称"),
            ("target", "目标值"), ("actual", "完成值"), ("measure_unit", "计量单位"),
            ("direction", "方向"), ("weight", "权重"),
        ),
        budget_formats=dict.fromkeys(YEARS, "csv"),
        encoding="utf-8-sig", pay_encoding="utf-8-sig",
        fund_names={GEN: "一般公共预算拨款", GOV: "政府性基金"},
        kind_names={BASIC: "基本", PROJ: "项目"},
        directions={">=": ">=", "<=": "<=", "=": "=", "qualitative": "定性"},
        voucher_prefix="JY",
    ),
    "117": Style(
        budget_headers=(
            ("year", "年度"), ("dept_code", "主管部门编码"), ("unit_code", "预算单位编码"),
            ("fund_type", "预算类别"), ("expense_kind", "支出性质"), ("project_code", "项目编码"),
            ("project_name", "项目名称"), ("func_code", "支出功能分类科目编码"),
            ("func_name", "功能科目名称"), ("econ_code", "部门经济分类科目编码"),
            ("econ_name", "经济科目名称"), ("carryover", "上年结转结余(万元)"),
            ("original_budget", "年初批复数(万元)"), ("supplementary", "本年追加(万元)"),
            ("reduction", "本年调减(万元)"), ("adjusted_budget", "全年预算数(万元)"),
        ),
        pay_headers=(
            ("voucher_id", "支付凭证号"), ("date", "凭证日期"), ("dept_code", "部门编码"),
            ("unit_code", "预算单位编码"), ("fund_type", "预算类别"), ("expense_kind", "支出性质"),
            ("project_code", "项目编码"), ("func_code", "支出功能分类科目编码"),
            ("econ_code", "部门经济分类科目编码"), ("amount", "金额（元）"), ("memo", "摘要"),
        ),
        ind_headers=(
            ("year", "年度"), ("dept_code", "部门编码"), ("scope", "指标范围"), ("level1", "一级指标"),
            ("level2", "二级指标"), ("level3", "三级指标"), ("target", "指标值"), ("actual", "实际值"),
            ("measure_unit", "度量单位"), ("direction", "指标性质"), ("weight", "分值"),
        ),
        budget_formats=dict.fromkeys(YEARS, "csv"),
        thousands=True,
        directions={">=": "正向指标", "<=": "反向指标", "=": "等于", "qualitative": "定性指标"},
        voucher_prefix="WJ",
    ),
    "118": Style(
        budget_headers=(
            ("year", "会计年度"), ("dept_code", "部门编码"), ("unit_code", "单位编码"),
            ("fund_type", "资金来源"), ("expense_kind", "支出类型"), ("project_code", "项目代码"),
            ("project_name", "项目名称"), ("func_code", "功能分类编码"), ("econ_code", "经济分类编码"),
            ("carryover", "上年结转（万元）"), ("original_budget", "年初预算批复数（万元）"),
            ("supplementary", "追加数（万元）"), ("reduction", "调减数（万元）"),
            ("adjusted_budget", "调整后预算（万元）"), ("funds_received", "到位资金（万元）"),
        ),
        pay_headers=(
            ("voucher_id", "凭证号"), ("date", "记账日期"), ("dept_code", "部门编码"),
            ("unit_code", "单位编码"), ("fund_type", "资金来源"), ("expense_kind", "支出类型"),
            ("project_code", "项目代码"), ("func_code", "功能分类编码"), ("econ_code", "经济分类编码"),
            ("amount", "支出金额（元）"), ("memo", "摘要"),
        ),
        ind_headers=H_IND_115,
        budget_formats=dict.fromkeys(YEARS, "csv"),
        date_fmt="slash",
        fund_names={GEN: "一般预算"},
        directions={">=": "≥", "<=": "≤", "=": "＝", "qualitative": "定性"},
        voucher_prefix="NY",
    ),
    "119": Style(
        budget_headers=(
            ("year", "年份"), ("dept_code", "部门编码"), ("unit_code", "单位编码"), ("fund_type", "预算类型"),
            ("expense_kind", "支出类型"), ("project_code", "项目编码"), ("project_name", "项目名称"),
            ("func_code", "功能科目"), ("econ_code", "经济科目"), ("carryover", "上年结转（万元）"),
            ("original_budget", "年初预算数（万元）"), ("supplementary", "追加（万元）"),
            ("reduction", "调减（万元）"),
        ),
        pay_headers=(
            ("voucher_id", "凭证号"), ("date", "支付日期"), ("dept_code", "部门编码"),
            ("unit_code", "单位编码"), ("fund_type", "预算类型"), ("expense_kind", "支出类型"),
            ("project_code", "项目编码"), ("func_code", "功能科目"), ("econ_code", "经济科目"),
            ("amount", "金额（元）"), ("memo", "备注"),
        ),
        ind_headers=(
            ("year", "年度"), ("dept_code", "部门编码"), ("scope", "指标范围"), ("level1", "一级指标"),
            ("level2", "二级指标"), ("level3", "三级指标"), ("target", "年度指标值"),
            ("actual", "完成值"), ("measure_unit", "计量单位"), ("direction", "指标方向"),
            ("weight", "分值"),
        ),
        budget_formats=dict.fromkeys(YEARS, "csv"),
        date_fmt="cn",
        directions={">=": "正向", "<=": "反向", "=": "=", "qualitative": "定性"},
        voucher_prefix="MZ",
    ),
    "120": Style(
        budget_headers=(
            ("year", "年度"), ("dept_code", "部门编码"), ("unit_code", "预算单位编码"),
            ("fund_type", "预算类型"), ("expense_kind", "支出类型"), ("project_code", "项目编码"),
            ("project_name", "项目名称"), ("func_code", "功能分类科目编码"),
            ("econ_code", "经济分类科目编码"), ("carryover", "上年结转（万元）"),
            ("original_budget", "年初预算（万元）"), ("supplementary", "本年追加（万元）"),
            ("reduction", "本年调减（万元）"), ("adjusted_budget", "全年预算（万元）"),
            ("funds_received", "实际到位资金（万元）"),
        ),
        pay_headers=(
            ("voucher_id", "支付令号"), ("date", "日期"), ("dept_code", "部门编码"),
            ("unit_code", "预算单位编码"), ("fund_type", "预算类型"), ("expense_kind", "支出类型"),
            ("project_code", "项目编码"), ("func_code", "功能分类科目编码"),
            ("econ_code", "经济分类科目编码"), ("amount", "发生额（元）"), ("memo", "摘要"),
        ),
        ind_headers=H_IND_115,
        budget_formats=dict.fromkeys(YEARS, "csv"),
        thousands=True,
        fund_names={GEN: "公共财政预算", SOE: "国有资本经营"},
        directions={">=": ">=", "<=": "<=", "=": "=", "qualitative": "定性"},
        voucher_prefix="JT",
    ),
    "121": Style(
        budget_headers=(
            ("year", "预算年度"), ("dept_code", "部门编码"), ("unit_code", "单位编码"),
            ("fund_type", "预算类型"), ("expense_kind", "支出类型"), ("project_code", "项目编码"),
            ("project_name", "项目名称"), ("func_code", "功能分类科目编码"),
            ("econ_code", "经济分类科目编码"), ("carryover", "上年结转数（万元）"),
            ("original_budget", "年初预算数（万元）"), ("supplementary", "追加数（万元）"),
            ("reduction", "调减数（万元）"), ("adjusted_budget", "调整后预算数（万元）"),
        ),
        pay_headers=(
            ("voucher_id", "凭证号"), ("date", "支付日期"), ("dept_code", "部门编码"),
            ("unit_code", "单位编码"), ("fund_type", "预算类型"), ("expense_kind", "支出类型"),
            ("project_code", "项目编码"), ("func_code", "功能分类科目编码"),
            ("econ_code", "经济分类科目编码"), ("amount", "金额(元)"), ("memo", "摘要"),
        ),
        ind_headers=H_IND_115,
        budget_formats=dict.fromkeys(YEARS, "csv"),
        fund_names={SSF: "社会保险基金"},
        directions=DIR_SYMBOLS,
        voucher_prefix="YB",
    ),
}

# --------------------------------------------------------------------------------------
# Basic expenditure: economic-code mixes, payment patterns and memos
# --------------------------------------------------------------------------------------

# econ code, weight within personnel expenditure
PERS_MIX_115 = (
    ("30101", 0.236), ("30102", 0.188), ("30103", 0.064), ("30107", 0.197), ("30108", 0.104),
    ("30110", 0.055), ("30113", 0.089), ("30199", 0.022), ("30302", 0.019), ("30305", 0.026),
)
PERS_MIX = (
    ("30101", 0.225), ("30102", 0.150), ("30103", 0.055), ("30107", 0.215), ("30108", 0.110),
    ("30109", 0.045), ("30110", 0.058), ("30113", 0.090), ("30199", 0.020), ("30302", 0.014),
    ("30305", 0.018),
)
# econ code, weight within operating expenditure (30217 / 30231 may be fixed amounts)
OPER_MIX = (
    ("30201", 0.14), ("30205", 0.03), ("30206", 0.09), ("30207", 0.05), ("30211", 0.06),
    ("30213", 0.08), ("30215", 0.01), ("30216", 0.02), ("30217", 0.016), ("30226", 0.10),
    ("30228", 0.09), ("30229", 0.04), ("30231", 0.013), ("30239", 0.16), ("30299", 0.10),
    ("31002", 0.03),
)
OPER_MIX_115 = tuple((e, w) for e, w in OPER_MIX if e not in ("30217", "30231"))

# econ code → (pattern, vouchers at scale 1, refunds)
BASIC_PATTERN = {
    "30201": ("spread", 30, 1), "30205": ("monthly", 12, 0), "30206": ("monthly", 12, 0),
    "30207": ("monthly", 12, 0), "30211": ("spread", 36, 2), "30213": ("spread", 14, 0),
    "30215": ("spread", 3, 0), "30216": ("spread", 5, 0), "30217": ("spread", 11, 1),
    "30226": ("monthly", 12, 0), "30228": ("quarterly", 4, 0), "30229": ("holiday", 3, 0),
    "30231": ("spread", 16, 0), "30239": ("monthly", 12, 0), "30299": ("spread", 24, 1),
    "31002": ("spread", 5, 0),
}

BASIC_MEMOS = {
    "30101": ("{m}月在职人员基本工资",), "30102": ("{m}月在职人员津贴补贴",),
    "30103": ("{m}月奖金", "年终一次性奖金"), "30107": ("{m}月绩效工资",),
    "30108": ("{m}月机关事业单位养老保险单位缴费",), "30109": ("{m}月职业年金单位缴费",),
    "30110": ("{m}月职工基本医疗保险单位缴费",), "30113": ("{m}月住房公积金单位缴存",),
    "30199": ("{m}月其他工资福利（误餐补助等）",), "30302": ("{m}月退休人员退休费",),
    "30305": ("{m}月遗属生活补助",),
    "30201": ("购买办公用品", "办公耗材采购", "文件资料印刷费", "订阅报刊资料", "复印纸及硒鼓采购"),
    "30205": ("{m}月水费",), "30206": ("{m}月电费",), "30207": ("{m}月电话及网络费",),
    "30211": ("差旅费报销", "赴长沙学习考察差旅费", "赴市里参加会议差旅费", "执法人员外出办案差旅费"),
    "30213": ("办公楼零星维修", "空调维修费", "执法车辆维修（执法执勤用车）", "办公设备维护费"),
    "30215": ("召开年度工作会议费用", "召开专题会议费用"), "30216": ("执法人员业务培训费", "财务人员培训费"),
    "30217": ("接待上级检查公务接待费", "接待兄弟单位考察公务接待费", "公务接待工作餐"),
    "30226": ("{m}月临聘人员劳务费",), "30228": ("第{q}季度工会经费",),
    "30229": ("节日慰问职工福利费", "职工体检费"),
    "30231": ("公务用车加油费", "公务用车保险费", "公务用车维修保养费", "公务用车路桥费"),
    "30239": ("{m}月公务交通补贴",), "30299": ("其他商品和服务支出", "法律顾问服务费", "宣传资料制作费", "保洁服务费"),
    "31002": ("采购台式计算机", "采购打印机", "采购办公家具"),
}
REFUND_MEMOS = {
    "30211": "差旅费退回（多报销部分）", "30217": "公务接待费退回（未发生部分）",
    "30201": "冲销重复支付的办公用品款", "30299": "退回多付服务费",
}

PERSONNEL_FUNC = {"30108": "2080505", "30109": "2080506", "30113": "2210201"}


def personnel_func(unit: UnitDef, econ: str) -> str:
    if econ in PERSONNEL_FUNC:
        return PERSONNEL_FUNC[econ]
    if econ == "30110":
        return "2101101" if unit.kind == "行政" else "2101102"
    if econ == "30302":
        return "2080501" if unit.kind == "行政" else "2080502"
    return unit.admin_func


# --------------------------------------------------------------------------------------
# The reference department: 零陵区城市管理和综合执法局 (115)
# --------------------------------------------------------------------------------------

U115 = (
    UnitDef("115001", "局本级", "本级", "行政", "2120101", "2691.67", "218.12"),
    UnitDef("115002", "零陵区路灯管理所", "二级", "事业", "2120101", "0", "0"),
)

P115 = (
    Proj("001", "115001", GEN, "工具车维护运行专项资金", "2120104", "36.00",
         (("30213", 0.5, ("工具车维修保养费", "工具车轮胎更换")), ("30299", 0.3, ("工具车燃油费", "工具车保险费")), ("30218", 0.2, ("工具车警示灯具及配件",))), n=14,
         target_text="用好8台执法工具车开展动态巡查，按责任区落实管控、及时处置占道经营等动态问题，街面秩序和市容市貌整体提升。"),
    Proj("002", "115001", GEN, "广告清洗保洁专项资金", "2120501", "30.00", (("30227", 1.0, ("牛皮癣小广告清洗保洁服务费", "小广告清理承包费（进度款）")),), n=8,
         target_text="委托专业保洁公司对主次干道和背街小巷的非法小广告常态清洗，街面保持整洁、无污损。"),
    Proj("003", "115001", GEN, "数字化城市管理资金", "2120199", "80.00",
         (("30227", 0.55, ("数字城管平台运维服务费", "信息采集外包服务费")), ("30213", 0.3, ("智慧城管系统升级维护费",)), ("30207", 0.15, ("数字城管专线网络费",))), n=12,
         target_text="升级数字城管平台、推进智慧城管建设，问题发现、派遣、处置、监督形成闭环，城市治理更加精细。"),
    Proj("004", "115001", GEN, "文明劝导员工资专项资金", "2120104", "180.00", (("30226", 1.0, ("{m}月文明劝导员工资",)),), pattern="monthly", n=12,
         target_text="聘用文明劝导员在重点路段和路口值守劝导，带动市民参与城市管理，文明素养得到提升。"),
    Proj("005", "115001", GEN, "下水道疏通车养护资金", "2120399", "15.00",
         (("30213", 0.7, ("下水道综合养护车维修",)), ("30299", 0.3, ("养护车燃油及耗材",))), n=6,
         target_text="用综合养护车定期疏通主次干道和背街小巷下水道，保障城区排水通畅。"),
    Proj("006", "115001", GEN, "污水治理专项资金", "2120399", "120.00",
         (("30206", 0.45, ("污水提升泵站电费",)), ("30213", 0.35, ("泵站设备维修",)), ("30227", 0.2, ("泵站运行维护外包服务费",))), n=16,
         target_text="保障城区4座污水提升泵站持续正常运转，城市污水收集和排放有序。"),
    Proj("007", "115001", GEN, "城管制服专项", "2120104", "50.00", (("30224", 1.0, ("执法人员制式服装采购款", "执法制服采购尾款")),), n=3, years=(2022,), start=2022),
    Proj("801", "115001", GEN, "春节工程项目付款", "2120199", "620.00",
         (("30227", 0.6, ("春节亮化布置工程款", "春节工程进度款", "春节工程结算尾款")), ("30299", 0.4, ("春节氛围营造（灯笼、彩旗）采购款",))),
         pattern="festival", n=18, annual=True),
    Proj("008", "115002", GEN, "智慧照明运行、维护项目", "2120399", "660.00",
         (("30206", 0.45, ("{m}月路灯电费",)), ("30213", 0.4, ("路灯线路抢修", "路灯巡查维护服务费")), ("30218", 0.15, ("路灯维修材料采购",))), n=30,
         years=(2021, 2022, 2023), start=2021),
    Proj("802", "115002", GEN, "春节工程项目付款", "2120399", "200.00",
         (("30227", 0.5, ("春节亮化灯饰安装工程款",)), ("30218", 0.5, ("春节灯饰材料采购款",))),
         pattern="festival", n=10, annual=True),
    Proj("101", "115001", GOV, "基础设施项目", "2120803", "200.00", (("31005", 1.0, ("市政基础设施提质改造工程款", "人行道改造工程进度款")),), n=5),
    Proj("102", "115002", GOV, "智慧照明项目", "2121301", "940.00", (("31005", 0.7, ("智慧照明改造工程进度款",)), ("31003", 0.3, ("智慧路灯控制终端采购",))), n=14, years=(2021, 2022, 2023),
         start=2021),
    # synthetic-only years
    Proj("009", "115002", GEN, "路灯运行维护经费", "2120399", "520.00",
         (("30206", 0.5, ("{m}月路灯电费",)), ("30213", 0.4, ("路灯维修费",)), ("30218", 0.1, ("路灯维修材料采购",))),
         n=24, years=(2020,), start=2016),
    Proj("103", "115001", GOV, "诸葛庙垃圾填埋场封场治理", "2120803", "850.00", (("31005", 1.0, ("填埋场封场工程进度款",)),), n=6, years=(2021,), start=2021),
    Proj("010", "115001", GEN, "智慧停车管理平台", "2120199", "60.00", (("30227", 0.6, ("智慧停车平台建设进度款",)), ("31002", 0.4, ("停车泊位地磁设备采购",))), n=6, years=(2023,), start=2023),
    Proj("105", "115002", GOV, "路灯节能改造工程", "2121301", "900.00", (("31005", 0.6, ("路灯节能改造工程进度款",)), ("31003", 0.4, ("LED节能灯具采购款",))), n=8, years=(2020,), start=2020),
    Proj("104", "115001", GOV, "垃圾收运一体化配套工程", "2120803", "400.00", (("31005", 1.0, ("垃圾收集站配套工程进度款",)),), n=5, years=(2023,), start=2023),
)

# 2022 actuals (万元, from the report) and the synthetic budgets chosen for them:
# seq: (actual, carryover, original, supplementary, reduction, received)
REF_2022 = {
    "001": ("25.70", "0", "20.00", "16.00", "0", "30.00"),
    "002": ("16.30", "0", "20.00", "10.00", "0", "20.00"),
    "003": ("38.23", "12.00", "30.00", "50.00", "0", "45.00"),
    "004": ("158.79", "0", "118.56", "61.44", "0", "165.00"),
    "005": ("7.09", "0", "15.00", "0", "0", "8.00"),
    "006": ("68.40", "0", "60.00", "60.00", "0", "80.00"),
    "007": ("45.01", "0", "0", "50.00", "0", "50.00"),
    "801": ("401.92", "0", "200.00", "420.00", "0", "450.00"),
    "008": ("418.02", "0", "300.00", "380.00", "20.00", "480.00"),
    "802": ("129.36", "0", "80.00", "120.00", "0", "140.00"),
    "101": ("108.00", "0", "0", "200.00", "0", "120.00"),
    "102": ("859.08", "0", "500.00", "440.00", "0", "900.00"),
}

# The figures of figures.md, used by the self-check (万元).
REF_FIGURES = {
    "personnel": "2691.67", "operating": "218.12", "basic": "2909.79",
    "reception": "3.70", "vehicles": "2.86",
    "projects_bureau": "761.44", "projects_lighting": "547.38", "projects": "1308.82",
    "gov_fund": "967.08",
}
REF_PROJECTS = {
    ("115001", GEN, "工具车维护运行专项资金"): "25.70",
    ("115001", GEN, "广告清洗保洁专项资金"): "16.30",
    ("115001", GEN, "数字化城市管理资金"): "38.23",
    ("115001", GEN, "文明劝导员工资专项资金"): "158.79",
    ("115001", GEN, "下水道疏通车养护资金"): "7.09",
    ("115001", GEN, "污水治理专项资金"): "68.40",
    ("115001", GEN, "城管制服专项"): "45.01",
    ("115001", GEN, "春节工程项目付款"): "401.92",
    ("115002", GEN, "智慧照明运行、维护项目"): "418.02",
    ("115002", GEN, "春节工程项目付款"): "129.36",
    ("115001", GOV, "基础设施项目"): "108.00",
    ("115002", GOV, "智慧照明项目"): "859.08",
}

# 2022 personnel/operating of 115 are real; other years synthetic. (万元)
BASIC_115 = {
    2020: ("2478.63", "236.41", "4.62", "3.41", "5.00", "3.60"),
    2021: ("2583.27", "228.76", "4.15", "3.12", "4.50", "3.40"),
    2022: ("2691.67", "218.12", "3.70", "2.86", "4.00", "3.00"),
    2023: ("2768.94", "209.35", "3.24", "2.58", "3.80", "2.90"),
}

# project-scope indicators of the six 2022 project targets
# target name → (budget project seq, indicators)
PT_115 = {
    "八台工具车": ("001", (
        Ind("产出指标", "数量指标", "执法工具车数量", "台", ">=", "8", "8", 20),
        Ind("产出指标", "质量指标", "工具车完好率", "%", ">=", "95", "97.5", 15),
        Ind("产出指标", "时效指标", "动态事件及时处置率", "%", ">=", "95", "96.2", 15),
        Ind("效益指标", "社会效益指标", "街面秩序和市容市貌改善", "", "qualitative", "明显改善", "达成年度指标", 30),
        Ind("满意度指标", "服务对象满意度指标", "沿街商户及市民满意度", "%", ">=", "90", "91.3", 10),
    )),
    "数字化城市管理": ("003", (
        Ind("产出指标", "数量指标", "受理城市管理案件数", "件", ">=", "6500", "7012", 20),
        Ind("产出指标", "质量指标", "立案率", "%", ">=", "95", "99.79", 15),
        Ind("产出指标", "质量指标", "结案率", "%", ">=", "95", "99.50", 15),
        Ind("效益指标", "可持续影响指标", "智慧城管平台建设应用", "", "qualitative", "建成并投入使用", "达成年度指标", 30),
        Ind("满意度指标", "服务对象满意度指标", "投诉人满意度", "%", ">=", "90", "89.6", 10),
    )),
    "文明劝导员": ("004", (
        Ind("产出指标", "数量指标", "聘用文明劝导员人数", "人", ">=", "60", "60", 20),
        Ind("产出指标", "数量指标", "劝导流动摊贩", "起", ">=", "12000", "14000", 15),
        Ind("产出指标", "时效指标", "劝导员工资按月发放率", "%", ">=", "100", "100", 15),
        Ind("效益指标", "社会效益指标", "市民文明素养提升", "", "qualitative", "有所提升", "达成年度指标", 30),
        Ind("满意度指标", "服务对象满意度指标", "市民满意度", "%", ">=", "90", "92.1", 10),
    )),
    "下水道综合养护车": ("005", (
        Ind("产出指标", "数量指标", "疏通下水道长度", "千米", ">=", "30", "26.5", 20),
        Ind("产出指标", "质量指标", "疏通后排水通畅率", "%", ">=", "95", "96", 15),
        Ind("产出指标", "时效指标", "汛期堵塞报修处置及时率", "%", ">=", "95", "97", 15),
        Ind("效益指标", "社会效益指标", "城区排水通畅", "", "qualitative", "主次干道无严重内涝", "部分达成并具有一定效果", 30),
        Ind("满意度指标", "服务对象满意度指标", "周边居民满意度", "%", ">=", "90", "90.4", 10),
    )),
    "污水治理": ("006", (
        Ind("产出指标", "数量指标", "正常运行污水提升泵站数", "座", ">=", "4", "4", 20),
        Ind("产出指标", "质量指标", "泵站设备完好率", "%", ">=", "98", "99", 15),
        Ind("产出指标", "时效指标", "泵站故障修复时限", "小时", "<=", "24", "18", 15),
        Ind("效益指标", "生态效益指标", "城区生活污水有序排放", "", "qualitative", "有序排放", "达成年度指标", 30),
        Ind("满意度指标", "服务对象满意度指标", "周边居民满意度", "%", ">=", "90", "91", 10),
    )),
    "牛皮癣广告清洗": ("002", (
        Ind("产出指标", "数量指标", "常态清洗主次街道数", "条", ">=", "70", "72", 20),
        Ind("产出指标", "质量指标", "小广告日产日清率", "%", ">=", "95", "96", 15),
        Ind("产出指标", "数量指标", "违规小广告号码停机数", "个", ">=", "25", "29", 15),
        Ind("效益指标", "社会效益指标", "街面美观零污染", "", "qualitative", "美观整洁", "达成年度指标", 30),
        Ind("满意度指标", "服务对象满意度指标", "市民满意度", "%", ">=", "90", "90.8", 10),
    )),
}

I115 = (
    Ind("产出指标", "数量指标", "数字城管受理城市管理案件数", "件", ">=", "6500", "7012", 3),
    Ind("产出指标", "数量指标", "行政处罚案件立案数", "件", ">=", "7000", "7316", 4),
    Ind("产出指标", "数量指标", "查处违法建筑面积", "平方米", ">=", "10000", "8337.395", 4),
    Ind("产出指标", "数量指标", "维修路灯", "盏", ">=", "500", "540", 2),
    Ind("产出指标", "数量指标", "更换路灯", "套", ">=", "1200", "1174", 3),
    Ind("产出指标", "数量指标", "更换路灯线路", "米", ">=", "15000", "14300", 2),
    Ind("产出指标", "数量指标", "维修人行道面积", "平方米", ">=", "15000", "12911", 3),
    Ind("产出指标", "数量指标", "新增停车位", "个", ">=", "1300", "910", 3),
    Ind("产出指标", "数量指标", "检查燃气生产经营单位", "家", ">=", "600", "638", 3),
    Ind("产出指标", "数量指标", "新建供水管网", "千米", ">=", "25", "29", 2),
    Ind("产出指标", "数量指标", "清淤维修检查井及雨水口", "处", ">=", "1500", "1536", 2),
    Ind("产出指标", "质量指标", "数字城管立案率", "%", ">=", "95", "99.79", 4),
    Ind("产出指标", "质量指标", "数字城管结案率", "%", ">=", "95", "99.50", 4),
    Ind("产出指标", "质量指标", "城区路灯亮灯率", "%", ">=", "98", "98", 4),
    Ind("产出指标", "质量指标", "供水水质合格率", "%", ">=", "100", "100", 3),
    Ind("产出指标", "质量指标", "重大安全生产责任事故", "起", "=", "0", "0", 2),
    Ind("产出指标", "时效指标", "主次街道牛皮癣小广告清理时效", "", "qualitative", "日产日清", "达成年度指标", 2),
    Ind("效益指标", "社会效益指标", "劝导流动摊贩", "起", ">=", "12000", "14000", 3),
    Ind("效益指标", "社会效益指标", "录入人行道违停信息", "条", ">=", "5000", "6246", 3),
    Ind("效益指标", "社会效益指标", "党员监督执法后执法矛盾减少比例", "%", ">=", "80", "90", 2),
    Ind("效益指标", "社会效益指标", "排查餐饮燃气用户报警器安装率", "%", ">=", "100", "100", 3),
    Ind("效益指标", "社会效益指标", "文明城市创建和国家卫生城市成果巩固", "", "qualitative", "持续巩固提升", "达成年度指标", 3),
    Ind("效益指标", "生态效益指标", "城区焚烧火点处置率", "%", ">=", "100", "100", 3),
    Ind("效益指标", "生态效益指标", "新建及改造市政污水管", "千米", ">=", "2", "1.18", 3),
    Ind("效益指标", "生态效益指标", "诸葛庙填埋场封场防渗面积", "万平方米", ">=", "4.5", "4.5", 2, years=(2021, 2022)),
    Ind("效益指标", "生态效益指标", "城区生活垃圾无害化处理率", "%", ">=", "100", "100", 2, years=(2020, 2023)),
    Ind("效益指标", "生态效益指标", "餐饮油烟治理", "", "qualitative", "有序推进", "部分达成并具有一定效果", 2),
    Ind("效益指标", "可持续影响指标", "渣土车安装车载终端", "台", ">=", "220", "146", 3),
    Ind("效益指标", "可持续影响指标", "违规小广告号码停机", "个", ">=", "25", "29", 3),
    Ind("满意度指标", "服务对象满意度指标", "市民对城市管理工作满意度", "%", ">=", "90", "86", 6),
    Ind("满意度指标", "服务对象满意度指标", "12319热线投诉处理满意度", "%", ">=", "90", "84", 4),
)

DEPT_115 = Dept(
    code="115", name="零陵区城市管理和综合执法局", short="城管局", units=U115, projects=P115,
    indicators=I115, style=STYLES["115"],
    prof={
        2020: Prof((0.45, 0.75), (0.35, 0.60), (0.3, 0.6), MONTHS_NORMAL),
        2021: Prof((0.50, 0.80), (0.30, 0.55), (0.3, 0.6), MONTHS_NORMAL),
        2022: Prof((0.55, 0.75), (0.35, 0.60), (0.3, 0.6), MONTHS_NORMAL),
        2023: Prof((0.82, 0.97), (0.08, 0.25), (0.5, 0.9), MONTHS_NORMAL),
    },
    established=2004,
    duties="在城区集中行使城市管理领域的行政处罚权，涉及规划监察、市容环境卫生、园林绿化、市政管理、环境保护、工商行政和公安交通管理等方面法律法规规定的全部或部分处罚事项；环卫园林和市政方面的执法事项分别委托区环境卫生和园林绿化服务中心、区市政设施维护站实施。",
    offices=("办公室（财务装备室）", "政工室（督查室）", "法制室", "燃气热力管理办公室（照明管理办公室）",
             "市政公用管理室", "行政管理审批股", "废弃物处置和给排水管理办公室（城市园林管理室）"),
    staffing=(268, 251),
    annual_targets=(
        "围绕全国文明城市创建，加强城市管理执法，市容市貌保持常态化整洁有序",
        "推动数字城管向精细化管理转变，提升城市管理问题的发现和处置效率",
        "加强路灯、供水、燃气等公用事业监管，保障城市公用设施安全运行",
        "开展禁止焚烧等专项整治，改善城区人居环境，巩固国家卫生城市成果",
    ),
    synthetic=False,
    # 2023: project budgets trimmed after the low execution of 2022
    year_factor={2020: 0.95, 2021: 1.00, 2022: 1.00, 2023: 0.86},
)

BRIGADES_115 = ("南津渡执法大队", "徐家井执法大队", "七里店执法大队", "朝阳执法大队")
SECTION_UNITS_115 = ("零陵区路灯管理所", "数字化城管指挥中心", "零陵区市政设施维护站")
AFFILIATED_115 = ("零陵区环境卫生和园林绿化服务中心", "永州市朝阳岩公园管理所", "永州市怀素公园管理所")

# --------------------------------------------------------------------------------------
# Fully synthetic departments (116–121)
# --------------------------------------------------------------------------------------


def std_indicators(rows: tuple[tuple, ...]) -> tuple[Ind, ...]:
    return tuple(Ind(*row) for row in rows)


def dept_116() -> Dept:
    units = (
        UnitDef("116001", "局本级", "本级", "行政", "2050101", "780", "110"),
        UnitDef("116002", "零陵区第一中学", "二级", "事业", "2050204", "3150", "280"),
        UnitDef("116003", "零陵区实验小学", "二级", "事业", "2050202", "2480", "210"),
        UnitDef("116004", "零陵区职业中专学校", "二级", "事业", "2050302", "1320", "140"),
        UnitDef("116005", "零陵区城区幼儿园", "二级", "事业", "2050201", "560", "60"),
    )
    projects = (
        Proj("001", "116003", GEN, "义务教育学校公用经费保障", "2050202", "420",
             (("30201", 0.3, ("公用经费：教学耗材",)), ("30213", 0.3, ("公用经费：校舍零星维修",)), ("30299", 0.4, ("公用经费：物业及安保服务",))),
             n=40, indicator=("保障义务教育学校数", "所", "42"), effect="义务教育学校正常运转",
             target_text="按生均标准足额拨付义务教育学校公用经费，保障学校正常运转。"),
        Proj("002", "116001", GEN, "学生资助补助经费", "2050299", "360", (("30308", 1.0, ("{term}学期国家助学金", "家庭经济困难学生生活补助")),), pattern="semester", n=12,
             indicator=("资助家庭经济困难学生", "人次", "9800"), effect="家庭经济困难学生应助尽助",
             target_text="落实各学段学生资助政策，不让一个学生因家庭经济困难而失学。"),
        Proj("003", "116001", GEN, "教师培训专项", "2050803", "80", (("30216", 0.8, ("中小学教师全员培训费",)), ("30211", 0.2, ("骨干教师外出研修差旅费",))), n=14),
        Proj("004", "116002", GEN, "校舍维修改造", "2050204", "600", (("30213", 0.4, ("学生宿舍维修工程款",)), ("31006", 0.6, ("教学楼维修改造工程进度款", "校舍维修结算款"))), n=10,
             indicator=("维修改造校舍面积", "平方米", "12000"), effect="办学条件改善",
             target_text="完成教学楼和学生宿舍维修改造，消除校舍安全隐患。"),
        Proj("005", "116004", GEN, "中职教育质量提升", "2050302", "250", (("31002", 0.5, ("实训设备采购款",)), ("30227", 0.5, ("校企合作实训服务费",))), n=10),
        Proj("006", "116005", GEN, "学前教育发展资金", "2050201", "200", (("30227", 0.5, ("普惠性幼儿园奖补资金",)), ("31002", 0.5, ("幼儿园玩教具采购",))), n=8, years=(2021, 2022, 2023), start=2021),
        Proj("007", "116003", GEN, "农村义务教育学生营养改善计划", "2050202", "310", (("30399", 1.0, ("{m}月学生营养餐补助",)),), pattern="school_months", n=10),
        Proj("101", "116001", GOV, "彩票公益金教育助学项目", "2296004", "60", (("30308", 1.0, ("彩票公益金助学金发放",)),), n=4),
    )
    inds = std_indicators((
        ("产出指标", "数量指标", "在校学生人数", "人", ">=", "38000", "38650", 6),
        ("产出指标", "数量指标", "公用经费保障学校数", "所", ">=", "42", "42", 4),
        ("产出指标", "数量指标", "资助家庭经济困难学生", "人次", ">=", "9800", "10126", 6),
        ("产出指标", "数量指标", "教师培训人次", "人次", ">=", "2400", "2315", 4),
        ("产出指标", "数量指标", "维修改造校舍面积", "平方米", ">=", "12000", "12600", 5),
        ("产出指标", "质量指标", "九年义务教育巩固率", "%", ">=", "98", "98.6", 6),
        ("产出指标", "质量指标", "普通高中本科上线率", "%", ">=", "45", "47.2", 5),
        ("产出指标", "质量指标", "中职学生双证书获取率", "%", ">=", "90", "92.5", 4),
        ("产出指标", "时效指标", "学生资助资金发放及时率", "%", ">=", "100", "100", 5),
        ("产出指标", "成本指标", "生均公用经费标准执行", "", "qualitative", "按标准足额拨付", "达成年度指标", 5),
        ("效益指标", "社会效益指标", "适龄儿童入学率", "%", ">=", "100", "100", 8),
        ("效益指标", "社会效益指标", "家庭经济困难学生应助尽助", "", "qualitative", "应助尽助", "达成年度指标", 6),
        ("效益指标", "社会效益指标", "校园安全责任事故", "起", "=", "0", "0", 6),
        ("效益指标", "可持续影响指标", "教育教学质量持续提升", "", "qualitative", "稳步提升", "达成年度指标", 5),
        ("效益指标", "可持续影响指标", "学前教育毛入园率", "%", ">=", "90", "91.4", 5),
        ("满意度指标", "服务对象满意度指标", "学生及家长满意度", "%", ">=", "90", "93.1", 10),
    ))
    return Dept(
        code="116", name="零陵区教育局", short="教育局", units=units, projects=projects, indicators=inds,
        style=STYLES["116"], prof=dict.fromkeys(YEARS, Prof((0.80, 0.96), (0.10, 0.30), (0.5, 0.9), MONTHS_NORMAL)),
        established=1984, duties="贯彻执行教育法律法规和方针政策，统筹管理全区学前教育、义务教育、普通高中和中等职业教育，负责教育经费、学生资助和教师队伍管理。",
        offices=("办公室", "人事股", "计划财务股", "基础教育股", "职业与成人教育股", "学生资助管理中心"),
        staffing=(1620, 1578), annual_targets=(
            "保障各级各类学校正常运转，义务教育巩固率保持在98%以上",
            "落实学生资助政策，做到应助尽助",
            "推进校舍维修改造和办学条件改善，消除校舍安全隐患",
        ), feature="多单位的大部门（局本级加四所学校），执行进度正常",
    )


def dept_117() -> Dept:
    units = (
        UnitDef("117001", "局本级", "本级", "行政", "2100101", "650", "90"),
        UnitDef("117002", "零陵区疾病预防控制中心", "二级", "事业", "2100401", "900", "110"),
        UnitDef("117003", "零陵区妇幼保健计划生育服务中心", "二级", "事业", "2100403", "1100", "120"),
    )
    projects = (
        Proj("001", "117001", GEN, "基本公共卫生服务补助资金", "2100408", "2200", (("30227", 0.85, ("基本公共卫生服务补助资金拨付（乡镇卫生院）", "家庭医生签约服务经费")), ("30299", 0.15, ("基本公卫服务宣传及耗材",))), n=24,
             indicator=("65岁以上老年人健康管理人数", "人", "52000"), effect="居民健康水平提高",
             target_text="按人均补助标准落实基本公共卫生服务项目，重点人群健康管理覆盖面稳步扩大。"),
        Proj("002", "117002", GEN, "重大传染病防控经费", "2100409", "300", (("30218", 0.6, ("结核病防治药品及试剂", "艾滋病防治检测试剂")), ("30227", 0.4, ("传染病监测服务费",))), n=14),
        Proj("003", "117002", GEN, "新冠肺炎疫情防控经费", "2100410", "1500", (("30218", 0.5, ("防控物资采购款",)), ("30226", 0.2, ("防控临时人员劳务费",)), ("30227", 0.3, ("核酸检测服务费",))), n=30, years=(2020, 2021, 2022), start=2020,
             indicator=("完成核酸检测", "万人次", "120"), effect="疫情得到有效防控",
             target_text="保障疫情防控物资和检测经费，及时发现和处置疫情。"),
        Proj("004", "117001", GEN, "计划生育家庭奖励扶助", "2100799", "450", (("30305", 1.0, ("计划生育家庭奖励扶助金发放", "计划生育特别扶助金发放")),), pattern="quarterly", n=4),
        Proj("005", "117003", GEN, "妇幼健康服务项目", "2100403", "180", (("30218", 0.5, ("新生儿疾病筛查试剂",)), ("30227", 0.5, ("孕产妇免费产前筛查经费", "两癌筛查服务费"))), n=12),
    )
    inds = std_indicators((
        ("产出指标", "数量指标", "适龄儿童免疫规划疫苗接种剂次", "剂次", ">=", "68000", "70215", 5),
        ("产出指标", "数量指标", "65岁以上老年人健康管理人数", "人", ">=", "52000", "53870", 5),
        ("产出指标", "数量指标", "孕产妇系统管理人数", "人", ">=", "5200", "5318", 5),
        ("产出指标", "数量指标", "传染病监测报告病例数", "例", ">=", "1500", "1642", 5),
        ("产出指标", "数量指标", "计划生育奖励扶助对象人数", "人", ">=", "6100", "6188", 5),
        ("产出指标", "质量指标", "适龄儿童免疫规划疫苗接种率", "%", ">=", "90", "96.8", 6),
        ("产出指标", "质量指标", "孕产妇死亡率", "1/10万", "<=", "15", "9.6", 6),
        ("产出指标", "质量指标", "婴儿死亡率", "‰", "<=", "5", "3.2", 5),
        ("产出指标", "时效指标", "法定传染病报告及时率", "%", ">=", "99", "99.6", 5),
        ("产出指标", "成本指标", "基本公共卫生服务人均补助标准", "元", ">=", "84", "84", 3),
        ("效益指标", "社会效益指标", "居民健康素养水平", "%", ">=", "25", "27.3", 8),
        ("效益指标", "社会效益指标", "重大传染病疫情暴发", "起", "=", "0", "0", 7),
        ("效益指标", "可持续影响指标", "基层医疗卫生服务能力", "", "qualitative", "稳步提升", "达成年度指标", 8),
        ("效益指标", "生态效益指标", "医疗废物规范处置率", "%", ">=", "100", "100", 7),
        ("满意度指标", "服务对象满意度指标", "居民对基本公共卫生服务满意度", "%", ">=", "85", "90.2", 10),
    ))
    return Dept(
        code="117", name="零陵区卫生健康局", short="卫健局", units=units, projects=projects, indicators=inds,
        style=STYLES["117"],
        prof=dict.fromkeys(YEARS, Prof((0.93, 0.995), (0.05, 0.20), (0.8, 1.0), MONTHS_FAST, (0.985, 0.999), "fast")),
        established=2019, duties="组织实施全区卫生健康政策，负责疾病预防控制、基本公共卫生服务、妇幼健康和计划生育服务管理，统筹医疗卫生资源配置。",
        offices=("办公室", "规划财务股", "医政医管股", "疾病预防控制股", "基层卫生健康股", "妇幼健康股"),
        staffing=(236, 229), annual_targets=(
            "落实基本公共卫生服务项目，重点人群健康管理率达到省定标准",
            "做好重大传染病和突发公共卫生事件防控，不发生重大疫情暴发",
            "提升妇幼健康服务水平，孕产妇和婴儿死亡率控制在目标以内",
        ), feature="执行快：项目资金前置支付，执行率高（约95%以上）",
    )


def dept_118() -> Dept:
    units = (
        UnitDef("118001", "局本级", "本级", "行政", "2130101", "700", "95"),
        UnitDef("118002", "零陵区农业技术推广中心", "二级", "事业", "2130104", "520", "60"),
        UnitDef("118003", "零陵区畜牧水产事务中心", "二级", "事业", "2130104", "430", "50"),
    )
    projects = (
        Proj("001", "118001", GEN, "高标准农田建设", "2130153", "2400", (("31005", 1.0, ("高标准农田建设工程进度款", "农田建设项目监理费", "高标准农田工程结算款")),), n=14,
             indicator=("建设高标准农田面积", "万亩", "3.2"), effect="农田基础设施条件改善",
             target_text="新建高标准农田并完成验收，提升耕地质量和粮食综合生产能力。"),
        Proj("002", "118001", GEN, "耕地地力保护补贴", "2130122", "1600", (("30399", 1.0, ("耕地地力保护补贴发放（一卡通）",)),), pattern="lumpy", n=6),
        Proj("003", "118002", GEN, "农作物病虫害防控", "2130108", "120", (("30218", 0.7, ("统防统治农药采购",)), ("30227", 0.3, ("病虫害监测服务费",))), n=8),
        Proj("004", "118003", GEN, "动物防疫补助", "2130108", "160", (("30218", 0.6, ("强制免疫疫苗采购",)), ("30226", 0.4, ("村级防疫员劳务补助",))), n=8),
        Proj("005", "118001", GEN, "巩固脱贫衔接乡村振兴资金", "2130504", "1800", (("31005", 0.7, ("村组道路建设工程款", "农村供水设施改造工程款")), ("30227", 0.3, ("产业发展项目资金拨付",))), n=18,
             indicator=("实施衔接资金项目", "个", "45"), effect="脱贫人口稳定增收、不发生规模性返贫",
             target_text="实施衔接资金项目，支持产业发展和农村基础设施建设，守住不发生规模性返贫底线。"),
        Proj("006", "118001", GEN, "农村人居环境整治", "2130126", "500", (("31005", 0.6, ("农村户厕改造奖补",)), ("30227", 0.4, ("村庄清洁行动经费",))), n=10, years=(2021, 2022, 2023), start=2021),
        Proj("101", "118001", GOV, "土地出让收入农村基础设施项目", "2120804", "900", (("31005", 1.0, ("农村基础设施建设工程款",)),), n=6),
    )
    inds = std_indicators((
        ("产出指标", "数量指标", "建设高标准农田面积", "万亩", ">=", "3.2", "2.6", 8),
        ("产出指标", "数量指标", "耕地地力保护补贴发放面积", "万亩", ">=", "48", "48.3", 6),
        ("产出指标", "数量指标", "农作物病虫害统防统治面积", "万亩", ">=", "22", "22.5", 6),
        ("产出指标", "数量指标", "畜禽强制免疫数量", "万头（羽）", ">=", "260", "268", 5),
        ("产出指标", "数量指标", "完成人居环境整治村数", "个", ">=", "60", "52", 5),
        ("产出指标", "质量指标", "高标准农田工程验收合格率", "%", ">=", "100", "100", 6),
        ("产出指标", "质量指标", "重大动物疫病免疫密度", "%", ">=", "90", "93", 5),
        ("产出指标", "时效指标", "惠农补贴资金发放及时率", "%", ">=", "100", "92", 5),
        ("产出指标", "成本指标", "高标准农田亩均财政投入", "元/亩", "<=", "3000", "2950", 4),
        ("效益指标", "经济效益指标", "粮食播种面积", "万亩", ">=", "52", "52.4", 8),
        ("效益指标", "经济效益指标", "农村居民人均可支配收入增长率", "%", ">=", "6.5", "6.8", 7),
        ("效益指标", "社会效益指标", "守住不发生规模性返贫底线", "", "qualitative", "不发生规模性返贫", "达成年度指标", 8),
        ("效益指标", "生态效益指标", "化肥农药使用量零增长", "", "qualitative", "零增长", "部分达成并具有一定效果", 7),
        ("满意度指标", "服务对象满意度指标", "农户满意度", "%", ">=", "90", "88.5", 10),
    ))
    lag = Prof((0.35, 0.65), (0.20, 0.45), (0.1, 0.4), MONTHS_LAG, label="lagging")
    return Dept(
        code="118", name="零陵区农业农村局", short="农业农村局", units=units, projects=projects, indicators=inds,
        style=STYLES["118"], prof=dict.fromkeys(YEARS, lag),
        established=2019, duties="统筹推进全区农业农村工作，负责粮食生产、耕地保护与高标准农田建设、农业技术推广、动植物疫病防控和乡村振兴衔接资金管理。",
        offices=("办公室", "计划财务股", "农田建设管理股", "种植业管理股", "乡村振兴股", "农村社会事业促进股"),
        staffing=(188, 180), annual_targets=(
            "稳定粮食播种面积，完成高标准农田建设任务",
            "按时足额发放惠农补贴资金",
            "实施衔接资金项目，守住不发生规模性返贫底线",
        ), feature="严重滞后：项目支出集中在11–12月，全年大部分时间远落后于序时进度，执行率低",
    )


def dept_119() -> Dept:
    units = (
        UnitDef("119001", "局本级", "本级", "行政", "2080201", "480", "70"),
        UnitDef("119002", "零陵区社会福利院", "二级", "事业", "2081005", "260", "45"),
        UnitDef("119003", "零陵区殡仪馆", "二级", "事业", "2081004", "210", "40"),
    )
    projects = (
        Proj("001", "119001", GEN, "城市最低生活保障金", "2081901", "2600", (("30305", 1.0, ("{m}月城市低保金发放",)),), pattern="monthly", n=12,
             indicator=("城市低保保障人数", "人", "4300"), effect="城市困难群众基本生活得到保障",
             target_text="按月足额发放城市低保金，做到应保尽保、动态管理。"),
        Proj("002", "119001", GEN, "农村最低生活保障金", "2081902", "3400", (("30305", 1.0, ("{m}月农村低保金发放",)),), pattern="monthly", n=12,
             indicator=("农村低保保障人数", "人", "9800"), effect="农村困难群众基本生活得到保障",
             target_text="按月足额发放农村低保金，落实兜底保障。"),
        Proj("003", "119001", GEN, "特困人员救助供养", "2082102", "1300", (("30305", 0.7, ("{m}月特困人员基本生活费发放",)), ("30227", 0.3, ("{m}月特困人员照料护理费",))), pattern="monthly", n=12),
        Proj("004", "119001", GEN, "临时救助资金", "2082001", "350", (("30306", 1.0, ("临时救助金发放",)),), n=20),
        Proj("005", "119002", GEN, "养老服务体系建设", "2081006", "280", (("31006", 0.6, ("福利院适老化改造工程款",)), ("30227", 0.4, ("居家养老服务购买",))), n=8),
        Proj("006", "119001", GEN, "城乡社区治理", "2080208", "150", (("30227", 0.6, ("城乡社区服务站运行补助",)), ("30299", 0.4, ("社区工作者培训",))), n=10),
        Proj("101", "119001", GOV, "福利彩票公益金项目", "2296002", "120", (("30227", 0.5, ("彩票公益金资助养老服务项目",)), ("31006", 0.5, ("彩票公益金养老设施改造",))), n=5),
        # deliberate: paid without any budget line (unbudgeted payments)
        Proj("901", "119001", GEN, "困难群众春节慰问金", "2082001", "45", (("30306", 1.0, ("春节慰问困难群众资金",)),), pattern="festival", n=3, annual=True, unbudgeted=True),
        Proj("902", "119001", GEN, "防汛救灾应急生活救助", "2082502", "30", (("30306", 1.0, ("汛期受灾群众应急生活救助",)),), pattern="flood", n=2, annual=True, unbudgeted=True),
    )
    inds = std_indicators((
        ("产出指标", "数量指标", "城市低保保障人数", "人", ">=", "4300", "4352", 6),
        ("产出指标", "数量指标", "农村低保保障人数", "人", ">=", "9800", "9917", 6),
        ("产出指标", "数量指标", "特困人员供养人数", "人", ">=", "2100", "2136", 6),
        ("产出指标", "数量指标", "临时救助人次", "人次", ">=", "1800", "1956", 5),
        ("产出指标", "数量指标", "新增养老服务床位", "张", ">=", "120", "96", 5),
        ("产出指标", "质量指标", "救助资金发放准确率", "%", ">=", "100", "99.8", 6),
        ("产出指标", "质量指标", "养老机构服务质量达标率", "%", ">=", "90", "92", 5),
        ("产出指标", "时效指标", "救助资金按月发放及时率", "%", ">=", "100", "100", 6),
        ("产出指标", "成本指标", "城市低保月保障标准", "元/月", ">=", "620", "620", 5),
        ("效益指标", "社会效益指标", "困难群众基本生活保障", "", "qualitative", "应保尽保", "达成年度指标", 10),
        ("效益指标", "社会效益指标", "经核实的错保漏保投诉", "件", "<=", "5", "3", 6),
        ("效益指标", "可持续影响指标", "城乡社区治理水平", "", "qualitative", "持续提升", "达成年度指标", 7),
        ("效益指标", "可持续影响指标", "城乡社区综合服务设施覆盖率", "%", ">=", "95", "96.5", 7),
        ("满意度指标", "服务对象满意度指标", "救助对象满意度", "%", ">=", "90", "94.6", 10),
    ))
    return Dept(
        code="119", name="零陵区民政局", short="民政局", units=units, projects=projects, indicators=inds,
        style=STYLES["119"], prof=dict.fromkeys(YEARS, Prof((0.82, 0.97), (0.08, 0.25), (0.6, 1.0), MONTHS_NORMAL)),
        established=1980, duties="负责全区社会救助、养老服务、社会福利、殡葬管理和城乡社区治理工作，落实最低生活保障、特困供养和临时救助政策。",
        offices=("办公室", "社会救助股", "养老服务股", "社会事务股", "基层政权和社区建设股"),
        staffing=(96, 91), annual_targets=(
            "城乡低保和特困供养应保尽保，救助资金按月足额发放",
            "推进养老服务体系建设，新增养老服务床位",
            "提升城乡社区治理和服务水平",
        ), feature="存在无预算支出：每年有少量支付挂在没有预算指标的项目编码上（901、902），用于演示 budgeted=False",
    )


def dept_120() -> Dept:
    units = (
        UnitDef("120001", "局本级", "本级", "行政", "2140101", "520", "80"),
        UnitDef("120002", "零陵区公路建设养护中心", "二级", "事业", "2140106", "900", "95"),
        UnitDef("120003", "零陵区交通运输综合行政执法大队", "二级", "行政", "2140112", "610", "85"),
    )
    projects = (
        Proj("001", "120002", GEN, "农村公路养护", "2140106", "1500", (("30213", 0.6, ("农村公路日常养护费", "公路小修保养工程款")), ("31005", 0.4, ("水毁路段修复工程款",))), n=20,
             indicator=("农村公路养护里程", "公里", "1450"), effect="农村公路通行条件改善",
             target_text="落实农村公路日常养护，路况保持良好，优良中等路率达到目标。"),
        Proj("002", "120001", GEN, "四好农村路建设", "2140104", "2500", (("31005", 1.0, ("农村公路提质改造工程进度款", "通自然村道路硬化工程款")),), n=16,
             indicator=("农村公路新改建里程", "公里", "85"), effect="群众出行更加便捷",
             target_text="完成农村公路提质改造和通自然村道路硬化任务。"),
        Proj("003", "120002", GEN, "公路安全生命防护工程", "2140110", "400", (("31005", 1.0, ("安防工程护栏安装款",)),), n=6, years=(2020, 2021, 2022), start=2020),
        Proj("004", "120003", GEN, "交通运输执法装备", "2140112", "60", (("31002", 0.4, ("执法记录仪采购",)), ("31003", 0.6, ("超限检测设备采购",))), n=4),
        Proj("005", "120001", GEN, "城市公交运营补贴", "2140199", "800", (("31299", 1.0, ("第{q}季度公交企业运营补贴拨付",)),), pattern="quarterly", n=4),
        Proj("006", "120001", GEN, "车辆购置税农村公路补助", "2140601", "1200", (("31005", 1.0, ("车购税补助项目工程款",)),), n=8),
        Proj("201", "120001", SOE, "城市公交企业资本金注入", "2230202", "300", (("31201", 1.0, ("公交公司资本金注入",)),), n=2, years=(2021, 2022, 2023), start=2021),
    )
    inds = std_indicators((
        ("产出指标", "数量指标", "农村公路新改建里程", "公里", ">=", "85", "88.6", 8),
        ("产出指标", "数量指标", "农村公路养护里程", "公里", ">=", "1450", "1462", 7),
        ("产出指标", "数量指标", "安全生命防护工程实施里程", "公里", ">=", "60", "57", 5),
        ("产出指标", "数量指标", "路面执法检查车辆", "台次", ">=", "12000", "12840", 5),
        ("产出指标", "质量指标", "农村公路优良中等路率", "%", ">=", "80", "83.5", 7),
        ("产出指标", "质量指标", "工程交工验收合格率", "%", ">=", "100", "100", 6),
        ("产出指标", "时效指标", "工程按期完工率", "%", ">=", "95", "90", 6),
        ("产出指标", "成本指标", "农村公路提质改造每公里造价", "万元/公里", "<=", "90", "86.4", 6),
        ("效益指标", "社会效益指标", "建制村通客车率", "%", ">=", "100", "100", 8),
        ("效益指标", "社会效益指标", "较大以上道路运输安全事故", "起", "=", "0", "0", 7),
        ("效益指标", "经济效益指标", "城市公交客运量", "万人次", ">=", "1600", "1532", 7),
        ("效益指标", "可持续影响指标", "农村公路管养长效机制", "", "qualitative", "建立健全", "达成年度指标", 8),
        ("满意度指标", "服务对象满意度指标", "群众出行满意度", "%", ">=", "90", "91.8", 10),
    ))
    return Dept(
        code="120", name="零陵区交通运输局", short="交通运输局", units=units, projects=projects, indicators=inds,
        style=STYLES["120"], prof=dict.fromkeys(YEARS, Prof((0.80, 0.95), (0.10, 0.30), (0.5, 0.9), MONTHS_NORMAL)),
        established=1992, duties="负责全区公路建设与养护、道路运输和城市公共交通管理、交通运输综合执法和安全监管。",
        offices=("办公室", "规划建设股", "公路管理股", "运输管理股", "安全监督股", "财务审计股"),
        staffing=(212, 203), annual_targets=(
            "完成农村公路新改建和养护任务，优良中等路率稳步提升",
            "保障城市公交运营，建制村通客车率保持100%",
            "强化交通运输安全监管，不发生较大以上道路运输安全事故",
        ), feature="有国有资本经营预算（公交企业资本金注入）；支付文件金额带千分位",
    )


def dept_121() -> Dept:
    units = (
        UnitDef("121001", "局本级", "本级", "行政", "2101501", "330", "50"),
        UnitDef("121002", "零陵区医疗保障事务中心", "二级", "事业", "2101550", "280", "40"),
    )
    projects = (
        Proj("001", "121001", GEN, "城乡医疗救助", "2101301", "900", (("30307", 1.0, ("{m}月医疗救助资金拨付",)),), pattern="monthly", n=12,
             indicator=("医疗救助人次", "人次", "21000"), effect="困难群众医疗费用负担减轻",
             target_text="对特困、低保等困难群众实施医疗救助，减轻其医疗费用负担。"),
        Proj("002", "121001", GEN, "医保基金监管", "2101599", "40", (("30227", 0.7, ("第三方医保稽核服务费",)), ("30211", 0.3, ("飞行检查差旅费",))), n=6),
        Proj("301", "121002", SSF, "城乡居民基本医疗保险待遇支出", "2091101", "42000", (("30307", 1.0, ("{m}月居民医保住院待遇结算", "{m}月居民医保门诊待遇结算")),), pattern="biweekly", n=24,
             indicator=("城乡居民医保参保人数", "万人", "55"), effect="参保群众就医负担减轻",
             target_text="按时结算城乡居民医保待遇，政策范围内住院费用报销比例保持在目标水平。"),
        Proj("302", "121002", SSF, "城乡居民大病保险支出", "2091102", "3600", (("30307", 1.0, ("第{q}季度大病保险资金拨付",)),), pattern="quarterly", n=4),
    )
    inds = std_indicators((
        ("产出指标", "数量指标", "城乡居民医保参保人数", "万人", ">=", "55", "55.8", 8),
        ("产出指标", "数量指标", "医疗救助人次", "人次", ">=", "21000", "22340", 7),
        ("产出指标", "数量指标", "定点医药机构检查覆盖数", "家", ">=", "380", "392", 6),
        ("产出指标", "质量指标", "基本医疗保险参保率", "%", ">=", "95", "96.1", 8),
        ("产出指标", "质量指标", "政策范围内住院费用报销比例", "%", ">=", "70", "70.6", 7),
        ("产出指标", "时效指标", "医保待遇按月结算及时率", "%", ">=", "100", "100", 7),
        ("产出指标", "成本指标", "追回违规使用医保基金", "万元", ">=", "300", "356", 7),
        ("效益指标", "社会效益指标", "困难群众医疗费用负担减轻", "", "qualitative", "明显减轻", "达成年度指标", 10),
        ("效益指标", "可持续影响指标", "医保基金当期收支平衡", "", "qualitative", "收支平衡略有结余", "达成年度指标", 10),
        ("效益指标", "社会效益指标", "一站式结算覆盖率", "%", ">=", "100", "100", 10),
        ("满意度指标", "服务对象满意度指标", "参保群众满意度", "%", ">=", "90", "92.4", 10),
    ))
    return Dept(
        code="121", name="零陵区医疗保障局", short="医保局", units=units, projects=projects, indicators=inds,
        style=STYLES["121"], prof=dict.fromkeys(YEARS, Prof((0.90, 0.99), (0.05, 0.15), (0.7, 1.0), MONTHS_FAST, label="fast")),
        established=2019, duties="负责全区医疗保障政策执行、城乡居民基本医疗保险和大病保险待遇管理、医疗救助和医保基金监管。",
        offices=("办公室", "待遇保障股", "医药服务管理股", "基金监管股"),
        staffing=(42, 40), annual_targets=(
            "巩固参保覆盖面，城乡居民医保参保率保持在95%以上",
            "及时结算医保待遇，落实医疗救助政策",
            "加强医保基金监管，确保基金安全运行",
        ), feature="有社会保险基金预算（城乡居民医保基金支出）",
    )


DEPTS: tuple[Dept, ...] = (DEPT_115, dept_116(), dept_117(), dept_118(), dept_119(), dept_120(), dept_121())

YEAR_FACTOR = {2020: 0.90, 2021: 0.95, 2022: 1.00, 2023: 1.04}

# --------------------------------------------------------------------------------------
# Building the budget lines of one department-year
# --------------------------------------------------------------------------------------


def rng_for(*parts: object) -> random.Random:
    return random.Random("|".join([SEED, *map(str, parts)]))


def basic_lines(dept: Dept, unit: UnitDef, year: int, rng: random.Random, prof: Prof) -> list[Line]:
    """Basic-expenditure lines of one unit, one per (func, econ)."""
    if unit.pers == "0" and unit.oper == "0":
        return []  # e.g. 路灯管理所: no basic expenditure of its own
    fixed: dict[str, int] = {}
    fixed_budget: dict[str, int] = {}
    if dept.code == "115":
        pers_s, oper_s, recep, cars, recep_b, cars_b = BASIC_115[year]
        pers, oper = wan(pers_s), wan(oper_s)
        fixed = {"30217": wan(recep), "30231": wan(cars)}
        fixed_budget = {"30217": wan(recep_b), "30231": wan(cars_b)}
        pers_mix, oper_mix = PERS_MIX_115, OPER_MIX_115
    else:
        factor = YEAR_FACTOR[year] * rng.uniform(0.96, 1.04)
        pers = round_to(wan(unit.pers) * factor, 1)
        oper = round_to(wan(unit.oper) * factor * rng.uniform(0.95, 1.05), 1)
        pers_mix, oper_mix = PERS_MIX, OPER_MIX
    lines: list[Line] = []
    pers_parts = allocate(pers, [w * rng.uniform(0.93, 1.07) for _, w in pers_mix])
    for (econ, _), amount in zip(pers_mix, pers_parts, strict=True):
        lines.append(Line(unit.code, GEN, BASIC, personnel_func(unit, econ), econ, actual=amount,
                          pattern="payroll", n=12))
    rest = oper - sum(fixed.values())
    oper_amounts = allocate(rest, [w * rng.uniform(0.85, 1.15) for _, w in oper_mix])
    oper_parts = {econ: amount for (econ, _), amount in zip(oper_mix, oper_amounts, strict=True)}
    oper_parts.update(fixed)
    scale = min(1.6, max(0.35, wan(unit.oper) / wan("200") if unit.oper != "0" else 1.0))
    for econ, _ in OPER_MIX:
        if econ not in oper_parts:
            continue
        pattern, n, refunds = BASIC_PATTERN[econ]
        if pattern == "spread":
            n = max(2, round(n * scale))
        lines.append(Line(unit.code, GEN, BASIC, unit.admin_func, econ, actual=oper_parts[econ],
                          pattern=pattern, n=n, refunds=refunds,
                          memos=BASIC_MEMOS[econ]))
    for line in lines:
        if line.econ in fixed_budget:
            adjusted = fixed_budget[line.econ]
        else:
            rate = rng.uniform(*prof.basic_exec)
            adjusted = round_to(line.actual / rate, 10_000, up=True)  # whole 百元
        personnel = line.econ[:3] in ("301", "303")
        if personnel and line.econ in ("30101", "30102", "30107", "30108", "30113"):
            supp = round_to(adjusted * rng.uniform(0.02, 0.07), 10_000)
        elif not personnel and rng.random() < 0.25:
            supp = round_to(adjusted * rng.uniform(0.05, 0.2), 10_000)
        else:
            supp = 0
        reduction = 0
        if line.econ in ("30211", "30215") and rng.random() < 0.5:
            # 压减差旅/会议费: the original budget was higher than the adjusted one
            reduction = round_to(adjusted * rng.uniform(0.05, 0.15), 10_000)
        line.supplementary = supp
        line.reduction = reduction
        line.original = adjusted - supp + reduction
        line.received = adjusted
    return lines


def project_line(dept: Dept, proj: Proj, year: int, rng: random.Random, prof: Prof) -> Line:
    code = proj.code(dept.code, year)
    line = Line(proj.unit, proj.fund, PROJ, proj.func, "", code, proj.name, pattern=proj.pattern,
                n=proj.n, econ_mix=proj.econ_mix, budgeted=not proj.unbudgeted)
    if dept.code == "115" and year == 2022:
        actual, carry, orig, supp, red, recv = REF_2022[proj.seq]
        line.actual, line.carryover, line.original = wan(actual), wan(carry), wan(orig)
        line.supplementary, line.reduction, line.received = wan(supp), wan(red), wan(recv)
        return line
    base = wan(proj.budget) * (dept.year_factor or YEAR_FACTOR)[year] * rng.uniform(0.88, 1.12)
    step = 10_000 * (100 if base >= wan("1000") else 1)  # 万元 or 百元
    adjusted = max(step, round_to(base, step))
    if proj.unbudgeted:
        line.actual = round_to(adjusted * rng.uniform(0.7, 1.0), 100)
        return line
    supp = round_to(adjusted * rng.uniform(*prof.supp), 100_000)
    reduction = round_to(adjusted * rng.uniform(0.02, 0.08), 100_000) if rng.random() < 0.12 else 0
    original = adjusted - supp + reduction
    if original < 0:
        supp, original = adjusted + reduction, 0
    rate = rng.uniform(*prof.exec)
    if prof.label == "lagging" and rng.random() < 0.15:
        rate = rng.uniform(0.05, 0.25)  # a project barely started
    actual = round_to(adjusted * rate, 1)
    received = actual + round_to((adjusted - actual) * rng.uniform(*prof.recv), 100)
    if rng.random() < 0.2:
        received = actual  # funds released exactly as paid: 万元 figures need 6 decimals
    carry = round_to(adjusted * rng.uniform(0.03, 0.12), 10_000) if rng.random() < 0.2 else 0
    line.carryover, line.original, line.supplementary = carry, original, supp
    line.reduction, line.received, line.actual = reduction, received, actual
    return line


def dept_year_lines(dept: Dept, year: int) -> list[Line]:
    rng = rng_for("lines", dept.code, year)
    prof = dept.prof[year]
    lines: list[Line] = []
    for unit in dept.units:
        lines += basic_lines(dept, unit, year, rng, prof)
    for proj in dept.projects:
        if year in proj.years:
            lines.append(project_line(dept, proj, year, rng, prof))
    return lines


# --------------------------------------------------------------------------------------
# Vouchers
# --------------------------------------------------------------------------------------


def workday(d: date) -> date:
    """Move a weekend date to the nearest working day within the same month."""
    if d.weekday() < 5:
        return d
    forward = d + timedelta(days=7 - d.weekday())
    if forward.month == d.month:
        return forward
    return d - timedelta(days=d.weekday() - 4)


def day_in(rng: random.Random, year: int, month: int, lo: int = 1, hi: int = 31) -> date:
    last = calendar.monthrange(year, month)[1]
    return workday(date(year, month, rng.randint(lo, min(hi, last))))


def pick_months(rng: random.Random, weights: tuple[int, ...], n: int) -> list[int]:
    return sorted(rng.choices(range(1, 13), weights=weights, k=n))


def schedule(
    line: Line, year: int, rng: random.Random, prof: Prof
) -> tuple[list[date], list[float]]:
    """Dates and relative sizes of the positive vouchers of a line."""
    pat = line.pattern
    exec_share = 1.0
    if line.kind == PROJ and line.adjusted > 0:
        exec_share = max(0.2, min(1.0, line.actual / line.adjusted))
    if pat == "payroll":
        dates = [day_in(rng, year, m, 8, 15) for m in range(1, 13)]
        bonus = 1.6 if line.econ in ("30103", "30107") else 1.0
        sizes = [rng.uniform(0.98, 1.02) * (bonus if m == 12 else 1.0) for m in range(1, 13)]
        return dates, sizes
    if pat in ("monthly", "biweekly"):
        per = 2 if pat == "biweekly" else 1
        windows = [(18, 28)] if per == 1 else [(1, 14), (15, 28)]
        dates = [day_in(rng, year, m, lo, hi) for m in range(1, 13) for lo, hi in windows]
        if line.kind == PROJ and prof.label == "lagging":
            dates = dates[len(dates) // 3:]
        sizes = [rng.uniform(0.9, 1.1) for _ in dates]
        return dates, sizes
    if pat == "quarterly":
        dates = [day_in(rng, year, m, 10, 25) for m in (3, 6, 9, 12)]
        return dates, [rng.uniform(0.9, 1.1) for _ in dates]
    if pat == "holiday":
        dates = [day_in(rng, year, m, 5, 25) for m in (1, 9, 12)]
        return dates, [rng.uniform(0.8, 1.2) for _ in dates]
    if pat == "semester":
        months = [3, 4, 5, 9, 10, 11] * 2
        dates = sorted(day_in(rng, year, m) for m in months[: max(2, line.n)])
        return dates, [rng.uniform(0.7, 1.3) for _ in dates]
    if pat == "school_months":
        months = (3, 4, 5, 6, 7, 9, 10, 11, 12, 1)
        dates = sorted(day_in(rng, year, m, 10, 25) for m in months[: line.n])
        return dates, [rng.uniform(0.9, 1.1) for _ in dates]
    n = max(1, round(line.n * (exec_share if line.kind == PROJ else 1.0)))
    n = min(n, max(1, line.actual // 50_000))  # no voucher below ~500 元 on average
    if pat == "festival":
        months = pick_months(rng, (45, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 35), n)
    elif pat == "flood":
        months = pick_months(rng, (0, 0, 0, 0, 2, 4, 4, 2, 0, 0, 0, 0), n)
    elif pat == "lumpy":
        months = pick_months(rng, prof.months, n)
    else:  # spread
        months = pick_months(rng, (8, 7, 9, 9, 9, 9, 8, 8, 9, 9, 8, 9), n)
    dates = [day_in(rng, year, m) for m in months]
    sizes = [rng.lognormvariate(0, 0.8 if pat != "spread" else 0.6) * (1 + m / 12) for m in months]
    return sorted(dates), sizes


def line_vouchers(line: Line, year: int, rng: random.Random, prof: Prof) -> list[tuple]:
    """(date, econ, amount, memo) rows whose amounts add up to ``line.actual`` exactly."""
    if line.actual <= 0:
        return []
    dates, sizes = schedule(line, year, rng, prof)
    refunds: list[int] = []
    for _ in range(line.refunds if len(dates) > 2 else 0):
        refunds.append(max(100, round_to(line.actual * rng.uniform(0.004, 0.02), 100)))
    parts = allocate(line.actual + sum(refunds), sizes)
    if line.pattern in ("spread", "lumpy", "festival"):
        big = max(range(len(parts)), key=lambda i: parts[i])
        for i in range(len(parts)):
            if i != big and parts[i] > 10_000 and rng.random() < 0.45:
                step = 10_000 if parts[i] > 1_000_000 else 100
                rounded = parts[i] // step * step
                parts[big] += parts[i] - rounded
                parts[i] = rounded
    rows = []
    for d, amount in zip(dates, parts, strict=True):
        if line.econ:
            econ, memos = line.econ, line.memos or BASIC_MEMOS[line.econ]
        else:
            econ, _, memos = rng.choices(line.econ_mix, weights=[w for _, w, _ in line.econ_mix])[0]
        if line.pattern == "payroll":
            memo = memos[-1] if line.econ == "30103" and d.month == 12 else memos[0]
        else:
            memo = rng.choice(memos) if len(memos) > 1 else memos[0]
        if line.pattern == "festival":
            season = f"{year + 1}年" if d.month == 12 else f"{year}年"
            memo = f"{season}{memo}"
        memo = memo.format(m=d.month, q=(d.month - 1) // 3 + 1, term="春季" if d.month < 7 else "秋季")
        rows.append((d, econ, amount, memo))
    for r in refunds:
        candidates = [i for i, row in enumerate(rows) if row[2] > r and row[0].month < 12]
        if not candidates:
            candidates = [i for i, row in enumerate(rows) if row[2] > r]
        i = rng.choice(candidates)
        d0, econ, _, _ = rows[i]
        d = workday(min(date(year, 12, 31), d0 + timedelta(days=rng.randint(5, 40))))
        if d < d0:
            d = d0
        memo = REFUND_MEMOS.get(econ, "退回多支付款项")
        rows.append((d, econ, -r, memo))
    return rows


def dept_year_vouchers(dept: Dept, year: int, lines: list[Line]) -> list[Voucher]:
    rng = rng_for("vouchers", dept.code, year)
    prof = dept.prof[year]
    out: list[Voucher] = []
    for line in lines:
        for d, econ, amount, memo in line_vouchers(line, year, rng, prof):
            out.append(Voucher(d, line.unit, line.fund, line.kind, line.project_code, line.func,
                               econ, amount, memo, len(out)))
    out.sort(key=lambda v: (v.date, v.order))
    return out


# --------------------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------------------


def fmt_num(x: float, like: str) -> str:
    """Format ``x`` with as many decimals as the 2022 value ``like`` has (at least 0)."""
    decimals = len(like.split(".")[1]) if "." in like else 0
    text = f"{x:.{decimals}f}"
    return text


def year_values(ind: Ind, year: int, rng: random.Random, exact: bool) -> tuple[str, str]:
    if exact or ind.direction == "qualitative":
        if ind.direction == "qualitative" and not exact:
            return ind.target, rng.choice(("达成年度指标", "达成年度指标", "部分达成并具有一定效果"))
        return ind.target, ind.actual
    t, a = float(ind.target), float(ind.actual)
    if ind.direction == "=":
        return ind.target, ind.actual
    if ind.unit in ("%", "‰", "1/10万") or t <= 10:
        target = t
        if ind.unit == "%":
            actual = min(100.0, a * rng.uniform(0.985, 1.012)) if a < 100 else a
        else:
            actual = a * rng.uniform(0.85, 1.15)
        decimals = "0.00" if ind.unit in ("%", "‰") and a != int(a) else ind.actual
        return fmt_num(target, ind.target), fmt_num(actual, decimals)
    growth = 1 + 0.04 * (year - 2022)
    target = t * growth
    actual = a * growth * rng.uniform(0.92, 1.10)
    step = 10 ** max(0, len(str(int(t))) - 2)
    target = round(target / step) * step
    return fmt_num(target, ind.target), fmt_num(actual, ind.actual)


def project_indicators(dept: Dept, proj: Proj, year: int, rng: random.Random) -> list[Ind]:
    qty, unit, target = proj.indicator  # type: ignore[misc]
    t = float(target) * YEAR_FACTOR[year]
    t_text = fmt_num(t, target)
    a_text = fmt_num(t * rng.uniform(0.9, 1.08), target)
    return [
        Ind("产出指标", "数量指标", qty, unit, ">=", t_text, a_text, 20),
        Ind("产出指标", "质量指标", "项目验收（核查）合格率", "%", ">=", "100", "100", 20),
        Ind("产出指标", "时效指标", "资金支付及时率", "%", ">=", "95", fmt_num(rng.uniform(88, 100), "0.0"), 10),
        Ind("效益指标", "社会效益指标", proj.effect, "", "qualitative", "明显改善",
            rng.choice(("达成年度指标", "达成年度指标", "部分达成并具有一定效果")), 30),
        Ind("满意度指标", "服务对象满意度指标", "受益对象满意度", "%", ">=", "90", fmt_num(rng.uniform(87, 96), "0.0"), 10),
    ]


def dept_year_indicators(dept: Dept, year: int, lines: list[Line]) -> list[tuple[str, Ind]]:
    rng = rng_for("indicators", dept.code, year)
    exact = dept.code == "115" and year == 2022
    rows: list[tuple[str, Ind]] = []
    for ind in dept.indicators:
        if year not in ind.years:
            continue
        target, actual = year_values(ind, year, rng, exact)
        rows.append(("部门", replace(ind, target=target, actual=actual)))
    codes = {p.seq: p.code(dept.code, year) for p in dept.projects if year in p.years}
    if dept.code == "115":
        for seq, inds in PT_115.values():
            if seq not in codes:
                continue
            for ind in inds:
                target, actual = year_values(ind, year, rng, exact)
                rows.append((codes[seq], replace(ind, target=target, actual=actual)))
    else:
        for proj in dept.projects:
            if proj.indicator and year in proj.years:
                code = codes[proj.seq]
                rows += [(code, ind) for ind in project_indicators(dept, proj, year, rng)]
    return rows


# --------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------


def raw_path(kind: str, dept: Dept, year: int, ext: str = "csv") -> Path:
    """Where a department-year's file of ``kind`` (budget, payments, indicators, income,
    balances, procurement) goes under data/raw/; for ``profiles`` its folder."""
    if own_folder(dept):  # the sample shapes show the one-folder-per-department layout
        if kind == "profiles":
            return RAW / dept.code / "profiles" / str(year)
        return RAW / dept.code / kind / str(year) / f"{dept.code}-{dept.short}.{ext}"
    if kind == "profiles":
        return RAW / "profiles" / dept.code / str(year)
    return RAW / kind / str(year) / f"{dept.code}-{dept.short}.{ext}"


def own_folder(dept: Dept) -> bool:
    """Whether a department lives in its own folder ``data/raw/<code>/`` (the sample shapes)
    rather than in the shared table folders."""
    return dept.code in {spec.dept.code for spec in SHAPES}


def write_csv(
    path: Path, header: list[str], rows: list[list[str]], encoding: str, crlf: bool
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def write_xlsx(path: Path, header: list[str], rows: list[list], title: list[str] | None,
               text_cols: set[int]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    ws = wb.active
    ws.title = "预算指标明细"
    r = 1
    if title:
        ws.cell(1, 1, title[0]).font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        ws.cell(2, 1, title[1])
        r = 3
    for c, name in enumerate(header, start=1):
        ws.cell(r, c, name).font = Font(bold=True)
    for row in rows:
        r += 1
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = ws.cell(r, c, value)
            if c - 1 in text_cols:
                cell.number_format = "@"
            elif isinstance(value, float | int):
                cell.number_format = "0.00####"
    for c, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(c)].width = max(10, min(28, len(name) * 2 + 2))
    wb.properties.creator = "outturn sample generator"
    wb.properties.created = FIXED_DT
    wb.properties.modified = FIXED_DT
    wb.properties.lastModifiedBy = "outturn sample generator"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    # re-pack with fixed entry timestamps so the bytes do not depend on the clock
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_DT.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def format_date(d: date, fmt: str) -> str:
    if fmt == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if fmt == "cn":
        return f"{d.year}年{d.month}月{d.day}日"
    return d.isoformat()


def write_budget(dept: Dept, year: int, lines: list[Line]) -> Path:
    style = dept.style
    fmt = style.budget_formats[year]
    cols = [c for c, _ in style.budget_headers]
    header = [h for _, h in style.budget_headers]
    order = {f: i for i, f in enumerate(SOURCES)}
    budget_lines = sorted((ln for ln in lines if ln.budgeted),
                          key=lambda ln: (ln.unit, order[ln.fund], ln.kind != BASIC,
                                          ln.project_code, ln.func, ln.econ))
    xlsx = fmt.startswith("xlsx")
    money_cols = {"carryover", "original_budget", "supplementary", "reduction", "adjusted_budget",
                  "funds_received"}
    rows = []
    for ln in budget_lines:
        values = {
            "year": str(year), "dept_code": dept.code, "unit_code": ln.unit,
            "fund_type": style.fund_names.get(ln.fund, ln.fund),
            "expense_kind": style.kind_names.get(ln.kind, ln.kind),
            "project_code": ln.project_code, "project_name": ln.project_name,
            "func_code": ln.func, "func_name": FUNC_NAMES[ln.func],
            "econ_code": ln.econ, "econ_name": ECON_NAMES[ln.econ] if ln.econ else "",
            "carryover": ln.carryover, "original_budget": ln.original,
            "supplementary": ln.supplementary, "reduction": ln.reduction,
            "adjusted_budget": ln.adjusted, "funds_received": ln.received,
        }
        row = []
        for c in cols:
            v = values[c]
            if c in money_cols:
                if v is None:
                    row.append("")
                elif xlsx:
                    row.append(float(fen_wan_text(v)))
                else:
                    row.append(fen_wan_text(v))
            elif c == "year" and xlsx:
                row.append(year)
            else:
                row.append(v)
        rows.append(row)
    ext = "xlsx" if xlsx else "csv"
    path = raw_path("budget", dept, year, ext)
    if xlsx:
        title = [f"{year}年度部门预算指标明细表", "单位：万元"] if fmt == "xlsx-title" else None
        text_cols = {i for i, c in enumerate(cols) if c not in money_cols and c != "year"}
        write_xlsx(path, header, rows, title, text_cols)
    else:
        write_csv(path, header, rows, style.encoding, style.crlf)
    return path


def write_payments(dept: Dept, year: int, vouchers: list[Voucher]) -> Path:
    style = dept.style
    cols = [c for c, _ in style.pay_headers]
    rows = []
    for i, v in enumerate(vouchers, start=1):
        values = {
            "voucher_id": f"{style.voucher_prefix}{dept.code}-{year}-{i:06d}",
            "date": format_date(v.date, style.date_fmt), "dept_code": dept.code,
            "unit_code": v.unit,
            "fund_type": style.fund_names.get(v.fund, v.fund),
            "expense_kind": style.kind_names.get(v.kind, v.kind), "project_code": v.project_code,
            "func_code": v.func, "econ_code": v.econ,
            "amount": fen_yuan_text(v.amount, style.thousands), "memo": v.memo,
        }
        rows.append([values[c] for c in cols])
    path = raw_path("payments", dept, year)
    write_csv(path, [h for _, h in style.pay_headers], rows, style.pay_encoding, style.crlf)
    return path


def write_indicators(dept: Dept, year: int, rows_in: list[tuple[str, Ind]]) -> Path:
    style = dept.style
    cols = [c for c, _ in style.ind_headers]
    rows = []
    for scope, ind in rows_in:
        values = {
            "year": str(year), "dept_code": dept.code, "scope": scope, "level1": ind.level1,
            "level2": ind.level2, "level3": ind.name, "target": ind.target, "actual": ind.actual,
            "measure_unit": ind.unit, "direction": style.directions[ind.direction],
            "weight": str(ind.weight),
        }
        rows.append([values[c] for c in cols])
    path = raw_path("indicators", dept, year)
    write_csv(path, [h for _, h in style.ind_headers], rows, style.encoding, style.crlf)
    return path


def write_departments() -> Path:
    """The shared departments.csv, and each own-folder department's rows in its folder."""
    header = ["部门编码", "部门名称", "单位编码", "单位名称", "单位级次"]
    for dept in ALL_DEPTS:
        if own_folder(dept):
            write_csv(RAW / dept.code / "departments.csv", header,
                      [[dept.code, dept.name, u.code, u.name, u.level] for u in dept.units], "utf-8", False)
    rows = [[d.code, d.name, u.code, u.name, u.level] for d in ALL_DEPTS if not own_folder(d)
            for u in d.units]
    path = RAW / "departments.csv"
    write_csv(path, header, rows, "utf-8", False)
    return path


# --------------------------------------------------------------------------------------
# Profiles (profile.toml + narrative Markdown)
# --------------------------------------------------------------------------------------


def toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list | tuple):
        if not v:
            return "[]"
        return "[\n" + "".join(f"    {toml_value(x)},\n" for x in v) + "]"
    raise TypeError(type(v))


def toml_doc(comments: list[str], top: dict, tables: dict[str, dict],
             arrays: dict[str, list[dict]]) -> str:
    out = [f"# {c}" for c in comments]
    out += [f"{k} = {toml_value(v)}" for k, v in top.items()]
    for name, table in tables.items():
        out += ["", f"[{name}]"] + [f"{k} = {toml_value(v)}" for k, v in table.items()]
    for name, items in arrays.items():
        for item in items:
            out += ["", f"[[{name}]]"] + [f"{k} = {toml_value(v)}" for k, v in item.items()]
    return "\n".join(out) + "\n"


def staffing_for(dept: Dept, year: int) -> tuple[int, int]:
    """(编制数, 在职人数): synthetic for every department and year."""
    authorised, in_post = dept.staffing
    if year == 2022:
        return authorised, in_post
    rng = rng_for("staff", dept.code, year)
    in_post = min(authorised, in_post + rng.randint(-8, 3))
    if dept.code == "118" and year == 2020:
        in_post = authorised + 3  # over establishment: exercises 在职人员控制率 > 100%
    return authorised, in_post


def profile_for(dept: Dept, year: int, lines: list[Line], inds: list[tuple[str, Ind]]) -> dict:
    ref = dept.code == "115"
    real = ref and year == 2022
    authorised, in_post = staffing_for(dept, year)
    if real:
        note = ("2022年支出数和绩效数字取自该局公开的整体支出绩效自评报告；预算数、编制数、在职人数、"
                "指标目标值和分值、满意度等为合成数据。叙述文字为本项目自行撰写。")
    else:
        note = "合成示例数据（synthetic sample），仅用于演示 outturn，不是该部门的真实情况。"
    top = {
        "dept_code": dept.code, "year": year, "dept_name": dept.name,
        "established": dept.established,
        "synthetic": not real, "data_note": note,
        "synthetic_fields": (["staffing", "budget", "indicator_targets", "satisfaction"]
                             if real else ["all"]),
        "duties": dept.duties,
        "internal_offices": list(dept.offices),
        "brigades": list(BRIGADES_115) if ref else [],
        "section_units": list(SECTION_UNITS_115) if ref else [],
        "affiliated_units": list(AFFILIATED_115) if ref else [u.name for u in dept.units[1:]],
        "annual_targets": list(dept.annual_targets),
    }
    if self_name_of(dept) != DEFAULT_SELF:  # the report speaks as the profile's self-name
        top["self_name"] = self_name_of(dept)
    units = [{"code": u.code, "name": u.name, "level": u.level} for u in dept.units]
    codes = {p.seq: p.code(dept.code, year) for p in dept.projects if year in p.years}
    names = {p.seq: p.name for p in dept.projects}
    targets = []
    if ref:
        texts = {p.seq: p.target_text for p in dept.projects}
        for name, (seq, _) in PT_115.items():
            if seq in codes:
                targets.append({"project_code": codes[seq], "name": name,
                                "budget_project": names[seq], "target": texts[seq]})
    else:
        for p in dept.projects:
            if p.indicator and year in p.years:
                targets.append({"project_code": codes[p.seq], "name": p.name,
                                "budget_project": p.name, "target": p.target_text})
    comments = [f"{dept.name} {year}年度 部门档案（outturn 示例数据）"]
    if real:
        comments.append("编制数（authorised）和在职人数（in_post）为合成数据：报告未公布。")
    else:
        comments.append("本文件全部内容为合成数据，不代表该部门真实情况。")
    tables: dict[str, dict] = {"staffing": {"authorised": authorised, "in_post": in_post}}
    if real:  # the published report's causes, each tied to the problem 七 finds in the figures
        tables["causes"] = REF_CAUSES
    return {"comments": comments, "top": top, "tables": tables,
            "arrays": {"units": units, "project_targets": targets}}


# Only what the profile's structured fields (offices, brigades, units in scope, duties) do
# not already say: the report prints those itself, and must not say them twice.
REF_OVERVIEW = """\
零陵区城市管理和综合执法局于2004年6月组建，是实行市、区两级共同管理、以区为主的行政执法机构。
"""

REF_PERFORMANCE = """\
2022年，我局以党建统领全局工作，围绕文明城市创建和国家卫生城市成果巩固两项重点任务，着力完善城市管理长效机制、推进精细化管理，为城区发展营造整洁有序的环境。

### 党建引领

坚持把党的政治建设放在首位，以习近平新时代中国特色社会主义思想武装头脑，推动党建工作和执法业务相互促进。通过线上线下结合的方式组织中心组学习和每月主题党日，落实“三会一课”，在全局开展作风建设年和“五讲五比”活动。各执法大队设立党员监督岗位，执法时由1名党员骨干担任监督员、另有4名党员参加执法，执法中的矛盾冲突减少约90%；在东山景区等5条街道设立党员示范街，打造“党建+执法服务”品牌。

### 市容秩序

集中整治占道经营，全年劝导流动摊贩1.4万余起，依法登记保存违规经营工具240余件，取缔马路市场3处，规范修车、洗车场所19处，同时延续设置季节性农副产品临时销售点和便民销售点。清理有安全隐患或影响观瞻的店牌广告，共拆除店牌40处，拆除大型违章广告牌30处、大型墙体布幅广告16处，另清理横幅619余条，涉及面积约13800平方米。城区“牛皮癣”小广告交由专业保洁公司承包清理，主次街道基本做到当天产生当天清除。上下学时段在校园周边定人定岗值守。人行道停车方面，会同交警开展联合整治15余次，共投入执法力量200人次，违停信息录入6246条。

### 环境治理

对商铺扩音、娱乐场所、广场舞、直播等生活噪声加强巡查和劝导。开展禁止焚烧专项整治，全年出动车辆355台次、人员810人次，处置火点27起。对城区餐饮门店逐户登记，以督促安装油烟净化设施为主、处罚为辅，分批推进油烟治理。通过办理排水许可和开展排水执法规范生活污水排放，组织排污管网普查，结合道路提质和老旧小区改造推进雨污分流。

### 规范执法

全面落实行政执法“三项制度”，公布权责清单和行政审批、行政处罚流程图，制定执法记录仪使用规定，设立案件审理委员会并聘请律师团队提供法律服务。全年行政处罚立案7316件，其中一般程序15件、简易程序7301件；在各政务网站公示行政许可377件、行政处罚15件，15件处罚案件经过法制审核。围绕自建房安全专项整治打击违法建设，组织拆违行动30余次，依法处罚的违法建筑面积达8337.395平方米，罚没款300534.3元。

### 数字城管

区数字化城管指挥中心全年共受理案件7012件，其中6997件立案、15件作废，已结案6962件；据此立案率为99.79%，结案率为99.50%，并承接政协云、市县区长信箱、微信和“我的永州”APP等渠道的投诉。智慧渣土子系统建成运行，146台环保渣土车安装车载终端并接入平台；人行道违停智能报送平台投入使用，违停信息直接推送至交警处罚系统。牵头摸清全区车辆和车位底数，联合区城投公司新建停车场、施划车位，新增停车位910余个。对29个违规发布小广告的电话号码实施停机，用于拦截小广告的小程序已开发完毕，正处于调试阶段。

### 公用事业

路灯：城区路灯补装项目列入2022年固定资产投资计划，对70余条主次街道和老旧小区的照明设施开展养护，维修路灯540盏、更换1174套，处理线路故障点3116处，新换线路14300米，亮灯率保持在98%以上；党的二十大召开前悬挂国旗1000余面、新装路灯90余套。供水：落实水质检测、设备维护、管网检漏和节假日值守等制度，水质合格率100%；完成桐子坝路、沙叶塘路等20个管网项目，新建管网约29千米、改造约9.4千米。燃气：按“百日行动”部署开展安全检查，检查生产经营单位638家，排查的576户餐饮燃气用户均已装上可燃气体报警器，发现的34起违法行为全部查处并整改到位，取缔无证经营网点6家，收缴液化气罐120罐，移送公安机关拘留4人；牵头处置彩虹燃气公司问题，由湘投集团收购其破产资产并组建新公司接管区内管道燃气经营。市政维护：维修人行道约12911平方米、路面9003平方米、路缘石306米，清淤维修检查井和雨水口1536处，维修中央隔离栏杆864米、阻车桩284个，补划14处重点路口标线，新增非机动车停放位约3000个。

### 项目建设

建筑垃圾再生利用项目是市、区两级重点项目，一期投资约3.5亿元、用地315亩，建成后每天可处理建筑废料7000吨，目前已完成桩基检测抽样并启动办公楼土建。雨污分流方面，滨江康养综合体配套管网与永州大道市政管网两个项目累计完成投资约650万元，建成污水管0.8公里、改造0.38公里，永职路排污管网项目已招标挂网。科技学院片区纳污管道二期全长约620米，已建成约300米。城乡生活垃圾收运一体化项目拟在11个乡镇（街道）建设11座收集站，预算投资3721.99万元，前期工作已完成。诸葛庙垃圾填埋场治理已完成渗滤液收集处理、坝前及垂直防渗和环境监测系统建设，完成封场防渗4.5万平方米，堆体整形挖方、填方各11万立方米。
"""

#: 七's causes in the department's words, by the kind of problem they explain (the keys of
#: outturn.report.findings); the report prints each after the figures of its problem.
REF_CAUSES = {
    "supplementary": "主要原因是上级在年度中临时布置的任务较多，年初难以准确测算所需资金，项目预算编制难度大，"
                     "导致年内预算调整频繁、追加资金在预算中占比偏高。",
    "project_execution": "主要原因是受新冠肺炎疫情冲击，经济下行压力加大，地方财政收入明显减少，多数专项资金未能"
                         "足额拨付到位，相关项目支出随之放缓。",
}

REF_MEASURES = """\
1. 加强预算编制业务学习，提高预算编制的科学性和针对性，缩小年初预算与决算之间的差距。
2. 深化预算绩效管理，与财政部门保持密切沟通，做好部门整体支出和项目资金的绩效管理，把绩效评价结果切实用于改进预算管理。
"""

REF_APPLICATION = """\
我局将以本次自评结果为依据，进一步规范部门整体支出绩效管理。坚持由申请资金的科室设定绩效目标，组织各科室按照职责分工，对照2023年年初预算批复和项目绩效目标口径，细化下一年度的整体支出绩效目标，做到目标明确、量化可考、合理可行并与资金规模相匹配。在后续预算执行中加强工程类项目的全过程管理，更准确地核定项目年度资金需求，推动预算资金及时足额支付，提高财政资金使用效益。2022年度绩效自评报告已按要求公开。
"""


def ind_phrase(ind: Ind) -> str:
    if ind.direction == "qualitative":
        return f"{ind.name}{'部分达成' if ind.actual.startswith('部分') else '达成年度目标'}"
    if ind.unit == "%":
        return f"{ind.name}{ind.actual}%（目标{ind.target}%）"
    return f"{ind.name}{ind.actual}{ind.unit}（目标{ind.target}{ind.unit}）"


#: The report's default self-name (outturn.report.style.DEFAULT_SELF_NAME).
DEFAULT_SELF = "我局"


def self_name_of(dept: Dept) -> str:
    """How the department speaks of itself: 我局 for a 局, 本单位 otherwise (a 幼儿园, a 中心);
    the narratives use it so that they speak with the report's one voice."""
    return DEFAULT_SELF if dept.name.endswith("局") else "本单位"


def synthetic_narratives(
    dept: Dept, year: int, lines: list[Line], inds: list[tuple[str, Ind]]
) -> dict[str, str]:
    unit_names = "、".join(u.name for u in dept.units)
    me = self_name_of(dept)
    overview = (f"（示例数据：本报告的全部情况和数字均为合成数据，仅用于演示，不代表{dept.name}的真实情况。）\n\n"
                f"{dept.name}是{dept.org_kind}，主要职责是{dept.duties.rstrip('。')}。"
                f"纳入{me}{year}年度预算的单位共{len(dept.units)}个：{unit_names}。\n")
    dept_inds = [ind for scope, ind in inds if scope == "部门"]
    groups: dict[str, list[Ind]] = defaultdict(list)
    for ind in dept_inds:
        groups[ind.level1].append(ind)
    perf = [f"{year}年，{me}围绕年度绩效目标组织实施各项工作，主要完成情况如下（示例数据）。", ""]
    for level1, title in (("产出指标", "产出情况"), ("效益指标", "效益情况"), ("满意度指标", "满意度情况")):
        items = groups.get(level1, [])
        if not items:
            continue
        perf += [f"### {title}", "", "全年" + "；".join(ind_phrase(i) for i in items[:6]) + "。", ""]
    budget = [ln for ln in lines if ln.budgeted and ln.kind == PROJ]
    adj = sum(ln.adjusted for ln in budget)
    act = sum(ln.actual for ln in budget)
    rate = act / adj * 100 if adj else 100.0
    problems = []
    if dept.prof[year].label == "lagging":
        problems.append("项目支出进度明显慢于序时进度。大部分项目资金集中在第四季度甚至12月支付，"
                        "前三季度累计支出进度长期低于序时进度，部分项目年内实施不足。")
    unbudgeted = [ln for ln in lines if not ln.budgeted]
    if unbudgeted:
        problems.append("个别支出未纳入预算管理。年度中临时发生的慰问和应急救助支出没有对应的预算指标，"
                        "先支付后调整，预算约束不够严格。")
    if rate < 85:
        problems.append(f"项目预算执行率不高。全年项目支出执行率约{rate:.0f}%，部分项目资金未能按计划使用。")
    if not problems or len(problems) < 2:
        problems.append("绩效目标设置仍需细化。部分绩效指标以定性描述为主，量化程度不够，"
                        "不便于对照考核。")
    measures = [
        "加强预算编制与项目前期论证，提高年初预算的准确性，减少年中追加和调整。",
        "建立支出进度按月通报制度，对照序时进度督促各单位加快项目实施和资金支付。",
        "完善绩效指标体系，提高指标的可量化、可考核程度，强化评价结果应用。",
    ]
    if unbudgeted:
        measures.insert(0, "严格执行“先有预算、后有支出”，临时性支出按程序先调整预算再支付。")
    application = (f"{me}将把{year}年度整体支出绩效自评结果作为以后年度预算安排和项目管理的重要参考，"
                   "针对自评发现的问题逐项整改，并按规定公开自评报告。（示例数据）\n")
    return {
        "overview.md": overview,
        "performance.md": "\n".join(perf).rstrip() + "\n",
        "problems.md": "".join(f"{i}. {p}\n" for i, p in enumerate(problems, start=1)),
        "measures.md": "".join(f"{i}. {m}\n" for i, m in enumerate(measures, start=1)),
        "application.md": application,
    }


def narratives_for(
    dept: Dept, year: int, lines: list[Line], inds: list[tuple[str, Ind]]
) -> dict[str, str]:
    if dept.code == "115" and year == 2022:
        return {"overview.md": REF_OVERVIEW, "performance.md": REF_PERFORMANCE,
                "measures.md": REF_MEASURES,
                "application.md": REF_APPLICATION}
    return synthetic_narratives(dept, year, lines, inds)


def write_profile(
    dept: Dept, year: int, lines: list[Line], inds: list[tuple[str, Ind]]
) -> list[Path]:
    folder = raw_path("profiles", dept, year)
    folder.mkdir(parents=True, exist_ok=True)
    spec = profile_for(dept, year, lines, inds)
    text = toml_doc(spec["comments"], spec["top"], spec["tables"], spec["arrays"])
    tomllib.loads(text)  # must parse
    paths = [folder / "profile.toml"]
    paths[0].write_bytes(text.encode("utf-8"))
    for name, body in narratives_for(dept, year, lines, inds).items():
        (folder / name).write_bytes(body.encode("utf-8"))
        paths.append(folder / name)
    judged = JUDGEMENTS.get((dept.code, year))
    if judged:
        (folder / "judgements.toml").write_bytes(judged.encode("utf-8"))
        paths.append(folder / "judgements.toml")
    return paths


#: The evaluator's judgements (synthetic, written for the sample) for the reference
#: department's 2022 self-evaluation: the lines of the hunan-dept-overall rule set that
#: the evaluator scores (目标设定, 预算管理, 资产管理) and the exact shares of the
#: qualitative indicators. With them that rule set, the default for a department-wide
#: report, scores the 2022 ledgers and indicators at 93.00 (优), the published total.
#: Other department-years have none: their evaluator lines print as pending and their
#: grade as provisional, as a real department's would before the evaluator has scored.
_MANUAL_115_2022: tuple[tuple[str, int, str], ...] = (
    ("绩效目标合理性", 3, "整体绩效目标与部门职责和年度工作计划相符"),
    ("绩效指标明确性", 3, "产出、效益和满意度指标均已细化量化"),
    ("管理制度健全性", 3, "已制定财务管理和内部控制制度并执行"),
    ("资金使用合规性", 3, "资金按规定用途和审批程序支付，未发现违规使用"),
    ("预决算信息公开性", 3, "部门预算、决算和“三公”经费按规定时限公开"),
    ("基础信息完善性", 2, "预算执行和资产基础数据完整"),
    ("资产管理制度健全性", 2, "已建立资产配置、使用和处置管理制度"),
    ("资产管理安全性", 4, "资产账实相符，未发现资产流失"),
    ("固定资产利用率", 2, "执法车辆和环卫设备均在正常使用"),
)
_SHARES_115_2022: tuple[tuple[str, int, str], ...] = (
    ("主次街道牛皮癣小广告清理时效", 100, "城区主次街道小广告基本做到当日清理，全年保持"),
    ("文明城市创建和国家卫生城市成果巩固", 100, "创文巩卫各项迎检任务全部完成，成果得到巩固"),
    ("餐饮油烟治理", 71, "排查登记完成，净化设施安装仍在分批推进"),
)
JUDGEMENTS: dict[tuple[str, int], str] = {
    ("115", 2022): "# 评价人评分与定性指标认定（示例数据，非原报告内容）\n" + "".join(
        f'\n["{name}"]\npoints = {points}\nreason = "{why}"\n'
        for name, points, why in _MANUAL_115_2022) + "".join(
        f'\n["{name}"]\nshare = {share}\nreason = "{why}"\n'
        for name, share, why in _SHARES_115_2022),
}


# --------------------------------------------------------------------------------------
# Sample shapes (122–124): three synthetic departments built from stated headline figures
# --------------------------------------------------------------------------------------
#
# Each demonstrates a shape the other departments lack: 122 a 事业单位 spending 事业收入 and
# 经营收入 beside its appropriation; 123 the four 三公 items, 因公出国（境）费用 and a
# 公务用车购置 project among them; 124 three second-level units and carry-over spending
# (上年结转 spent, so some lines execute more than 100 % of their 调整后预算). Their
# "published" headline figures are stated once, in SHAPES_FILE; the ledgers are built from
# those totals exactly to the 分, and the self-check reads the files back against them.

SHAPES_FILE = ROOT / "tests" / "backtest" / "sample_shapes.toml"
SHAPE_YEARS = (2021, 2022)
FISCAL, NON_FISCAL, TOTAL = "财政拨款", "其他资金", "合计"
GROUP_LABELS = (FISCAL, NON_FISCAL, TOTAL)
SANGONG_ECON = {"因公出国（境）费用": "30212", "公务接待费": "30217", "公务用车运行维护费": "30231",
                "公务用车购置": "31013"}
ECON_OF_NAME = {name: code for code, name in ECON_NAMES.items()}
#: how the income and balance ledgers spell each source (both are accepted aliases)
INCOME_NAMES = {GEN: "一般公共预算财政拨款收入", GOV: "政府性基金预算财政拨款收入"}
BALANCE_NAMES = {GEN: "一般公共预算财政拨款", GOV: "政府性基金预算财政拨款"}
H_INCOME = ("年度", "部门编码", "单位编码", "收入来源", "本年收入（元）", "摘要")
H_BALANCES = ("年度", "部门编码", "单位编码", "资金来源", "年初结转结余（元）", "年末结转结余（元）")
H_PROCUREMENT = ("年度", "部门编码", "单位编码", "项目编码", "采购项目", "采购类别", "采购方式",
                 "政府采购预算（元）", "实际采购金额（元）")
PROCUREMENT_KINDS = ("货物", "工程", "服务")

H_BUDGET_SHAPE = (
    ("year", "年度"), ("dept_code", "部门编码"), ("unit_code", "单位编码"), ("fund_type", "资金来源"),
    ("expense_kind", "支出类型"), ("project_code", "项目编码"), ("project_name", "项目名称"),
    ("func_code", "功能分类科目编码"), ("econ_code", "经济分类科目编码"),
    ("carryover", "上年结转（万元）"), ("original_budget", "年初预算数（万元）"),
    ("supplementary", "追加（万元）"), ("reduction", "调减（万元）"),
    ("adjusted_budget", "调整后预算数（万元）"), ("funds_received", "实际到位（万元）"),
)
H_PAY_SHAPE = tuple(("fund_type", "资金来源") if c == "fund_type" else (c, h) for c, h in H_PAY_115)


def shape_style(prefix: str) -> Style:
    return Style(budget_headers=H_BUDGET_SHAPE, pay_headers=H_PAY_SHAPE, ind_headers=H_IND_115,
                 budget_formats=dict.fromkeys(SHAPE_YEARS, "csv"), directions=DIR_SYMBOLS,
                 voucher_prefix=prefix)


@dataclass(frozen=True)
class ShapeProj(Proj):
    """A project of a sample-shape department, its budget phases stated per year."""

    phases: tuple[tuple[int, tuple[str, str, str, str, str]], ...] = ()  # year → (上年结转, 年初, 追加, 调减, 执行数) 万元
    econ: str = ""  # economic code stated on the budget line (公务用车购置: 31013)
    memos: tuple[str, ...] = ()  # memos when ``econ`` is stated


@dataclass(frozen=True)
class ShapeSpec:
    """How a sample-shape department's stated totals are split into ledger lines."""

    dept: Dept
    unit_weights: tuple[float, ...]  # each unit's share of basic spending (dept.units order)
    pers_mix: dict[str, tuple[tuple[str, float], ...]]  # source → personnel econ mix
    oper_sources: dict[str, dict[str, float]] = field(default_factory=dict)  # econ → source → share (default 一般公共预算)
    memos: dict[str, tuple[str, ...]] = field(default_factory=dict)  # econ → memos (else BASIC_MEMOS)
    # year → (unit, project seq or "", 采购项目, 采购类别, 采购方式, 政府采购预算, 实际采购金额 万元)
    procurement: dict[int, tuple[tuple[str, str, str, str, str, str, str], ...]] = field(default_factory=dict)
    carry_balances: bool = False  # balances are exactly the projects' carry-overs (124)


SHAPE_PATTERN = {"30212": ("spread", 2, 0), "30218": ("spread", 10, 0), "30227": ("spread", 6, 0)}
PERS_MIX_INST = (("30101", 0.30), ("30102", 0.12), ("30107", 0.33), ("30108", 0.12), ("30110", 0.06),
                 ("30113", 0.07))
PERS_MIX_BUSI = (("30107", 0.8), ("30199", 0.2))
NORMAL_PROF = Prof((0.85, 0.97), (0.1, 0.3), (0.5, 0.9), MONTHS_NORMAL)


def shape_122() -> ShapeSpec:
    units = (UnitDef("122001", "园本级", "本级", "事业", "2050201", "0", "0"),)
    projects = (
        ShapeProj("001", "122001", GEN, "幼儿园户外活动场地改造", "2050201", "0",
                  (("31006", 0.7, ("户外活动场地改造工程款", "塑胶场地铺设进度款")), ("30213", 0.3, ("户外大型玩具维修",))),
                  n=4, years=(2021,), start=2021, phases=((2021, ("0", "30.00", "0", "0", "28.45")),)),
        ShapeProj("002", "122001", GEN, "幼儿园安全设施改造", "2050201", "0",
                  (("31006", 0.6, ("校园安防监控改造工程款", "消防设施改造工程款")), ("31002", 0.25, ("门禁及一键报警设备采购",)),
                   ("30213", 0.15, ("围墙护栏维修",))),
                  n=6, years=(2022,), start=2022, phases=((2022, ("0", "40.00", "15.00", "0", "52.38")),),
                  indicator=("改造安防监控点位", "个", "64"), effect="校园安全防护能力提升",
                  target_text="完成园区安防监控、消防和门禁设施改造，消除校园安全隐患。"),
        ShapeProj("301", "122001", INST, "保教设施设备更新", "2050201", "0",
                  (("31002", 0.5, ("保教设备采购款",)), ("30218", 0.5, ("教玩具及绘本图书采购",))),
                  n=6, years=SHAPE_YEARS, start=2021,
                  phases=((2021, ("0", "25.00", "0", "0", "22.80")), (2022, ("0", "30.00", "0", "0", "27.64")))),
    )
    inds = std_indicators((
        ("产出指标", "数量指标", "在园幼儿数", "人", ">=", "420", "436", 10),
        ("产出指标", "数量指标", "开设班级数", "个", ">=", "14", "14", 6),
        ("产出指标", "质量指标", "专任教师持证上岗率", "%", ">=", "100", "100", 8),
        ("产出指标", "质量指标", "保教质量评估", "", "qualitative", "达到省级示范园标准", "达成年度指标", 8),
        ("产出指标", "时效指标", "安全设施改造按期完成率", "%", ">=", "100", "100", 6),
        ("产出指标", "成本指标", "生均保教成本", "元/生·年", "<=", "16000", "15860", 6),
        ("效益指标", "社会效益指标", "校园安全责任事故", "起", "=", "0", "0", 10),
        ("效益指标", "社会效益指标", "幼儿体质健康合格率", "%", ">=", "95", "97.2", 8),
        ("效益指标", "社会效益指标", "营养膳食达标率", "%", ">=", "95", "98", 10),
        ("效益指标", "可持续影响指标", "普惠性学位供给", "", "qualitative", "稳步增加", "达成年度指标", 8),
        ("满意度指标", "服务对象满意度指标", "家长满意度", "%", ">=", "90", "95.6", 10),
    ))
    dept = Dept(
        code="122", name="零陵区机关幼儿园", short="机关幼儿园", units=units, projects=projects,
        indicators=inds, style=shape_style("YE"), prof=dict.fromkeys(SHAPE_YEARS, NORMAL_PROF),
        established=1958, duties="实施学前保育和教育，为三至六周岁幼儿提供普惠性学前教育服务，开展课后延时托管服务，承担区内幼儿园保教业务示范和教师培训。",
        offices=("园务办公室", "保教处", "后勤处", "财务室"), staffing=(48, 45),
        annual_targets=("保障在园幼儿保育教育质量，保持省级示范园标准",
                        "完成园区安全设施改造，不发生校园安全责任事故",
                        "规范保教费和延时托管服务收费，收支纳入预算管理"),
        feature="事业单位：一般公共预算之外还支出事业收入（保教费）和经营收入（延时托管服务）",
        years=SHAPE_YEARS, org_kind="零陵区教育局主管的公益二类事业单位，作为一级预算单位单独编报部门预算",
    )
    both = {GEN: 0.5, INST: 0.5}
    return ShapeSpec(
        dept, (1.0,), {GEN: PERS_MIX, INST: PERS_MIX_INST, BUSI: PERS_MIX_BUSI},
        oper_sources={"30201": {GEN: 0.6, INST: 0.4}, "30205": {GEN: 0.5, INST: 0.3, BUSI: 0.2},
                      "30206": {GEN: 0.5, INST: 0.3, BUSI: 0.2}, "30213": {GEN: 0.4, INST: 0.6},
                      "30216": both, "30218": {INST: 0.5, BUSI: 0.5}, "30226": {INST: 0.6, BUSI: 0.4},
                      "30299": both},
        memos={"30218": ("幼儿伙食及保育用品采购", "教学活动材料采购"), "30226": ("{m}月聘用保育员劳务费",),
               "30216": ("幼儿教师保教能力培训费",), "30211": ("教师外出观摩学习差旅费", "赴市里参加会议差旅费"),
               "30217": ("接待上级督导检查公务接待费",), "30213": ("园舍及设施零星维修", "空调维修费")},
        procurement={
            2021: (("122001", "001", "幼儿园户外活动场地改造工程", "工程", "询价", "28.00", "26.90"),
                   ("122001", "301", "教玩具及保教设备采购", "货物", "询价", "20.00", "19.35"),
                   ("122001", "", "办公用品及耗材", "货物", "框架协议采购", "3.50", "3.21"),
                   ("122001", "", "园区物业保洁服务", "服务", "竞争性磋商", "11.00", "10.80")),
            2022: (("122001", "002", "幼儿园安全设施改造工程", "工程", "竞争性磋商", "50.00", "47.60"),
                   ("122001", "301", "教玩具及保教设备采购", "货物", "询价", "26.00", "24.18"),
                   ("122001", "", "办公用品及耗材", "货物", "框架协议采购", "4.00", "3.62"),
                   ("122001", "", "园区物业保洁服务", "服务", "竞争性磋商", "12.00", "11.40")),
        },
    )


def shape_123() -> ShapeSpec:
    units = (UnitDef("123001", "局本级", "本级", "行政", "2011301", "0", "0"),
             UnitDef("123002", "零陵区招商服务中心", "二级", "事业", "2011350", "0", "0"))
    projects = (
        ShapeProj("001", "123002", GEN, "招商引资专项经费", "2011308", "0",
                  (("30211", 0.35, ("赴长三角招商考察差旅费", "驻点招商小分队差旅费")),
                   ("30227", 0.4, ("招商推介会会务服务费", "招商项目策划咨询费")), ("30215", 0.25, ("项目签约推介会议费",))),
                  n=16, years=SHAPE_YEARS, start=2021,
                  phases=((2021, ("0", "200.00", "40.00", "0", "231.08")), (2022, ("0", "220.00", "40.00", "0", "238.75"))),
                  indicator=("新引进招商项目", "个", "28"), effect="招商引资实际到位资金增长",
                  target_text="开展驻点招商和专题推介，新引进一批项目并推动签约项目落地。"),
        ShapeProj("002", "123001", GEN, "商贸流通体系建设", "2011307", "0",
                  (("31005", 0.6, ("乡镇商贸中心改造工程款",)), ("30227", 0.4, ("农贸市场提质改造奖补",))),
                  n=10, years=(2021,), start=2021, phases=((2021, ("0", "300.00", "80.00", "0", "342.50")),)),
        ShapeProj("003", "123001", GEN, "县域商业体系建设", "2011307", "0",
                  (("31005", 0.65, ("乡镇商贸中心改造工程款", "县域物流配送中心建设进度款")), ("30227", 0.35, ("县域商业体系建设奖补资金拨付",))),
                  n=12, years=(2022,), start=2022, phases=((2022, ("0", "350.00", "70.00", "0", "365.20")),)),
        ShapeProj("004", "123001", GEN, "公务用车购置", "2011302", "0", (), n=2, years=(2022,), start=2022,
                  phases=((2022, ("0", "0", "18.00", "0", "17.26")),), econ="31013",
                  memos=("购置公务用车（新能源轿车）车款", "公务用车车辆购置税及上牌费用")),
        ShapeProj("201", "123002", HIGHER, "电子商务进农村综合示范", "2011399", "0",
                  (("30227", 0.6, ("农村电商服务站点运营服务费", "农村电商培训服务费")), ("31002", 0.4, ("电商公共服务中心设备采购",))),
                  n=8, years=SHAPE_YEARS, start=2021,
                  phases=((2021, ("0", "70.00", "0", "0", "62.40")), (2022, ("0", "90.00", "0", "0", "78.60")))),
    )
    inds = std_indicators((
        ("产出指标", "数量指标", "新引进招商项目", "个", ">=", "28", "31", 10),
        ("产出指标", "数量指标", "举办招商推介活动", "场", ">=", "6", "7", 6),
        ("产出指标", "数量指标", "建设改造乡镇商贸中心", "个", ">=", "4", "4", 8),
        ("产出指标", "质量指标", "签约项目履约率", "%", ">=", "80", "84.5", 8),
        ("产出指标", "时效指标", "县域商业体系建设按期完成率", "%", ">=", "100", "100", 6),
        ("产出指标", "成本指标", "“三公”经费控制", "", "qualitative", "不超预算", "达成年度指标", 6),
        ("效益指标", "经济效益指标", "社会消费品零售总额增长率", "%", ">=", "6", "6.8", 10),
        ("效益指标", "经济效益指标", "招商引资实际到位资金", "亿元", ">=", "45", "47.3", 10),
        ("效益指标", "社会效益指标", "农村电商服务站点覆盖率", "%", ">=", "90", "92", 8),
        ("效益指标", "可持续影响指标", "营商环境持续优化", "", "qualitative", "持续优化", "达成年度指标", 8),
        ("满意度指标", "服务对象满意度指标", "企业满意度", "%", ">=", "90", "93.5", 10),
    ))
    dept = Dept(
        code="123", name="零陵区商务局", short="商务局", units=units, projects=projects, indicators=inds,
        style=shape_style("SW"), prof=dict.fromkeys(SHAPE_YEARS, NORMAL_PROF),
        established=2019, duties="负责全区内外贸易、招商引资、电子商务和县域商业体系建设，组织开展对外经贸合作和境外招商推介，管理商贸流通市场秩序。",
        offices=("办公室", "外资外贸股", "市场体系建设股", "电子商务股", "招商服务股"), staffing=(46, 44),
        annual_targets=("开展驻点招商和境外招商推介，新引进招商项目并推动落地",
                        "推进县域商业体系建设，改造提升乡镇商贸中心",
                        "实施电子商务进农村综合示范，扩大农村电商服务覆盖面"),
        feature="四项“三公”经费俱全：因公出国（境）费用和公务用车购置（项目预算行带经济分类31013）",
        years=SHAPE_YEARS,
    )
    return ShapeSpec(
        dept, (0.62, 0.38), {GEN: PERS_MIX},
        memos={"30212": ("赴香港招商推介团组国际旅费", "因公出境住宿费及公杂费"),
               "30211": ("差旅费报销", "赴长沙参加商务工作会议差旅费", "赴市里参加会议差旅费"),
               "30217": ("接待客商考察公务接待费", "接待上级检查公务接待费", "公务接待工作餐"),
               "30227": ("外贸企业服务委托业务费", "商务运行监测数据服务费"),
               "30213": ("办公楼零星维修", "空调维修费", "办公设备维护费")},
        procurement={
            2021: (("123001", "002", "乡镇商贸中心改造工程", "工程", "公开招标", "280.00", "268.40"),
                   ("123002", "001", "招商推介会会务服务", "服务", "竞争性磋商", "35.00", "33.20"),
                   ("123002", "201", "农村电商公共服务中心运营服务", "服务", "单一来源", "30.00", "30.00"),
                   ("123001", "", "办公用品及耗材", "货物", "框架协议采购", "4.00", "3.66")),
            2022: (("123001", "004", "公务用车（新能源轿车）", "货物", "框架协议采购", "18.00", "17.26"),
                   ("123001", "003", "乡镇商贸中心改造工程", "工程", "公开招标", "300.00", "286.50"),
                   ("123002", "001", "招商推介会会务服务", "服务", "竞争性磋商", "40.00", "37.80"),
                   ("123001", "", "办公设备", "货物", "询价", "6.00", "5.45")),
        },
    )


def shape_124() -> ShapeSpec:
    units = (UnitDef("124001", "局本级", "本级", "行政", "2130301", "0", "0"),
             UnitDef("124002", "零陵区水利工程管理站", "二级", "事业", "2130306", "0", "0"),
             UnitDef("124003", "零陵区水土保持站", "二级", "事业", "2130310", "0", "0"),
             UnitDef("124004", "零陵区防汛抗旱服务中心", "二级", "事业", "2130314", "0", "0"))
    projects = (
        ShapeProj("001", "124002", GEN, "小型水库除险加固", "2130305", "0",
                  (("31005", 0.85, ("小型水库除险加固工程进度款", "除险加固工程结算款")), ("30227", 0.15, ("工程监理及质量检测服务费",))),
                  n=10, years=SHAPE_YEARS, start=2021,
                  phases=((2021, ("0", "300.00", "0", "0", "180.00")), (2022, ("120.00", "200.00", "60.00", "0", "318.40"))),
                  indicator=("完成除险加固小型水库", "座", "6"), effect="小型水库安全度汛能力提升",
                  target_text="完成小型病险水库除险加固，消除大坝安全隐患，水库安全度汛。"),
        ShapeProj("002", "124001", GEN, "山塘清淤扩容", "2130316", "0",
                  (("31005", 0.7, ("山塘清淤扩容工程款",)), ("30227", 0.3, ("山塘整治以奖代补资金拨付",))),
                  n=8, years=SHAPE_YEARS, start=2021,
                  phases=((2021, ("0", "90.00", "0", "0", "45.00")), (2022, ("45.00", "80.00", "0", "0", "96.30")))),
        ShapeProj("003", "124003", GEN, "水土流失综合治理", "2130310", "0",
                  (("30227", 0.6, ("水土流失治理工程施工服务费",)), ("31005", 0.4, ("坡耕地治理工程款",))),
                  n=8, years=SHAPE_YEARS, start=2021,
                  phases=((2021, ("26.50", "160.00", "0", "0", "186.50")), (2022, ("0", "150.00", "30.00", "0", "162.52")))),
        ShapeProj("004", "124004", GEN, "防汛抗旱物资储备", "2130314", "0",
                  (("30218", 0.6, ("防汛编织袋、救生衣等物资采购",)), ("31003", 0.4, ("移动抽水泵站采购",))),
                  n=6, years=SHAPE_YEARS, start=2021,
                  phases=((2021, ("0", "70.00", "0", "0", "50.00")), (2022, ("20.00", "60.00", "40.00", "10.00", "97.85")))),
        ShapeProj("005", "124001", GEN, "河长制工作经费", "2130311", "0",
                  (("30227", 0.7, ("河道保洁服务费",)), ("30299", 0.3, ("河长公示牌制作安装",))),
                  n=6, years=SHAPE_YEARS, start=2021,
                  phases=((2021, ("0", "38.00", "0", "0", "38.00")), (2022, ("0", "40.00", "0", "0", "36.12")))),
    )
    inds = std_indicators((
        ("产出指标", "数量指标", "完成除险加固小型水库", "座", ">=", "6", "6", 10),
        ("产出指标", "数量指标", "山塘清淤扩容", "口", ">=", "40", "42", 8),
        ("产出指标", "数量指标", "新增水土流失治理面积", "平方公里", ">=", "8", "8.6", 8),
        ("产出指标", "质量指标", "水利工程验收合格率", "%", ">=", "100", "100", 8),
        ("产出指标", "时效指标", "汛前工程完工率", "%", ">=", "95", "96", 6),
        ("产出指标", "成本指标", "防汛物资储备", "", "qualitative", "按定额储备", "达成年度指标", 6),
        ("效益指标", "社会效益指标", "水库垮坝等重大安全事故", "起", "=", "0", "0", 10),
        ("效益指标", "社会效益指标", "农村供水保障率", "%", ">=", "95", "96.3", 8),
        ("效益指标", "生态效益指标", "河湖水质达标率", "%", ">=", "90", "93", 8),
        ("效益指标", "可持续影响指标", "河长制长效管护", "", "qualitative", "建立健全", "达成年度指标", 8),
        ("满意度指标", "服务对象满意度指标", "受益群众满意度", "%", ">=", "90", "92.8", 10),
    ))
    dept = Dept(
        code="124", name="零陵区水利局", short="水利局", units=units, projects=projects, indicators=inds,
        style=shape_style("SL"), prof=dict.fromkeys(SHAPE_YEARS, NORMAL_PROF),
        established=1979, duties="负责全区水资源管理、水利工程建设与运行管理、农村水利、水土保持、河湖管理和水旱灾害防御工作。",
        offices=("办公室", "规划计划股", "水利工程建设管理股", "农村水利水电股", "河湖管理股", "水旱灾害防御股"),
        staffing=(165, 158),
        annual_targets=("完成小型水库除险加固和山塘清淤扩容任务，水利工程安全度汛",
                        "推进水土流失综合治理，新增治理面积达到年度目标",
                        "落实河长制，河湖水质保持稳定达标"),
        feature="局本级加三个二级单位；项目支出用上年结转，部分项目执行数超过调整后预算（但不超过上年结转加调整后预算）",
        years=SHAPE_YEARS,
    )
    return ShapeSpec(
        dept, (0.34, 0.30, 0.14, 0.22), {GEN: PERS_MIX},
        memos={"30218": ("水文监测耗材采购", "水利设施维护材料采购"),
               "30211": ("水利工程巡查差旅费", "赴市里参加会议差旅费", "赴长沙学习考察差旅费"),
               "30213": ("水利设施零星维修", "办公楼零星维修", "办公设备维护费")},
        procurement={
            2021: (("124002", "001", "小型水库除险加固工程（第一批）", "工程", "公开招标", "300.00", "292.60"),
                   ("124001", "002", "山塘清淤扩容工程", "工程", "竞争性磋商", "90.00", "86.40"),
                   ("124004", "004", "防汛抗旱物资", "货物", "询价", "60.00", "58.06"),
                   ("124003", "003", "水土流失治理工程施工", "工程", "竞争性磋商", "50.00", "49.30"),
                   ("124001", "", "办公用品及耗材", "货物", "框架协议采购", "12.00", "12.00")),
            2022: (("124002", "001", "小型水库除险加固工程（第二批）", "工程", "公开招标", "200.00", "188.40"),
                   ("124001", "002", "山塘清淤扩容工程", "工程", "竞争性磋商", "80.00", "75.20"),
                   ("124004", "004", "移动抽水泵站及防汛物资", "货物", "公开招标", "90.00", "85.36"),
                   ("124003", "003", "坡耕地水土流失治理", "工程", "竞争性磋商", "50.00", "45.10"),
                   ("124001", "", "办公用品及耗材", "货物", "框架协议采购", "16.00", "13.85")),
        },
        carry_balances=True,
    )


SHAPES: tuple[ShapeSpec, ...] = (shape_122(), shape_123(), shape_124())
ALL_DEPTS: tuple[Dept, ...] = (*DEPTS, *(s.dept for s in SHAPES))


def shape_figures() -> dict:
    """The stated headline figures (SHAPES_FILE), read once."""
    global _FIGURES
    if _FIGURES is None:
        _FIGURES = tomllib.loads(SHAPES_FILE.read_text("utf-8"))
    return _FIGURES


_FIGURES: dict | None = None


def by_source(table: dict) -> dict[str, int]:
    """A stated figure table (万元 text per source and group) → 分 per source; checks that
    its 财政拨款 / 其他资金 / 合计 rows are the sums of its sources."""
    sources = {k: wan(v) for k, v in table.items() if k not in GROUP_LABELS}
    check(set(sources) <= set(SOURCES), f"unknown sources in {sorted(sources)}")
    fiscal = sum(v for k, v in sources.items() if k in FUNDS)
    other = sum(v for k, v in sources.items() if k not in FUNDS)
    stated = {k: wan(table.get(k, "0")) for k in GROUP_LABELS}
    check(stated == {FISCAL: fiscal, NON_FISCAL: other, TOTAL: fiscal + other},
          f"subtotals {stated} are not the sums of {table}")
    return sources


def check_stated(code: str, year: int, fig: dict) -> None:
    """The stated figures add up the way a published report's must."""
    where = f"{code} {year} ({SHAPES_FILE.name})"
    income, spending = by_source(fig["income"]), by_source(fig["spending"])
    opening, closing = by_source(fig["balances"]["opening"]), by_source(fig["balances"]["closing"])
    for src in set(income) | set(spending) | set(opening) | set(closing):
        identity = opening.get(src, 0) + income.get(src, 0) - spending.get(src, 0) - closing.get(src, 0)
        check(identity == 0, f"{where}: 年初 + 收入 != 支出 + 年末 for {src} by {identity} 分")
    if year - 1 in SHAPE_YEARS:
        before = by_source(shape_figures()[code][str(year - 1)]["balances"]["closing"])
        check({k: v for k, v in before.items() if v} == {k: v for k, v in opening.items() if v},
              f"{where}: 年初结转结余 differs from last year's 年末结转结余")
    for item, econ in SANGONG_ECON.items():
        if econ != "31013":
            stated = wan(fig["operating_items"].get(ECON_NAMES[econ], "0"))
            check(wan(fig["sangong"][item]["actual"]) == stated,
                  f"{where}: 三公 {item} actual differs from the 公用经费 sub-item")
    proc = fig["procurement"]
    rate = (Decimal(proc["actual"]) / Decimal(proc["budget"]) * 100).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    check(str(rate) == proc["rate"], f"{where}: 政府采购执行率 {rate} != {proc['rate']}")


def shape_lines(spec: ShapeSpec, year: int, fig: dict) -> list[Line]:
    """The budget lines of a sample-shape department-year, their actuals adding up to the
    stated figures: projects as stated, 公用经费 sub-items split over sources and units,
    and personnel the rest of each source's spending."""
    dept = spec.dept
    where = f"{dept.code} {year}"
    rng = rng_for("shape-lines", dept.code, year)
    check_stated(dept.code, year, fig)
    lines: list[Line] = []
    for p in dept.projects:
        phases = dict(p.phases)  # type: ignore[attr-defined]
        if year not in phases:
            continue
        carry, orig, supp, red, actual = (wan(x) for x in phases[year])
        line = Line(p.unit, p.fund, PROJ, p.func, p.econ, p.code(dept.code, year), p.name,  # type: ignore[attr-defined]
                    carryover=carry, original=orig, supplementary=supp, reduction=red, actual=actual,
                    pattern=p.pattern, n=p.n, econ_mix=p.econ_mix, memos=p.memos)  # type: ignore[attr-defined]
        line.received = line.adjusted
        check(actual <= carry + line.adjusted, f"{where}: {p.name} spends more than it has")
        lines.append(line)
    sangong = {SANGONG_ECON[item]: (wan(v["budget"]), wan(v["actual"])) for item, v in fig["sangong"].items()}
    cars = [ln for ln in lines if ln.econ == "31013" and ln.fund == GEN]
    check((sum(ln.adjusted for ln in cars), sum(ln.actual for ln in cars)) == sangong["31013"],
          f"{where}: 公务用车购置 project lines differ from the stated 三公 figures")
    units = dept.units
    oper: dict[tuple[str, str, str], int] = {}  # (unit, source, econ) → 分
    for name, text in fig["operating_items"].items():
        econ = ECON_OF_NAME[name]
        check(econ[:3] in ("302", "310"), f"{where}: {name} is not 公用经费")
        shares = spec.oper_sources.get(econ, {GEN: 1.0})
        check(econ not in sangong or list(shares) == [GEN], f"{where}: 三公 {name} outside 一般公共预算")
        srcs = list(shares)
        for src, part in zip(srcs, allocate(wan(text), [shares[s] for s in srcs]), strict=True):
            if econ in sangong or len(units) == 1:
                oper[(units[0].code, src, econ)] = part
                continue
            for unit, piece in zip(units, allocate(part, list(spec.unit_weights)), strict=True):
                oper[(unit.code, src, econ)] = piece
    for econ, (budget, _) in sangong.items():  # a 三公 item budgeted but not spent still has its line
        if econ != "31013" and budget and (units[0].code, GEN, econ) not in oper:
            oper[(units[0].code, GEN, econ)] = 0
    basic: list[Line] = []
    spending = by_source(fig["spending"])
    for src in SOURCES:
        rest = spending.get(src, 0) - sum(ln.actual for ln in lines if ln.fund == src) \
            - sum(v for (_, s, _), v in oper.items() if s == src)
        check(rest >= 0, f"{where}: {src} spending is below its projects and 公用经费 by {-rest} 分")
        if not rest:
            continue
        check(src in spec.pers_mix, f"{where}: {rest} 分 of {src} left for personnel, which it does not pay")
        mix = spec.pers_mix[src]
        for unit, amount in zip(units, allocate(rest, list(spec.unit_weights)), strict=True):
            for (econ, _), part in zip(mix, allocate(amount, [w * rng.uniform(0.93, 1.07) for _, w in mix]),
                                       strict=True):
                basic.append(Line(unit.code, src, BASIC, personnel_func(unit, econ), econ, actual=part,
                                  pattern="payroll", n=12))
    unit_oper = defaultdict(int)
    for (unit_code, _, _), v in oper.items():
        unit_oper[unit_code] += v
    for (unit_code, src, econ), amount in oper.items():
        unit = next(u for u in units if u.code == unit_code)
        pattern, n, refunds = SHAPE_PATTERN.get(econ) or BASIC_PATTERN.get(econ, ("spread", 8, 0))
        if pattern == "spread":
            n = max(2, round(n * min(1.6, max(0.35, unit_oper[unit_code] / wan("200")))))
        basic.append(Line(unit_code, src, BASIC, unit.admin_func, econ, actual=amount, pattern=pattern,
                          n=n, refunds=refunds, memos=spec.memos.get(econ) or BASIC_MEMOS[econ]))
    for line in basic:
        if line.fund == GEN and line.econ in sangong:
            adjusted = sangong[line.econ][0]
        else:
            adjusted = round_to(line.actual / rng.uniform(0.975, 0.998), 10_000, up=True)
        personnel = line.econ[:3] in ("301", "303")
        if personnel and line.econ in ("30101", "30102", "30107", "30108", "30113"):
            supp = round_to(adjusted * rng.uniform(0.02, 0.07), 10_000)
        elif not personnel and rng.random() < 0.25:
            supp = round_to(adjusted * rng.uniform(0.05, 0.2), 10_000)
        else:
            supp = 0
        reduction = round_to(adjusted * rng.uniform(0.05, 0.15), 10_000) \
            if line.econ in ("30211", "30215") and rng.random() < 0.5 else 0
        line.supplementary, line.reduction = supp, reduction
        line.original = adjusted - supp + reduction
        line.received = adjusted
    return lines + basic


def shape_balances(spec: ShapeSpec, year: int, fig: dict,
                   lines: list[Line]) -> list[tuple[str, str, int, int, int]]:
    """(unit, source, 年初结转结余, 本年收入, 年末结转结余) per unit and source; each row's
    own identity holds, so the department's holds per source and in total."""
    dept = spec.dept
    where = f"{dept.code} {year}"
    income, opening = by_source(fig["income"]), by_source(fig["balances"]["opening"])
    closing = by_source(fig["balances"]["closing"])
    spend: dict[tuple[str, str], int] = defaultdict(int)
    for ln in lines:
        spend[(ln.unit, ln.fund)] += ln.actual
    rows = []
    for src in (s for s in SOURCES if s in set(income) | set(opening) | set(closing)):
        units = [u.code for u in dept.units]
        if spec.carry_balances:
            projects = [ln for ln in lines if ln.kind == PROJ and ln.fund == src]
            opens = [sum(ln.carryover for ln in projects if ln.unit == u) for u in units]
            closes = [sum(ln.carryover + ln.adjusted - ln.actual for ln in projects if ln.unit == u)
                      for u in units]
            check(sum(opens) == opening.get(src, 0) and sum(closes) == closing.get(src, 0),
                  f"{where}: {src} balances are not the projects' carry-overs")
        else:
            weights = [spend[(u, src)] for u in units]
            if not any(weights):
                weights = [1] + [0] * (len(units) - 1)
            units = [u for u, w in zip(units, weights, strict=True) if w]
            weights = [w for w in weights if w]
            opens = allocate(opening.get(src, 0), weights)
            closes = allocate(closing.get(src, 0), weights)
        for unit, o, c in zip(units, opens, closes, strict=True):
            got = spend[(unit, src)] + c - o
            check(got >= 0, f"{where}: unit {unit} would have negative {src} income")
            if o or c or got:
                rows.append((unit, src, o, got, c))
    check(sum(r[3] for r in rows) == sum(income.values()), f"{where}: income differs from the stated")
    return rows


def write_income_balances(dept: Dept, year: int, rows: list[tuple[str, str, int, int, int]]) -> list[Path]:
    income = [[str(year), dept.code, unit, INCOME_NAMES.get(src, src), fen_yuan_text(got),
               f"{year}年{INCOME_NAMES.get(src, src)}"] for unit, src, _, got, _ in rows if got]
    balances = [[str(year), dept.code, unit, BALANCE_NAMES.get(src, src), fen_yuan_text(o), fen_yuan_text(c)]
                for unit, src, o, _, c in rows]
    paths = [raw_path("income", dept, year), raw_path("balances", dept, year)]
    write_csv(paths[0], list(H_INCOME), income, "utf-8", False)
    write_csv(paths[1], list(H_BALANCES), balances, "utf-8", False)
    return paths


def write_procurement(spec: ShapeSpec, year: int, fig: dict) -> Path:
    """The 政府采购 ledger of a department-year (元, two decimals); its totals are the stated."""
    dept = spec.dept
    codes = {p.seq: p.code(dept.code, year) for p in dept.projects if year in p.years}
    rows = []
    for unit, seq, name, kind, method, budget, actual in spec.procurement[year]:
        check(kind in PROCUREMENT_KINDS and (seq == "" or seq in codes), f"{dept.code} {year}: {name}")
        rows.append([str(year), dept.code, unit, codes[seq] if seq else "", name, kind, method,
                     fen_yuan_text(wan(budget)), fen_yuan_text(wan(actual))])
    stated = fig["procurement"]
    check(sum(wan(r[5]) for r in spec.procurement[year]) == wan(stated["budget"]) and
          sum(wan(r[6]) for r in spec.procurement[year]) == wan(stated["actual"]),
          f"{dept.code} {year}: procurement lines do not add up to the stated totals")
    path = raw_path("procurement", dept, year)
    write_csv(path, list(H_PROCUREMENT), rows, "utf-8", False)
    return path


def write_shape(spec: ShapeSpec, year: int) -> tuple[list[Line], list[Voucher], list[tuple[str, Ind]]]:
    """Every file of one sample-shape department-year."""
    dept = spec.dept
    fig = shape_figures()[dept.code][str(year)]
    lines = shape_lines(spec, year, fig)
    vouchers = dept_year_vouchers(dept, year, lines)
    inds = dept_year_indicators(dept, year, lines)
    write_budget(dept, year, lines)
    write_payments(dept, year, vouchers)
    write_indicators(dept, year, inds)
    write_profile(dept, year, lines, inds)
    write_income_balances(dept, year, shape_balances(spec, year, fig, lines))
    write_procurement(spec, year, fig)
    return lines, vouchers, inds



# --------------------------------------------------------------------------------------
# Orchestration
# --------------------------------------------------------------------------------------


def wipe_owned() -> None:
    """Remove exactly the paths this script owns (and nothing else under data/raw/)."""
    codes = {d.code for d in ALL_DEPTS}
    (RAW / "departments.csv").unlink(missing_ok=True)
    for kind in ("budget", "payments", "indicators", "income", "balances", "procurement"):
        for year_dir in sorted((RAW / kind).glob("*")):
            if not year_dir.is_dir():
                continue
            for f in sorted(year_dir.iterdir()):
                if f.is_file() and f.name.split("-", 1)[0] in codes:
                    f.unlink()
            if not any(year_dir.iterdir()):
                year_dir.rmdir()
    for code in sorted(codes):
        shutil.rmtree(RAW / "profiles" / code, ignore_errors=True)
    for spec in SHAPES:  # the departments that live in their own folders
        shutil.rmtree(RAW / spec.dept.code, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Write the sample into data/raw/ (or --out DIR, used by the reproducibility test)."""
    import argparse

    global RAW
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=RAW, help="folder to write (default data/raw)")
    RAW = parser.parse_args(argv).out.resolve()
    wipe_owned()
    RAW.mkdir(parents=True, exist_ok=True)
    write_departments()
    summary: list[tuple] = []
    ref_lines: list[Line] = []
    ref_inds: list[tuple[str, Ind]] = []
    for dept in DEPTS:
        for year in YEARS:
            lines = dept_year_lines(dept, year)
            vouchers = dept_year_vouchers(dept, year, lines)
            inds = dept_year_indicators(dept, year, lines)
            write_budget(dept, year, lines)
            write_payments(dept, year, vouchers)
            write_indicators(dept, year, inds)
            write_profile(dept, year, lines, inds)
            actual = sum(ln.actual for ln in lines)
            adjusted = sum(ln.adjusted for ln in lines if ln.budgeted)
            n_budget = sum(ln.budgeted for ln in lines)
            summary.append((dept.code, year, n_budget, len(vouchers), len(inds), actual, adjusted))
            if dept.code == "115" and year == 2022:
                ref_lines, ref_inds = lines, inds
    for spec in SHAPES:
        for year in spec.dept.years:
            lines, vouchers, inds = write_shape(spec, year)
            summary.append((spec.dept.code, year, len(lines), len(vouchers), len(inds),
                            sum(ln.actual for ln in lines), sum(ln.adjusted for ln in lines)))
    print_summary(summary, ref_lines, ref_inds)
    self_check()
    return 0


def score_indicators(inds: list[tuple[str, Ind]], qual_share: dict[str, float]) -> float:
    total = 0.0
    for scope, ind in inds:
        if scope != "部门":
            continue
        w = ind.weight
        if ind.direction == "qualitative":
            total += w * qual_share["部分" if ind.actual.startswith("部分") else "达成"]
            continue
        t, a = float(ind.target), float(ind.actual)
        if ind.direction == ">=":
            total += w if a >= t else w * a / t
        elif ind.direction == "<=":
            total += w if a <= t else (w * (1 - (a - t) / t) if a < 2 * t else 0)
        else:
            total += w if a <= t else 0
    return total


def print_summary(
    summary: list[tuple], ref_lines: list[Line], ref_inds: list[tuple[str, Ind]]
) -> None:
    print("outturn sample data written to", RAW)
    print(f"{'dept':<5}{'year':<6}{'budget':>7}{'vouchers':>9}{'indic.':>7}{'actual 万元':>14}{'adjusted 万元':>14}")
    for code, year, nb, nv, ni, actual, adjusted in summary:
        print(f"{code:<5}{year:<6}{nb:>7}{nv:>9}{ni:>7}{fen_wan_text(round_to(actual, 100)):>14}"
              f"{fen_wan_text(round_to(adjusted, 100)):>14}")
    basic = [ln for ln in ref_lines if ln.kind == BASIC]
    proj = [ln for ln in ref_lines if ln.kind == PROJ]

    def w(x: int) -> str:
        return fen_wan_text(round_to(x, 100))

    print("\n115 零陵区城市管理和综合执法局 2022 (budgets synthetic, actuals from the report):")
    print(f"  basic: adjusted {w(sum(ln.adjusted for ln in basic))} actual {w(sum(ln.actual for ln in basic))}"
          f" execution {sum(ln.actual for ln in basic) / sum(ln.adjusted for ln in basic):.2%}")
    print(f"  {'project':<26}{'fund':<8}{'carry':>8}{'original':>10}{'suppl.':>9}{'reduct.':>9}"
          f"{'adjusted':>10}{'received':>10}{'actual':>9}{'exec':>8}")
    for ln in proj:
        print(f"  {ln.project_name + '/' + ln.unit[-1]:<22}{ln.fund[:4]:<8}{w(ln.carryover):>8}{w(ln.original):>10}"
              f"{w(ln.supplementary):>9}{w(ln.reduction):>9}{w(ln.adjusted):>10}{w(ln.received or 0):>10}"
              f"{w(ln.actual):>9}{ln.actual / ln.adjusted:>8.1%}")
    gen = [ln for ln in proj if ln.fund == GEN]
    for label, group in (("一般公共预算 projects", gen), ("all projects", proj)):
        adj = sum(ln.adjusted for ln in group)
        print(f"  {label}: original {w(sum(ln.original for ln in group))} supplementary "
              f"{w(sum(ln.supplementary for ln in group))} ({sum(ln.supplementary for ln in group) / adj:.1%} of adjusted) "
              f"adjusted {w(adj)} received {w(sum(ln.received or 0 for ln in group))} "
              f"actual {w(sum(ln.actual for ln in group))} execution {sum(ln.actual for ln in group) / adj:.2%}")
    all_adj = sum(ln.adjusted for ln in ref_lines)
    all_act = sum(ln.actual for ln in ref_lines)
    rate = all_act / all_adj
    hi = score_indicators(ref_inds, {"达成": 1.0, "部分": 0.8})
    lo = score_indicators(ref_inds, {"达成": 0.9, "部分": 0.7})
    print(f"  department execution (all books) {rate:.2%}; indicator points {lo:.2f}–{hi:.2f} of 90; "
          f"self-score ≈ {lo + 10 * rate:.1f}–{hi + 10 * rate:.1f} (report: 93)")


# --------------------------------------------------------------------------------------
# Self-check: read the written files back with pandas and compare with figures.md
# --------------------------------------------------------------------------------------


class SampleCheckError(AssertionError):
    pass


def check(cond: bool, message: str) -> None:
    if not cond:
        raise SampleCheckError(message)


def to_fen(text: str, unit: str) -> int:
    text = str(text).strip().replace(",", "")
    if text in ("", "nan", "None"):
        return 0
    value = Decimal(text) * (FEN_PER_WAN if unit == "万元" else 100)
    check(value == value.to_integral_value(), f"amount {text} {unit} is not whole 分")
    return int(value)


def read_budget(dept: Dept, year: int):
    import pandas as pd

    style = dept.style
    names = dict((h, c) for c, h in style.budget_headers)
    fmt = style.budget_formats[year]
    if fmt.startswith("xlsx"):
        path = raw_path("budget", dept, year, "xlsx")
        df = pd.read_excel(path, header=2 if fmt == "xlsx-title" else 0, dtype=str)
    else:
        path = raw_path("budget", dept, year)
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=style.encoding)
    check(list(df.columns) == list(names), f"{path}: unexpected header {list(df.columns)}")
    df = df.rename(columns=names).fillna("")
    return df


def read_payments(dept: Dept, year: int):
    import pandas as pd

    style = dept.style
    names = dict((h, c) for c, h in style.pay_headers)
    path = raw_path("payments", dept, year)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=style.pay_encoding)
    check(list(df.columns) == list(names), f"{path}: unexpected header {list(df.columns)}")
    df = df.rename(columns=names)
    df["fen"] = [to_fen(x, "元") for x in df["amount"]]
    return df


def self_check() -> None:
    import pandas as pd

    canon_fund = {}
    for dept in ALL_DEPTS:
        for fund in SOURCES:
            canon_fund[(dept.code, dept.style.fund_names.get(fund, fund))] = fund

    # ---- the reference department, 2022, against figures.md -------------------------
    d115 = DEPTS[0]
    budget = read_budget(d115, 2022)
    pay = read_payments(d115, 2022)
    raw_bytes = (RAW / "payments" / "2022" / "115-城管局.csv").read_bytes()
    check(raw_bytes.decode("gb18030").encode("gb18030") == raw_bytes, "115 payments not GB18030")
    check(not raw_bytes.startswith(b"\xef\xbb\xbf"), "115 payments must not carry a UTF-8 BOM")
    check(pay["voucher_id"].is_unique, "115 2022 voucher ids not unique")
    basic = pay[pay["expense_kind"] == BASIC]
    check(set(basic["unit_code"]) == {"115001"}, "basic expenditure outside 局本级")
    check(set(basic["fund_type"]) == {GEN}, "basic expenditure outside 一般公共预算")
    econ3 = basic["econ_code"].str[:3]
    got = {
        "personnel": basic.loc[econ3.isin(["301", "303"]), "fen"].sum(),
        "operating": basic.loc[econ3.isin(["302", "310"]), "fen"].sum(),
        "basic": basic["fen"].sum(),
        "reception": pay.loc[pay["econ_code"] == "30217", "fen"].sum(),
        "vehicles": pay.loc[pay["econ_code"] == "30231", "fen"].sum(),
    }
    check(not pay["econ_code"].isin(["30212", "31013"]).any(), "30212/31013 must not occur in 2022")
    names = {r.project_code: r.project_name for r in budget.itertuples() if r.project_code}
    proj = pay[pay["expense_kind"] == PROJ].copy()
    proj["name"] = proj["project_code"].map(names)
    check(proj["name"].notna().all(), "project payment without a budget project")
    by_project = proj.groupby(["unit_code", "fund_type", "name"])["fen"].sum().to_dict()
    check(set(by_project) == set(REF_PROJECTS), f"project set differs: {sorted(by_project)}")
    for key, figure in REF_PROJECTS.items():
        check(by_project[key] == wan(figure), f"{key}: {by_project[key]} 分 != {figure} 万元")
    gen = proj[proj["fund_type"] == GEN]
    got["projects_bureau"] = gen.loc[gen["unit_code"] == "115001", "fen"].sum()
    got["projects_lighting"] = gen.loc[gen["unit_code"] == "115002", "fen"].sum()
    got["projects"] = gen["fen"].sum()
    got["gov_fund"] = pay.loc[pay["fund_type"] == GOV, "fen"].sum()
    check(not pay["fund_type"].isin([SOE, SSF]).any(), "115 has spending in the SOE/SSF books")
    for key, figure in REF_FIGURES.items():
        check(int(got[key]) == wan(figure), f"{key}: {int(got[key])} 分 != {figure} 万元")
    spring = proj[proj["name"] == "春节工程项目付款"].groupby("unit_code")["project_code"].unique()
    check(len({c for codes in spring for c in codes}) == 2, "春节工程 needs two distinct codes")
    check((pay["fen"] < 0).any(), "expected a few refunds / reversals in 115 2022")

    # ---- every department-year: structure, matching, budget arithmetic --------------
    total_vouchers = 0
    for dept in ALL_DEPTS:
        for year in dept.years:
            budget = read_budget(dept, year)
            pay = read_payments(dept, year)
            total_vouchers += len(pay)
            where = f"{dept.code} {year}"
            check(pay["voucher_id"].is_unique, f"{where}: duplicate voucher ids")
            check((budget["year"].astype(str) == str(year)).all(), f"{where}: budget year")
            money = {c: [to_fen(x, "万元") for x in budget[c]] for c in
                     ("original_budget", "supplementary", "reduction") if c in budget}
            if "adjusted_budget" in budget:
                phases = zip(money["original_budget"], money["supplementary"], money["reduction"],
                             budget["adjusted_budget"], strict=True)
                for o, s, r, a in phases:
                    check(o + s - r == to_fen(a, "万元"), f"{where}: adjusted != orig + supp - red")
            if "funds_received" in budget:
                check(all(x != "" for x in budget["funds_received"]), f"{where}: missing 实际到位")
            for c in ("func_code", "econ_code", "project_code", "unit_code"):
                is_code = budget[c].map(lambda x: x == "" or x.isdigit())
                check(is_code.all(), f"{where}: {c} not a digit string")
            check(budget["func_code"].str.len().eq(7).all(), f"{where}: func codes not 7 digits")
            check(pay["func_code"].str.len().eq(7).all() and pay["econ_code"].str.len().eq(5).all(),
                  f"{where}: payment codes")
            fund_b = [canon_fund[(dept.code, f)] for f in budget["fund_type"]]
            fund_p = [canon_fund[(dept.code, f)] for f in pay["fund_type"]]
            kinds = {v: k for k, v in dept.style.kind_names.items()}
            keys_exact, keys_any = set(), set()
            for f, r in zip(fund_b, budget.itertuples(), strict=True):
                kind = kinds.get(r.expense_kind, r.expense_kind)
                k = (r.unit_code, f, kind, r.project_code, r.func_code)
                (keys_exact.add((*k, r.econ_code)) if r.econ_code else keys_any.add(k))
            unmatched = set()
            for f, r in zip(fund_p, pay.itertuples(), strict=True):
                kind = kinds.get(r.expense_kind, r.expense_kind)
                k = (r.unit_code, f, kind, r.project_code, r.func_code)
                if k not in keys_any and (*k, r.econ_code) not in keys_exact:
                    unmatched.add(r.project_code)
            expected = {p.code(dept.code, year) for p in dept.projects
                        if p.unbudgeted and year in p.years}
            check(unmatched == expected,
                  f"{where}: unbudgeted payments {sorted(unmatched)} != {sorted(expected)}")
            ind_path = raw_path("indicators", dept, year)
            ind = pd.read_csv(ind_path, dtype=str, keep_default_na=False,
                              encoding=dept.style.encoding)
            ind = ind.rename(columns={h: c for c, h in dept.style.ind_headers})
            weights = ind.assign(w=ind["weight"].astype(int)).groupby("scope")["w"].sum()
            check((weights == 90).all(), f"{where}: indicator weights {weights.to_dict()}")
            profile_path = raw_path("profiles", dept, year) / "profile.toml"
            profile = tomllib.loads(profile_path.read_text("utf-8"))
            check(profile["dept_code"] == dept.code and profile["year"] == year, f"{where}: profile")
    for spec in SHAPES:
        for year in spec.dept.years:
            check_shape_files(spec, year, canon_fund)
    size = sum(p.stat().st_size for p in RAW.rglob("*") if p.is_file())
    check(size < MAX_RAW_BYTES, f"data/raw is {size} bytes, over the {MAX_RAW_BYTES} budget")
    print(f"\nself-check passed: 115/2022 figures equal figures.md to the 分, 122–124 figures equal "
          f"{SHAPES_FILE.name}; {total_vouchers} vouchers, "
          f"{size / 1024 / 1024:.2f} MB under data/raw")


def check_shape_files(spec: ShapeSpec, year: int, canon_fund: dict[tuple[str, str], str]) -> None:
    """Read a sample-shape department-year's files back with pandas: every stated figure
    (spending, income and balances by source, 三公 budget and actual, 公用经费 sub-items,
    procurement totals) equals the files' sums to the 分."""
    import pandas as pd

    dept = spec.dept
    where = f"{dept.code} {year}"
    fig = shape_figures()[dept.code][str(year)]
    pay = read_payments(dept, year)
    pay["source"] = [canon_fund[(dept.code, f)] for f in pay["fund_type"]]
    budget = read_budget(dept, year)
    budget["source"] = [canon_fund[(dept.code, f)] for f in budget["fund_type"]]
    budget["adjusted"] = [to_fen(x, "万元") for x in budget["adjusted_budget"]]
    spent = pay.groupby("source")["fen"].sum().to_dict()
    check({k: int(v) for k, v in spent.items() if v} == by_source(fig["spending"]), f"{where}: spending by source")
    gen_pay, gen_budget = pay[pay["source"] == GEN], budget[budget["source"] == GEN]
    for item, econ in SANGONG_ECON.items():
        stated = fig["sangong"][item]
        check(int(gen_pay.loc[gen_pay["econ_code"] == econ, "fen"].sum()) == wan(stated["actual"]),
              f"{where}: 三公 {item} actual")
        check(int(gen_budget.loc[gen_budget["econ_code"] == econ, "adjusted"].sum()) == wan(stated["budget"]),
              f"{where}: 三公 {item} budget")
    basic = pay[(pay["expense_kind"] == BASIC) & pay["econ_code"].str[:3].isin(["302", "310"])]
    items = {ECON_NAMES[e]: int(v) for e, v in basic.groupby("econ_code")["fen"].sum().items() if v}
    check(items == {k: wan(v) for k, v in fig["operating_items"].items()}, f"{where}: 公用经费 sub-items")
    income = pd.read_csv(raw_path("income", dept, year), dtype=str, keep_default_na=False)
    balances = pd.read_csv(raw_path("balances", dept, year), dtype=str, keep_default_na=False)
    income_names = {INCOME_NAMES.get(s, s): s for s in SOURCES}
    balance_names = {BALANCE_NAMES.get(s, s): s for s in SOURCES}
    got_income = defaultdict(int)
    for src, amount in zip(income["收入来源"], income["本年收入（元）"], strict=True):
        got_income[income_names[src]] += to_fen(amount, "元")
    check(dict(got_income) == {k: v for k, v in by_source(fig["income"]).items() if v}, f"{where}: income")
    for column, key in (("年初结转结余（元）", "opening"), ("年末结转结余（元）", "closing")):
        got = defaultdict(int)
        for src, amount in zip(balances["资金来源"], balances[column], strict=True):
            got[balance_names[src]] += to_fen(amount, "元")
        check({k: v for k, v in got.items() if v} == {k: v for k, v in by_source(fig["balances"][key]).items() if v},
              f"{where}: {key} balances")
    proc = pd.read_csv(raw_path("procurement", dept, year), dtype=str, keep_default_na=False)
    check(list(proc.columns) == list(H_PROCUREMENT), f"{where}: procurement header")
    check(sum(to_fen(x, "元") for x in proc["政府采购预算（元）"]) == wan(fig["procurement"]["budget"]) and
          sum(to_fen(x, "元") for x in proc["实际采购金额（元）"]) == wan(fig["procurement"]["actual"]),
          f"{where}: procurement totals")


if __name__ == "__main__":
    sys.exit(main())
