"""Checking and normalising what citizens type about themselves: NIK and phone numbers.

NIK (Nomor Induk Kependudukan) is 16 digits: province (2), regency (2), district (2), birth
date DDMMYY (women add 40 to the day), and a 4-digit serial that is never 0000. Phone numbers
are normalised to +62 followed by the national number without its leading 0: "0812-3456-789",
"62812 3456 789", "+62 812 3456 789" and "(0711) 373208" become "+628123456789" and
"+62711373208".
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_nik(value: str) -> str:
    nik = re.sub(r"[\s.-]", "", value or "")
    if not re.fullmatch(r"\d{16}", nik):
        raise ValidationError(_("NIK harus 16 angka (sesuai KTP)."), code="nik_length")
    province = int(nik[:2])
    day, month = int(nik[6:8]), int(nik[8:10])
    if day > 40:
        day -= 40
    if (
        not (11 <= province <= 96)
        or not (1 <= day <= 31)
        or not (1 <= month <= 12)
        or nik[12:] == "0000"
    ):
        raise ValidationError(
            _("NIK tidak valid: periksa kembali angka pada KTP Anda."), code="nik_invalid"
        )
    return nik


def normalise_phone(value: str) -> str:
    digits = re.sub(r"[\s().-]", "", value or "")
    if digits.startswith("+"):
        digits = digits[1:]
    if not digits.isdigit():
        raise ValidationError(_("Nomor telepon hanya boleh berisi angka."), code="phone_chars")
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        raise ValidationError(
            _("Nomor telepon harus diawali 0 atau +62, mis. 0812 3456 7890."), code="phone_prefix"
        )
    if national.startswith("0") or not (8 <= len(national) <= 13):
        raise ValidationError(
            _("Nomor telepon tidak lengkap atau terlalu panjang."), code="phone_length"
        )
    return f"+62{national}"
