"""Chainable read filters for the catalogue."""

from django.db import models


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
