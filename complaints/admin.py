"""The staff's complaint queue: triage, tiers, handling and answers, scoped to their agency.

A confidential complainant's identity is replaced by "Dirahasiakan" in the list, the detail
page and the CSV export for anyone without the complaint-officer permission.
"""

import csv
from contextvars import ContextVar

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from complaints import actions, workflow
from complaints.identity import identity_of
from complaints.models import (
    Complaint,
    ComplaintChannelKind,
    ComplaintEvent,
    ComplaintEvidence,
    ComplaintStatus,
    RejectionReason,
    Tier,
)
from portal.admin_scoping import user_agency_id
from portal.identity import normalise_phone
from portal.worktime import format_moment
from services.calendars import agency_calendar
from services.request_admin import (
    CaseAdmin,
    DueFilter,
    FileInline,
    HistoryInline,
    working_time_left,
)

# The user the current admin page is rendered for (per thread/request, never shared), so that
# display columns can decide whether to show a confidential identity.
_viewer: ContextVar = ContextVar("complaint_viewer", default=None)


class ComplaintDueFilter(DueFilter):
    def lookups(self, request, model_admin):
        return super().lookups(request, model_admin)[:2]


class EvidenceInline(FileInline):
    model = ComplaintEvidence
    download_view = "complaints:staff_evidence"
    fields = ["download", "size", "uploaded_at"]
    readonly_fields = fields


class EventInline(HistoryInline):
    model = ComplaintEvent


class OtherChannelForm(forms.ModelForm):
    """A complaint received face to face, in the box, by phone, WhatsApp, email or LAPOR!."""

    received_at = forms.SplitDateTimeField(
        label=_("Diterima pada"),
        widget=admin.widgets.AdminSplitDateTime,
        help_text=_("Waktu nyata pengaduan diterima."),
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
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    public = forms.BooleanField(label=_("Catatan terlihat oleh pengadu"), required=False)
    assignee = forms.ModelChoiceField(label=_("Petugas"), queryset=None, required=False)

    def __init__(self, *args, complaint, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].initial = complaint.tier
        choices = [
            (s, ComplaintStatus(s).label)
            for s in workflow.TRANSITIONS[complaint.status]
            if s in workflow.MANUAL
        ]
        self.fields["to_status"].choices = [("", "—")] + choices
        self.fields["assignee"].queryset = users
        self.fields["assignee"].initial = complaint.assignee_id


@admin.register(Complaint)
class ComplaintAdmin(CaseAdmin):
    intake_form = OtherChannelForm
    list_display = [
        "number",
        "complainant",
        "channel",
        "tier",
        "status",
        "due",
        "remaining",
        "assignee",
        "agency",
    ]
    list_filter = [
        "tier",
        "status",
        ComplaintDueFilter,
        "channel",
        ("assignee", admin.RelatedOnlyFieldListFilter),
        "agency",
    ]
    list_select_related = ["agency", "assignee"]
    search_fields = ["number", "lapor_reference"]
    ordering = ["due_at"]
    list_per_page = 50
    inlines = [EvidenceInline, EventInline]
    actions = ["export_csv"]
    change_form_template = "admin/complaints/complaint/change_form.html"
    readonly_fields = [
        "number",
        "agency",
        "standard",
        "service_request",
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
        "answered_at",
        "resolved",
        "rejection_reason",
        "closed_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "agency",
                    "standard",
                    "service_request",
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
        (_("Waktu"), {"fields": ["received", "due", "due_explain", "closed_at"]}),
        (_("Jawaban"), {"fields": ["answer", "answered_at", "resolved", "rejection_reason"]}),
    ]

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
        return identity_of(_viewer.get(), obj)["complainant_name"]

    @admin.display(description=_("kontak"))
    def contact(self, obj):
        identity = identity_of(_viewer.get(), obj)
        return (
            " · ".join(v for v in (identity["phone"], identity["email"], identity["address"]) if v)
            or "—"
        )

    @admin.display(description=_("jatuh tempo"), ordering="due_at")
    def due(self, obj):
        if obj.status not in ("diterima", "diklasifikasi", "ditangani"):
            return "—"
        label = _("klasifikasi") if not obj.tier else _("jawaban")
        return f"{format_moment(obj.due_at, obj.agency.timezone)} ({label})"

    @admin.display(description=_("sisa waktu kerja"))
    def remaining(self, obj):
        if obj.status not in ("diterima", "diklasifikasi", "ditangani") or not obj.due_at:
            return "—"
        return working_time_left(agency_calendar(obj.agency), obj.due_at, timezone.now())

    def changelist_view(self, request, extra_context=None):
        token = _viewer.set(request.user)
        try:
            response = super().changelist_view(request, extra_context)
            return response.render() if hasattr(response, "render") else response
        finally:
            _viewer.reset(token)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        token = _viewer.set(request.user)
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
            return response.render() if hasattr(response, "render") else response
        finally:
            _viewer.reset(token)

    @admin.action(description=_("Ekspor ke CSV"))
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="pengaduan.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "nomor",
                "instansi",
                "kanal",
                "pengadu",
                "telepon",
                "email",
                "tingkat",
                "status",
                "diterima",
                "jatuh tempo",
                "pengaduan",
            ]
        )
        for complaint in queryset.select_related("agency"):
            identity = identity_of(request.user, complaint)
            writer.writerow(
                [
                    complaint.number,
                    complaint.agency.short_name,
                    complaint.get_channel_display(),
                    identity["complainant_name"],
                    identity["phone"],
                    identity["email"],
                    complaint.get_tier_display(),
                    complaint.get_status_display(),
                    complaint.received_at.isoformat(),
                    complaint.due_at.isoformat() if complaint.due_at else "",
                    complaint.shortfall,
                ]
            )
        return response

    def get_urls(self):
        return [
            path(
                "<int:pk>/proses/",
                self.admin_site.admin_view(self.workflow_view),
                name="complaints_complaint_workflow",
            ),
        ] + super().get_urls()

    def workflow_view(self, request, pk):
        complaint = self.get_queryset(request).filter(pk=pk).first()
        if complaint is None:
            raise Http404
        if not self.has_change_permission(request, complaint):
            raise PermissionDenied
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(
            membership__agency_id=complaint.agency_id, is_active=True
        )
        form = WorkflowForm(request.POST or None, complaint=complaint, users=users)
        if request.method == "POST" and form.is_valid():
            try:
                self._apply(request, complaint, form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Perubahan tersimpan dan tercatat di riwayat."))
                return redirect("admin:complaints_complaint_change", complaint.pk)
        context = {
            **self.admin_site.each_context(request),
            "complaint": complaint,
            "form": form,
            "opts": self.model._meta,
            "identity": identity_of(request.user, complaint),
            "title": _("Proses pengaduan %s") % complaint.number,
        }
        return TemplateResponse(request, "admin/complaints/complaint/workflow.html", context)

    def _apply(self, request, complaint, data):
        now = timezone.now()
        did = False
        if data["assignee"] != complaint.assignee:
            actions.complaint_assign(
                complaint=complaint, assignee=data["assignee"], actor=request.user, now=now
            )
            did = True
        if data["tier"] and data["tier"] != complaint.tier:
            complaint = actions.complaint_classify(
                complaint=complaint,
                tier=data["tier"],
                actor=request.user,
                reason=data["reason"],
                now=now,
            )
            did = True
        if data["to_status"]:
            actions.complaint_transition(
                complaint=complaint,
                to_status=data["to_status"],
                actor=request.user,
                note=data["note"],
                now=now,
                rejection_reason=data["rejection_reason"],
                public=data["public"],
            )
        elif data["answer"].strip():
            actions.complaint_answer(
                complaint=complaint, answer=data["answer"], actor=request.user, now=now
            )
        elif data["note"].strip():
            actions.complaint_add_note(
                complaint=complaint,
                actor=request.user,
                note=data["note"],
                public=data["public"],
                now=now,
            )
        elif not did:
            raise ValidationError(
                _(
                    "Tidak ada perubahan: pilih tingkat atau status, tulis "
                    "jawaban atau catatan, atau tugaskan petugas."
                )
            )
