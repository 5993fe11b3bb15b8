"""Reads behind the satisfaction index and the public performance figures.

Every figure is computed from the cases and the survey responses, never typed in; each read
here is a fixed number of aggregate queries whatever the volume.

The complaints' figures are the complaints app's: that app is above this one, so it supplies
them (`register_complaint_figures`, from complaints/apps.py) and the performance pages show
them without importing it; with no complaints app installed the pages have no complaint rows.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from django.db.models import Count, Sum

from services.requests.counts import RequestAgencyDayCount, RequestDayCount
from services.requests.models import RequestStatus, ServiceRequest
from services.survey import ikm
from services.survey.models import SCORE_FIELDS, SurveyResponse


def survey_responses(*, agency_id=None, standard_id=None, start: date | None, end: date | None):
    """Responses by survey date, both dates inclusive (None: open-ended)."""
    responses = SurveyResponse.objects.all()
    if agency_id is not None:
        responses = responses.filter(agency_id=agency_id)
    if standard_id is not None:
        responses = responses.filter(standard_id=standard_id)
    if start is not None:
        responses = responses.filter(answered_on__gte=start)
    if end is not None:
        responses = responses.filter(answered_on__lte=end)
    return responses


def _aggregates():
    return {"n": Count("*"), **{key: Sum(key) for key in SCORE_FIELDS}}


def _result(row) -> ikm.IkmResult:
    return ikm.from_sums(row["n"] or 0, [row[key] or 0 for key in SCORE_FIELDS])


def ikm_for(*, agency_id=None, standard_id=None, start=None, end=None) -> ikm.IkmResult:
    """The index of an agency (or one of its services, or the whole portal) over a period."""
    row = survey_responses(
        agency_id=agency_id, standard_id=standard_id, start=start, end=end
    ).aggregate(**_aggregates())
    return _result(row)


def ikm_by(field: str, **filters) -> dict[int | None, ikm.IkmResult]:
    """The index per value of `field` ("standard_id", "agency_id") in one query."""
    rows = survey_responses(**filters).order_by().values(field).annotate(**_aggregates())
    return {row[field]: _result(row) for row in rows}


# ------------------------------------------------------------------ performance figures


@dataclass(frozen=True)
class Period:
    """Survey dates and case moments from `start` to `end`, both days inclusive, in `tz`."""

    start: date
    end: date
    tz: ZoneInfo

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, self.tz)

    @property
    def until(self) -> datetime:  # exclusive
        return datetime.combine(self.end + timedelta(days=1), time.min, self.tz)

    @classmethod
    def default(cls, now: datetime, tz: ZoneInfo) -> Period:
        """This year so far, in the agency's zone."""
        today = now.astimezone(tz).date()
        return cls(date(today.year, 1, 1), today, tz)


def percentile(values: list[int], fraction: Fraction) -> int | None:
    """The nearest-rank percentile (the smallest value with at least `fraction` of the values
    at or below it); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(values: list[int]) -> Fraction | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


@dataclass
class RequestFigures:
    received: int = 0
    completed: int = 0
    with_limit: int = 0  # completed requests whose standard sets a time limit
    on_time: int = 0  # of those, completed at or before their due moment
    overdue: int = 0  # open now and late: running past the due moment, or returned after it
    median_days: Decimal | None = None
    p90_days: Decimal | None = None

    @property
    def on_time_percent(self) -> Decimal | None:
        if not self.with_limit:
            return None
        return ikm.round_half_up(Fraction(100 * self.on_time, self.with_limit), 1)


def request_figures(
    *, agency_ids: list[int] | None, group: str, period: Period, now: datetime, day_seconds=None
) -> dict[int, RequestFigures]:
    """Request figures per `group` ("standard_id" or "agency_id") over the period's days.

    received: received on those days; completed, with_limit, on_time: completed on those
    days; each agency's days are its own local days (services.requests.counts: one row per
    agency, service and day, kept exact by every write to a request). overdue: now, the open
    requests that are late (`ServiceRequestQuerySet.overdue`: running past the due moment, or
    returned for documents after it, since returning never erases lateness; and a request late
    when returned is due in the past when it resumes, so it is not on time either: see
    services.catalogue.deadlines). With `day_seconds` (the agency's working-day length, so for one
    agency's page) the median and 90th percentile of the working days taken by the requests
    completed in the period, read from the requests (index `request_perf_closed`)."""
    figures: dict[int, RequestFigures] = {}

    def row(key) -> RequestFigures:
        return figures.setdefault(key, RequestFigures())

    table = RequestAgencyDayCount if group == "agency_id" else RequestDayCount
    counts = table.objects.order_by().filter(day__gte=period.start, day__lte=period.end)
    if agency_ids is not None:
        counts = counts.filter(agency_id__in=agency_ids)
    for key, received, completed, with_limit, on_time in (
        counts.values(group)
        .annotate(r=Sum("received"), c=Sum("completed"), w=Sum("with_limit"), o=Sum("on_time"))
        .values_list(group, "r", "c", "w", "o")
    ):
        figures_row = row(key)
        figures_row.received, figures_row.completed = received, completed
        figures_row.with_limit, figures_row.on_time = with_limit, on_time
    requests = ServiceRequest.objects.order_by()
    if agency_ids is not None:
        requests = requests.filter(agency_id__in=agency_ids)
    overdue = requests.overdue(now=now)
    for key, n in overdue.values(group).annotate(n=Count("*")).values_list(group, "n"):
        row(key).overdue = n
    if day_seconds:
        completed = requests.filter(
            status=RequestStatus.DONE,
            closed_at__gte=period.since,
            closed_at__lt=period.until,
            working_seconds_taken__isnull=False,
        )
        taken: dict[int, list[int]] = {}
        for key, seconds in completed.values_list(group, "working_seconds_taken"):
            taken.setdefault(key, []).append(seconds)
        for key, values in taken.items():
            row(key).median_days = ikm.round_half_up(median(values) / day_seconds, 1)
            row(key).p90_days = ikm.round_half_up(
                Fraction(percentile(values, Fraction(9, 10)), day_seconds), 1
            )
    return figures


def total(rows) -> RequestFigures:
    result = RequestFigures()
    for row in rows:
        for name in ("received", "completed", "with_limit", "on_time", "overdue"):
            setattr(result, name, getattr(result, name) + getattr(row, name))
    return result


# "complaints": callable(agency_ids: list[int] | None, start, end, now) -> {agency id: rows}
_SUPPLIED: dict[str, Callable[..., dict]] = {}


def register_complaint_figures(provider: Callable[..., dict]) -> None:
    """Supply the complaints' figures (the complaints app, which keeps them)."""
    _SUPPLIED["complaints"] = provider


def complaint_figures(*, agency_ids, period: Period, now: datetime) -> dict:
    """The complaints app's figures per agency ({} when no app supplies them)."""
    provider = _SUPPLIED.get("complaints")
    if provider is None:
        return {}
    return provider(agency_ids=agency_ids, start=period.start, end=period.end, now=now)


def sample_reached(result: ikm.IkmResult, population: int) -> tuple[int, bool]:
    needed = ikm.minimum_sample(population)
    return needed, population > 0 and result.respondents >= needed
