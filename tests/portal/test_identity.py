import pytest
from django.core.exceptions import ValidationError

from portal.identity import normalise_phone, validate_nik


@pytest.mark.parametrize(
    "raw, nik",
    [
        ("1606011505900001", "1606011505900001"),  # Musi Banyuasin, born 15-05-1990
        ("3514 0455 0788 0002", "3514045507880002"),  # a woman: day 15 + 40 = 55
        ("6171.01.010199.0003", "6171010101990003"),
    ],
)
def test_valid_nik(raw, nik):
    assert validate_nik(raw) == nik


@pytest.mark.parametrize(
    "raw",
    [
        "123",
        "16060115059000011",
        "1606011505900000",
        "0006011505900001",
        "1606013205900001",
        "1606011513900001",
        "16060115059O0001",
        "",
    ],
)
def test_invalid_nik(raw):
    with pytest.raises(ValidationError):
        validate_nik(raw)


@pytest.mark.parametrize(
    "raw, phone",
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(0711) 373208", "+62711373208"),
        ("0561 732690", "+62561732690"),
    ],
)
def test_phone_normalised(raw, phone):
    assert normalise_phone(raw) == phone


@pytest.mark.parametrize("raw", ["812345", "+1 202 555 0100", "0812abc", "080", "+6208123456789"])
def test_phone_refused(raw):
    with pytest.raises(ValidationError):
        normalise_phone(raw)
