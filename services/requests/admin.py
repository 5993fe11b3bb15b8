"""The staff's request queue and workflow in the admin, scoped to their agency.

The queue, the case page, the workflow page, intake at the counter and the exports are the
case admin's (`portal.cases.admin`); a request adds its applicant, the version of the
standard it is judged by, its product, and its clock stopped while it waits for the applicant
(a request returned after its due moment stays late).
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.admin_scoping import user_agency_id
from portal.cases.admin import CaseAdmin
from portal.cases.admin.base import queue_agency_id
from portal.cases.admin.case_page import stored_file
from portal.cases.admin.display import column, late_html, short_moment
from portal.cases.admin.filters import AssigneeFilter, DueFilter
from portal.cases.admin.forms import CaseWorkflowForm, IntakeForm
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

APPLICANT_FIELDS = ("applicant_name", "nik", "phone", "email", "organisation", "message")


class AgencyCalendars:
    """The calendars of the case admins: a case's agency, or the staff member's own."""

    def calendar_for(self, agency):
        return agency_calendar(agency)

    def staff_calendar(self, request):
        """The staff member's agency, or for a superuser the agency the list is filtered by."""
        agency_id = queue_agency_id(request)
        agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
        return agency_calendar(agency) if agency else default_calendar()

    def agencies_for(self, request):
        if request.user.is_superuser:
            return list(Agency.objects.order_by("name"))
        agency_id = user_agency_id(request)
        return list(Agency.objects.filter(pk=agency_id)) if agency_id else []


class WalkInForm(IntakeForm):
    """Registering a request received at the counter, with its real receipt moment."""

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
        help_texts = {
            "received_at": _("Waktu nyata penerimaan di loket."),
            "language": _(
                "Bahasa email kepada pemohon (tanda terima, pengembalian, penyelesaian)."
            ),
        }

    def clean_nik(self):
        return validate_nik(self.cleaned_data["nik"])

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])


class WorkflowForm(CaseWorkflowForm):
    """One step of a request's workflow; applied whole by request_process, or not at all."""

    public_label = _("Tampilkan catatan kepada pemohon")
    public_help = _(
        "Tanpa centang, catatan hanya untuk petugas. Catatan pengembalian dan penolakan "
        "selalu ditampilkan kepada pemohon."
    )
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

    def next_statuses(self, case):
        return [(s, RequestStatus(s).label) for s in workflow.TRANSITIONS[case.status]]

    def initial_from(self, case):
        return {**super().initial_from(case), "product_note": case.product_note}


@admin.register(ServiceRequest)
class ServiceRequestAdmin(AgencyCalendars, CaseAdmin):
    statuses = REQUEST_STATUSES  # a request returned after its due moment stays late
    paused_label = _("Dikembalikan, menunggu pemohon")
    intake_form = WalkInForm
    workflow_form = WorkflowForm
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
        DueFilter,
        "channel",
        ("standard", admin.RelatedOnlyFieldListFilter),
        AssigneeFilter,
        "agency",
    ]
    related_rows = ("agency", "standard", "assignee")
    search_fields = ["number", "applicant_name", "organisation"]
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

    # ----------------------------------------------------------- the kind's actions

    intake_message = _(
        "Permohonan loket tercatat. Berikan kepada pemohon: nomor <b>{}</b>, kode akses <b>{}</b>."
    )
    workflow_title = _("Proses: status, catatan, petugas, produk")

    def submit(self, request, data, **received):
        return request_actions.request_submit(
            standard=data["standard"],
            applicant={k: data.get(k) or "" for k in APPLICANT_FIELDS},
            documents={},
            channel=Channel.WALK_IN,
            **received,
        )

    def assign(self, request, queryset, assignee, now):
        return request_actions.requests_assign(
            requests=queryset, assignee=assignee, actor=request.user, now=now
        )

    def process(self, request, case, data, now):
        request_actions.request_process(request=case, actor=request.user, now=now, **data)

    # ----------------------------------------------------------- the applicant and the terms

    @column(_("pemohon"))
    def applicant(self, obj):
        return self.applicant_text(obj)

    @staticmethod
    def applicant_text(obj) -> str:
        return f"{obj.applicant_name}" + (f" ({obj.organisation})" if obj.organisation else "")

    def case_person(self, request, case):
        return _("Pemohon"), self.applicant_text(case)

    @admin.display(description=_("versi standar yang berlaku"))
    def promised_version(self, obj):
        """The standard's version this request is judged by (its requirements, time, fee)."""
        promise = request_selectors.request_terms(obj)
        if promise.version is None:
            return "—"
        return format_html('<a href="{}">{}</a>', promise.url, promise.label)

    def summary(self, request, case):
        # The terms the request is judged by: its version's, whatever was published later.
        terms = request_selectors.request_terms(case)
        return [
            *super().summary(request, case),
            (_("Versi standar"), self.promised_version(case)),
            (_("Jangka waktu"), terms.timeframe),
            (_("Biaya"), terms.fee_text),
        ]

    def case_documents(self, request, case):
        """Each requirement of the version the request was received under, with its uploaded
        file(s), or none yet."""
        files = {}
        for document in case.documents.all():
            files.setdefault(document.requirement_id, []).append(
                stored_file(
                    document,
                    url=reverse("services:staff_document", args=[document.pk]),
                    name=document.original_name,
                    zone=case.agency.timezone,
                )
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

    @admin.display(description=_("produk layanan"))
    def product_link(self, obj):
        if not obj.product:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("services:staff_product", args=[obj.pk]),
            obj.product_name,
        )

    def export_case_columns(self, request):
        return [(_("pemohon"), self.applicant_text)]

    # ----------------------------------------------------------- a clock stopped on return

    def returned_late(self, obj) -> str:
        """For a request returned after its due moment, "dikembalikan; terlambat N hari kerja
        saat dikembalikan" ("" otherwise): returning stops the clock, not the lateness."""
        calendar = self.calendar_for(obj.agency)
        late = request_selectors.late_at_return(obj, calendar)
        if late is None:
            return ""
        return request_selectors.returned_late_text(late, calendar.hours.working_day_seconds())

    def time_kept(self, obj) -> str:
        """The working time a returned request keeps for when it comes back."""
        day = self.calendar_for(obj.agency).hours.working_day_seconds()
        return working_duration(obj.remaining_seconds or 0, day)

    def due_text(self, obj) -> str:
        if obj.status == RequestStatus.RETURNED:
            return self.returned_late(obj) or _("dihentikan")
        if not obj.due_at:
            return _("tanpa batas waktu")
        return short_moment(obj.due_at, obj.agency.timezone)

    def due_full(self, obj) -> str:
        if obj.status != RequestStatus.RETURNED:
            return super().due_full(obj)
        late = self.returned_late(obj)
        if not late:
            return _("dihentikan")
        return f"{format_moment(obj.due_at, obj.agency.timezone)} ({late})"

    def remaining_html(self, obj):
        if obj.status == RequestStatus.RETURNED:
            late = self.returned_late(obj)
            return late_html(late) if late else self.time_kept(obj)
        return super().remaining_html(obj)

    def remaining_text(self, obj, now) -> str:
        if obj.status == RequestStatus.RETURNED:
            return self.returned_late(obj) or f"{self.time_kept(obj)} ({_('dihentikan')})"
        return super().remaining_text(obj, now)
