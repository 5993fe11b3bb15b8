"""How the case admins write a case's moments and working time, and a list cell.

Every moment is written in the zone of the case's agency with the zone named ("14 Apr 2025
16.00 WIB"), never in the server's zone; working time is counted by the agency's calendar.
"""

from __future__ import annotations

from functools import wraps
from zoneinfo import ZoneInfo

from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.cases.durations import working_duration
from portal.worktime import WorkCalendar, zone_abbreviation


def working_time_left_text(calendar: WorkCalendar, due, now) -> tuple[bool, str]:
    """(late?, working time until `due` or how late it already is, in words)."""
    day = calendar.hours.working_day_seconds()
    if due < now:
        late = calendar.working_seconds_between(due, now)
        return True, f"{_('terlambat')} {working_duration(late, day)}"
    return False, working_duration(calendar.working_seconds_between(now, due), day)


def working_time_left(calendar: WorkCalendar, due, now) -> str:
    """Working time until `due`, or how late it already is, in words (HTML)."""
    late, text = working_time_left_text(calendar, due, now)
    return late_html(text) if late else text


def late_html(text) -> str:
    """A lateness, marked as one."""
    return format_html('<strong class="late-text">{}</strong>', text)


def export_moment(dt, tz) -> str:
    """A moment for a spreadsheet, in the agency's zone and named: "2025-04-14 16:00 WIB"."""
    if dt is None:
        return ""
    local = timezone.localtime(dt, ZoneInfo(tz) if isinstance(tz, str) else tz)
    return f"{local:%Y-%m-%d %H:%M} {zone_abbreviation(tz, local)}"


def short_moment(dt, tz) -> str:
    """A moment for a narrow column, in the agency's zone and named: "14 Apr 2025 16.00 WIB"."""
    local = timezone.localtime(dt, ZoneInfo(tz) if isinstance(tz, str) else tz)
    return f"{date_format(local, 'j M Y')} {local:%H.%M} {zone_abbreviation(tz, local)}"


def cell(label, value) -> str:
    """A list cell that names its column when the table is shown as cards (narrow screens)."""
    return format_html('<span class="cell-label">{}: </span>{}', label, value)


def column(label, *, ordering: str | None = None):
    """A list column headed `label` whose cells are what the decorated method returns, each
    naming the column on a narrow screen (`cell`)."""

    def decorate(method):
        @admin.display(description=label, ordering=ordering)
        @wraps(method)
        def shown(self, obj):
            return cell(label, method(self, obj))

        return shown

    return decorate
