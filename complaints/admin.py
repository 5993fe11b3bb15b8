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
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
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
from portal.admin_scoping import AgencyScopedAdmin, user_agency_id
from portal.cases import exports
from portal.cases import language as case_language
from portal.cases.admin import (
    AssigneeFilter,
    CaseAdmin,
    DueFilter,
    cell,
    short_moment,
)
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


class OtherChannelForm(forms.ModelForm):
    """A complaint received face to face, in the box, by phone, WhatsApp, email or LAPOR!."""

    received_at = forms.SplitDateTimeField(
        label=_("Diterima pada"),
        widget=admin.widgets.AdminSplitDateTime,
        help_text=_("Waktu nyata pengaduan diterima."),
    )
    language = case_language.counter_field(
        help_text=_("Bahasa email kepada pengadu (tanda terima, jawaban).")
    )

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

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        return normalise_phone(value) if value else ""

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value > timezone.now():
            raise ValidationError(_("Waktu diterima tidak boleh di masa depan."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("channel") == ComplaintChannelKind.LAPOR and not cleaned.get(
            "lapor_reference"
        ):
            self.add_error("lapor_reference", _("Isi nomor tiket SP4N-LAPOR!."))
        return cleaned


class WorkflowForm(forms.Form):
    """One step of a complaint's workflow; applied whole by complaint_process, or not at all."""

    tier = forms.ChoiceField(
        label=_("Tingkat pengaduan"), required=False, choices=[("", "—")] + Tier.choices
    )
    reason = forms.CharField(
        label=_("Alasan klasifikasi"),
        required=False,
        help_text=_("Wajib bila mengubah klasifikasi."),
    )
    to_status = forms.ChoiceField(label=_("Status berikutnya"), required=False)
    rejection_reason = forms.ChoiceField(
        label=_("Alasan penolakan"), required=False, choices=[("", "—")] + RejectionReason.choices
    )
    answer = forms.CharField(
        label=_("Jawaban kepada pengadu"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib untuk setiap perubahan status."),
    )
    public = forms.BooleanField(
        label=_("Tampilkan catatan kepada pengadu"),
        required=False,
        initial=False,
        help_text=_("Tanpa centang, catatan hanya untuk petugas."),
    )
    assignee = forms.ModelChoiceField(label=_("Petugas"), queryset=None, required=False)

    def __init__(self, *args, case, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].initial = case.tier
        choices = [
            (s, ComplaintStatus(s).label)
            for s in workflow.TRANSITIONS[case.status]
            if s in workflow.MANUAL
        ]
        if case.status == ComplaintStatus.RECEIVED:
            # Classifying moves it on, so handling can be chosen in the same step.
            choices.insert(0, (ComplaintStatus.HANDLING, ComplaintStatus.HANDLING.label))
        self.fields["to_status"].choices = [("", "—")] + choices
        self.fields["assignee"].queryset = users
        self.fields["assignee"].initial = case.assignee_id


# The tier in a word, for the narrow list column (the full name is on the case page).
TIER_SHORT = {
    Tier.LIGHT: _("ringan"),
    Tier.NORMATIVE: _("normatif"),
    Tier.NON_SUPERVISORY: _("tanpa pengawasan"),
    Tier.SUPERVISORY: _("pemeriksaan"),
}


class ComplaintDueFilter(DueFilter):
    paused_label = _("Dijawab, menunggu tanggapan pengadu")


@admin.register(Complaint)
class ComplaintAdmin(AgencyCalendars, CaseAdmin):
    intake_form = OtherChannelForm
    workflow_form = WorkflowForm
    workflow_template = "admin/complaints/complaint/workflow.html"
    # Answered: waiting for the complainant to say whether it resolves the complaint.
    statuses = Statuses(
        open=workflow.OPEN, running=workflow.RUNNING, paused=(ComplaintStatus.ANSWERED,)
    )
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
    list_filter = [
        "tier",
        "status",
        ComplaintDueFilter,
        "channel",
        AssigneeFilter,
        "agency",
    ]
    related_rows = ("agency", "standard", "assignee", "service_request")
    # Identity fields are never searched: a search is a lookup too.
    search_fields = ["number", "lapor_reference"]
    list_per_page = 50
    actions = ["assign_selected", "export_csv"]
    change_form_template = "admin/complaints/complaint/change_form.html"
    readonly_fields = [
        "number",
        "agency",
        "standard",
        "related_request",
        "channel",
        "lapor_reference",
        "complainant",
        "contact",
        "confidential",
        "shortfall",
        "loss",
        "remedy",
        "status",
        "tier",
        "received",
        "due",
        "due_explain",
        "assignee",
        "answer",
        "answered",
        "resolved",
        "rejection_reason",
        "closed",
    ]
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

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "channel":
            kwargs["choices"] = [
                c for c in ComplaintChannelKind.choices if c[0] != ComplaintChannelKind.PORTAL
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        agency = data["agency"]
        if not request.user.is_superuser and agency.pk != user_agency_id(request):
            raise PermissionDenied
        keys = (
            "standard",
            "complainant_name",
            "phone",
            "email",
            "address",
            "confidential",
            "shortfall",
            "loss",
            "remedy",
            "lapor_reference",
        )
        complaint, code = actions.complaint_submit(
            agency=agency,
            details={k: data.get(k) if k == "standard" else (data.get(k) or "") for k in keys}
            | {"confidential": bool(data.get("confidential"))},
            evidence=[],
            now=timezone.now(),
            received_at=data["received_at"],
            channel=data["channel"],
            actor=request.user,
            language=data.get("language") or "id",
        )
        obj.pk = complaint.pk
        messages.success(
            request,
            format_html(
                _(
                    "Pengaduan tercatat: nomor <b>{}</b>, kode akses <b>{}</b> (berikan kepada "
                    "pengadu)."
                ),
                complaint.number,
                code,
            ),
        )

    @admin.display(description=_("pengadu"))
    def complainant(self, obj):
        return cell(_("pengadu"), shown(obj).complainant_name)

    @admin.display(description=_("tingkat"), ordering="tier")
    def tier_short(self, obj):
        return cell(_("tingkat"), TIER_SHORT.get(obj.tier, _("triase")))

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

    @admin.display(description=_("jatuh tempo"), ordering="due_at")
    def due(self, obj):
        return cell(_("jatuh tempo"), self.due_text(obj))

    def due_text(self, obj) -> str:
        if obj.status not in workflow.RUNNING or not obj.due_at:
            return "—"
        label = _("klasifikasi") if not obj.tier else _("jawaban")
        return f"{short_moment(obj.due_at, obj.agency.timezone)} ({label})"

    @admin.display(description=_("sisa waktu kerja"))
    def remaining(self, obj):
        return cell(_("sisa waktu kerja"), self.remaining_html(obj))

    def remaining_html(self, obj):
        if obj.status not in workflow.RUNNING or not obj.due_at:
            return "—"
        return self.time_left(obj)

    @admin.display(description=_("dijawab pada"))
    def answered(self, obj):
        return format_moment(obj.answered_at, obj.agency.timezone) if obj.answered_at else "—"

    def identity_shown(self, request, case):
        return may_see_identity(request.user, case)

    def identity_confidential(self, case):
        return case.confidential

    def show_to(self, request, cases):
        for case in cases:
            case.shown_identity = shown_identity(request.user, case)

    def case_person(self, request, case):
        return _("Pengadu"), identity_of(request.user, case)["complainant_name"]

    def case_documents(self, request, case):
        """The evidence, each under a neutral name when the identity is withheld."""
        hidden = not may_see_identity(request.user, case)
        files = [
            {
                "url": reverse("complaints:staff_evidence", args=[evidence.pk]),
                "name": evidence_name(evidence) if hidden else evidence.original_name,
                "size": evidence.size,
                "at": format_moment(evidence.uploaded_at, case.agency.timezone),
            }
            for evidence in case.evidence.all()
        ]
        return [
            {
                "label": _("Bukti pendukung"),
                "conditional": True,
                "upload": True,
                "files": files,
            }
        ]

    def assign(self, request, queryset, assignee, now):
        return actions.complaints_assign(
            complaints=queryset, assignee=assignee, actor=request.user, now=now
        )

    def export_columns(self, request):
        def identity(key):
            return lambda o: identity_of(request.user, o)[key]

        return [
            (_("nomor"), lambda o: o.number),
            (_("instansi"), lambda o: o.agency.short_name),
            (_("layanan"), lambda o: o.standard.name if o.standard_id else ""),
            (_("kanal"), lambda o: o.get_channel_display()),
            (_("pengadu"), identity("complainant_name")),
            (_("telepon"), identity("phone")),
            (_("email"), identity("email")),
            (_("tingkat"), lambda o: o.get_tier_display()),
            (_("status"), lambda o: o.get_status_display()),
            *self.export_time_columns(),
            (_("petugas"), lambda o: self.person_name(o.assignee)),
            (_("pengaduan"), lambda o: o.shortfall),
        ]

    @admin.action(description=_("Ekspor yang dipilih ke CSV"))
    def export_csv(self, request, queryset):
        columns = self.export_columns(request)
        rows = self.export_rows(request, queryset, columns, detail="csv")
        return exports.csv_response("pengaduan", [h for h, _v in columns], rows, stream=False)

    def process(self, request, case, data, now):
        actions.complaint_process(
            complaint=case,
            actor=request.user,
            now=now,
            tier=data["tier"],
            reason=data["reason"],
            to_status=data["to_status"],
            rejection_reason=data["rejection_reason"],
            answer=data["answer"],
            note=data["note"],
            public=data["public"],
            assignee=data["assignee"],
        )

    def workflow_context(self, request, case):
        return {"identity": identity_of(request.user, case), "documents_id": "evidence"}
