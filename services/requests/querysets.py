"""Chainable read filters for the service requests."""

from portal.cases.dashboard import Statuses, late_q
from portal.cases.daycounts import DayCountedQuerySet
from services.requests import workflow

# A request's status sets as the shared case code reads them: a returned request's clock
# stopped at `paused_at`, and it stays late when that was after its due moment.
REQUEST_STATUSES = Statuses(
    open=workflow.OPEN,
    running=workflow.RUNNING,
    paused=workflow.PAUSED,
    stopped_at="paused_at",
)


class ServiceRequestQuerySet(DayCountedQuerySet):
    """Its bulk writes keep the per-day counts exact (services.requests.counts)."""

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
