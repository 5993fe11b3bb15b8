"""The staff's request queue and workflow in the admin, scoped to their agency."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.admin_scoping import AgencyScopedAdmin, user_agency_id
from portal.worktime import format_moment
from services import actions
from services import request_workflow as workflow
from services.calendars import agency_calendar, default_calendar
from services.models import (
    Agency,
    Channel,
    RequestDocument,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
    ServiceStandard,
)


class CaseAdmin(AgencyScopedAdmin):
    """What the request and complaint admins share.

    A case is entered at the desk with `intake_form` (its fields, in its order); once it
    exists it is read-only here and changes through the workflow, its history and files shown
    inline. Cases are closed, never deleted. Staff choose among their own agency's services.
    """

    intake_form: type[forms.ModelForm]

    def has_delete_permission(self, request, obj=None):
        return False

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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "standard" and not request.user.is_superuser:
            kwargs["queryset"] = ServiceStandard.objects.filter(agency_id=user_agency_id(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    @admin.display(description=_("diterima"), ordering="received_at")
    def received(self, obj):
        return format_moment(obj.received_at, obj.agency.timezone)

    @admin.display(description=_("cara menghitung"))
    def due_explain(self, obj):
        # One line per step; no inline style (the Content-Security-Policy allows none).
        return format_html("<div>{}</div>", linebreaksbr(obj.due_rule.get("explain", "")))


class DueFilter(admin.SimpleListFilter):
    title = _("jatuh tempo")
    parameter_name = "tempo"

    def lookups(self, request, model_admin):
        return [
            ("lewat", _("Terlambat")),
            ("besok", _("Jatuh tempo dalam 1 hari kerja")),
            ("jeda", _("Waktu dihentikan")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "lewat":
            return queryset.overdue(now=now)
        if self.value() == "besok":
            # One working day (7.5 office hours) in the staff member's agency calendar.
            agency_id = user_agency_id(request)
            agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
            calendar = agency_calendar(agency) if agency else default_calendar()
            return queryset.due_before(now=now, until=calendar.add_working_seconds(now, 27000))
        if self.value() == "jeda":
            return queryset.filter(status=RequestStatus.RETURNED)
        return queryset


class FileInline(admin.TabularInline):
    """A case's files, read-only, each linked to the staff download view `download_view`."""

    download_view: str
    extra = 0
    can_delete = False

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

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DocumentInline(FileInline):
    model = RequestDocument
    download_view = "services:staff_document"
    fields = ["download", "requirement", "size", "uploaded_at", "uploaded_by_staff"]
    readonly_fields = fields


class EventInline(HistoryInline):
    model = RequestEvent


class WalkInForm(forms.ModelForm):
    """Registering a request received at the counter, with its real receipt moment."""

    received_at = forms.SplitDateTimeField(
        label=_("Diterima pada"),
        widget=admin.widgets.AdminSplitDateTime,
        help_text=_("Waktu nyata penerimaan di loket."),
    )

    class Meta:
        model = ServiceRequest
        fields = [
            "standard",
            "received_at",
            "applicant_name",
            "nik",
            "phone",
            "email",
            "organisation",
            "message",
        ]

    def clean_nik(self):
        from portal.identity import validate_nik

        return validate_nik(self.cleaned_data["nik"])

    def clean_phone(self):
        from portal.identity import normalise_phone

        return normalise_phone(self.cleaned_data["phone"])

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value > timezone.now():
            raise ValidationError(_("Waktu diterima tidak boleh di masa depan."))
        return value


class WorkflowForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Status berikutnya"), required=False)
    note = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    public = forms.BooleanField(label=_("Terlihat oleh pemohon"), required=False, initial=True)
    assignee = forms.ModelChoiceField(label=_("Petugas"), queryset=None, required=False)
    product = forms.FileField(label=_("Unggah produk layanan"), required=False)

    def __init__(self, *args, case, users, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(s, RequestStatus(s).label) for s in workflow.TRANSITIONS[case.status]]
        self.fields["to_status"].choices = [("", "—")] + choices
        self.fields["assignee"].queryset = users
        self.fields["assignee"].initial = case.assignee_id


@admin.register(ServiceRequest)
class ServiceRequestAdmin(CaseAdmin):
    intake_form = WalkInForm
    list_display = [
        "number",
        "standard",
        "applicant",
        "status",
        "due",
        "remaining",
        "assignee",
        "agency",
    ]
    list_filter = [
        "status",
        DueFilter,
        "channel",
        ("standard", admin.RelatedOnlyFieldListFilter),
        ("assignee", admin.RelatedOnlyFieldListFilter),
        "agency",
    ]
    list_select_related = ["standard", "agency", "assignee"]
    search_fields = ["number", "applicant_name", "organisation"]
    ordering = ["due_at"]
    list_per_page = 50
    inlines = [DocumentInline, EventInline]
    change_form_template = "admin/services/servicerequest/change_form.html"
    readonly_fields = [
        "number",
        "agency",
        "standard",
        "channel",
        "applicant",
        "nik",
        "phone",
        "email",
        "organisation",
        "message",
        "status",
        "received",
        "due",
        "due_explain",
        "assignee",
        "product_link",
        "closed_at",
    ]
    fieldsets = [
        (None, {"fields": ["number", "standard", "agency", "channel", "status", "assignee"]}),
        (
            _("Pemohon"),
            {"fields": ["applicant", "nik", "phone", "email", "organisation", "message"]},
        ),
        (_("Waktu"), {"fields": ["received", "due", "due_explain", "closed_at"]}),
        (_("Produk"), {"fields": ["product_link"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency", "standard", "assignee")

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        created, code = actions.request_submit(
            standard=data["standard"],
            applicant={
                k: data.get(k) or ""
                for k in ("applicant_name", "nik", "phone", "email", "organisation", "message")
            },
            documents={},
            now=timezone.now(),
            received_at=data["received_at"],
            channel=Channel.WALK_IN,
            actor=request.user,
        )
        obj.pk = created.pk
        obj.number = created.number
        messages.success(
            request,
            format_html(
                _(
                    "Permohonan loket tercatat. Berikan kepada pemohon: nomor <b>{}</b>, "
                    "kode akses <b>{}</b>."
                ),
                created.number,
                code,
            ),
        )

    @admin.display(description=_("pemohon"))
    def applicant(self, obj):
        return f"{obj.applicant_name}" + (f" ({obj.organisation})" if obj.organisation else "")

    @admin.display(description=_("jatuh tempo"), ordering="due_at")
    def due(self, obj):
        if obj.status == RequestStatus.RETURNED:
            return _("dihentikan")
        if not obj.due_at:
            return _("tanpa batas waktu")
        return format_moment(obj.due_at, obj.agency.timezone)

    @admin.display(description=_("sisa waktu kerja"))
    def remaining(self, obj):
        if not obj.is_open:
            return "—"
        if obj.status == RequestStatus.RETURNED:
            return _duration(obj.remaining_seconds or 0)
        if obj.due_at is None:
            return "—"
        return working_time_left(agency_calendar(obj.agency), obj.due_at, timezone.now())

    @admin.display(description=_("produk layanan"))
    def product_link(self, obj):
        if not obj.product:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("services:staff_product", args=[obj.pk]),
            obj.product_name,
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/proses/",
                self.admin_site.admin_view(self.workflow_view),
                name="services_servicerequest_workflow",
            ),
        ] + super().get_urls()

    def workflow_view(self, request, pk):
        case = self.get_queryset(request).filter(pk=pk).first()
        if case is None:
            from django.http import Http404

            raise Http404
        if not self.has_change_permission(request, case):
            raise PermissionDenied
        form = WorkflowForm(
            request.POST or None, request.FILES or None, case=case, users=self._agency_users(case)
        )
        if request.method == "POST" and form.is_valid():
            try:
                self._apply(request, case, form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Perubahan tersimpan dan tercatat di riwayat."))
                return redirect("admin:services_servicerequest_change", case.pk)
        context = {
            **self.admin_site.each_context(request),
            "case": case,
            "form": form,
            "opts": self.model._meta,
            "title": _("Proses permohonan %s") % case.number,
        }
        return TemplateResponse(request, "admin/services/servicerequest/workflow.html", context)

    def _agency_users(self, case):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(membership__agency_id=case.agency_id, is_active=True)

    def _apply(self, request, case, data):
        now = timezone.now()
        did = False
        if data["assignee"] != case.assignee:
            actions.request_assign(
                request=case, assignee=data["assignee"], actor=request.user, note="", now=now
            )
            did = True
        if data["product"]:
            actions.request_attach_product(
                request=case, upload=data["product"], actor=request.user, now=now
            )
            did = True
        if data["to_status"]:
            actions.request_transition(
                request=case,
                to_status=data["to_status"],
                actor=request.user,
                note=data["note"],
                now=now,
                public=data["public"],
            )
        elif data["note"].strip():
            actions.request_add_note(
                request=case, actor=request.user, note=data["note"], public=data["public"], now=now
            )
        elif not did:
            raise ValidationError(
                _(
                    "Tidak ada perubahan: pilih status, tulis catatan, "
                    "tugaskan petugas atau unggah produk."
                )
            )


def working_time_left(calendar, due, now) -> str:
    """Working time until `due`, or how late it already is, in words."""
    if due < now:
        late = calendar.working_seconds_between(due, now)
        return format_html(
            '<strong class="errornote">{} {}</strong>', _("terlambat"), _duration(late)
        )
    return _duration(calendar.working_seconds_between(now, due))


def _duration(seconds: int) -> str:
    """Working time in words; a day is the national timetable's 7.5 hours."""
    days, rest = divmod(int(seconds) // 60, 450)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} hari")
    if hours:
        parts.append(f"{hours} jam")
    if minutes or not parts:
        parts.append(f"{minutes} menit")
    return " ".join(parts) + " kerja"
