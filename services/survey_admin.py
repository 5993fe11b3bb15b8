"""Admin of the satisfaction survey: paper questionnaires entered by staff for their agency, the
follow-up officials record, and the SKM and monthly performance reports."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.admin_scoping import AgencyScopedAdmin
from services.models import SurveyChannel, SurveyFollowUp, SurveyResponse
from services.models.survey import SCORE_FIELDS


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


@admin.register(SurveyFollowUp)
class SurveyFollowUpAdmin(AgencyScopedAdmin):
    list_display = ["year", "agency", "element", "status", "target"]
    list_filter = ["year", "status", "agency"]
    fields = ["agency", "year", "element", "finding", "action", "status", "target"]
    list_select_related = ["agency"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
