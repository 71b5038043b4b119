"""The two expenditure classifications: code tables, names, levels, cost types, "三公".

Every budget line and payment carries a functional code (支出功能分类科目: 类 3 digits /
款 5 / 项 7, *what for*) and an economic code (部门预算支出经济分类科目: 类 3 / 款 5,
*what kind of spending*). The Ministry of Finance revises both lists every year, so the
tables are data shipped with the package (``outturn/codes/<kind>_<year>.csv``, columns
``code,name,level``), never code. A ledger of a year is read with the table of that year
or, when there is none, the latest earlier one (codes change little between years).

From the economic code follow the customary splits used in every self-evaluation report:

- basic expenditure (基本支出) = 人员经费 (personnel: 301 工资福利支出 + 303 对个人和家庭的补助)
  + 公用经费 (operating: 302 商品和服务支出 + 310 资本性支出);
- "三公"经费: 30212 因公出国（境）费用, 30217 公务接待费, 30231 公务用车运行维护费,
  31013 公务用车购置.

Everything here is a pure function of its arguments and the shipped tables. Work on
ledgers is vectorised: a code's attributes are computed once per distinct code and then
spread to the rows with an index ``take``: no Python runs per row, and a 5,000,000-row
ledger classifies in one to three seconds.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd

from outturn.code_matching import edit_distance as edit_distance
from outturn.code_matching import lost_zeros as lost_zeros
from outturn.code_matching import nearest_code
from outturn.keys import factorize_text, spread_categorical, spread_text
from outturn.problems import OutturnError
from outturn.sangong_items import SANGONG_CODES as SANGONG_CODES
from outturn.sangong_items import item_of_code, item_of_name
from outturn.vocabulary import BASIC, COST_TYPES
from outturn.vocabulary import SANGONG_CATEGORIES as SANGONG_CATEGORIES

CodeKind = Literal["functional", "economic"]

#: Code length of each level, per classification.
LEVEL_LENGTHS: Mapping[str, Mapping[str, int]] = MappingProxyType({
    "functional": MappingProxyType({"类": 3, "款": 5, "项": 7}),
    "economic": MappingProxyType({"类": 3, "款": 5}),
})

#: Ledger column holding each classification's code.
CODE_COLUMNS: Mapping[str, str] = MappingProxyType({
    "functional": "func_code", "economic": "econ_code",
})

#: Columns of a code table, in file order.
TABLE_COLUMNS: tuple[str, ...] = ("code", "name", "level")

#: Economic classes whose basic expenditure is 人员经费 (personnel).
PERSONNEL_CLASSES: tuple[str, ...] = ("301", "303")
#: Economic classes whose basic expenditure is 公用经费 (operating).
OPERATING_CLASSES: tuple[str, ...] = ("302", "310")
#: Values of the ``cost_type`` column other than "" (not assigned), and the "三公"
#: categories in report order: :mod:`outturn.vocabulary`'s, imported above.
#: Economic 款 code → its "三公" item: :mod:`outturn.sangong_items`'s, imported above.

#: Columns :func:`add_classification` adds, in order.
CLASSIFICATION_COLUMNS: tuple[str, ...] = (
    "func_class", "func_kuan", "func_name", "econ_class", "econ_name", "cost_type", "sangong",
)


_FILE_NAME = re.compile(r"^(functional|economic)_(\d{4})\.csv$")


# --------------------------------------------------------------------------- tables


def _check_kind(kind: str) -> None:
    if kind not in LEVEL_LENGTHS:
        raise ValueError(f"kind must be 'functional' or 'economic', not {kind!r}")


def _level_length(kind: str, level: str) -> int:
    _check_kind(kind)
    lengths = LEVEL_LENGTHS[kind]
    if level not in lengths:
        raise ValueError(f"{kind} codes have levels {'/'.join(lengths)}, not {level!r}")
    return lengths[level]


def _root(folder: str | Path | None) -> Traversable:
    """The folder holding code tables: the package's ``codes`` folder unless given."""
    if folder is None:
        return resources.files("outturn").joinpath("codes")
    return Path(folder)


def _folder_key(folder: str | Path | None) -> str | None:
    return None if folder is None else str(Path(folder).resolve())


def available_years(kind: CodeKind, folder: str | Path | None = None) -> tuple[int, ...]:
    """Years that have a ``<kind>_<year>.csv`` table in ``folder`` (default: the package's)."""
    _check_kind(kind)
    root = _root(folder)
    if not root.is_dir():
        return ()
    years = []
    for entry in root.iterdir():
        match = _FILE_NAME.match(entry.name)
        if match and match.group(1) == kind:
            years.append(int(match.group(2)))
    return tuple(sorted(years))


def pick_table_year(available: Iterable[int], year: int) -> int | None:
    """The table year that serves ``year``: itself or the latest earlier year, else the earliest.

    Codes change little from one year to the next, so last year's table is the best
    stand-in; for a year before every table, the earliest table is the nearest.
    ``None`` when there are no tables at all.

    >>> pick_table_year([2020, 2022], 2021), pick_table_year([2020, 2022], 2019)
    (2020, 2020)
    """
    years = sorted(set(available))
    if not years:
        return None
    earlier = [y for y in years if y <= year]
    return earlier[-1] if earlier else years[0]


def table_year(kind: CodeKind, year: int, folder: str | Path | None = None) -> int:
    """The year of the code table used for ledgers of ``year`` (see :func:`pick_table_year`).

    Raises :class:`~outturn.problems.OutturnError` naming the folder when it holds no
    table of this kind.
    """
    chosen = pick_table_year(available_years(kind, folder), year)
    if chosen is None:
        raise OutturnError(
            f"no {kind} code table in {_root(folder)}: add a UTF-8 file named "
            f"{kind}_{year}.csv with columns {','.join(TABLE_COLUMNS)}"
        )
    return chosen


def _validate_table(table: pd.DataFrame, kind: str, source: str) -> None:
    if tuple(table.columns) != TABLE_COLUMNS:
        raise OutturnError(
            f"{source}: the header must be {','.join(TABLE_COLUMNS)}, "
            f"not {','.join(map(str, table.columns))}"
        )
    lengths = LEVEL_LENGTHS[kind]
    expected = table["level"].map(lengths)
    bad = (
        ~table["code"].str.fullmatch(r"\d+")
        | expected.isna()
        | (table["code"].str.len() != expected)
        | (table["name"] == "")
    )
    if bad.any():
        rows = ", ".join(str(i + 2) for i in np.flatnonzero(bad.to_numpy())[:10])
        raise OutturnError(
            f"{source}: line(s) {rows} need a numeric code, a name and a level "
            f"({', '.join(f'{k} = {n} digits' for k, n in lengths.items())})"
        )
    duplicated = table["code"][table["code"].duplicated()]
    if len(duplicated):
        raise OutturnError(
            f"{source}: code(s) listed twice: {', '.join(duplicated.unique()[:10])}"
        )


@lru_cache(maxsize=32)
def _read_table(kind: str, year: int, folder_key: str | None) -> pd.DataFrame:
    """Read and check one table file (once per process)."""
    root = _root(folder_key)
    entry = root.joinpath(f"{kind}_{year}.csv")
    text = entry.read_text(encoding="utf-8-sig")
    table = pd.read_csv(io.StringIO(text), dtype="str", keep_default_na=False)
    table = table.apply(lambda column: column.str.strip())
    _validate_table(table, kind, str(entry))
    return table.reset_index(drop=True)


def load_codes(kind: CodeKind, year: int, *, folder: str | Path | None = None) -> pd.DataFrame:
    """The code table of ``kind`` for ledgers of ``year``: columns ``code``, ``name``, ``level``.

    Uses the table of that year, else the latest earlier year, else the earliest (see
    :func:`pick_table_year`); ``attrs["year"]`` says which. Tables are read from the
    package (``outturn/codes``) unless ``folder`` names another folder of
    ``<kind>_<year>.csv`` files, e.g. a province's own list. Each file is read once per
    process; the caller gets its own copy.
    """
    _check_kind(kind)
    chosen = table_year(kind, year, folder)
    table = _read_table(kind, chosen, _folder_key(folder)).copy()
    table.attrs["year"] = chosen
    return table


@lru_cache(maxsize=32)
def _names(kind: CodeKind, year: int, folder_key: str | None = None) -> Mapping[str, str]:
    """code → name for ledgers of ``year`` (read-only, cached)."""
    table = load_codes(kind, year, folder=folder_key)
    return MappingProxyType(dict(zip(table["code"], table["name"], strict=True)))


# --------------------------------------------------------------------------- unknown codes
# the "did you mean" matching itself is outturn.code_matching (pure string functions)

def unknown_codes(
    codes: pd.Series, kind: CodeKind, year: int, *, folder: str | Path | None = None
) -> pd.DataFrame:
    """Distinct codes not in the table for ``year``, with the nearest known code and its name.

    A code is known when its exact string is in the table (no trimming, no padding).
    Empty and missing codes are not reported: whether a code may be empty is a
    validation rule, not a classification one. Columns ``code``, ``nearest``,
    ``nearest_name`` (both "" when nothing is near, see :func:`nearest_code`), one row per
    unknown code, sorted by code.
    """
    names = _names(kind, year, _folder_key(folder))
    distinct = pd.Series(pd.unique(codes.dropna().astype("str")), dtype="str")
    unknown = sorted(c for c in distinct if c != "" and c not in names)
    nearest = [nearest_code(c, names) or "" for c in unknown]
    return pd.DataFrame(
        {
            "code": pd.Series(unknown, dtype="str"),
            "nearest": pd.Series(nearest, dtype="str"),
            "nearest_name": pd.Series([names.get(n, "") for n in nearest], dtype="str"),
        }
    )


# --------------------------------------------------------------------------- ledgers


def _prefix(code: str, length: int) -> str:
    """The first ``length`` characters of ``code``; "" when the code is shorter."""
    return code[:length] if len(code) >= length else ""


def _cost_type_of_class(econ_class: str) -> str:
    if econ_class in PERSONNEL_CLASSES:
        return COST_TYPES[0]
    if econ_class in OPERATING_CLASSES:
        return COST_TYPES[1]
    return ""


def add_classification(df: pd.DataFrame, year: int, *, categorical: bool = False) -> pd.DataFrame:
    """A copy of ``df`` with the classification columns derived from its codes.

    ``df`` needs ``func_code``, ``econ_code`` (text; ``econ_code`` may be "") and
    ``expense_kind`` (基本支出 or 项目支出). Added ``str`` columns:

    - ``func_class`` / ``func_kuan``: the 类 (3-digit) and 款 (5-digit) prefix of
      ``func_code``, "" when the code is shorter than that level;
    - ``func_name``: the table name of the full ``func_code``, "" when it is not in the
      table of ``year`` (see :func:`unknown_codes` for reporting those);
    - ``econ_class`` / ``econ_name``: the 类 prefix and the name of the full ``econ_code``;
    - ``cost_type``: for 基本支出 rows, 人员经费 when the economic class is 301 or 303 and
      公用经费 when it is 302 or 310; "" for basic rows of any other class (307 interest,
      309 基本建设, 311–313 subsidies, 399 other, or no economic code), which the customary
      split leaves unassigned rather than guessed; always "" for 项目支出 rows;
    - ``sangong``: the "三公" item of ``econ_code`` (:data:`SANGONG_CODES`); for a row
      without an economic code, the item its ``project_name`` names (when the frame has
      that column; :func:`outturn.sangong_items.item_of_name`); else "".

    Attributes are computed once per distinct code and spread to rows with an index take,
    so no Python runs per row. With ``categorical=True`` the added columns are
    ``category`` instead of ``str``: faster and far smaller on millions of rows (no
    per-row strings: about 40 MB instead of 530 MB for 5,000,000 rows), but frames
    classified separately then concatenate to ``object`` unless their categories agree,
    so ``str`` is the default.
    """
    missing = [c for c in ("func_code", "econ_code", "expense_kind") if c not in df.columns]
    if missing:
        raise ValueError(f"add_classification needs column(s) {', '.join(missing)}")
    func_names = _names("functional", year)
    econ_names = _names("economic", year)

    func_index, func_codes = factorize_text(df["func_code"])
    econ_index, econ_codes = factorize_text(df["econ_code"])

    econ_classes = [_prefix(c, 3) for c in econ_codes]
    # cost type as a small integer per distinct economic code, zeroed on non-basic rows
    cost_labels = ("", *COST_TYPES)
    cost_of_econ = np.array(
        [cost_labels.index(_cost_type_of_class(c)) for c in econ_classes], dtype=np.int8
    )
    is_basic = df["expense_kind"].eq(BASIC).fillna(False).to_numpy(dtype=bool)
    cost = np.where(is_basic, cost_of_econ[econ_index], 0).astype(np.int8)

    spread = spread_categorical if categorical else spread_text
    out = df.copy()
    out["func_class"] = spread([_prefix(c, 3) for c in func_codes], func_index)
    out["func_kuan"] = spread([_prefix(c, 5) for c in func_codes], func_index)
    out["func_name"] = spread([func_names.get(c, "") for c in func_codes], func_index)
    out["econ_class"] = spread(econ_classes, econ_index)
    out["econ_name"] = spread([econ_names.get(c, "") for c in econ_codes], econ_index)
    out["cost_type"] = spread(cost_labels, cost)
    # the 三公 item as a small integer, per distinct economic code and per distinct name
    item_labels = ("", *SANGONG_CATEGORIES)
    item_of_econ = np.array([item_labels.index(item_of_code(c)) for c in econ_codes], dtype=np.int8)
    items = item_of_econ[econ_index]
    if "project_name" in df.columns:  # a line without an economic code: by its project name
        name_index, names = factorize_text(df["project_name"])
        item_of_names = np.array([item_labels.index(item_of_name(n)) for n in names], dtype=np.int8)
        bare = np.array([c == "" for c in econ_codes], dtype=bool)[econ_index]
        items = np.where(bare, item_of_names[name_index], items).astype(np.int8)
    out["sangong"] = spread(item_labels, items)
    return out


def rollup(
    df: pd.DataFrame,
    kind: CodeKind,
    level: str,
    value_columns: Sequence[str],
    by: Sequence[str] = (),
    *,
    year: int | None = None,
) -> pd.DataFrame:
    """Sum ``value_columns`` by ``by`` and the ``level`` (类/款/项, or 类/款) of the ``kind`` code.

    The code is read from ``func_code`` (functional) or ``econ_code`` (economic). The
    result has columns ``*by, code, name, *value_columns``, one row per group, sorted by
    ``by`` then code. ``code`` is the code's prefix at ``level`` ("" for codes shorter than
    the level, e.g. an empty ``econ_code``, so no amount is lost); ``name`` is its table
    name, "" when unknown. Names come from the table of ``year``; by default from each
    row's ``year`` when ``by`` includes it, else from the latest year in ``df["year"]``,
    else from the latest table.

    Value columns must be integers (amounts in 分, counts): their sums are exact, so the
    total of every column equals the total of ``df``.
    """
    length = _level_length(kind, level)
    code_column = CODE_COLUMNS[kind]
    by = list(by)
    value_columns = list(value_columns)
    needed = [code_column, *by, *value_columns]
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise ValueError(f"rollup needs column(s) {', '.join(missing)}")
    clash = {"code", "name"} & {*by, *value_columns}
    if clash:
        raise ValueError(f"rollup adds columns code and name; rename {', '.join(sorted(clash))}")
    for column in value_columns:
        if not pd.api.types.is_integer_dtype(df[column].dtype):
            raise TypeError(
                f"rollup sums integers (分) so totals stay exact; {column!r} is {df[column].dtype}"
            )

    row_index, codes = factorize_text(df[code_column])
    prefixes = [_prefix(c, length) for c in codes]
    # number the distinct level codes in sorted order, so sorting the numbers sorts the codes
    level_codes = sorted(set(prefixes))
    position = {c: i for i, c in enumerate(level_codes)}
    level_of_code = np.array([position[p] for p in prefixes], dtype=np.int64)
    key = "__level_code"
    work = df[[*by, *value_columns]].assign(**{key: level_of_code[row_index]})
    summed = (
        work.groupby([*by, key], dropna=False, sort=True, observed=True)[value_columns]
        .sum()
        .reset_index()
    )
    summed[key] = spread_text(level_codes, summed[key].to_numpy())
    summed = summed.rename(columns={key: "code"})

    if year is None and "year" in by:
        names = pd.Series("", index=summed.index, dtype="str")
        for y in pd.unique(summed["year"].dropna()):
            rows = summed["year"] == y
            lookup = _names(kind, int(y))
            names[rows] = [lookup.get(c, "") for c in summed.loc[rows, "code"]]
        summed["name"] = names
    else:
        if year is None:
            if "year" in df.columns and df["year"].notna().any():
                year = int(df["year"].max())
            else:
                years = available_years(kind)
                year = years[-1] if years else 0
        lookup = _names(kind, year)
        summed["name"] = pd.Series([lookup.get(c, "") for c in summed["code"]], dtype="str")
    return summed[[*by, "code", "name", *value_columns]]
