"""The report as data: sections of paragraphs, narrative, tables and charts.

Everything a report shows is one of four blocks, so that each export (the notebook's
HTML, Word, CSV) renders the same content the same way and nothing is computed twice:

- :class:`Paragraph` — a sentence or two generated from the figures (plain text);
- :class:`Narrative` — the department's own words from its profile (a small Markdown
  subset: paragraphs, ``###`` headings, numbered or bulleted lists);
- :class:`Table` — a titled table whose cells are already formatted as printed (万元 with
  two decimals, percentages half-up), with the figures behind it for the CSV;
- :class:`Chart` — a titled chart: its data, and which house-style function draws it.

Text from data is never trusted: renderers escape it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import pandas as pd

from outturn.schema import TABLES
from outturn.vocabulary import UNIT_LINE as UNIT_LINE


@dataclass(frozen=True)
class Paragraph:
    """Generated text (plain, escaped on output), with what its figures claim
    (:mod:`outturn.report.claims`; checked when the report is built)."""

    text: str
    claims: tuple[Any, ...] = ()
    #: where in ``text`` each claim printed its figure or word (start, end)
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Narrative:
    """The department's own words (Markdown subset, escaped on output)."""

    text: str
    source: str = ""


#: How a table's note states its amount unit, and the unit line printed above the table.
AMOUNT_UNIT_NOTE = "金额单位：万元"


def source_line(ledgers: tuple[str, ...]) -> str:
    """``数据来源：预算指标、支出明细`` — the ledgers (data-model table names) a table is
    computed from, by their Chinese names in the data model (:mod:`outturn.schema`)."""
    return "数据来源：" + "、".join(TABLES[name].zh for name in ledgers) if ledgers else ""


@dataclass(frozen=True, eq=False)
class Table:
    """A titled table. ``frame`` holds the cells as printed (strings, Chinese headers);
    ``key`` names its CSV file; ``note`` says its unit and anything else a reader needs
    (the 尾差, sources): the unit is printed above the table at the right
    (:attr:`unit_line`), the rest under it (:attr:`footnote`), as finance tables are."""

    key: str
    title: str
    frame: pd.DataFrame
    note: str = ""
    #: indices of columns holding figures (right-aligned); by default every column but the first
    numeric: tuple[int, ...] | None = None
    #: how its printed figures relate (:mod:`outturn.report.tables`: rows adding to a 合计,
    #: a column that is the difference of two), checked with the 尾差 note
    relations: tuple[Any, ...] = ()
    #: the ledgers (data-model table names: ``budget``, ``payments`` …) its figures come
    #: from, printed under it as its data source line (:attr:`source`)
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = [name for name in self.sources if name not in TABLES]
        if unknown:
            raise ValueError(f"table {self.key!r}: unknown source ledger(s) {unknown}; "
                             f"known: {sorted(TABLES)}")

    @property
    def source(self) -> str:
        """``数据来源：预算指标、支出明细`` (empty when the table names no ledger)."""
        return source_line(self.sources)

    @property
    def unit_line(self) -> str:
        """``单位：万元`` where the note states the amount unit, else ""."""
        return UNIT_LINE if self.note.startswith(AMOUNT_UNIT_NOTE) else ""

    @property
    def footnote(self) -> str:
        """The note without its unit clause (printed under the table)."""
        if not self.unit_line:
            return self.note
        return self.note[len(AMOUNT_UNIT_NOTE):].lstrip("；;，, ")

    def cell(self, row: Mapping[str, str] | str, column: str) -> str:
        """The printed cell in ``column`` of the one row whose columns hold ``row``
        (column → value; a plain string matches the first column). KeyError otherwise;
        rows that match and print the same value count as one."""
        match = {str(self.frame.columns[0]): row} if isinstance(row, str) else \
            {str(k): str(v) for k, v in row.items()}
        unknown = [name for name in [*match, column] if name not in self.frame.columns]
        if unknown:
            raise KeyError(f"no column {unknown[0]!r}")
        hits = {r[column] for r in self._rows if all(r[k] == v for k, v in match.items())}
        if len(hits) != 1:
            raise KeyError(f"{len(hits) or 'no'} row(s) match {match} in column {column!r}")
        return hits.pop()

    @cached_property
    def _rows(self) -> list[dict[str, str]]:
        """The printed rows as column → text, read once for :meth:`cell`."""
        frame = self.frame.astype(str)
        frame.columns = [str(c) for c in frame.columns]
        return frame.to_dict("records")  # type: ignore[return-value]

    def numeric_columns(self) -> tuple[int, ...]:
        return self.numeric if self.numeric is not None else tuple(range(1, self.frame.shape[1]))


@dataclass(eq=False)
class Chart:
    """A titled chart: ``kind`` names a function of :mod:`outturn.report.charts`, called
    with ``data`` and ``options``; ``key`` names its CSV and PNG files."""

    key: str
    title: str
    kind: str
    data: pd.DataFrame
    options: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def png(self) -> bytes:
        """The chart drawn in the house style, as PNG bytes (drawn once)."""
        from outturn.report import charts

        charts.use_house_style()
        draw = getattr(charts, self.kind)
        return charts.to_png(draw(self.data, title=self.title, **self.options))


Block = Paragraph | Narrative | Table | Chart


@dataclass
class Section:
    """A numbered section (``一、基本情况``) or sub-section (``（一）基本支出情况``)."""

    number: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)

    @property
    def heading(self) -> str:
        if not self.number:
            return self.title
        if self.number.startswith("（"):
            return f"{self.number}{self.title}"
        return f"{self.number}、{self.title}"

    def walk(self) -> list[Block]:
        """Every block of the section and its sub-sections, in reading order."""
        out = list(self.blocks)
        for sub in self.subsections:
            out += sub.walk()
        return out


#: What the document is, after the department's name and the year in its title.
REPORT_KIND = "年度整体支出绩效自评报告"


def report_title(dept_name: str, year: int) -> str:
    """``零陵区城市管理和综合执法局2022年度整体支出绩效自评报告``."""
    return f"{dept_name}{year}{REPORT_KIND}"


@dataclass
class Report:
    """A department-year's 整体支出绩效自评报告."""

    dept_code: str
    dept_name: str
    year: int
    data_version: str
    generated: date
    sections: list[Section]
    #: headline figures for the index page: name → printed value
    headline: dict[str, str] = field(default_factory=dict)
    #: a note on the data's provenance (e.g. which figures are synthetic)
    data_note: str = ""

    @property
    def title(self) -> str:
        return report_title(self.dept_name, self.year)

    @property
    def title_lines(self) -> tuple[str, str]:
        """The title as printed on two lines, department then year and kind, so that a
        narrow page breaks it between the two and never inside a word (…整 / 体支出…)."""
        return self.dept_name, f"{self.year}{REPORT_KIND}"

    def section(self, number: str) -> Section:
        """The section numbered ``number`` (``"一"`` … ``"九"``)."""
        for s in self.sections:
            if s.number == number:
                return s
        raise KeyError(f"no section {number}; sections: {[s.number for s in self.sections]}")

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.walk() if isinstance(b, Table)]

    def charts(self) -> list[Chart]:
        return [b for s in self.sections for b in s.walk() if isinstance(b, Chart)]
