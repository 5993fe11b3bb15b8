"""The queue's own filters: the dashboard's time windows ("tempo") and who has the case."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import params
from portal.cases import dashboard
from portal.cases.admin.base import agency_users, person_name, queue_agency_id

TOMORROW = "besok"


class DueFilter(admin.SimpleListFilter):
    """The dashboard's time windows (portal.cases.dashboard), in the calendar of the agency
    whose queue is shown: the staff member's own, or the one a superuser filtered by. Paused
    cases are named by the kind (`paused_label` of its admin)."""

    title = _("jatuh tempo")
    parameter_name = "tempo"

    def __init__(self, request, params, model, model_admin):
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        choices = [
            (dashboard.LATE, _("Terlambat")),
            (dashboard.TODAY, _("Jatuh tempo hari ini")),
            (TOMORROW, _("Jatuh tempo dalam 1 hari kerja")),
            (dashboard.SOON, _("Jatuh tempo dalam 3 hari kerja")),
        ]
        if model_admin.statuses.paused:
            choices.append((dashboard.PAUSED, model_admin.paused_label))
        choices.append((dashboard.OPEN, _("Semua yang masih terbuka")))
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if value not in {key for key, _label in self.lookup_choices}:
            return queryset
        now = timezone.now()
        statuses = self.model_admin.statuses
        calendar = self.model_admin.staff_calendar(request)
        if value == TOMORROW:
            day = calendar.hours.working_day_seconds()
            return queryset.filter(
                status__in=statuses.running,
                due_at__gte=now,
                due_at__lte=calendar.add_working_seconds(now, day),
            )
        return queryset.filter(
            dashboard.window_q(value, statuses=statuses, now=now, calendar=calendar)
        )


class AssigneeFilter(admin.SimpleListFilter):
    """Who has the case: me, nobody yet, or one colleague of the agency. Its parameter keeps
    the name of Django's own assignee filter, so the lists' links stay as they were; unlike
    that filter it still applies when no case of the list has an assignee yet."""

    title = _("petugas")
    parameter_name = "assignee__id__exact"

    def lookups(self, request, model_admin):
        choices = [(dashboard.ME, _("Saya")), (dashboard.NOBODY, _("Belum ada petugas"))]
        agency_id = queue_agency_id(request)
        if agency_id is not None:
            users = agency_users(agency_id)
            choices += [(str(u.pk), person_name(u)) for u in users]
        return choices

    def queryset(self, request, queryset):
        value = self.value() or ""
        if value == dashboard.ME:
            return queryset.filter(assignee_id=request.user.pk)
        if value == dashboard.NOBODY:
            return queryset.filter(assignee__isnull=True)
        if (assignee_id := params.parse_id(value)) is not None:
            return queryset.filter(assignee_id=assignee_id)  # inside the scoped queryset
        return queryset
