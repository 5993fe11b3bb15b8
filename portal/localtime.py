"""Dates, moments and durations for the reader, in the language of the page (portal.worktime
words them in Indonesian or English; records written into a case's history stay Indonesian)."""

from django.utils.translation import get_language

from portal import worktime


def language() -> str:
    return get_language() or "id"


def moment(dt, tz) -> str:
    """ "Senin, 14 April 2025 pukul 16.00 WIB" / "Monday, 14 April 2025 at 16:00 WIB"."""
    return worktime.format_moment(dt, tz, language())


def day(d) -> str:
    return worktime.format_date(d, language())


def amount(n: int, unit) -> str:
    """ "3 hari kerja" / "3 working days"."""
    return worktime.unit_phrase(n, unit, language())


def day_name(weekday: int) -> str:
    return worktime.day_name(weekday, language())
