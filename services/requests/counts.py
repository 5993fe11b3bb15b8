"""Per-day counts of requests behind the public performance pages (portal.cases.daycounts).

One row per agency, service and local day of the agency (an agency's page, per service), and
one per agency and day (the portal-wide page: about a third of the rows): the requests
received that day, and those completed that day (with a time limit, on time). Kept exact by
every write to a request; `manage.py rebuild_performance_counts` counts them again.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from portal.cases.daycounts import DayCountSpec, local_day
from services.catalogue.models.agencies import Agency
from services.catalogue.models.standards import ServiceStandard
from services.requests.workflow import RequestStatus


class RequestDayCount(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    standard = models.ForeignKey(ServiceStandard, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    received = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    with_limit = models.PositiveIntegerField(default=0)  # completed, the standard sets a limit
    on_time = models.PositiveIntegerField(default=0)  # of those, at or before the due moment

    class Meta:
        verbose_name = _("hitungan harian permohonan")
        verbose_name_plural = _("hitungan harian permohonan")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "standard", "day"], name="request_day_count_unique"
            ),
        ]
        indexes = [
            # The portal-wide page: every agency over a period, from the index alone.
            models.Index(
                fields=["day"],
                include=["agency", "received", "completed", "with_limit", "on_time"],
                name="request_day_count_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.standard_id} {self.day}"


class RequestAgencyDayCount(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    received = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    with_limit = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("hitungan harian permohonan per instansi")
        verbose_name_plural = _("hitungan harian permohonan per instansi")
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="request_agency_day_unique"),
        ]
        indexes = [
            models.Index(
                fields=["day"],
                include=["agency", "received", "completed", "with_limit", "on_time"],
                name="request_agency_day_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}"


def agency_zones(agency_ids) -> dict[int, ZoneInfo]:
    return {
        pk: ZoneInfo(tz)
        for pk, tz in Agency.objects.filter(pk__in=list(agency_ids)).values_list("pk", "timezone")
    }


DONE = RequestStatus.DONE


def _contributions(v: dict, tz: ZoneInfo):
    standard = v.get("standard_id")  # not read by the per-agency counts
    out = [((standard, local_day(v["received_at"], tz)), {"received": 1})]
    if v["status"] == DONE and v["closed_at"] is not None:
        limited = v["due_at"] is not None
        out.append(
            (
                (standard, local_day(v["closed_at"], tz)),
                {
                    "completed": 1,
                    "with_limit": int(limited),
                    "on_time": int(limited and v["closed_at"] <= v["due_at"]),
                },
            )
        )
    return out


def _received(since, until) -> Q:
    return Q(received_at__gte=since, received_at__lt=until)


def _completed(since, until) -> Q:
    return Q(status=DONE, closed_at__gte=since, closed_at__lt=until)


def _agency_contributions(v: dict, tz: ZoneInfo):
    return [((None, day), adds) for (_standard, day), adds in _contributions(v, tz)]


def _aggregates(since, until) -> dict:
    return {
        "received": Count("pk", filter=_received(since, until)),
        "completed": Count("pk", filter=_completed(since, until)),
        "with_limit": Count("due_at", filter=_completed(since, until)),
        "on_time": Count(
            "pk",
            filter=_completed(since, until) & Q(due_at__isnull=False, closed_at__lte=F("due_at")),
        ),
    }


REQUEST_DAYS = DayCountSpec(
    count_model=lambda: RequestDayCount,
    group="standard_id",
    count_group="standard_id",
    watched=("received_at", "status", "closed_at", "due_at"),
    figures=("received", "completed", "with_limit", "on_time"),
    contributions=_contributions,
    window=lambda since, until: _received(since, until) | _completed(since, until),
    aggregates=_aggregates,
    zones=agency_zones,
)

REQUEST_AGENCY_DAYS = DayCountSpec(
    count_model=lambda: RequestAgencyDayCount,
    group=None,
    count_group=None,
    watched=REQUEST_DAYS.watched,
    figures=REQUEST_DAYS.figures,
    contributions=_agency_contributions,
    window=REQUEST_DAYS.window,
    aggregates=_aggregates,
    zones=agency_zones,
)
