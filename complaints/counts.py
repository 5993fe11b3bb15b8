"""How complaints count per day (portal.cases.daycounts): one bucket per agency, tier (the
tier they were last classified in; "" while unclassified) and local day of receipt."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q

from complaints.models import ComplaintDayCount
from portal.cases.daycounts import DayCountSpec, local_day
from services.requests.counts import agency_zones


def _contributions(v: dict, tz: ZoneInfo):
    answered, due = v["answered_at"], v["due_at"]
    triaged, triage_due = v["triaged_at"], v["triage_due_at"]
    return [
        (
            (v["tier"], local_day(v["received_at"], tz)),
            {
                "received": 1,
                "answered": int(answered is not None),
                "on_time": int(answered is not None and due is not None and answered <= due),
                "triaged": int(triaged is not None),
                "triaged_on_time": int(
                    triaged is not None and triage_due is not None and triaged <= triage_due
                ),
            },
        )
    ]


COMPLAINT_DAYS = DayCountSpec(
    count_model=lambda: ComplaintDayCount,
    group="tier",
    count_group="tier",
    watched=("received_at", "answered_at", "due_at", "triaged_at", "triage_due_at"),
    figures=("received", "answered", "on_time", "triaged", "triaged_on_time"),
    contributions=_contributions,
    window=lambda since, until: Q(received_at__gte=since, received_at__lt=until),
    aggregates=lambda since, until: {
        "received": Count("pk"),
        "answered": Count("answered_at"),
        "on_time": Count("answered_at", filter=Q(answered_at__lte=F("due_at"))),
        "triaged": Count("triaged_at"),
        "triaged_on_time": Count("triaged_at", filter=Q(triaged_at__lte=F("triage_due_at"))),
    },
    zones=agency_zones,
)
