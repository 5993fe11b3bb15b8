"""The admin's base for case queues: intake at the desk, read-only cases, the workflow page.

A case is entered at the desk with `intake_form` (its fields, in its order); once it exists
it is read-only here and changes only through its workflow page (`<pk>/proses/`), whose form
is handed to the one action of the case kind (`process`). Cases are closed, never deleted.
Subclasses give the agency calendar of a case (`calendar_for`), which this package cannot
build itself.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.admin_scoping import AgencyScopedAdmin
from portal.cases.durations import working_duration
from portal.worktime import WorkCalendar, format_moment


def working_time_left(calendar: WorkCalendar, due, now) -> str:
    """Working time until `due`, or how late it already is, in words."""
    day = calendar.hours.working_day_seconds()
    if due < now:
        late = calendar.working_seconds_between(due, now)
        return format_html(
            '<strong class="errornote">{} {}</strong>', _("terlambat"), working_duration(late, day)
        )
    return working_duration(calendar.working_seconds_between(now, due), day)


class CaseAdmin(AgencyScopedAdmin):
    intake_form: type[forms.ModelForm]
    workflow_form: type[forms.Form]
    workflow_template: str

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

    # ----------------------------------------------------------- intake and reading

    def has_delete_permission(self, request, obj=None):
        return False

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

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A case page is read-only: no "save", "save and add another" or "save and continue".
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

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

    def get_urls(self):
        opts = self.model._meta
        return [
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
        form = self.workflow_form(
            request.POST or None,
            request.FILES or None,
            case=case,
            users=self.agency_users(case),
        )
        if request.method == "POST" and form.is_valid():
            try:
                self.process(request, case, form.cleaned_data, timezone.now())
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Perubahan tersimpan dan tercatat di riwayat."))
                opts = self.model._meta
                return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", case.pk)
            # Nothing was saved: show the case as it is stored, with what was typed.
            case = self.get_queryset(request).get(pk=pk)
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
    """Overdue, due within one working day of the staff's agency, paused."""

    title = _("jatuh tempo")
    parameter_name = "tempo"
    paused_status: str | None = None

    def lookups(self, request, model_admin):
        choices = [("lewat", _("Terlambat")), ("besok", _("Jatuh tempo dalam 1 hari kerja"))]
        if self.paused_status:
            choices.append(("jeda", _("Waktu dihentikan")))
        return choices

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "lewat":
            return queryset.overdue(now=now)
        if self.value() == "besok":
            calendar = self.model_admin.staff_calendar(request)
            day = calendar.hours.working_day_seconds()
            return queryset.due_before(now=now, until=calendar.add_working_seconds(now, day))
        if self.value() == "jeda" and self.paused_status:
            return queryset.filter(status=self.paused_status)
        return queryset

    def __init__(self, request, params, model, model_admin):
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)


class FileInline(admin.TabularInline):
    """A case's files, read-only, each linked to the staff download view `download_view`.

    `related`: the foreign keys its columns read, fetched with the rows (no query per row)."""

    download_view: str
    related: tuple[str, ...] = ()
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.related)

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("berkas"))
    def download(self, obj):
        url = reverse(self.download_view, args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


class HistoryInline(admin.TabularInline):
    """A case's history: shown, never added to or changed here."""

    extra = 0
    can_delete = False
    fields = ["at", "actor", "kind", "from_status", "to_status", "note", "public"]
    readonly_fields = fields
    ordering = ["at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
