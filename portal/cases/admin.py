"""The admin's base for case queues: intake at the desk, read-only cases, the workflow page.

A case is entered at the desk with `intake_form` (its fields, in its order); once it exists
it is read-only here and changes only through its workflow page (`<pk>/proses/`), whose form
is handed to the one action of the case kind (`process`). Cases are closed, never deleted.
Subclasses give the agency calendar of a case (`calendar_for`), which this package cannot
build itself.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters, csrf_protect_m
from django.contrib.auth import get_user_model
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Case, F, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal import params
from portal.admin_scoping import AgencyScopedAdmin, agency_id_of
from portal.cases import audit, dashboard, exports
from portal.cases.durations import working_duration
from portal.worktime import WorkCalendar, format_moment, zone_abbreviation


def working_time_left_text(calendar: WorkCalendar, due, now) -> tuple[bool, str]:
    """(late?, working time until `due` or how late it already is, in words)."""
    day = calendar.hours.working_day_seconds()
    if due < now:
        late = calendar.working_seconds_between(due, now)
        return True, f"{_('terlambat')} {working_duration(late, day)}"
    return False, working_duration(calendar.working_seconds_between(now, due), day)


def working_time_left(calendar: WorkCalendar, due, now) -> str:
    """Working time until `due`, or how late it already is, in words (HTML)."""
    late, text = working_time_left_text(calendar, due, now)
    if late:
        return format_html('<strong class="late-text">{}</strong>', text)
    return text


def export_moment(dt, tz) -> str:
    """A moment for a spreadsheet, in the agency's zone and named: "2025-04-14 16:00 WIB"."""
    if dt is None:
        return ""
    local = timezone.localtime(dt, ZoneInfo(tz) if isinstance(tz, str) else tz)
    return f"{local:%Y-%m-%d %H:%M} {zone_abbreviation(tz, local)}"


def short_moment(dt, tz) -> str:
    """A moment for a narrow column, in the agency's zone and named: "14 Apr 2025 16.00 WIB"."""
    local = timezone.localtime(dt, ZoneInfo(tz) if isinstance(tz, str) else tz)
    return f"{date_format(local, 'j M Y')} {local:%H.%M} {zone_abbreviation(tz, local)}"


def cell(label, value) -> str:
    """A list cell that names its column when the table is shown as cards (narrow screens)."""
    return format_html('<span class="cell-label">{}: </span>{}', label, value)


class CaseAdmin(AgencyScopedAdmin):
    intake_form: type[forms.ModelForm]
    workflow_form: type[forms.Form]
    workflow_template: str
    statuses: dashboard.Statuses
    # The field the dashboard splits a kind's counts by (complaints: their tier).
    dashboard_group: str | None = None

    # ----------------------------------------------------------- to be given by the kind

    def calendar_for(self, agency) -> WorkCalendar:
        """The working calendar of a case's agency."""
        raise NotImplementedError

    def staff_calendar(self, request) -> WorkCalendar:
        """The calendar of the staff member's own agency (a national one for superusers)."""
        raise NotImplementedError

    def process(self, request, case, data: dict, now) -> None:
        """Apply a valid workflow form with the kind's one action (all or nothing)."""
        raise NotImplementedError

    def workflow_context(self, request, case) -> dict:
        return {}

    def agencies_for(self, request) -> list:
        """The agencies whose cases the user works: their own, or every one for a superuser."""
        raise NotImplementedError

    def dashboard_groups(self) -> list[tuple[str, str]]:
        """The dashboard's rows for this kind: (value of `dashboard_group`, label)."""
        return [("", self.model._meta.verbose_name_plural)]

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

    # ----------------------------------------------------------- the dashboard

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
        opts = self.model._meta
        base = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        may_open = self.has_view_or_change_permission(request)
        tables = {}
        for agency in agencies:
            rows = []
            for value, label in self.dashboard_groups():
                found = counts.get((agency.pk, value), {})
                row = dashboard.Row(label=label)
                for key in dashboard.WINDOWS:
                    params = dashboard.window_query(key)
                    if self.dashboard_group:
                        params[f"{self.dashboard_group}__exact"] = value
                    if request.user.is_superuser:
                        params["agency__id__exact"] = str(agency.pk)
                    url = dashboard.link(base, params) if may_open else ""
                    label = dashboard.WINDOW_LABELS[key]
                    row.cells.append((key, label, found.get(key, 0), url))
                rows.append(row)
            tables[agency.pk] = rows
        return tables

    # ----------------------------------------------------------- intake and reading

    # The rows a case's columns read, fetched with one query each for a whole page. Not joined
    # (select_related): a join above the queue's sort keeps PostgreSQL from sorting only the
    # page it needs (a top-N sort), and with 100,000 cases the full sort spills to disk.
    related_rows: tuple[str, ...] = ("agency",)
    list_select_related = ()  # never joined automatically either

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(*self.related_rows)

    def has_delete_permission(self, request, obj=None):
        return False

    # ----------------------------------------------------------- the queue

    change_list_template = "admin/cases/change_list.html"
    actions = ["assign_selected"]

    def get_ordering(self, request):
        """Running cases first, the most overdue on top; then paused ones; closed ones last."""
        rank = Case(
            When(status__in=self.statuses.running, then=Value(0)),
            When(status__in=self.statuses.open, then=Value(1)),
            default=Value(2),
        )
        return [rank.asc(), F("due_at").asc(nulls_last=True)]

    def is_late(self, obj, now) -> bool:
        return bool(obj.status in self.statuses.running and obj.due_at and obj.due_at < now)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return cell(_("status"), self.badge(obj))

    def badge(self, obj):
        if obj.status not in self.statuses.open:
            kind = "closed"
        elif obj.status in self.statuses.paused:
            kind = "paused"
        else:
            kind = "late" if self.is_late(obj, timezone.now()) else "running"
        return format_html(
            '<span class="status-badge {}">{}</span>', kind, obj.get_status_display()
        )

    @admin.display(description=_("layanan"), ordering="standard__name")
    def service(self, obj):
        return cell(_("layanan"), obj.standard.name if obj.standard_id else "—")

    @admin.display(description=_("petugas"), ordering="assignee__username")
    def assignee_name(self, obj):
        return cell(_("petugas"), self.person_name(obj.assignee))

    @staticmethod
    def person_name(user) -> str:
        if user is None:
            return "—"
        return user.get_full_name() or user.username

    # ----------------------------------------------------------- bulk assignment

    def assign(self, request, queryset, assignee, now) -> int:
        """Give the cases to `assignee` with the kind's one action (all or nothing)."""
        raise NotImplementedError

    @admin.action(description=_("Tugaskan ke petugas…"), permissions=["change"])
    def assign_selected(self, request, queryset):
        agencies = set(queryset.order_by().values_list("agency_id", flat=True).distinct())
        if len(agencies) != 1:
            self.message_user(request, _("Pilih perkara dari satu instansi saja."), messages.ERROR)
            return None
        users = self.agency_users_of(agencies.pop())
        form = AssignForm(request.POST if "apply" in request.POST else None, users=users)
        if form.is_valid():
            try:
                changed = self.assign(
                    request, queryset, form.cleaned_data["assignee"], timezone.now()
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                self.message_user(
                    request,
                    _("%(count)d perkara ditugaskan kepada %(name)s dan tercatat di riwayat.")
                    % {"count": changed, "name": self.person_name(form.cleaned_data["assignee"])},
                    messages.SUCCESS,
                )
                return None
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Tugaskan %(cases)s") % {"cases": opts.verbose_name_plural},
            "opts": opts,
            "form": form,
            "cases": list(queryset.select_related("standard")[:500]),
            "count": queryset.count(),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "pks": list(queryset.values_list("pk", flat=True)),
        }
        return TemplateResponse(request, "admin/cases/assign.html", context)

    # ----------------------------------------------------------- exports

    def export_columns(self, request) -> list[tuple[str, Callable]]:
        """The spreadsheet's columns: (header, value of a case as text)."""
        raise NotImplementedError

    def export_view(self, request, fmt):
        """The queue as the list filters it (same query string), every page, as CSV or XLSX."""
        if fmt not in ("csv", "xlsx"):
            raise Http404
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            cl = self.get_changelist_instance(request)
        except IncorrectLookupParameters as error:
            raise BadRequest(_("Filter daftar tidak dikenal.")) from error
        columns = self.export_columns(request)
        headers = [header for header, _value in columns]
        rows = self.export_rows(request, cl.queryset.iterator(chunk_size=1000), columns, detail=fmt)
        name = f"{self.model._meta.model_name}-{timezone.localdate():%Y%m%d}"
        if fmt == "csv":
            return exports.csv_response(name, headers, rows)
        return exports.xlsx_response(
            name, headers, rows, title=str(self.model._meta.verbose_name_plural)
        )

    def export_rows(self, request, cases, columns, *, detail: str):
        """The spreadsheet's rows of `cases`, each confidential identity they carry logged
        (`detail`: the file's format)."""
        cases = audit.logged(
            cases,
            user=request.user,
            what=audit.EXPORT,
            shown=lambda case: self.confidential_shown(request, case),
            detail=detail,
        )
        return ([value(obj) for _header, value in columns] for obj in cases)

    def export_time_columns(self) -> list[tuple[str, Callable]]:
        now = timezone.now()
        return [
            (_("diterima"), lambda o: export_moment(o.received_at, o.agency.timezone)),
            (_("jatuh tempo"), lambda o: export_moment(o.due_at, o.agency.timezone)),
            (_("sisa waktu kerja"), lambda o: self.remaining_text(o, now)),
            (
                _("zona waktu"),
                lambda o: f"{o.agency.timezone} ({zone_abbreviation(o.agency.timezone, now)})",
            ),
        ]

    def remaining_text(self, obj, now) -> str:
        if obj.status not in self.statuses.running or not obj.due_at:
            return ""
        return working_time_left_text(self.calendar_for(obj.agency), obj.due_at, now)[1]

    def lookup_allowed(self, lookup, value, request=None):
        """Only the lookups of the list's own filters: any other URL lookup (such as
        `?complainant_name__startswith=R`) could probe a field letter by letter."""
        allowed = set()
        for spec in self.list_filter:
            name = spec[0] if isinstance(spec, tuple) else spec
            if isinstance(name, str):
                allowed |= {f"{name}__exact", f"{name}__isnull", f"{name}__id__exact"}
            elif isinstance(name, type) and issubclass(name, admin.SimpleListFilter):
                allowed.add(name.parameter_name)
        return lookup in allowed

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.intake_form
            kwargs["fields"] = None
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": list(self.intake_form.base_fields)})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_object(self, request, object_id, from_field=None):
        case = super().get_object(request, object_id, from_field)
        if case is not None:
            self.show_to(request, [case])
        return case

    def changelist_view(self, request, extra_context=None):
        """The queue; the confidential identities its page shows are logged, one row each."""
        response = super().changelist_view(request, extra_context)
        cl = (getattr(response, "context_data", None) or {}).get("cl")
        if cl is not None:
            cl.result_list = list(cl.result_list)  # the page's rows, read once
            self.show_to(request, cl.result_list)
            audit.record_accesses(
                user=request.user,
                cases=[c for c in cl.result_list if self.confidential_shown(request, c)],
                what=audit.LIST,
                identity=True,
            )
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        case = (getattr(response, "context_data", None) or {}).get("object")
        if case is not None:
            # The admin's history names the case by its number and what changed, never by a
            # field's value: no identity on it, for anyone.
            audit.record_access(user=request.user, case=case, what=audit.HISTORY, identity=False)
        return response

    def get_inlines(self, request, obj):
        # The case page shows its files and history itself (checklist and timeline).
        return []

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    @csrf_protect_m
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Without the transaction Django's admin opens around a posted form: a case is written
        by its kind's actions, each a durable transaction of its own (portal.cases.actions)."""
        return self._changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """One page per case: summary, next step (its form posts here), documents, history.

        A case page is read-only: no "save", "save and add another" or "save and continue";
        a POST is the workflow step, applied by the kind's one action or not at all."""
        if params.parse_id(str(object_id)) is None:
            return super().change_view(request, object_id, form_url, extra_context)
        case = self.get_queryset(request).filter(pk=object_id).first()
        if case is None:
            return super().change_view(request, object_id, form_url, extra_context)
        form = None
        if request.method == "POST":
            if not self.has_change_permission(request, case):
                raise PermissionDenied
            form, done = self.apply_workflow(request, case)
            if done:
                return redirect(request.path)
            case = self.get_queryset(request).get(pk=case.pk)
            request.method = "GET"  # shown again as stored, with what was typed
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            **self.case_page_context(request, case, form),
        }
        with timezone.override(ZoneInfo(case.agency.timezone)):
            response = super().change_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()
        return response

    def apply_workflow(self, request, case):
        """(form, whether it was applied) for a workflow POST of the case page or its
        workflow page."""
        form = self.workflow_form(
            request.POST, request.FILES or None, case=case, users=self.agency_users(case)
        )
        if form.is_valid():
            try:
                self.process(request, case, form.cleaned_data, timezone.now())
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Perubahan tersimpan dan tercatat di riwayat."))
                return form, True
        return form, False

    # ----------------------------------------------------------- the case page

    def case_person(self, request, case) -> tuple[str, str]:
        """(label, name) of the citizen the case is about, as this user may see it."""
        raise NotImplementedError

    def case_documents(self, request, case) -> list[dict]:
        """The documents as a checklist: [{"label", "files": [...], "required", "note"}]."""
        raise NotImplementedError

    def workflow_buttons(self, form) -> list[tuple[str, str]]:
        """(status, label) of each transition offered as a button: the form's choices."""
        return [(value, label) for value, label in form.fields["to_status"].choices if value]

    def case_page_context(self, request, case, form=None) -> dict:
        zone = case.agency.timezone
        may_change = self.has_change_permission(request, case)
        if form is None and may_change:
            form = self.workflow_form(case=case, users=self.agency_users(case))
        person_label, person = self.case_person(request, case)
        events = list(case.events.select_related("actor").order_by("at", "pk"))
        timeline = [
            {
                "at": format_moment(e.at, zone),
                "iso": e.at.isoformat(),
                "kind": e.get_kind_display(),
                "actor": self.person_name(e.actor) if e.actor_id else _("sistem/warga"),
                "from": e.get_from_status_display() if e.from_status else "",
                "to": e.get_to_status_display() if e.to_status else "",
                "note": e.note,
                "public": e.public,
            }
            for e in events
        ]
        return {
            "case": case,
            "summary": [
                (_("Status"), self.badge(case)),
                (_("Jatuh tempo"), self.due_full(case)),
                (_("Sisa waktu kerja"), self.remaining_html(case)),
                (_("Petugas"), self.person_name(case.assignee)),
                (_("Diterima"), format_moment(case.received_at, zone)),
                (person_label, person),
            ],
            "workflow": form,
            "buttons": self.workflow_buttons(form) if form is not None else [],
            "other_fields": [
                form[name] for name in form.fields if name not in ("to_status", "note", "public")
            ]
            if form is not None
            else [],
            "checklist": self.case_documents(request, case),
            "timeline": timeline,
            "internal_notes": [e for e in timeline if e["note"] and not e["public"]],
            "public_notes": [e for e in timeline if e["note"] and e["public"]],
            **self.workflow_context(request, case),
        }

    def due_full(self, obj) -> str:
        if obj.status not in self.statuses.running:
            return "—"
        if not obj.due_at:
            return _("tanpa batas waktu")
        return format_moment(obj.due_at, obj.agency.timezone)

    @admin.display(description=_("ditutup pada"))
    def closed(self, obj):
        return format_moment(obj.closed_at, obj.agency.timezone) if obj.closed_at else "—"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:  # a case page: log who looked, and whether they saw the identity
            audit.record_access(
                user=request.user,
                case=obj,
                what=audit.CASE_PAGE,
                identity=self.identity_shown(request, obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("diterima"), ordering="received_at")
    def received(self, obj):
        return format_moment(obj.received_at, obj.agency.timezone)

    @admin.display(description=_("cara menghitung"))
    def due_explain(self, obj):
        # One line per step; no inline style (the Content-Security-Policy allows none).
        return format_html("<div>{}</div>", linebreaksbr(obj.due_rule.get("explain", "")))

    def time_left(self, obj) -> str:
        return working_time_left(self.calendar_for(obj.agency), obj.due_at, timezone.now())

    # ----------------------------------------------------------- the workflow page

    def agency_users(self, case):
        return get_user_model().objects.filter(membership__agency_id=case.agency_id, is_active=True)

    def agency_users_of(self, agency_id):
        return get_user_model().objects.filter(membership__agency_id=agency_id, is_active=True)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "ekspor/<str:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name=f"{opts.app_label}_{opts.model_name}_export",
            ),
            path(
                "<int:pk>/proses/",
                self.admin_site.admin_view(self.workflow_view),
                name=f"{opts.app_label}_{opts.model_name}_workflow",
            ),
        ] + super().get_urls()

    def workflow_view(self, request, pk):
        case = self.get_queryset(request).filter(pk=pk).first()
        if case is None:
            raise Http404
        if not self.has_change_permission(request, case):
            raise PermissionDenied
        if request.method == "POST":
            form, done = self.apply_workflow(request, case)
            if done:
                opts = self.model._meta
                return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", case.pk)
            # Nothing was saved: show the case as it is stored, with what was typed.
            case = self.get_queryset(request).get(pk=pk)
        else:
            form = self.workflow_form(case=case, users=self.agency_users(case))
        self.show_to(request, [case])
        audit.record_access(
            user=request.user,
            case=case,
            what=audit.WORKFLOW,
            identity=self.identity_shown(request, case),
        )
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "case": case,
            "form": form,
            "opts": opts,
            "change_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk]),
            "title": _("Proses %(number)s") % {"number": case.number},
            **self.workflow_context(request, case),
        }
        return TemplateResponse(request, self.workflow_template, context)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Petugas"),
        queryset=None,
        help_text=_("Hanya petugas instansi yang sama dengan perkara yang dipilih."),
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users.order_by("username")
        self.fields["assignee"].label_from_instance = CaseAdmin.person_name


def attach_errors(form: forms.Form, error: ValidationError) -> None:
    """Put an action's errors on the form's fields where it has them, the rest on top."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields else None
        for message in ValidationError(errors).messages:
            form.add_error(target, message)


class DueFilter(admin.SimpleListFilter):
    """The dashboard's time windows (portal.cases.dashboard), in the calendar of the agency
    whose queue is shown: the staff member's own, or the one a superuser filtered by."""

    title = _("jatuh tempo")
    parameter_name = "tempo"
    paused_label = _("Menunggu warga")

    def lookups(self, request, model_admin):
        choices = [
            (dashboard.LATE, _("Terlambat")),
            (dashboard.TODAY, _("Jatuh tempo hari ini")),
            ("besok", _("Jatuh tempo dalam 1 hari kerja")),
            (dashboard.SOON, _("Jatuh tempo dalam 3 hari kerja")),
        ]
        if model_admin.statuses.paused:
            choices.append((dashboard.PAUSED, self.paused_label))
        choices.append((dashboard.OPEN, _("Semua yang masih terbuka")))
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if value not in {key for key, _label in self.lookup_choices}:
            return queryset
        now = timezone.now()
        statuses = self.model_admin.statuses
        calendar = self.model_admin.staff_calendar(request)
        if value == "besok":
            day = calendar.hours.working_day_seconds()
            return queryset.filter(
                status__in=statuses.running,
                due_at__gte=now,
                due_at__lte=calendar.add_working_seconds(now, day),
            )
        return queryset.filter(
            dashboard.window_q(value, statuses=statuses, now=now, calendar=calendar)
        )

    def __init__(self, request, params, model, model_admin):
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)


class AssigneeFilter(admin.SimpleListFilter):
    """Who has the case: me, nobody yet, or one colleague of the agency. Its parameter keeps
    the name of Django's own assignee filter, so the lists' links stay as they were; unlike
    that filter it still applies when no case of the list has an assignee yet."""

    title = _("petugas")
    parameter_name = "assignee__id__exact"

    def lookups(self, request, model_admin):
        choices = [(dashboard.ME, _("Saya")), (dashboard.NOBODY, _("Belum ada petugas"))]
        agency_id = agency_id_of(request.user)
        if agency_id is None and request.user.is_superuser:
            agency_id = params.parse_id(request.GET.get("agency__id__exact"))
        if agency_id is not None:
            users = get_user_model().objects.filter(membership__agency_id=agency_id, is_active=True)
            choices += [(str(u.pk), u.get_full_name() or u.username) for u in users]
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


def case_admins(site) -> list[CaseAdmin]:
    """The case queues registered on the admin site, in the order their apps were loaded."""
    return [ma for ma in site._registry.values() if isinstance(ma, CaseAdmin)]


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
