"""Tests for outturn.metrics.pefa: PEFA 2016 PI-1, PI-2, PI-3, composition variance, M1 and M2.

Worked examples show the arithmetic in comments. Band edges use integer inputs, so the
expected letters follow from exact fractions (the module compares Fractions, never floats).
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from outturn.metrics import pefa
from outturn.metrics.ratios import MissingColumnsError

YEARS = (2021, 2022, 2023)


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def totals_frame(pairs: list[tuple[int, int]], years: tuple[int, ...] = YEARS) -> pd.DataFrame:
    """PI-1 input: one (original, actual) pair per year."""
    return pd.DataFrame(
        {"year": list(years), "original": [p[0] for p in pairs], "actual": [p[1] for p in pairs]}
    )


def comp_frame(per_year: list[list[tuple[str, int, int]]], years: tuple[int, ...] = YEARS) -> pd.DataFrame:
    """Composition input: for each year a list of (category, original, actual)."""
    rows = [
        {"year": y, "category": c, "original": o, "actual": a}
        for y, lines in zip(years, per_year, strict=True)
        for c, o, a in lines
    ]
    return pd.DataFrame(rows)


def two_heads(a1: int, a2: int) -> list[tuple[str, int, int]]:
    """Two heads of original 100 each with actuals a1, a2."""
    return [("甲", 100, a1), ("乙", 100, a2)]


def same_each_year(lines: list[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    return [lines, lines, lines]


def contingency_frame(charged: list[int], total: int = 100) -> pd.DataFrame:
    return pd.DataFrame({"year": list(YEARS), "original_total": [total] * 3, "contingency_actual": charged})


PERFECT = comp_frame(same_each_year(two_heads(100, 100)))  # variance 0 every year


# ---------------------------------------------------------------------------
# composition variance
# ---------------------------------------------------------------------------


def test_composition_variance_worked_example() -> None:
    # originals 100, 200 (Σ 300); actuals 150, 180 (Σ 330)
    # factor = 330 / 300 = 1.1
    # adjusted = 110, 220 (Σ 330); deviation = +40, -40; Σ|dev| = 80
    # variance = 80 / 330 = 8/33 ≈ 0.242424
    df = comp_frame([[("a", 100, 150), ("b", 200, 180)]], years=(2022,))
    out = pefa.composition_variance(df)
    assert list(out.columns[:3]) == ["year", "factor", "variance"]
    row = out.iloc[0]
    assert row["year"] == 2022
    assert row["factor"] == pytest.approx(1.1)
    assert Fraction(row["variance"]).limit_denominator(1000) == Fraction(8, 33)
    assert row["original_total"] == 300
    assert row["actual_total"] == 330
    assert row["adjusted_total"] == pytest.approx(330)
    assert row["abs_deviation_total"] == pytest.approx(80)


def test_composition_variance_one_row_per_year_sorted() -> None:
    df = comp_frame([two_heads(100, 100), two_heads(105, 95), two_heads(110, 90)], years=(2023, 2021, 2022))
    out = pefa.composition_variance(df)
    assert list(out["year"]) == [2021, 2022, 2023]
    # 2021: 105/95 → Σ|dev| 10 / 200 = 5%; 2022: 20/200 = 10%; 2023: 0
    assert list(out["variance"]) == pytest.approx([0.05, 0.10, 0.0])


def test_composition_duplicate_categories_are_summed() -> None:
    df = comp_frame([[("a", 50, 75), ("a", 50, 75), ("b", 200, 180)]], years=(2022,))
    # same as a=100/150, b=200/180 → 8/33
    assert pefa.composition_variance(df)["variance"].iloc[0] == pytest.approx(8 / 33)


def test_composition_table_layout_and_totals() -> None:
    df = comp_frame([[("a", 100, 150), ("b", 200, 180)]], years=(2022,))
    t = pefa.composition_table(df, 2022)
    assert list(t.columns) == [
        "category", "original", "actual", "adjusted", "deviation", "abs_deviation", "percent"
    ]  # fmt: skip
    assert list(t["category"]) == ["a", "b", pefa.TOTAL_LABEL]
    assert list(t["adjusted"]) == pytest.approx([110, 220, 330])
    assert list(t["deviation"]) == pytest.approx([40, -40, 0])
    assert list(t["abs_deviation"]) == pytest.approx([40, 40, 80])
    # a: 40/110; b: 40/220; total: 80/330
    assert list(t["percent"]) == pytest.approx([40 / 110, 40 / 220, 80 / 330])
    assert t.attrs["factor"] == pytest.approx(1.1)
    assert t.attrs["variance"] == pytest.approx(8 / 33)
    assert set(pefa.COMPOSITION_TABLE_LABELS) == set(t.columns)
    assert t.rename(columns=pefa.COMPOSITION_TABLE_LABELS).columns[0] == "类别"


def test_composition_table_unknown_year() -> None:
    with pytest.raises(ValueError, match="2030"):
        pefa.composition_table(PERFECT, 2030)


def test_zero_original_total_raises_naming_year() -> None:
    df = comp_frame([[("a", 0, 10), ("b", 0, 5)]], years=(2022,))
    with pytest.raises(ValueError, match=r"year 2022.*factor"):
        pefa.composition_variance(df)


def test_zero_actual_total_raises_naming_year() -> None:
    df = comp_frame([[("a", 100, 0), ("b", 50, 0)]], years=(2021,))
    with pytest.raises(ValueError, match="year 2021"):
        pefa.composition_variance(df)


def test_missing_columns() -> None:
    with pytest.raises(MissingColumnsError, match="category"):
        pefa.composition_variance(pd.DataFrame({"year": [2021], "original": [1], "actual": [1]}))


def test_missing_value_raises() -> None:
    df = comp_frame([[("a", 100, 100), ("b", 100, 100)]], years=(2022,))
    df["actual"] = df["actual"].astype("float64")
    df.loc[1, "actual"] = float("nan")
    with pytest.raises(ValueError, match="missing"):
        pefa.composition_variance(df)


def test_lumping_more_than_20_heads() -> None:
    # 22 heads: h00 original 1000, h01..h21 original 100 each → Σ 3100; 75% = 2325.
    # Largest first: 1000, then 100s: 1000 + 14×100 = 2400 ≥ 2325 (1000 + 13×100 = 2300 < 2325)
    # → keep h00..h14 (15 heads), lump h15..h21 (7 heads, original 700) into 其他.
    lines = [("h00", 1000, 1000)] + [(f"h{i:02d}", 100, 100 + (i % 2) * 10) for i in range(1, 22)]
    df = comp_frame([lines], years=(2022,))
    out = pefa.composition_variance(df)
    assert out["heads"].iloc[0] == 16
    assert out["lumped_heads"].iloc[0] == 7
    t = pefa.composition_table(df, 2022)
    assert list(t["category"])[-2:] == [pefa.OTHER_LABEL, pefa.TOTAL_LABEL]
    other = t[t["category"] == pefa.OTHER_LABEL].iloc[0]
    # lumped h15..h21: odd i (15,17,19,21) actual 110, even (16,18,20) 100 → 4×110 + 3×100 = 740
    assert other["original"] == 700
    assert other["actual"] == 740
    # totals unchanged by lumping
    assert t["original"].iloc[-1] == 3100
    # exactly 20 heads: no lumping
    df20 = comp_frame([lines[:20]], years=(2022,))
    assert pefa.composition_variance(df20)["lumped_heads"].iloc[0] == 0


def test_lumping_changes_variance_by_netting() -> None:
    # 21 heads; h00 original 3000 covers 3000/5000 = 60%; then h01..h20 (100 each).
    # Need 75% of 5000 = 3750 → h00 + 8 heads (3800). h09..h20 lumped: their +/- deviations net.
    lines = [("h00", 3000, 3000)] + [(f"h{i:02d}", 100, 100) for i in range(1, 9)]
    lines += [(f"h{i:02d}", 100, 150 if i % 2 else 50) for i in range(9, 21)]
    df = comp_frame([lines], years=(2022,))
    assert pefa.composition_variance(df)["variance"].iloc[0] == 0.0
    unlumped = pefa.composition_variance(df, max_heads=100)["variance"].iloc[0]
    assert unlumped == pytest.approx(12 * 50 / 5000)


def test_lumping_parameters_validated() -> None:
    with pytest.raises(ValueError, match="top_share"):
        pefa.composition_variance(PERFECT, top_share=0)
    with pytest.raises(ValueError, match="max_heads"):
        pefa.composition_variance(PERFECT, max_heads=0)


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(st.tuples(st.integers(1, 10**12), st.integers(0, 10**12)), min_size=1, max_size=30),
)
def test_variance_is_non_negative(lines: list[tuple[int, int]]) -> None:
    if sum(a for _, a in lines) == 0:
        lines = [(o, 1) for o, _ in lines]
    df = comp_frame([[(f"c{i}", o, a) for i, (o, a) in enumerate(lines)]], years=(2022,))
    out = pefa.composition_variance(df)
    assert (out["variance"] >= 0).all()


@settings(max_examples=200, deadline=None)
@given(
    originals=st.lists(st.integers(1, 10**12), min_size=1, max_size=30),
    num=st.integers(1, 1000),
    den=st.integers(1, 1000),
)
def test_scaling_all_actuals_gives_zero_variance(originals: list[int], num: int, den: int) -> None:
    # actual_i = original_i × num/den (floats only for display; the module is exact for
    # integer inputs, so build integers by scaling originals by den first)
    lines = [(f"c{i}", o * den, o * num) for i, o in enumerate(originals)]
    out = pefa.composition_variance(comp_frame([lines], years=(2022,)))
    assert out["variance"].iloc[0] == 0.0
    assert out["factor"].iloc[0] == pytest.approx(num / den)


@settings(max_examples=100, deadline=None)
@given(
    originals=st.lists(st.floats(0.01, 1e9, allow_nan=False), min_size=1, max_size=20),
    c=st.floats(0.01, 100, allow_nan=False),
)
def test_scaling_float_actuals_gives_near_zero_variance(originals: list[float], c: float) -> None:
    lines = [(f"c{i}", o, o * c) for i, o in enumerate(originals)]
    out = pefa.composition_variance(comp_frame([lines], years=(2022,)))
    assert out["variance"].iloc[0] == pytest.approx(0.0, abs=1e-9)


# ---------------------------------------------------------------------------
# M1 and M2
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("letters", "expected"),
    [
        (["C", "B", "A"], "C+"),
        (["C", "C", "C"], "C"),
        (["D", "A", "A"], "D+"),
        (["A", "A", "A"], "A"),
        (["B", "B", "B"], "B"),
        (["D", "D", "D"], "D"),
        (["A", "B", "B"], "B+"),
        (["B", "A", "A"], "B+"),
        (["D", "D", "C"], "D+"),
        (["A", "C", "D"], "D+"),
        (["C", "C", "B"], "C+"),
        (["A"], "A"),
        (["B", "A"], "B+"),
    ],
)
def test_m1(letters: list[str], expected: str) -> None:
    assert pefa.m1(letters) == expected


M2_TABLE = {
    ("D", "D"): "D", ("D", "C"): "D+", ("D", "B"): "C", ("D", "A"): "C+",
    ("C", "C"): "C", ("C", "B"): "C+", ("C", "A"): "B",
    ("B", "B"): "B", ("B", "A"): "B+",
    ("A", "A"): "A",
}  # fmt: skip


@pytest.mark.parametrize(("pair", "expected"), sorted(M2_TABLE.items()))
def test_m2_full_table_both_orders(pair: tuple[str, str], expected: str) -> None:
    assert pefa.m2(list(pair)) == expected
    assert pefa.m2(list(reversed(pair))) == expected


def test_m1_m2_reject_bad_letters() -> None:
    with pytest.raises(ValueError):
        pefa.m1([])
    with pytest.raises(ValueError, match="E"):
        pefa.m1(["A", "E"])
    with pytest.raises(ValueError):
        pefa.m2(["A+", "B"])
    with pytest.raises(ValueError, match="two-dimension"):
        pefa.m2(["A", "B", "C"])


# ---------------------------------------------------------------------------
# PI-1
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "letter"),
    [
        (95, "A"),  # 95/100 exactly: A bound included
        (105, "A"),  # 105% exactly
        (100, "A"),
        (94, "B"),
        (106, "B"),
        (90, "B"),  # 90% exactly: B bound included
        (110, "B"),  # 110% exactly
        (89, "C"),
        (111, "C"),
        (85, "C"),  # 85% exactly
        (115, "C"),  # 115% exactly
        (84, "D"),
        (116, "D"),
    ],
)
def test_pi1_year_band_edges(actual: int, letter: str) -> None:
    r = pefa.pi1(totals_frame([(100, actual)] * 3))
    assert set(r.letters.values()) == {letter}
    assert r.score == letter
    assert r["score"] == letter


def test_pi1_edges_just_outside_in_money_units() -> None:
    # 分 amounts: 94.999 99% and 105.000 01% are outside A
    assert pefa.pi1(totals_frame([(10_000_000, 9_499_999)] * 3)).score == "B"
    assert pefa.pi1(totals_frame([(10_000_000, 10_500_001)] * 3)).score == "B"
    assert pefa.pi1(totals_frame([(10_000_000, 9_500_000)] * 3)).score == "A"


def test_pi1_float_inputs_at_edge_are_taken_as_typed() -> None:
    # 1.045 / 1.1 in floats is 0.9499999999999998, but as typed it is exactly 95%
    assert 1.045 / 1.1 < 0.95
    assert pefa.pi1(totals_frame([(1.1, 1.045)] * 3)).score == "A"


@pytest.mark.parametrize(
    ("actuals", "score"),
    [
        ((100, 100, 80), "A"),  # A, A, D: two years meet A
        ((100, 80, 80), "D"),  # A, D, D: only one meets A (or B, C)
        ((100, 92, 80), "B"),  # A, B, D: two meet B (A year and B year)
        ((80, 100, 100), "A"),  # order of years does not matter
        ((86, 80, 114), "C"),  # C, D, C
        ((91, 87, 50), "C"),  # B, C, D → second best C
    ],
)
def test_pi1_two_of_last_three(actuals: tuple[int, int, int], score: str) -> None:
    r = pefa.pi1(totals_frame([(100, a) for a in actuals]))
    assert r.score == score


def test_pi1_uses_last_three_years_only() -> None:
    years = (2019, 2020, 2021, 2022, 2023)
    # 2019, 2020 poor, last three perfect → A
    df = totals_frame([(100, 50), (100, 50), (100, 100), (100, 100), (100, 100)], years=years)
    r = pefa.pi1(df)
    assert r.score == "A"
    assert r.years_used == (2021, 2022, 2023)
    assert len(r.table) == 5
    # early years perfect, last three poor → D
    df2 = totals_frame([(100, 100), (100, 100), (100, 50), (100, 50), (100, 100)], years=years)
    assert pefa.pi1(df2).score == "D"


def test_pi1_ratios_and_table() -> None:
    r = pefa.pi1(totals_frame([(200, 190), (200, 230), (200, 200)]))
    # 190/200 = 0.95 (A), 230/200 = 1.15 (C), 200/200 = 1 (A) → A
    assert r.ratios == pytest.approx({2021: 0.95, 2022: 1.15, 2023: 1.0})
    assert r.letters == {2021: "A", 2022: "C", 2023: "A"}
    assert r.score == "A"
    assert list(r.table.columns) == ["year", "original", "actual", "outturn", "letter"]


def test_pi1_fewer_than_three_years() -> None:
    with pytest.raises(ValueError, match=r"at least three years.*2021, 2022"):
        pefa.pi1(totals_frame([(100, 100)] * 2, years=(2021, 2022)))


def test_pi1_duplicate_year_and_zero_original() -> None:
    with pytest.raises(ValueError, match="more than once"):
        pefa.pi1(totals_frame([(100, 100)] * 3, years=(2021, 2021, 2022)))
    with pytest.raises(ValueError, match="year 2022"):
        pefa.pi1(totals_frame([(100, 100), (0, 5), (100, 100)]))


def test_result_getitem_unknown_key() -> None:
    r = pefa.pi1(totals_frame([(100, 100)] * 3))
    with pytest.raises(KeyError):
        r["nope"]
    assert "score" in r.keys()


# ---------------------------------------------------------------------------
# PI-2
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a1", "a2", "letter"),
    [
        (100, 100, "A"),  # 0%
        (104, 96, "A"),  # Σ|dev| 8 / 200 = 4%
        (105, 95, "B"),  # 10 / 200 = 5% exactly → not < 5% → B
        (109, 91, "B"),  # 18 / 200 = 9%
        (110, 90, "C"),  # 20 / 200 = 10% exactly → C
        (114, 86, "C"),  # 28 / 200 = 14%
        (115, 85, "D"),  # 30 / 200 = 15% exactly → D
        (130, 70, "D"),
    ],
)
def test_pi2_variance_edges_are_strict(a1: int, a2: int, letter: str) -> None:
    # factor = 200/200 = 1, adjusted = 100 and 100
    df = comp_frame(same_each_year(two_heads(a1, a2)))
    r = pefa.pi2(df, PERFECT, None)
    assert r.dimensions["2.1"] == letter
    assert set(r.by_function["letter"]) == {letter}
    r2 = pefa.pi2(PERFECT, df, None)
    assert r2.dimensions["2.2"] == letter


def test_pi2_variance_edge_with_factor() -> None:
    # originals 100, 300 (Σ 400); actuals 121, 319 (Σ 440); factor 440/400 = 1.1
    # adjusted 110, 330 (Σ 440)
    exact5 = comp_frame(same_each_year([("a", 100, 121), ("b", 300, 319)]))
    # a: 121 - 110 = 11, b: 319 - 330 = -11, Σ|dev| = 22, 22 / 440 = 1/20 = 5%
    assert pefa.pi2(exact5, PERFECT).dimensions["2.1"] == "B"
    just_under = comp_frame(same_each_year([("a", 100, 120), ("b", 300, 320)]))
    # 20 / 440 = 4.5% → A
    assert pefa.pi2(just_under, PERFECT).dimensions["2.1"] == "A"


def test_pi2_two_of_three_years() -> None:
    # variances 0% (A), 20% (D), 6% (B) → two years meet B → B
    df = comp_frame([two_heads(100, 100), two_heads(120, 80), two_heads(106, 94)])
    r = pefa.pi2(df, PERFECT)
    assert r.dimensions["2.1"] == "B"
    assert list(r.by_function["letter"]) == ["A", "D", "B"]
    # variances 0% (A), 20% (D), 20% (D) → D
    df = comp_frame([two_heads(100, 100), two_heads(120, 80), two_heads(120, 80)])
    assert pefa.pi2(df, PERFECT).dimensions["2.1"] == "D"


@pytest.mark.parametrize(
    ("charged", "letter"),
    [
        ([0, 0, 0], "A"),
        ([2, 3, 3], "A"),  # average 8/300 = 2.67% < 3%
        ([3, 3, 3], "B"),  # exactly 3% → B (A is strict)
        ([1, 3, 5], "B"),  # average 9/300 = 3%
        ([6, 6, 6], "B"),  # exactly 6% → B (inclusive)
        ([6, 6, 7], "C"),  # 19/300 = 6.33% → C
        ([9, 10, 10], "C"),  # 29/300 = 9.67%
        ([10, 10, 10], "D"),  # exactly 10% → D (C is < 10%)
        ([20, 0, 20], "D"),
    ],
)
def test_pi2_contingency_edges(charged: list[int], letter: str) -> None:
    r = pefa.pi2(PERFECT, PERFECT, contingency_frame(charged))
    assert r.dimensions["2.3"] == letter
    assert r.contingency_average == pytest.approx(sum(charged) / 300)


def test_pi2_contingency_uses_last_three_years_and_fractional_shares() -> None:
    c = pd.DataFrame(
        {
            "year": [2020, 2021, 2022, 2023],
            "original_total": [100, 300, 200, 400],
            # 2020 ignored; shares 9/300 = 3%, 6/200 = 3%, 12/400 = 3% → average 3% → B
            "contingency_actual": [50, 9, 6, 12],
        }
    )
    r = pefa.pi2(PERFECT, PERFECT, c)
    assert r.dimensions["2.3"] == "B"
    assert r.years_used["2.3"] == (2021, 2022, 2023)


def test_pi2_no_contingency_is_a() -> None:
    assert pefa.pi2(PERFECT, PERFECT).dimensions["2.3"] == "A"
    assert pefa.pi2(PERFECT, PERFECT, None).dimensions["2.3"] == "A"
    empty = pd.DataFrame(columns=["year", "original_total", "contingency_actual"])
    r = pefa.pi2(PERFECT, PERFECT, empty)
    assert r.dimensions["2.3"] == "A"
    assert r.contingency_average == 0.0


def test_pi2_contingency_fewer_than_three_years() -> None:
    c = pd.DataFrame({"year": [2022, 2023], "original_total": [100, 100], "contingency_actual": [1, 1]})
    with pytest.raises(ValueError, match=r"PI-2\.3.*three years"):
        pefa.pi2(PERFECT, PERFECT, c)


def test_pi2_m1_score() -> None:
    c_var = comp_frame(same_each_year(two_heads(110, 90)))  # 10% → C
    b_var = comp_frame(same_each_year(two_heads(105, 95)))  # 5% → B
    r = pefa.pi2(c_var, b_var, None)  # C, B, A → C+
    assert r.dimensions == {"2.1": "C", "2.2": "B", "2.3": "A"}
    assert r.score == "C+"
    assert r["score"] == "C+"
    assert r["dimensions"]["2.1"] == "C"
    r = pefa.pi2(c_var, c_var, contingency_frame([7, 7, 7]))  # C, C, C → C
    assert r.score == "C"


def test_pi2_fewer_than_three_years() -> None:
    df = comp_frame([two_heads(100, 100)] * 2, years=(2022, 2023))
    with pytest.raises(ValueError, match=r"PI-2\.1.*three years"):
        pefa.pi2(df, PERFECT)


# ---------------------------------------------------------------------------
# PI-3
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total_actual", "letter"),
    [
        (97, "A"),  # 97% exactly, included
        (106, "A"),  # 106% exactly, included
        (96, "B"),
        (107, "B"),
        (94, "B"),  # 94% exactly
        (112, "B"),  # 112% exactly
        (93, "C"),
        (113, "C"),
        (92, "C"),  # 92% exactly
        (116, "C"),  # 116% exactly
        (91, "D"),
        (117, "D"),
    ],
)
def test_pi3_aggregate_edges(total_actual: int, letter: str) -> None:
    # one revenue head of original 100: composition variance 0 → 3.2 A
    df = comp_frame(same_each_year([("税收收入", 100, total_actual)]))
    r = pefa.pi3(df)
    assert r.dimensions["3.1"] == letter
    assert r.dimensions["3.2"] == "A"
    assert r.score == pefa.m2([letter, "A"])


def test_pi3_worked_example() -> None:
    # each year: 税收 original 800, actual 840; 非税 original 200, actual 130
    # 3.1: total 970 / 1000 = 97% → A (inclusive)
    # 3.2: factor 0.97; adjusted 776, 194; dev +64, -64; Σ|dev| 128; 128/970 = 13.2% → C
    # M2(A, C) = B
    df = comp_frame(same_each_year([("税收收入", 800, 840), ("非税收入", 200, 130)]))
    r = pefa.pi3(df)
    assert r.dimensions == {"3.1": "A", "3.2": "C"}
    assert r.score == "B"
    assert r["score"] == "B"
    assert r.composition["variance"].iloc[0] == pytest.approx(128 / 970)
    assert list(r.outturn["outturn"]) == pytest.approx([0.97] * 3)


def test_pi3_composition_edges_strict() -> None:
    # revenue 105/95 → variance 5% exactly → B; 3.1 total 200/200 = 100% → A; M2(A, B) = B+
    r = pefa.pi3(comp_frame(same_each_year(two_heads(105, 95))))
    assert r.dimensions == {"3.1": "A", "3.2": "B"}
    assert r.score == "B+"


def test_pi3_fewer_than_three_years() -> None:
    df = comp_frame([two_heads(100, 100)], years=(2023,))
    with pytest.raises(ValueError, match=r"PI-3\.1.*three years"):
        pefa.pi3(df)


def test_top_level_names_exported() -> None:
    for name in ("composition_variance", "composition_table", "pi1", "pi2", "pi3", "m1", "m2"):
        assert name in pefa.__all__
