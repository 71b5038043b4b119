"""Claims: what a generated sentence says, checked against the report's own tables.

A sentence of the report (a :class:`~outturn.report.model.Paragraph`) is built with a
:class:`Sentence`, which writes each figure *and* records what the figure claims to be:

- :class:`Cell` — "this figure is that cell of that table" (a total, an amount, a rate);
- :class:`Count` — "this many rows of that table are such" (months behind, indicators unmet);
- :class:`Rate` — "this rate is that numerator over that denominator", both printed;
- :class:`Direction` — "增长/下降, 高于/低于, 落后/超过, 达到/未达到": the word agrees with
  the sign of the difference between the two printed figures it compares;
- :class:`Source` — a figure that is no table's: a threshold of a rule, a fact of the
  department's profile, a year; its origin is named.

:func:`check_report` runs when the report is built. It checks every claim, and it scans
every generated sentence for figures and direction words that no claim covers: a figure
that is in no table and has no stated source, or a direction word that nothing checks, is
a false or unchecked claim. Any failure is a :class:`ClaimError` naming the section and the
sentence, so a report that says something its tables contradict is never written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from outturn.problems import OutturnError
from outturn.report.model import Paragraph, Report, Section, Table
from outturn.report.tables import TAIL_NOTE, broken

#: direction words and the sign of (first − second) each one states
DIRECTION_WORDS: dict[str, int] = {
    "增加": 1, "增长": 1, "高于": 1, "超过": 1, "超出": 1,
    "减少": -1, "下降": -1, "低于": -1, "落后": -1, "不足": -1,
    "持平": 0,
}
#: words that state a target was met (≥ 0) or missed (< 0)
MET_WORDS: dict[str, bool] = {"达到": True, "未达到": False}

#: a printed figure: digits with optional decimals and an optional percent sign
_FIGURE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?%?")
#: figures that are dates or parts of names, not figures (2022年, 6月, 31日, PI-1)
_NOT_A_FIGURE = re.compile(
    r"(?<![\d.])\d+(?:\.\d+)?(?=年|月|日)"  # 2022年, 6月, 31日
    r"|(?<![\d.])\d{4}(?=—\d{4}年)"  # 2020—2022年
    r"|(?<=PI-)\d+(?:\.\d+)?|(?<![\d.])\d\.\d(?= [A-D])"  # PEFA PI-1, dimension 2.1 A
    r"|(?<=〔)\d+(?=〕)|(?<=〕)\d+(?=号)"  # document numbers 财预〔2020〕10号
    r"|^\d+(?=\. )"  # a list item's number
)
_WORDS = re.compile("|".join(sorted({*DIRECTION_WORDS, *MET_WORDS}, key=len, reverse=True)))


class ClaimError(OutturnError):
    """A generated sentence states what the report's own figures contradict."""


@dataclass(frozen=True)
class Cell:
    """``printed`` is the cell of table ``table`` in the row whose columns hold ``row``
    (column → value) and column ``column``."""

    printed: str
    table: str
    row: tuple[tuple[str, str], ...]
    column: str


@dataclass(frozen=True)
class Count:
    """``stated`` rows of table ``table`` have ``column`` in ``values``; ``printed`` is
    how the sentence says it (``"4个月"``, or the word that names those rows, ``"落后"``)."""

    printed: str
    stated: int
    table: str
    column: str
    values: tuple[str, ...]
    is_word: bool = False


@dataclass(frozen=True)
class Rate:
    """``printed`` (``"85.15%"``) is ``numerator / denominator`` (both printed with their
    precision) to the printed precision."""

    printed: str
    numerator: str
    denominator: str


@dataclass(frozen=True)
class Direction:
    """``word`` compares ``first`` with ``second`` (printed figures); its sign must agree."""

    word: str
    first: str
    second: str


@dataclass(frozen=True)
class Source:
    """``printed`` is a figure from ``origin`` (a rule's threshold, the profile)."""

    printed: str
    origin: str


Claim = Cell | Count | Rate | Direction | Source


@dataclass
class Sentence:
    """Builds a paragraph's text and its claims together, so no figure is written
    without saying where it comes from."""

    parts: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)

    def say(self, text: str) -> Sentence:
        """Words without figures (or with figures covered by another claim)."""
        self.parts.append(text)
        return self

    def _claim(self, printed: str, claim: Claim) -> None:
        start = sum(len(p) for p in self.parts)
        self.parts.append(printed)
        self.claims.append(claim)
        self.spans.append((start, start + len(printed)))

    def cell(self, table: Table, row: Mapping[str, str] | str, column: str) -> str:
        """Write the cell ``table[row, column]`` and claim it; returns the printed value."""
        printed = table.cell(row, column)
        self._claim(printed, Cell(printed, table.key, _row_key(table, row), column))
        return printed

    def count(self, stated: int, unit: str, table: Table, column: str,
              values: Iterable[str]) -> Sentence:
        printed = f"{stated}{unit}"
        self._claim(printed, Count(printed, stated, table.key, column, tuple(values)))
        return self

    def count_word(self, word: str, stated: int, table: Table, column: str,
                   values: Iterable[str]) -> Sentence:
        """A direction word (``落后``) that names the ``stated`` rows of ``table`` whose
        ``column`` is in ``values`` (the rows a count beside it counts)."""
        self._claim(word, Count(word, stated, table.key, column, tuple(values), is_word=True))
        return self

    def rate(self, printed: str, numerator: str, denominator: str) -> Sentence:
        self._claim(printed, Rate(printed, numerator, denominator))
        return self

    def direction(self, word: str, first: str, second: str) -> Sentence:
        self._claim(word, Direction(word, first, second))
        return self

    def source(self, printed: str, origin: str) -> Sentence:
        self._claim(printed, Source(printed, origin))
        return self

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def paragraph(self) -> Paragraph:
        return Paragraph(self.text, tuple(self.claims), tuple(self.spans))


def _row_key(table: Table, row: Mapping[str, str] | str) -> tuple[tuple[str, str], ...]:
    if isinstance(row, str):
        return ((str(table.frame.columns[0]), row),)
    return tuple((str(k), str(v)) for k, v in row.items())


# --- checking -----------------------------------------------------------------------------

def check_report(report: Report) -> None:
    """Raise :class:`ClaimError` listing every false or unchecked claim of the report."""
    tables = {t.key: t for t in report.tables()}
    printed = _table_figures(tables.values())
    failures = [f"table {t.key} ({t.title}): {why}; its note lacks “{TAIL_NOTE}”"
                for t in tables.values() if TAIL_NOTE not in t.note
                for why in broken(t.frame, t.relations)]
    for section in report.sections:
        for heading, paragraph in _paragraphs(section):
            for why in check_paragraph(paragraph, tables, printed):
                failures.append(f"{heading}: “{paragraph.text}”: {why}")
    if failures:
        raise ClaimError(f"{report.title}: {len(failures)} sentence(s) do not agree with the "
                         "report's own figures; this is a bug in outturn, please report it:\n"
                         + "\n".join(f"  - {f}" for f in failures))


def _paragraphs(section: Section, outer: str = "") -> Iterable[tuple[str, Paragraph]]:
    heading = f"{outer}{section.heading}"
    for block in section.blocks:
        if isinstance(block, Paragraph):
            yield heading, block
    for sub in section.subsections:
        yield from _paragraphs(sub, heading)


def _table_figures(tables: Iterable[Table]) -> set[str]:
    """Every figure printed in any table cell (or title or note) of the report."""
    out: set[str] = set()
    for table in tables:
        for text in [table.title, table.note, *table.frame.astype(str).to_numpy().ravel()]:
            out.update(_FIGURE.findall(str(text)))
    return out


def check_paragraph(paragraph: Paragraph, tables: Mapping[str, Table],
                    printed: set[str]) -> list[str]:
    """Why ``paragraph`` is not true of ``tables`` (empty when it is)."""
    failures = [why for claim in paragraph.claims
                if (why := _check_claim(claim, paragraph.text, tables))]
    covered = set()
    for claim in paragraph.claims:
        for text in _claimed_texts(claim):
            covered.update(_FIGURE.findall(text))
    text = paragraph.text
    for start, end in paragraph.spans:  # what a claim printed is checked by that claim
        text = text[:start] + " " * (end - start) + text[end:]
    dates = {m.start() for m in _NOT_A_FIGURE.finditer(text)}
    for m in _FIGURE.finditer(text):
        if m.start() not in dates and m.group() not in covered and m.group() not in printed:
            failures.append(f"the figure {m.group()} is in no table and has no stated source")
    words = {c.word for c in paragraph.claims if isinstance(c, Direction)} | \
        {c.printed for c in paragraph.claims if isinstance(c, Count) and c.is_word}
    for m in _WORDS.finditer(text):
        if m.group() not in words:
            failures.append(f"the direction word {m.group()} compares nothing that is checked")
    return failures


def _claimed_texts(claim: Claim) -> list[str]:
    if isinstance(claim, Rate):
        return [claim.printed, claim.numerator, claim.denominator]
    if isinstance(claim, Count) and claim.is_word:
        return []
    if isinstance(claim, Direction):
        return [claim.first, claim.second]
    return [claim.printed]


def _check_claim(claim: Claim, text: str, tables: Mapping[str, Table]) -> str:
    shown = claim.word if isinstance(claim, Direction) else claim.printed
    if shown not in text:
        return f"claims {shown!r}, which the sentence does not print"
    if isinstance(claim, Cell | Count) and claim.table not in tables:
        return f"cites table {claim.table!r}, which the report does not have"
    if isinstance(claim, Cell):
        try:
            found = tables[claim.table].cell(dict(claim.row), claim.column)
        except KeyError as exc:
            return f"cites a cell of table {claim.table!r} that is not there ({exc})"
        return "" if found == claim.printed else \
            f"prints {claim.printed} where table {claim.table!r} has {found}"
    if isinstance(claim, Count):
        frame = tables[claim.table].frame
        got = int(frame[claim.column].isin(claim.values).sum()) if claim.column in frame else -1
        return "" if got == claim.stated else \
            (f"counts {claim.stated} where table {claim.table!r} has {got} row(s) with "
             f"{claim.column} in {'/'.join(claim.values)}")
    if isinstance(claim, Rate):
        return _check_rate(claim)
    if isinstance(claim, Direction):
        return _check_direction(claim)
    return ""


def _number(printed: str) -> tuple[Decimal, Decimal]:
    """A printed figure and half a unit of its last digit (what rounding may have hidden)."""
    value = Decimal(printed.rstrip("%").replace(",", "").lstrip("+"))
    exponent = value.as_tuple().exponent
    half = Decimal(5) * Decimal(10) ** (int(exponent) - 1) if isinstance(exponent, int) else Decimal(0)
    return value, half


def _check_rate(claim: Rate) -> str:
    """The printed rate must be reachable from some exact numerator and denominator that
    print as the stated ones: interval arithmetic over the half-units rounding hides."""
    rate, r_half = _number(claim.printed)
    num, n_half = _number(claim.numerator)
    den, d_half = _number(claim.denominator)
    if den - d_half <= 0:
        return f"states a rate {claim.printed} over a denominator of {claim.denominator}"
    bounds = [(num + a) / (den + b) * 100 for a in (-n_half, n_half) for b in (-d_half, d_half)]
    if max(bounds) < rate - r_half or min(bounds) > rate + r_half:
        return (f"states {claim.printed} where {claim.numerator} / {claim.denominator} is "
                f"{num / den * 100:.4f}%")
    return ""


def _check_direction(claim: Direction) -> str:
    first, f_half = _number(claim.first)
    second, s_half = _number(claim.second)
    diff = first - second
    if claim.word in MET_WORDS:
        ok = (diff >= 0) == MET_WORDS[claim.word]
    else:
        sign = DIRECTION_WORDS[claim.word]
        ok = (diff > 0, diff == 0, diff < 0)[1 - sign] if sign else abs(diff) <= f_half + s_half
    return "" if ok else f"says {claim.word} comparing {claim.first} with {claim.second}"
