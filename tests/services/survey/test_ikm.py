"""The satisfaction index: formula, rounding, grades and the minimum sample (pure)."""

from decimal import Decimal
from fractions import Fraction

import pytest

from services.survey import ikm


@pytest.mark.parametrize(
    ("rounded", "letter"),
    [
        ("100.00", "A"),
        ("88.31", "A"),  # lowest A
        ("88.30", "B"),  # highest B
        ("76.61", "B"),  # lowest B
        ("76.60", "C"),  # highest C
        ("65.00", "C"),  # lowest C
        ("64.99", "D"),  # highest D
        ("25.00", "D"),
    ],
)
def test_grade_bands(rounded, letter):
    assert ikm.grade(Decimal(rounded)) == letter


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(90625, 1000), "90.63"),  # a half goes up (round() would give 90.62)
        (Fraction(84375, 1000), "84.38"),
        (Fraction(1, 3), "0.33"),
        (Fraction(2, 3), "0.67"),
        (Fraction(100), "100.00"),
        (Fraction(0), "0.00"),
        (Fraction(8830499, 100000), "88.30"),  # just under a half stays down
    ],
)
def test_round_half_up(value, expected):
    assert str(ikm.round_half_up(value)) == expected


@pytest.mark.parametrize(
    ("respondents", "per_element_sum", "rounded", "letter"),
    [
        # 5000 respondents, every element summing to 17661: NRR 3.5322, IKM exactly 88.305,
        # shown 88.31 and graded A from the rounded value (the unrounded one is under 88.31).
        (5000, 17661, "88.31", "A"),
        # NRR 3.0642 -> IKM 76.605 -> 76.61 -> B (not C).
        (5000, 15321, "76.61", "B"),
        # NRR 2.5998 -> IKM 64.995 -> 65.00 -> C (not D).
        (5000, 12999, "65.00", "C"),
        # Everyone answers 4: exactly 100.00 (a weight of 0.111 would give 99.90).
        (7, 28, "100.00", "A"),
        # Everyone answers 1: 25.00, the lowest index, D.
        (3, 3, "25.00", "D"),
    ],
)
def test_index_exact_and_graded_from_rounded_value(respondents, per_element_sum, rounded, letter):
    result = ikm.from_sums(respondents, [per_element_sum] * 9)
    assert str(result.rounded) == rounded
    assert result.grade == letter
    assert result.respondents == respondents


def test_hand_computed_example_from_rows():
    # Three respondents. Element sums: u1 4+3+3=10, u2 9, u3 6, u4 12, u5 9, u6 10, u7 11,
    # u8 8, u9 7 -> NRR 10/3, 3, 2, 4, 3, 10/3, 11/3, 8/3, 7/3; their sum is 82/3;
    # IKM = 25 x 82/3 / 9 = 2050/27 = 75.925925... -> 75.93, C.
    rows = [
        (4, 3, 2, 4, 3, 4, 4, 3, 2),
        (3, 3, 2, 4, 3, 3, 4, 3, 3),
        (3, 3, 2, 4, 3, 3, 3, 2, 2),
    ]
    result = ikm.from_rows(rows)
    assert result.value == Fraction(2050, 27)
    assert str(result.rounded) == "75.93"
    assert result.grade == "C"
    assert result.line() == "IKM 75.93 C (3 responden)"
    by_key = {e.element.key: e for e in result.elements}
    assert by_key["u1"].nrr == Fraction(10, 3)
    assert str(by_key["u1"].nrr_rounded) == "3.33"
    assert str(by_key["u1"].index_rounded) == "83.33"
    assert by_key["u1"].grade == "B"
    assert by_key["u3"].grade == "D"  # NRR 2 -> 50.00
    assert by_key["u4"].grade == "A"  # NRR 4 -> 100.00
    assert by_key["u7"].grade == "A"  # 11/3 -> 91.67


def test_nobody_answered():
    result = ikm.from_sums(0, [0] * 9)
    assert result.value is None and result.rounded is None and result.grade == ""
    assert result.line() == "IKM - (0 responden)"


@pytest.mark.parametrize(
    "row",
    [(0, 1, 1, 1, 1, 1, 1, 1, 1), (5, 1, 1, 1, 1, 1, 1, 1, 1), (1, 1, 1, 1, 1, 1, 1, 1)],
)
def test_rows_must_be_nine_scores_from_one_to_four(row):
    with pytest.raises(ValueError):
        ikm.from_rows([row])


def test_sums_must_be_possible():
    with pytest.raises(ValueError):
        ikm.from_sums(2, [9] + [4] * 8)  # two respondents cannot sum to 9 on one element


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (0, 0),
        (1, 1),
        (10, 10),  # Krejcie-Morgan table: 10 -> 10
        (100, 80),  # 100 -> 80
        (1000, 278),  # 1000 -> 278
        (10_000, 370),  # 10000 -> 370
        (1_000_000, 384),  # 1000000 -> 384
    ],
)
def test_minimum_sample_krejcie_morgan(population, sample):
    assert ikm.minimum_sample(population) == sample


def test_elements_in_order_with_four_labels_each():
    assert [e.key for e in ikm.ELEMENTS] == [f"u{i}" for i in range(1, 10)]
    assert all(len(e.labels) == 4 for e in ikm.ELEMENTS)
