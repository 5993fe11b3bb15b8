"""Chainable read filters for the catalogue and the requests."""

from django.db import models

from portal.cases.dashboard import Statuses, late_q
from portal.cases.daycounts import DayCountedQuerySet
from services import request_workflow as workflow

# A request's status sets as the shared case code reads them: a returned request's clock
# stopped at `paused_at`, and it stays late when that was after its due moment.
REQUEST_STATUSES = Statuses(
    open=workflow.OPEN,
    running=workflow.RUNNING,
    paused=workflow.PAUSED,
    stopped_at="paused_at",
)


class ServiceStandardQuerySet(models.QuerySet):
    def listed(self):
        """Services a decree in force lists (a withdrawn one keeps its page, not its place)."""
        return self.filter(withdrawn_on__isnull=True)

    def free(self):
        return self.filter(fee_amount=0)

    def paid(self):
        return self.filter(fee_amount__gt=0)

    def for_agency(self, agency):
        return self.filter(agency=agency)

    def with_deadline(self):
        return self.filter(max_working_minutes__isnull=False)

    def without_deadline(self):
        return self.filter(max_working_minutes__isnull=True)

    def within_minutes(self, low: int | None, high: int | None):
        qs = self.with_deadline()
        if low is not None:
            qs = qs.filter(max_working_minutes__gt=low)
        if high is not None:
            qs = qs.filter(max_working_minutes__lte=high)
        return qs


class ServiceRequestQuerySet(DayCountedQuerySet):
    """Its bulk writes keep the per-day counts exact (services.models.counts)."""

    def open(self):
        return self.filter(status__in=workflow.OPEN)

    def running(self):
        """Open and not paused: their clock is ticking."""
        return self.filter(status__in=workflow.RUNNING)

    def overdue(self, *, now):
        """Open and late: running past the due moment, or returned after it (returning a
        request stops its clock, never its lateness)."""
        return self.filter(late_q(REQUEST_STATUSES, now))

    def due_before(self, *, now, until):
        return self.running().filter(due_at__gte=now, due_at__lte=until)

    def for_agency(self, agency_id):
        return self.filter(agency_id=agency_id)
