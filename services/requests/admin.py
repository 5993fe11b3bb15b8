"""The staff's request queue and workflow in the admin, scoped to their agency."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal import params
from portal.admin_scoping import user_agency_id
from portal.cases import language as case_language
from portal.cases.admin import (
    AssigneeFilter,
    CaseAdmin,
    DueFilter,
    cell,
    short_moment,
)
from portal.cases.durations import working_duration
from portal.identity import normalise_phone, validate_nik
from portal.worktime import format_moment
from services.catalogue.calendars import agency_calendar, default_calendar
from services.catalogue.models.agencies import Agency
from services.requests import actions as request_actions
from services.requests import selectors as request_selectors
from services.requests import workflow
from services.requests.models import Channel, RequestStatus, ServiceRequest
from services.requests.querysets import REQUEST_STATUSES


class AgencyCalendars:
    """The calendars of the case admins: a case's agency, or the staff member's own."""

    def calendar_for(self, agency):
        return agency_calendar(agency)

    def staff_calendar(self, request):
        """The staff member's agency, or for a superuser the agency the list is filtered by."""
        agency_id = user_agency_id(request)
        if agency_id is None and request.user.is_superuser:
            agency_id = params.parse_id(request.GET.get("agency__id__exact"))
        agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
        return agency_calendar(agency) if agency else default_calendar()

    def agencies_for(self, request):
        if request.user.is_superuser:
            return list(Agency.objects.order_by("name"))
        agency_id = user_agency_id(request)
        return list(Agency.objects.filter(pk=agency_id)) if agency_id else []


class RequestDueFilter(DueFilter):
    paused_label = _("Dikembalikan, menunggu pemohon")


class WalkInForm(forms.ModelForm):
    """Registering a request received at the counter, with its real receipt moment."""

    received_at = forms.SplitDateTimeField(
        label=_("Diterima pada"),
        widget=admin.widgets.AdminSplitDateTime,
        help_text=_("Waktu nyata penerimaan di loket."),
    )
    language = case_language.counter_field(
        help_text=_("Bahasa email kepada pemohon (tanda terima, pengembalian, penyelesaian).")
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
            "language",
            "organisation",
            "message",
        ]

    def clean_nik(self):
        return validate_nik(self.cleaned_data["nik"])

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value > timezone.now():
            raise ValidationError(_("Waktu diterima tidak boleh di masa depan."))
        return value


class WorkflowForm(forms.Form):
    """One step of a request's workflow; applied whole by request_process, or not at all."""

    to_status = forms.ChoiceField(label=_("Status berikutnya"), required=False)
    note = forms.CharField(
        label=_("Catatan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Wajib untuk setiap perubahan status."),
    )
    public = forms.BooleanField(
        label=_("Tampilkan catatan kepada pemohon"),
        required=False,
        initial=False,
        help_text=_(
            "Tanpa centang, catatan hanya untuk petugas. Catatan pengembalian dan penolakan "
            "selalu ditampilkan kepada pemohon."
        ),
    )
    assignee = forms.ModelChoiceField(label=_("Petugas"), queryset=None, required=False)
    product = forms.FileField(label=_("Unggah produk layanan"), required=False)
    product_note = forms.CharField(
        label=_("Yang diberikan kepada pemohon"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Untuk produk yang bukan berkas: apa yang diberikan. Untuk dokumen: di mana "
            "aslinya diambil (bila perlu). Ditampilkan kepada pemohon."
        ),
    )

    def __init__(self, *args, case, users, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(s, RequestStatus(s).label) for s in workflow.TRANSITIONS[case.status]]
        self.fields["to_status"].choices = [("", "—")] + choices
        self.fields["assignee"].queryset = users
        self.fields["assignee"].initial = case.assignee_id
        self.fields["product_note"].initial = case.product_note


@admin.register(ServiceRequest)
class ServiceRequestAdmin(AgencyCalendars, CaseAdmin):
    intake_form = WalkInForm
    workflow_form = WorkflowForm
    workflow_template = "admin/services/servicerequest/workflow.html"
    statuses = REQUEST_STATUSES  # a request returned after its due moment stays late
    list_display = [
        "number",
        "service",
        "applicant",
        "status_badge",
        "due",
        "remaining",
        "assignee_name",
        "agency",
    ]
    list_filter = [
        "status",
        RequestDueFilter,
        "channel",
        ("standard", admin.RelatedOnlyFieldListFilter),
        AssigneeFilter,
        "agency",
    ]
    related_rows = ("agency", "standard", "assignee")
    search_fields = ["number", "applicant_name", "organisation"]
    list_per_page = 50
    change_form_template = "admin/services/servicerequest/change_form.html"
    readonly_fields = [
        "number",
        "agency",
        "standard",
        "promised_version",
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
        "product_note",
        "closed",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "standard",
                    "promised_version",
                    "agency",
                    "channel",
                    "status",
                    "assignee",
                ]
            },
        ),
        (
            _("Pemohon"),
            {"fields": ["applicant", "nik", "phone", "email", "organisation", "message"]},
        ),
        (_("Waktu"), {"fields": ["received", "due", "due_explain", "closed"]}),
        (_("Produk"), {"fields": ["product_link", "product_note"]}),
    ]

    @admin.display(description=_("versi standar yang berlaku"))
    def promised_version(self, obj):
        """The standard's version this request is judged by (its requirements, time, fee)."""
        promise = request_selectors.request_terms(obj)
        if promise.version is None:
            return "—"
        return format_html('<a href="{}">{}</a>', promise.url, promise.label)

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        created, code = request_actions.request_submit(
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
            language=data.get("language") or "id",
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
        return cell(_("pemohon"), self.applicant_text(obj))

    @staticmethod
    def applicant_text(obj) -> str:
        return f"{obj.applicant_name}" + (f" ({obj.organisation})" if obj.organisation else "")

    @admin.display(description=_("jatuh tempo"), ordering="due_at")
    def due(self, obj):
        return cell(_("jatuh tempo"), self.due_text(obj))

    def due_text(self, obj) -> str:
        if obj.status == RequestStatus.RETURNED:
            return self.returned_late(obj) or _("dihentikan")
        if not obj.due_at:
            return _("tanpa batas waktu")
        return short_moment(obj.due_at, obj.agency.timezone)

    def returned_late(self, obj) -> str:
        """For a request returned after its due moment, "dikembalikan; terlambat N hari kerja
        saat dikembalikan" ("" otherwise): returning stops the clock, not the lateness."""
        calendar = self.calendar_for(obj.agency)
        late = request_selectors.late_at_return(obj, calendar)
        if late is None:
            return ""
        return request_selectors.returned_late_text(late, calendar.hours.working_day_seconds())

    def due_full(self, obj) -> str:
        if obj.status != RequestStatus.RETURNED:
            return super().due_full(obj)
        late = self.returned_late(obj)
        if not late:
            return _("dihentikan")
        return f"{format_moment(obj.due_at, obj.agency.timezone)} ({late})"

    @admin.display(description=_("sisa waktu kerja"))
    def remaining(self, obj):
        return cell(_("sisa waktu kerja"), self.remaining_html(obj))

    def remaining_html(self, obj):
        if not obj.is_open:
            return "—"
        if obj.status == RequestStatus.RETURNED:
            if late := self.returned_late(obj):
                return format_html('<strong class="late-text">{}</strong>', late)
            day = self.calendar_for(obj.agency).hours.working_day_seconds()
            return working_duration(obj.remaining_seconds or 0, day)
        if obj.due_at is None:
            return "—"
        return self.time_left(obj)

    def remaining_text(self, obj, now) -> str:
        if obj.status == RequestStatus.RETURNED:
            if late := self.returned_late(obj):
                return late
            day = self.calendar_for(obj.agency).hours.working_day_seconds()
            return f"{working_duration(obj.remaining_seconds or 0, day)} ({_('dihentikan')})"
        return super().remaining_text(obj, now)

    def case_person(self, request, case):
        return _("Pemohon"), self.applicant_text(case)

    def case_page_context(self, request, case, form=None):
        context = super().case_page_context(request, case, form)
        # The terms the request is judged by: its version's, whatever was published later.
        terms = request_selectors.request_terms(case)
        context["summary"] += [
            (_("Versi standar"), self.promised_version(case)),
            (_("Jangka waktu"), terms.timeframe),
            (_("Biaya"), terms.fee_text),
        ]
        return context

    def case_documents(self, request, case):
        """Each requirement of the version the request was received under, with its uploaded
        file(s), or none yet."""
        files = {}
        for document in case.documents.all():
            files.setdefault(document.requirement_id, []).append(
                {
                    "url": reverse("services:staff_document", args=[document.pk]),
                    "name": document.original_name,
                    "size": document.size,
                    "at": format_moment(document.uploaded_at, case.agency.timezone),
                    "by_staff": document.uploaded_by_staff,
                }
            )
        items = [
            {
                "label": requirement["text"],
                "conditional": requirement["conditional"],
                "upload": requirement["document"],
                "files": files.pop(requirement["id"], []),
            }
            for requirement in request_selectors.promised_requirements(case)
        ]
        others = [f for group in files.values() for f in group]
        if others:
            items.append(
                {"label": _("Berkas lain"), "conditional": True, "upload": True, "files": others}
            )
        return items

    def export_columns(self, request):
        return [
            (_("nomor"), lambda o: o.number),
            (_("instansi"), lambda o: o.agency.short_name),
            (_("layanan"), lambda o: o.standard.name),
            (_("kanal"), lambda o: o.get_channel_display()),
            (_("pemohon"), self.applicant_text),
            (_("status"), lambda o: o.get_status_display()),
            *self.export_time_columns(),
            (_("petugas"), lambda o: self.person_name(o.assignee)),
        ]

    def assign(self, request, queryset, assignee, now):
        return request_actions.requests_assign(
            requests=queryset, assignee=assignee, actor=request.user, now=now
        )

    @admin.display(description=_("produk layanan"))
    def product_link(self, obj):
        if not obj.product:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("services:staff_product", args=[obj.pk]),
            obj.product_name,
        )

    def process(self, request, case, data, now):
        request_actions.request_process(
            request=case,
            actor=request.user,
            now=now,
            to_status=data["to_status"],
            note=data["note"],
            public=data["public"],
            assignee=data["assignee"],
            product=data["product"],
            product_note=data["product_note"],
        )
