"""What the staff's "Hari ini" page counts, and the queue filter that lists the same cases.

A *window* is one question a head of unit asks each morning about the open cases of an agency:
late (the clock runs and the due moment has passed, or the clock stopped after it: a case late
when it was paused stays late, see `late_q`), due today (before midnight in the agency's
own zone), due within 3 working days (by the agency's calendar, from now), paused (waiting for
the citizen), unassigned, assigned to me. Each window is one `Q` built from the case kind's
status sets, the moment `now` and the agency's calendar; the dashboard counts it and the queue's
"tempo" filter lists it with the very same `Q`, so a count and the list it links to agree.
The counts of every agency and window come from one aggregate query per case kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from portal.worktime import WorkCalendar

LATE, TODAY, SOON, PAUSED, OPEN = "lewat", "hari-ini", "3-hari", "jeda", "terbuka"
UNASSIGNED, MINE = "tanpa-petugas", "milik-saya"
ME, NOBODY = "saya", "kosong"  # the assignee filter's values for "me" and "nobody yet"
SOON_DAYS = 3

WINDOW_LABELS = {
    LATE: _("Terlambat"),
    TODAY: _("Jatuh tempo hari ini"),
    SOON: _("Jatuh tempo dalam 3 hari kerja"),
    PAUSED: _("Menunggu warga"),
    UNASSIGNED: _("Belum ada petugas"),
    MINE: _("Ditugaskan kepada saya"),
}
WINDOWS = list(WINDOW_LABELS)


@dataclass(frozen=True)
class Statuses:
    """The status sets of a case kind: open ones, those whose clock runs, paused ones, and
    the field holding the moment a paused case's clock stopped ("": the kind keeps none)."""

    open: tuple[str, ...]
    running: tuple[str, ...]
    paused: tuple[str, ...] = ()
    stopped_at: str = ""


def late_q(statuses: Statuses, now: datetime) -> Q:
    """Open and late at `now`: the clock runs past the due moment, or it was stopped after
    the due moment. Stopping a clock never erases lateness already incurred (a request
    returned for missing documents when it was already late counts as late while it waits)."""
    late = Q(status__in=statuses.running, due_at__lt=now)
    if statuses.paused and statuses.stopped_at:
        late |= Q(status__in=statuses.paused, due_at__lt=F(statuses.stopped_at))
    return late


def end_of_today(calendar: WorkCalendar, now: datetime) -> datetime:
    """Midnight at the end of the agency's local day of `now`."""
    local = now.astimezone(calendar.tz)
    return datetime.combine(local.date() + timedelta(days=1), time(), tzinfo=calendar.tz)


def soon_limit(calendar: WorkCalendar, now: datetime) -> datetime:
    """The moment 3 working days of the agency's calendar after `now`."""
    return calendar.add_working_seconds(now, SOON_DAYS * calendar.hours.working_day_seconds())


def window_q(key: str, *, statuses: Statuses, now: datetime, calendar: WorkCalendar) -> Q:
    """The cases of one time window ("tempo"); the calendar is the agency's own."""
    running = Q(status__in=statuses.running)
    if key == LATE:
        return late_q(statuses, now)
    if key == TODAY:
        return running & Q(due_at__gte=now, due_at__lt=end_of_today(calendar, now))
    if key == SOON:
        return running & Q(due_at__gte=now, due_at__lte=soon_limit(calendar, now))
    if key == PAUSED:
        return Q(status__in=statuses.paused)
    if key == OPEN:
        return Q(status__in=statuses.open)
    raise ValueError(key)


def person_q(key: str, *, statuses: Statuses, user_id: int) -> Q:
    if key == UNASSIGNED:
        return Q(status__in=statuses.open, assignee__isnull=True)
    return Q(status__in=statuses.open, assignee_id=user_id)


def window_query(key: str) -> dict[str, str]:
    """The queue's query string of a window: the "tempo" filter and the assignee filter."""
    if key == UNASSIGNED:
        return {"tempo": OPEN, "assignee__id__exact": NOBODY}
    if key == MINE:
        return {"tempo": OPEN, "assignee__id__exact": ME}
    return {"tempo": key}


@dataclass
class Row:
    """One line of a table: a label and its counts by window, each with its queue link."""

    label: str
    # (window, its label, count, queue url or "" when the user may not open the queue)
    cells: list[tuple[str, str, int, str]] = field(default_factory=list)


def count_windows(
    queryset,
    *,
    agencies: list,
    calendars: dict,
    statuses: Statuses,
    now: datetime,
    user_id: int,
    group: str | None = None,
) -> dict[tuple[int, str], dict[str, int]]:
    """Counts per (agency id, group value) and window, in one query whatever the data size.

    `calendars` maps an agency id to its calendar: "today" and "3 working days" end at a
    different moment in each zone, so each window is an OR of one condition per agency."""
    aggregates = {}
    for key in WINDOWS:
        if key in (UNASSIGNED, MINE):
            condition = person_q(key, statuses=statuses, user_id=user_id)
        else:
            condition = Q()
            for agency in agencies:
                condition |= Q(agency_id=agency.pk) & window_q(
                    key, statuses=statuses, now=now, calendar=calendars[agency.pk]
                )
            if not agencies:
                condition = Q(pk__in=[])
        aggregates[key.replace("-", "_").replace("3", "three")] = Count("pk", filter=condition)
    names = ["agency_id"] + ([group] if group else [])
    rows = (
        queryset.filter(agency_id__in=[a.pk for a in agencies], status__in=statuses.open)
        .order_by()
        .values(*names)
        .annotate(**aggregates)
    )
    result: dict[tuple[int, str], dict[str, int]] = {}
    for row in rows:
        key = (row["agency_id"], row[group] if group else "")
        result[key] = {w: row[w.replace("-", "_").replace("3", "three")] for w in WINDOWS}
    return result


def link(base: str, params: dict[str, str]) -> str:
    return f"{base}?{urlencode(params)}"
