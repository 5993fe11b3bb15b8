"""Working time in words, for citizens and staff: never a raw number of seconds.

A duration is split into working days of the agency's own length (its calendar's
`working_day_seconds`: 7.5 hours in the national timetable, otherwise what its office hours
make), then hours and minutes, rounded down to the minute: "4 hari kerja lebih 2 jam",
"3 jam 15 menit kerja", "kurang dari 1 menit kerja"; in English "4 working days and 2 hours",
"3 hours 15 minutes of working time". Pure: values in, text out.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext


def split(seconds: int, day_seconds: int) -> tuple[int, int, int]:
    """(days, hours, minutes) of a working duration, days of `day_seconds` each."""
    seconds = max(0, int(seconds))
    if day_seconds > 0:
        days, rest = divmod(seconds, day_seconds)
    else:
        days, rest = 0, seconds
    hours, rest = divmod(rest, 3600)
    return days, hours, rest // 60


def _clock(hours: int, minutes: int) -> str:
    parts = []
    if hours:
        parts.append(ngettext("%(n)d jam", "%(n)d jam", hours) % {"n": hours})
    if minutes:
        parts.append(ngettext("%(n)d menit", "%(n)d menit", minutes) % {"n": minutes})
    return " ".join(parts)


def working_duration(seconds: int, day_seconds: int) -> str:
    """A working duration in words in the active language."""
    days, hours, minutes = split(seconds, day_seconds)
    clock = _clock(hours, minutes)
    if days:
        day_text = ngettext("%(n)d hari kerja", "%(n)d hari kerja", days) % {"n": days}
        if not clock:
            return day_text
        return gettext("%(days)s lebih %(clock)s") % {"days": day_text, "clock": clock}
    if not clock:
        return gettext("kurang dari 1 menit kerja")
    return gettext("%(clock)s kerja") % {"clock": clock}
