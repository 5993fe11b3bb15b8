"""Admin of the satisfaction survey: paper questionnaires entered by staff for their agency, the
imports of questionnaire files (read, and rolled back whole by a superuser) and the follow-up
officials record. The SKM and monthly performance reports are the performance concept's
(services.performance.admin); the responses' list links to them from its template."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Subquery
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.admin_scoping import AgencyScopedAdmin, user_agency_id
from services.survey import actions as survey_actions
from services.survey.models import (
    SCORE_FIELDS,
    SurveyChannel,
    SurveyFollowUp,
    SurveyImport,
    SurveyImportAgency,
    SurveyResponse,
)


class PaperResponseForm(forms.ModelForm):
    class Meta:
        model = SurveyResponse
        fields = [
            "agency",
            "standard",
            "answered_on",
            *SCORE_FIELDS,
            "gender",
            "age",
            "education",
            "occupation",
            "suggestion",
        ]
        widgets = {key: forms.RadioSelect for key in SCORE_FIELDS}

    def clean_answered_on(self):
        answered_on = self.cleaned_data["answered_on"]
        if answered_on > timezone.localdate(timezone.now(), timezone.get_fixed_timezone(540)):
            raise ValidationError(_("Tanggal survei belum lewat."))
        return answered_on

    def clean(self):
        data = super().clean()
        standard, agency = data.get("standard"), data.get("agency")
        if standard and agency and standard.agency_id != agency.pk:
            self.add_error("standard", _("Layanan ini bukan layanan instansi yang dipilih."))
        return data


@admin.register(SurveyResponse)
class SurveyResponseAdmin(AgencyScopedAdmin):
    """Responses can be added (paper) and read, never changed: an answer is the respondent's."""

    form = PaperResponseForm
    list_display = ["answered_on", "agency", "standard", "channel"]
    list_filter = ["channel", "agency"]
    date_hierarchy = "answered_on"
    list_select_related = ["agency", "standard"]
    ordering = ["-answered_on", "-pk"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and (obj is None or obj.channel == SurveyChannel.PAPER)

    def save_model(self, request, obj, form, change):
        obj.channel = SurveyChannel.PAPER
        super().save_model(request, obj, form, change)

    def lookup_allowed(self, lookup, value, request=None):
        # Only the filters the list offers: no probing of the responses by other fields.
        return lookup.split("__")[0] in {"channel", "agency", "answered_on"}

    change_list_template = "admin/services/surveyresponse_change_list.html"


class RollbackForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pembatalan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dicatat pada impor, bersama nama Anda dan waktunya."),
    )


@admin.register(SurveyImport)
class SurveyImportAdmin(AgencyScopedAdmin):
    """The files of paper questionnaires imported with `import_skm`: read only. Staff see the
    imports holding their agency's questionnaires, and only their agency's count; a superuser
    may roll an import back (its responses are deleted, like deleting paper answers)."""

    agency_path = "shares__agency"
    list_display = [
        "pk",
        "imported_at",
        "file_name",
        "operator",
        "questionnaires",
        "allow_duplicates",
        "standing",
    ]
    list_display_links = ["pk", "imported_at"]
    list_filter = [("rolled_back_at", admin.EmptyFieldListFilter), "allow_duplicates"]
    date_hierarchy = "imported_at"
    search_fields = ["file_name", "operator", "digest"]
    ordering = ["-imported_at", "-pk"]
    actions = ["rollback_selected"]
    fields = [
        "file_name",
        "digest",
        "operator",
        "imported_at",
        "questionnaires",
        "agency_counts",
        "allow_duplicates",
        "duplicate_count",
        "reason",
        "rolled_back_at",
        "rolled_back_by",
        "rollback_reason",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs.annotate(shown_rows=F("row_count"))
        share = SurveyImportAgency.objects.filter(
            survey_import=OuterRef("pk"), agency_id=user_agency_id(request)
        )
        return qs.annotate(shown_rows=Subquery(share.values("row_count")[:1]))

    def has_view_permission(self, request, obj=None):
        # Whoever reads the survey's responses reads the imports they came in.
        return request.user.is_active and request.user.has_perm("services.view_surveyresponse")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False  # a file is imported with `manage.py import_skm`

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # an import is rolled back, never deleted: its row is the record

    def has_rollback_permission(self, request):
        return request.user.is_superuser

    def get_list_filter(self, request):
        return self.list_filter

    @admin.display(description=_("jumlah kuesioner"), ordering="row_count")
    def questionnaires(self, obj):
        return obj.shown_rows

    @admin.display(description=_("per instansi"))
    def agency_counts(self, obj):
        shares = obj.shares.select_related("agency")
        return "; ".join(f"{share.agency.name}: {share.row_count}" for share in shares) or "—"

    @admin.display(description=_("status"))
    def standing(self, obj):
        if obj.rolled_back:
            return _("Dibatalkan")
        return _("Berlaku")

    def get_fields(self, request, obj=None):
        if request.user.is_superuser:
            return self.fields
        # Staff read their agency's count only, not the other agencies' in the same file.
        return [name for name in self.fields if name != "agency_counts"]

    @admin.action(description=_("Batalkan impor terpilih…"), permissions=["rollback"])
    def rollback_selected(self, request, queryset):
        standing = list(queryset.filter(rolled_back_at__isnull=True).order_by("pk"))
        if not standing:
            self.message_user(request, _("Impor terpilih sudah dibatalkan."), messages.WARNING)
            return None
        form = RollbackForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            by = request.user.get_username()
            for batch in standing:
                try:
                    deleted = survey_actions.survey_import_rollback(
                        survey_import=batch,
                        by=by,
                        reason=form.cleaned_data["reason"],
                        now=timezone.now(),
                    )
                except ValidationError as error:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                else:
                    self.message_user(
                        request,
                        _("Impor #%(id)s (%(file)s) dibatalkan: %(count)s kuesioner dihapus.")
                        % {"id": batch.pk, "file": batch.file_name, "count": deleted},
                        messages.SUCCESS,
                    )
            return None
        opts = self.model._meta
        return TemplateResponse(
            request,
            "admin/services/surveyimport/rollback.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Batalkan impor kuesioner"),
                "opts": opts,
                "form": form,
                "imports": standing,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(SurveyFollowUp)
class SurveyFollowUpAdmin(AgencyScopedAdmin):
    list_display = ["year", "agency", "element", "status", "target"]
    list_filter = ["year", "status", "agency"]
    fields = ["agency", "year", "element", "finding", "action", "status", "target"]
    list_select_related = ["agency"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
