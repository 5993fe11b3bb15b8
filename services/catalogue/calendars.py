"""The working calendar of an agency, built once per process and dropped when it changes.

A calendar depends on the agency's time zone, its office-hour overrides and its closures; the
national holidays and cuti bersama it loads itself for the years it is asked about.
Saving or deleting a closure or an office-hours row touches the agency's `updated_at` (see
services.catalogue.signals), and the cache key includes that stamp, so every process rebuilds the
calendar on its next use without any cross-process messaging.
"""

from __future__ import annotations

from datetime import time
from functools import lru_cache

from portal.localtime import day_name, language
from portal.worktime import OfficeHours as WeeklyHours
from portal.worktime import WorkCalendar
from services.catalogue.models.agencies import Agency, AgencyClosure, OfficeHours

_cache: dict[tuple[int, str], WorkCalendar] = {}


def weekly_hours(rows: list[OfficeHours]) -> WeeklyHours:
    if not rows:
        return WeeklyHours.default()
    days: dict[int, tuple[tuple[time, time], ...]] = {}
    for row in rows:
        if row.break_start and row.break_end:
            days[row.weekday] = ((row.opens, row.break_start), (row.break_end, row.closes))
        else:
            days[row.weekday] = ((row.opens, row.closes),)
    return WeeklyHours(days)


def build_calendar(agency: Agency) -> WorkCalendar:
    closures = {c.date: c.reason for c in AgencyClosure.objects.filter(agency=agency)}
    hours = weekly_hours(list(OfficeHours.objects.filter(agency=agency)))
    # The national holidays are loaded by the calendar itself, for whatever years a deadline
    # reaches (a 60-working-day deadline received in December counts next year's holidays).
    return WorkCalendar(agency.timezone, hours=hours, closures=closures)


def agency_calendar(agency: Agency) -> WorkCalendar:
    key = (agency.pk, agency.updated_at.isoformat() if agency.updated_at else "")
    calendar = _cache.get(key)
    if calendar is None:
        for stale in [k for k in _cache if k[0] == agency.pk]:
            del _cache[stale]
        calendar = _cache[key] = build_calendar(agency)
    return calendar


def clear_cache() -> None:
    _cache.clear()


DAY_NAMES = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def hours_rows(hours: WeeklyHours) -> list[tuple[str, str]]:
    """Office hours per weekday, the day named in the active language: ("Jumat",
    "07.30–11.30, 13.00–16.30")."""
    clock = "%H:%M" if language().startswith("en") else "%H.%M"
    return [
        (
            day_name(day),
            ", ".join(f"{a:{clock}}–{b:{clock}}" for a, b in hours.intervals(day)),
        )
        for day in range(7)
    ]


WEEKEND = frozenset(DAY_NAMES[5:])


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The national calendar in WIB, for views that span agencies."""
    return WorkCalendar("Asia/Jakarta")
