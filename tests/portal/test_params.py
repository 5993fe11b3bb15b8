"""portal.params: reading dates, months, numbers, page numbers, slugs and ids from a query."""

from datetime import date

import pytest
from django.http import QueryDict

from portal import params
from services.models import SurveyResponse


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-06-30", date(2025, 6, 30)),
        ("2000-01-01", date(2000, 1, 1)),  # the first supported day
        ("2100-12-31", date(2100, 12, 31)),  # the last one: its next day still exists
        ("", None),  # empty: the default
    ],
)
def test_a_date_is_read_within_the_supported_years(value, expected):
    assert params.parse_date(value, name="dari") == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9999-12-31", "Tanggal harus di antara tahun 2000 dan 2100."),  # day after: overflow
        ("1999-12-31", "Tanggal harus di antara tahun 2000 dan 2100."),
        ("2025-02-30", "Tanggal tidak dapat dibaca: tulis sebagai TTTT-BB-HH, mis. 2025-06-30."),
        ("١٢٣٤-٠٦-٠١", "Tanggal tidak dapat dibaca: tulis sebagai TTTT-BB-HH, mis. 2025-06-30."),
    ],
)
def test_a_date_outside_them_or_unreadable_is_refused(value, message):
    with pytest.raises(params.BadParameter) as refused:
        params.parse_date(value, name="sampai")
    assert (refused.value.name, str(refused.value.message)) == ("sampai", message)


@pytest.mark.parametrize(("value", "expected"), [("2025-06", (2025, 6)), ("2100-12", (2100, 12))])
def test_a_month(value, expected):
    assert params.parse_month(value, name="bulan") == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9999-12", "Bulan harus di antara tahun 2000 dan 2100."),
        ("2025-13", "Bulan tidak dapat dibaca: tulis sebagai TTTT-BB, mis. 2025-06."),
        ("2025-6", "Bulan tidak dapat dibaca: tulis sebagai TTTT-BB, mis. 2025-06."),
        ("", "Bulan tidak dapat dibaca: tulis sebagai TTTT-BB, mis. 2025-06."),
    ],
)
def test_a_month_outside_the_supported_years_or_unreadable_is_refused(value, message):
    with pytest.raises(params.BadParameter) as refused:
        params.parse_month(value, name="bulan")
    assert str(refused.value.message) == message


@pytest.mark.parametrize(
    ("value", "clamp", "expected"),
    [
        ("7", False, 7),
        ("-3", True, 1),  # below: the low bound
        ("9" * 40, True, 10),  # more digits than any bound: the high bound
        ("-" + "9" * 40, True, 1),
        ("0" * 30 + "5", False, 5),  # leading zeros are still five
        ("", False, None),
    ],
)
def test_a_bounded_number(value, clamp, expected):
    assert params.parse_int(value, name="n", low=1, high=10, clamp=clamp) == expected


@pytest.mark.parametrize("value", ["11", "²", "1e3", "٣", " 5", "5.0"])
def test_a_number_out_of_range_or_not_in_ascii_digits_is_refused(value):
    with pytest.raises(params.BadParameter):
        params.parse_int(value, name="n", low=1, high=10)


@pytest.mark.parametrize(
    ("value", "page"),
    [("3", 3), ("-1", 1), ("0", 1), ("abc", 1), ("²", 1), ("9" * 30, params.MAX_PAGE)],
)
def test_a_page_number_is_clamped(value, page):
    assert params.parse_page(value) == page


@pytest.mark.parametrize(
    ("value", "expected"),
    [("42", 42), ("²", None), ("9" * 19, None), ("-1", None), ("", None), (None, None)],
)
def test_an_id(value, expected):
    assert params.parse_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("pasuruan", "pasuruan"), ("' OR 1=1 --", ""), ("a" * 101, ""), ("ünï", ""), (None, "")],
)
def test_a_slug(value, expected):
    assert params.parse_slug(value) == expected


@pytest.mark.parametrize(
    "query",
    [
        "answered_on__year=2025",
        "answered_on__gte=2025-06-01",
        "agency__id__exact=3",
        "agency__isnull=whatever",  # Django reads it as yes or no
        "channel__exact=kertas",  # text: the lookup's own business
        "p=-1&o=99&q=x",  # the admin's own parameters
        "tempo=2025-13",  # a list's own filter reads its value itself
    ],
)
def test_admin_lookups_the_database_can_compare_pass(query):
    params.check_lookups(SurveyResponse, QueryDict(query), own={"tempo"})


@pytest.mark.parametrize(
    "query",
    [
        "answered_on__year=99999999999999999999",  # the date hierarchy's year
        "answered_on__year=1999",
        "answered_on__exact=0001-01-01",
        "agency__id__exact=9223372036854775808",  # past 64 bits
        "agency__exact=²",
    ],
)
def test_admin_lookups_the_database_cannot_compare_are_refused(query):
    with pytest.raises(params.BadParameter):
        params.check_lookups(SurveyResponse, QueryDict(query), own={"tempo"})
