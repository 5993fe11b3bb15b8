"""The staff's complaint queue: triage, tiers, handling and answers, scoped to their agency.

A confidential complainant's identity is replaced by "Dirahasiakan" for anyone without the
complaint-officer permission on every route of the admin: the list and its columns, the case
page, its workflow page, the related request (whose applicant is usually the complainant), the
evidence's file names, the CSV export, and the list's URL lookups (only those of the list's own
filters are accepted, so `?complainant_name__startswith=` cannot probe a name letter by letter).
What a viewer is shown is decided with the viewer named (`complaints.identity`): each page
gives its rows what the user may see of them before it renders them (`show_to`), and the
columns read only that. Every route that shows a confidential identity logs it
(`portal.cases.audit`), and a case page opened without it is logged "tanpa identitas".
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from complaints import actions, workflow
from complaints.identity import (
    HIDDEN,
    WITHHELD,
    ShownIdentity,
    evidence_name,
    identity_of,
    may_see_identity,
    shown_identity,
)
from complaints.models import (
    Complaint,
    ComplaintChannelKind,
    ComplaintStatus,
    ComplaintTier,
    RejectionReason,
    Tier,
)
from portal.admin_scoping import AgencyScopedAdmin, may_work_for
from portal.cases import exports
from portal.cases.admin import CaseAdmin
from portal.cases.admin.case_page import stored_file
from portal.cases.admin.display import column, short_moment
from portal.cases.admin.filters import AssigneeFilter, DueFilter
from portal.cases.admin.forms import CaseWorkflowForm, IntakeForm
from portal.cases.dashboard import Statuses
from portal.identity import normalise_phone
from portal.worktime import format_moment
from services.requests.admin import AgencyCalendars


def shown(complaint) -> ShownIdentity:
    """What the page's viewer may see of the complainant, as `show_to` gave it; a row that was
    not given it shows nothing."""
    return getattr(complaint, "shown_identity", WITHHELD)


@admin.register(ComplaintTier)
class ComplaintTierAdmin(AgencyScopedAdmin):
    """Each agency's complaint tiers and their deadlines, as its decree sets them: its officials
    change a tier's deadline and wording, a superuser adds or deletes a tier."""

    list_display = ["tier", "duration", "wording", "order", "agency"]
    list_filter = ["agency"]
    list_select_related = ["agency"]
    ordering = ["agency__name", "order"]
    fields = ["agency", "order", "tier", "duration", "wording"]

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["agency"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class OtherChannelForm(IntakeForm):
    """A complaint received face to face, in the box, by phone, WhatsApp, email or LAPOR!."""

    class Meta:
        model = Complaint
        fields = [
            "agency",
            "channel",
            "lapor_reference",
            "received_at",
            "standard",
            "complainant_name",
            "phone",
            "email",
            "language",
            "address",
            "confidential",
            "shortfall",
            "loss",
            "remedy",
        ]
        help_texts = {
            "received_at": _("Waktu nyata pengaduan diterima."),
            "language": _("Bahasa email kepada pengadu (tanda terima, jawaban)."),
        }

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        return normalise_phone(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("channel") == ComplaintChannelKind.LAPOR and not cleaned.get(
            "lapor_reference"
        ):
            self.add_error("lapor_reference", _("Isi nomor tiket SP4N-LAPOR!."))
        return cleaned


class WorkflowForm(CaseWorkflowForm):
    """One step of a complaint's workflow; applied whole by complaint_process, or not at all."""

    tier = forms.ChoiceField(
        label=_("Tingkat pengaduan"), required=False, choices=[("", "—")] + Tier.choices
    )
    reason = forms.CharField(
        label=_("Alasan klasifikasi"),
        required=False,
        help_text=_("Wajib bila mengubah klasifikasi."),
    )
    rejection_reason = forms.ChoiceField(
        label=_("Alasan penolakan"), required=False, choices=[("", "—")] + RejectionReason.choices
    )
    answer = forms.CharField(
        label=_("Jawaban kepada pengadu"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    field_order = ["tier", "reason", "to_status", "rejection_reason", "answer"]
    public_label = _("Tampilkan catatan kepada pengadu")
    public_help = _("Tanpa centang, catatan hanya untuk petugas.")
    note_rows = 2

    def next_statuses(self, case):
        choices = [
            (s, ComplaintStatus(s).label)
            for s in workflow.TRANSITIONS[case.status]
            if s in workflow.MANUAL
        ]
        if case.status == ComplaintStatus.RECEIVED:
            # Classifying moves it on, so handling can be chosen in the same step.
            choices.insert(0, (ComplaintStatus.HANDLING, ComplaintStatus.HANDLING.label))
        return choices

    def initial_from(self, case):
        return {**super().initial_from(case), "tier": case.tier}


# The tier in a word, for the narrow list column (the full name is on the case page).
TIER_SHORT = {
    Tier.LIGHT: _("ringan"),
    Tier.NORMATIVE: _("normatif"),
    Tier.NON_SUPERVISORY: _("tanpa pengawasan"),
    Tier.SUPERVISORY: _("pemeriksaan"),
}
# What a complaint entered at the desk says, as text ("" when not given).
DETAIL_TEXTS = (
    "complainant_name",
    "phone",
    "email",
    "address",
    "shortfall",
    "loss",
    "remedy",
    "lapor_reference",
)


@admin.register(Complaint)
class ComplaintAdmin(AgencyCalendars, CaseAdmin):
    # Answered: waiting for the complainant to say whether it resolves the complaint.
    statuses = Statuses(
        open=workflow.OPEN, running=workflow.RUNNING, paused=(ComplaintStatus.ANSWERED,)
    )
    paused_label = _("Dijawab, menunggu tanggapan pengadu")
    intake_form = OtherChannelForm
    workflow_form = WorkflowForm
    dashboard_group = "tier"
    list_display = [
        "number",
        "service",
        "complainant",
        "tier_short",
        "status_badge",
        "due",
        "remaining",
        "assignee_name",
        "agency",
    ]
    list_filter = ["tier", "status", DueFilter, "channel", AssigneeFilter, "agency"]
    related_rows = ("agency", "standard", "assignee", "service_request")
    # Identity fields are never searched: a search is a lookup too.
    search_fields = ["number", "lapor_reference"]
    actions = [*CaseAdmin.actions, "export_csv"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "agency",
                    "standard",
                    "related_request",
                    "channel",
                    "lapor_reference",
                    "status",
                    "tier",
                    "assignee",
                ]
            },
        ),
        (_("Pengadu"), {"fields": ["complainant", "contact", "confidential"]}),
        (_("Isi pengaduan"), {"fields": ["shortfall", "loss", "remedy"]}),
        (_("Waktu"), {"fields": ["received", "due", "due_explain", "answered", "closed"]}),
        (_("Jawaban"), {"fields": ["answer", "resolved", "rejection_reason"]}),
    ]

    def dashboard_groups(self):
        # Not yet classified: the triage deadline (the light tier's time) runs.
        return [("", _("Triase (belum diklasifikasi)")), *Tier.choices]

    # ----------------------------------------------------------- the kind's actions

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "channel":  # the desk enters what did not come through the portal
            kwargs["choices"] = [
                c for c in ComplaintChannelKind.choices if c[0] != ComplaintChannelKind.PORTAL
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    intake_message = _(
        "Pengaduan tercatat: nomor <b>{}</b>, kode akses <b>{}</b> (berikan kepada pengadu)."
    )
    workflow_title = _("Proses: klasifikasi, status, jawaban, petugas")

    def submit(self, request, data, **received):
        agency = data["agency"]
        if not may_work_for(request.user, agency.pk):
            raise PermissionDenied
        return actions.complaint_submit(
            agency=agency,
            details={k: data.get(k) or "" for k in DETAIL_TEXTS}
            | {"standard": data.get("standard"), "confidential": bool(data.get("confidential"))},
            evidence=[],
            channel=data["channel"],
            **received,
        )

    def assign(self, request, queryset, assignee, now):
        return actions.complaints_assign(
            complaints=queryset, assignee=assignee, actor=request.user, now=now
        )

    def process(self, request, case, data, now):
        actions.complaint_process(complaint=case, actor=request.user, now=now, **data)

    @admin.action(description=_("Ekspor yang dipilih ke CSV"))
    def export_csv(self, request, queryset):
        columns = self.export_columns(request)
        rows = self.export_rows(request, queryset, columns, detail="csv")
        return exports.csv_response("pengaduan", [h for h, _v in columns], rows, stream=False)

    # ----------------------------------------------------------- the complainant, as shown

    def identity_shown(self, request, case):
        return may_see_identity(request.user, case)

    def identity_confidential(self, case):
        return case.confidential

    def show_to(self, request, cases):
        for case in cases:
            case.shown_identity = shown_identity(request.user, case)

    @column(_("pengadu"))
    def complainant(self, obj):
        return shown(obj).complainant_name

    @admin.display(description=_("kontak"))
    def contact(self, obj):
        identity = shown(obj)
        return " · ".join(v for v in (identity.phone, identity.email, identity.address) if v) or "—"

    @admin.display(description=_("permohonan terkait"))
    def related_request(self, obj):
        if obj.service_request_id is None:
            return "—"
        if not shown(obj).visible:
            return HIDDEN  # its applicant is usually the complainant
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:services_servicerequest_change", args=[obj.service_request_id]),
            obj.service_request,
        )

    def case_person(self, request, case):
        return _("Pengadu"), identity_of(request.user, case)["complainant_name"]

    def case_documents(self, request, case):
        """The evidence, each under a neutral name when the identity is withheld."""
        hidden = not may_see_identity(request.user, case)
        files = [
            stored_file(
                evidence,
                url=reverse("complaints:staff_evidence", args=[evidence.pk]),
                name=evidence_name(evidence) if hidden else evidence.original_name,
                zone=case.agency.timezone,
            )
            for evidence in case.evidence.all()
        ]
        return [
            {"label": _("Bukti pendukung"), "conditional": True, "upload": True, "files": files}
        ]

    def workflow_context(self, request, case):
        return {"identity": identity_of(request.user, case), "documents_id": "evidence"}

    def export_case_columns(self, request):
        def identity(key):
            return lambda o: identity_of(request.user, o)[key]

        return [
            (_("pengadu"), identity("complainant_name")),
            (_("telepon"), identity("phone")),
            (_("email"), identity("email")),
            (_("tingkat"), lambda o: o.get_tier_display()),
        ]

    def export_more_columns(self, request):
        return [(_("pengaduan"), lambda o: o.shortfall)]

    # ----------------------------------------------------------- tiers and answers

    @column(_("tingkat"), ordering="tier")
    def tier_short(self, obj):
        return TIER_SHORT.get(obj.tier, _("triase"))

    def due_text(self, obj) -> str:
        if obj.status not in workflow.RUNNING or not obj.due_at:
            return "—"
        label = _("klasifikasi") if not obj.tier else _("jawaban")
        return f"{short_moment(obj.due_at, obj.agency.timezone)} ({label})"

    @admin.display(description=_("dijawab pada"))
    def answered(self, obj):
        return format_moment(obj.answered_at, obj.agency.timezone) if obj.answered_at else "—"
