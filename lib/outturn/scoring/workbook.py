"""The 自评表 as an Excel workbook, in the layout finance bureaus print and file.

Sheet 自评表: a title, the rule set, then 一级指标 / 二级指标 / 三级指标 / 分值 / 指标值 /
得分 / 评分说明, first-level cells merged over their lines, a 合计 row and the grade;
A4 landscape, fitted to the page width, header rows repeated on every page.
Sheet 指标明细: every indicator behind the ``indicators`` lines with its own score.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.writer.excel import ExcelWriter

from outturn.atomic import write_bytes
from outturn.cells import text_only
from outturn.money import format_ratio, round_half_up
from outturn.ooxml import restamp
from outturn.scoring.engine import SCORE_COLUMNS, ScoreTable
from outturn.scoring.indicators import grade_legend
from outturn.vocabulary import TOTAL_LABEL, UNIT_LINE

HEADERS = SCORE_COLUMNS
WIDTHS = (12, 14, 22, 8, 12, 10, 70)
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_workbook(table: ScoreTable, path: Path | str,
                   pefa_result: dict[str, Any] | None = None, *, generated: date | None = None) -> Path:
    """Write the scored table to ``path`` (atomically, with the usual permissions; no cell
    a formula, whatever text the indicators and explanations hold);
    with ``pefa_result`` (from :func:`outturn.metrics.pefa_ledgers.department_pefa`) a PEFA sheet
    holds PI-1, PI-2 and each year's composition-variance table. The workbook is dated
    ``generated`` (the report's date; else today) inside and out, so it is the same bytes
    each time it is written on that date."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    last = len(HEADERS)
    ws.append([f"{table.dept_name}{table.year}年度整体支出绩效自评表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = _CENTER
    ws.append([f"评价规则：{table.rule_set.name}（{table.rule_set.source}）"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    ws.append(list(HEADERS))
    for cell in ws[3]:
        cell.font, cell.fill, cell.alignment, cell.border = Font(bold=True), _HEAD_FILL, \
            _CENTER, _BORDER
    first_row = 4
    for line in table.lines:
        ws.append([line.level1, line.level2, line.level3, line.weight, line.value,
                   float(line.shown), line.explanation])
    end = ws.max_row
    _merge_runs(ws, first_row, end, column=1)
    ws.append([TOTAL_LABEL, "", "", float(table.total_weight), "", float(table.total),
               ""])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=3)
    ws.append(["自评等级", "", "", "", "", table.grade_label, _grade_note(table)])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=3)
    for row in ws.iter_rows(min_row=first_row, max_row=ws.max_row):
        for cell in row:
            cell.border = _BORDER
            cell.alignment = _WRAP if cell.column == last else _CENTER
            if cell.column in (4, 6):
                cell.number_format = "0.00"
    for row in ws.iter_rows(min_row=ws.max_row - 1, max_row=ws.max_row):
        for cell in row:
            cell.font = Font(bold=True)
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[chr(64 + i)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:3"
    _details_sheet(wb, table)
    if pefa_result is not None:
        _pefa_sheet(wb, pefa_result)
    text_only(wb)
    # dated by the report (else today), entries included: the same table, the same bytes
    stamp = datetime.combine(generated or date.today(), datetime.min.time())
    wb.properties.created = wb.properties.modified = stamp
    buffer = io.BytesIO()
    # openpyxl's save() dates the workbook "modified now"; its writer itself keeps our date
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return write_bytes(Path(path), restamp(buffer.getvalue(), stamp))


def _grade_note(table: ScoreTable) -> str:
    """The grade bands the grade was given by, and why it is provisional when it is."""
    note = f"{grade_legend()}；合计为各行得分（四舍五入至0.01分）之和"
    if table.pending:
        note += (f"；{len(table.pending)}项待评价人评分（"
                 f"{'、'.join(x.level3 for x in table.pending)}），评分前按0分计入，等级为暂定")
    return note


def _shown(points: Fraction | Decimal) -> float:
    """Points as printed: two decimals, rounded half-up (四舍五入)."""
    return float(round_half_up(points, 2))


def _merge_runs(ws, first: int, last: int, column: int) -> None:  # type: ignore[no-untyped-def]
    """Merge consecutive equal cells of a column (the first-level blocks)."""
    start = first
    for row in range(first + 1, last + 2):
        same = row <= last and ws.cell(row, column).value == ws.cell(start, column).value
        if not same:
            if row - 1 > start:
                ws.merge_cells(start_row=start, start_column=column, end_row=row - 1,
                               end_column=column)
            start = row


def _details_sheet(wb: Workbook, table: ScoreTable) -> None:
    ws = wb.create_sheet("指标明细")
    ws.append(["自评表三级指标", "指标", "分值", "得分", "评分说明"])
    for cell in ws[1]:
        cell.font, cell.fill, cell.border = Font(bold=True), _HEAD_FILL, _BORDER
    for line in table.lines:
        for detail in line.details:
            name, _, why = detail.explanation.partition("：")
            ws.append([line.level3, name, detail.weight, _shown(detail.exact_points), why])
    for i, width in enumerate((18, 30, 8, 8, 80), start=1):
        ws.column_dimensions[chr(64 + i)].width = width


def _pefa_sheet(wb: Workbook, result: dict[str, Any]) -> None:
    """PI-1 and PI-2 with the calculation tables PEFA assessors annex (amounts in 万元)."""
    ws = wb.create_sheet("PEFA")
    pi1, pi2 = result["pi1"], result["pi2"]
    ws.append(["PEFA 预算可信度（PEFA 2016）", "", "评分"])
    ws.append(["PI-1 总支出执行（实际/年初预算）", "", pi1.score])
    ws.append(["PI-2 支出结构执行（M1）", "", pi2.score])
    for dim, letter in pi2.dimensions.items():
        ws.append([f"  {dim}", "", letter])
    ws.append([])
    ws.append(["年度", "年初预算", "实际支出", "执行比", "PI-1 档次"])
    for row in pi1.table.itertuples(index=False):
        ws.append([int(row.year), _wan(row.original), _wan(row.actual),
                   _pct(row.outturn), row.letter])
    for title, frame in (("2.1 按功能分类", pi2.by_function), ("2.2 按经济分类", pi2.by_economic)):
        ws.append([])
        ws.append([title, "调整系数", "结构偏差率", "档次"])
        for row in frame.itertuples(index=False):
            ws.append([int(row.year), str(round_half_up(Decimal(repr(row.factor)), 4)),
                       _pct(row.variance), row.letter])
    from outturn.metrics import pefa
    for year in pi1.years_used:
        ws.append([])
        ws.append([f"{year}年 按功能分类结构偏差计算表（万元）"])
        calc = pefa.composition_table(result["tables"]["by_function"], year)
        ws.append(["类别", "年初预算", "实际", "调整后预算", "偏差", "绝对偏差", "偏差率"])
        for row in calc.itertuples(index=False):
            ws.append([str(row.category), _wan(row.original), _wan(row.actual),
                       _wan(row.adjusted), _wan(row.deviation), _wan(row.abs_deviation),
                       _pct(row.percent)])
    for column, width in zip("ABCDEFG", (34, 14, 14, 14, 14, 14, 10), strict=True):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows():  # each calculation table's 合计 stands out, as in the report
        if row[0].value == TOTAL_LABEL:
            for cell in row:
                cell.font = Font(bold=True)
    ws.cell(row=1, column=7, value=UNIT_LINE).alignment = Alignment(horizontal="right")


_pct = format_ratio


def _wan(fen: float) -> float:
    """分 as 万元 with two decimals, half-up."""
    return float(round_half_up(Decimal(str(fen)) / Decimal(1_000_000), 2))
