"""How complaints count per day (portal.cases.daycounts): one bucket per agency, tier (the
tier they were last classified in; "" while unclassified) and local day of receipt.

The table of buckets is defined here with its spec; complaints.models imports both (this module
imports no complaint model)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from complaints.workflow import Tier
from portal.cases.daycounts import DayCountSpec, local_day
from services.models import Agency
from services.requests.counts import agency_zones


class ComplaintDayCount(models.Model):
    """Per agency, tier and local day of receipt: the complaints received that day, answered
    (on time), triaged (on time). Kept exact by every write to a complaint (complaints.counts);
    `manage.py rebuild_performance_counts` counts them again."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    tier = models.CharField(max_length=20, choices=Tier.choices, blank=True)
    day = models.DateField()
    received = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)  # answered by the tier's deadline
    triaged = models.PositiveIntegerField(default=0)
    triaged_on_time = models.PositiveIntegerField(default=0)  # within the light tier's time

    class Meta:
        verbose_name = _("hitungan harian pengaduan")
        verbose_name_plural = _("hitungan harian pengaduan")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "tier", "day"], name="complaint_day_count_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["day"],
                include=[
                    "agency",
                    "tier",
                    "received",
                    "answered",
                    "on_time",
                    "triaged",
                    "triaged_on_time",
                ],
                name="complaint_day_count_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.tier or '-'} {self.day}"


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
