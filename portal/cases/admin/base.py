"""What every piece of a case admin reads: the kind's declarations, and how a case is read.

A case kind (service requests, complaints) declares its status sets (`statuses`) and the rows
its columns read (`related_rows`), and gives the calendars of its agencies (`calendar_for`,
`staff_calendar`, `agencies_for`) and what a viewer may see of the citizen a case is about
(`identity_shown`, `identity_confidential`, `show_to`: each takes the viewer's request). The
queue, the case page, the workflow page and the dashboard read only these. Cases are closed,
never deleted.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from portal import params
from portal.admin_scoping import AgencyScopedAdmin, agency_id_of
from portal.cases.admin.display import short_moment, working_time_left
from portal.cases.dashboard import Statuses
from portal.worktime import WorkCalendar


def person_name(user) -> str:
    """A staff member as the pages name them: their full name, else their user name."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username


def agency_users(agency_id):
    """The active staff of an agency: those its cases can be given to."""
    return get_user_model().objects.filter(membership__agency_id=agency_id, is_active=True)


def queue_agency_id(request) -> int | None:
    """The agency whose queue is shown: the staff member's own, or for a superuser the one the
    list is filtered by (None: every agency)."""
    agency_id = agency_id_of(request.user)
    if agency_id is None and request.user.is_superuser:
        agency_id = params.parse_id(request.GET.get("agency__id__exact"))
    return agency_id


class CaseAdminBase(AgencyScopedAdmin):
    statuses: Statuses

    # The rows a case's columns read, fetched with one query each for a whole page. Not joined
    # (select_related): a join above the queue's sort keeps PostgreSQL from sorting only the
    # page it needs (a top-N sort), and with 100,000 cases the full sort spills to disk.
    related_rows: tuple[str, ...] = ("agency",)
    list_select_related = ()  # never joined automatically either

    # ----------------------------------------------------------- to be given by the kind

    def calendar_for(self, agency) -> WorkCalendar:
        """The working calendar of a case's agency."""
        raise NotImplementedError

    def staff_calendar(self, request) -> WorkCalendar:
        """The calendar of the staff member's own agency (a national one for superusers)."""
        raise NotImplementedError

    def agencies_for(self, request) -> list:
        """The agencies whose cases the user works: their own, or every one for a superuser."""
        raise NotImplementedError

    # ----------------------------------------------------------- what a viewer is shown

    def identity_shown(self, request, case) -> bool:
        """Whether this user's pages and files of `case` show the identity of the citizen it
        is about (a request's applicant: always)."""
        return True

    def identity_confidential(self, case) -> bool:
        """Whether `case`'s identity is kept confidential. Lists and exports show many cases:
        they log a look only at the confidential identities they showed."""
        return False

    def show_to(self, request, cases) -> None:
        """Give each case what this user may see of it, before a list or page shows it (the
        columns read only what was given here)."""

    def confidential_shown(self, request, case) -> bool:
        return self.identity_confidential(case) and self.identity_shown(request, case)

    # ----------------------------------------------------------- reading cases

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(*self.related_rows)

    def has_delete_permission(self, request, obj=None):
        return False

    def admin_url(self, view: str, *args) -> str:
        """The address of one of this kind's admin views ("changelist", "change", ...)."""
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)

    def view_path(self, route: str, view, name: str):
        """One more admin view of this kind, behind the admin's login and its second factor,
        named like Django's own (`admin:<app>_<model>_<name>`)."""
        opts = self.model._meta
        return path(
            route,
            self.admin_site.admin_view(view),
            name=f"{opts.app_label}_{opts.model_name}_{name}",
        )

    def kind_template(self, name: str) -> str:
        """A template of this kind, where Django keeps a model's admin templates."""
        opts = self.model._meta
        return f"admin/{opts.app_label}/{opts.model_name}/{name}"

    # ----------------------------------------------------------- a case's clock, in words

    def is_late(self, obj, now) -> bool:
        return bool(obj.status in self.statuses.running and obj.due_at and obj.due_at < now)

    def badge(self, obj):
        """The status, marked closed, paused, late or running."""
        if obj.status not in self.statuses.open:
            kind = "closed"
        elif obj.status in self.statuses.paused:
            kind = "paused"
        else:
            kind = "late" if self.is_late(obj, timezone.now()) else "running"
        return format_html(
            '<span class="status-badge {}">{}</span>', kind, obj.get_status_display()
        )

    def due_text(self, obj) -> str:
        """The due moment for the queue's narrow column."""
        if obj.status not in self.statuses.running or not obj.due_at:
            return "—"
        return short_moment(obj.due_at, obj.agency.timezone)

    def remaining_html(self, obj):
        """The working time left while the clock runs, or how late the case already is."""
        if obj.status not in self.statuses.running or not obj.due_at:
            return "—"
        return self.time_left(obj)

    def time_left(self, obj) -> str:
        return working_time_left(self.calendar_for(obj.agency), obj.due_at, timezone.now())
