"""The admin's home for staff ("Hari ini"): per agency, each kind's open cases counted by time
window (`portal.cases.dashboard`), each count linked to the queue that lists the same cases.

A kind splits its table by one field (`dashboard_group`: complaints by their tier); the counts
of every agency come from one query per kind.
"""

from __future__ import annotations

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.cases import dashboard
from portal.cases.admin.base import CaseAdminBase
from portal.worktime import format_moment


class DashboardAdmin(CaseAdminBase):
    # The field the dashboard splits a kind's counts by (complaints: their tier).
    dashboard_group: str | None = None

    def dashboard_groups(self) -> list[tuple[str, str]]:
        """The dashboard's rows for this kind: (value of `dashboard_group`, label)."""
        return [("", self.model._meta.verbose_name_plural)]

    def dashboard_rows(self, request, agencies, calendars, now) -> dict[int, list]:
        """Per agency id, the rows of this kind's table: counts linked to the queue."""
        counts = dashboard.count_windows(
            self.get_queryset(request),
            agencies=agencies,
            calendars=calendars,
            statuses=self.statuses,
            now=now,
            user_id=request.user.pk,
            group=self.dashboard_group,
        )
        may_open = self.has_view_or_change_permission(request)
        base = self.admin_url("changelist")
        tables = {}
        for agency in agencies:
            rows = []
            for value, label in self.dashboard_groups():
                found = counts.get((agency.pk, value), {})
                row = dashboard.Row(label=label)
                for key in dashboard.WINDOWS:
                    query = self.window_query(request, key, agency, value)
                    url = dashboard.link(base, query) if may_open else ""
                    row.cells.append((key, dashboard.WINDOW_LABELS[key], found.get(key, 0), url))
                rows.append(row)
            tables[agency.pk] = rows
        return tables

    def window_query(self, request, key, agency, group_value) -> dict[str, str]:
        """The queue's query string that lists the cases of one count."""
        query = dashboard.window_query(key)
        if self.dashboard_group:
            query[f"{self.dashboard_group}__exact"] = group_value
        if request.user.is_superuser:
            query["agency__id__exact"] = str(agency.pk)
        return query


def case_admins(site) -> list[DashboardAdmin]:
    """The case queues registered on the admin site, in the order their apps were loaded."""
    return [ma for ma in site._registry.values() if isinstance(ma, DashboardAdmin)]


def staff_dashboard(request):
    """The admin's home for staff ("Hari ini"): per agency, what is late and what is due."""
    site = admin.site
    queues = case_admins(site)
    now = timezone.now()
    agencies = queues[0].agencies_for(request) if queues else []
    calendars = {agency.pk: queues[0].calendar_for(agency) for agency in agencies}
    tables = [(queue, queue.dashboard_rows(request, agencies, calendars, now)) for queue in queues]
    sections = []
    for agency in agencies:
        calendar = calendars[agency.pk]
        sections.append(
            {
                "agency": agency,
                "now": format_moment(now, agency.timezone),
                "soon_until": format_moment(dashboard.soon_limit(calendar, now), agency.timezone),
                "tables": [
                    (queue.model._meta.verbose_name_plural, rows[agency.pk])
                    for queue, rows in tables
                ],
            }
        )
    context = {
        **site.each_context(request),
        "title": _("Hari ini"),
        "subtitle": None,
        "app_list": site.get_app_list(request),
        "sections": sections,
        "window_labels": [dashboard.WINDOW_LABELS[key] for key in dashboard.WINDOWS],
    }
    request.current_app = site.name
    return TemplateResponse(request, "admin/cases/dashboard.html", context)
