from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.admin_scoping import AgencyScopedAdmin, AgencyScopedInline, user_agency_id
from services.catalogue import standard_refresh_derived
from services.models import (
    Agency,
    AgencyClosure,
    AgencyMembership,
    ComplaintChannel,
    ComponentItem,
    Decree,
    LegalReference,
    OfficeHours,
    ProcedureGroup,
    ProcedureStep,
    Regulation,
    Requirement,
    ServiceStandard,
    TimeframeStage,
)
from services.request_actions import requests_recompute_deadlines
from services.timeframes import TimeframeError, parse_timeframe

RECOMPUTED = "Jatuh tempo dihitung ulang karena hari tutup atau jam layanan diubah."
SMALL_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


class ChannelInline(admin.TabularInline):
    """The agency's complaint channels; one with a service set is that service's own (shown
    on its page and sheet), the others are the agency's general channels."""

    model = ComplaintChannel
    extra = 0
    fields = ["order", "kind", "value", "note", "standard"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A channel can only belong to a service of the same agency.
        field = formset.form.base_fields["standard"]
        field.queryset = obj.services.order_by("number") if obj else ServiceStandard.objects.none()
        return formset


class ClosureInline(admin.TabularInline):
    model = AgencyClosure
    extra = 0
    fields = ["date", "reason"]


class OfficeHoursInline(admin.TabularInline):
    model = OfficeHours
    extra = 0
    fields = ["weekday", "opens", "closes", "break_start", "break_end", "reason"]


@admin.register(Agency)
class AgencyAdmin(AgencyScopedAdmin):
    agency_path = "pk"
    list_display = ["name", "code", "level", "province", "timezone", "updated_at"]
    list_filter = ["level", "province", "timezone"]
    search_fields = ["name", "short_name", "region", "code"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [ChannelInline, OfficeHoursInline, ClosureInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "code", "government", "level"]}),
        (_("Wilayah"), {"fields": ["region", "province", "city", "timezone"]}),
        (_("Kontak"), {"fields": ["address", "postal_code", "phone", "fax", "email", "website"]}),
    ]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["slug", "code"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        calendar_changed = any(
            fs.has_changed() for fs in formsets if fs.model in (AgencyClosure, OfficeHours)
        )
        if calendar_changed and change:
            self.calendar_changed(request, form.instance)

    def calendar_changed(self, request, agency) -> None:
        """The agency's closures or office hours changed: its open cases' due moments move."""
        changed = requests_recompute_deadlines(
            agency=agency,
            actor=request.user,
            now=timezone.now(),
            reason=RECOMPUTED,
        )
        if changed:
            self.message_user(request, f"Jatuh tempo {changed} permohonan dihitung ulang.")


@admin.register(Decree)
class DecreeAdmin(AgencyScopedAdmin):
    list_display = ["number", "agency", "signed_date", "signatory_name"]
    list_filter = ["agency"]
    search_fields = ["number", "title", "signatory_name"]
    date_hierarchy = "signed_date"

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    fields = ["order", "text", "conditional", "document"]
    formfield_overrides = SMALL_TEXT


class ProcedureGroupInline(admin.TabularInline):
    model = ProcedureGroup
    extra = 0
    fields = ["order", "heading", "steps_link"]
    readonly_fields = ["steps_link"]

    @admin.display(description=_("langkah"))
    def steps_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:services_proceduregroup_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Ubah langkah dan bagan alir"))


class StageInline(admin.TabularInline):
    model = TimeframeStage
    extra = 0
    fields = ["order", "label", "amount", "unit", "wording"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("tahap jangka waktu (dibaca otomatis dari rumusan)")

    def has_add_permission(self, request, obj=None):
        return False


class LegalReferenceInline(AgencyScopedInline, admin.TabularInline):
    model = LegalReference
    extra = 0
    formfield_overrides = SMALL_TEXT
    fields = ["order", "regulation", "text"]
    autocomplete_fields = ["regulation"]


class ComponentItemInline(admin.TabularInline):
    model = ComponentItem
    extra = 0
    formfield_overrides = SMALL_TEXT
    fields = ["component", "order", "heading", "text"]


class ServiceStandardForm(forms.ModelForm):
    class Meta:
        model = ServiceStandard
        fields = [
            "agency",
            "decree",
            "number",
            "name",
            "slug",
            "unit",
            "requirements_note",
            "timeframe_text",
            "fee_amount",
            "fee_text",
            "product_is_document",
            "staff_count",
            "staff_count_text",
        ]

    def clean_timeframe_text(self):
        text = self.cleaned_data["timeframe_text"]
        try:
            parse_timeframe(text)
        except TimeframeError as exc:
            raise ValidationError(
                _(
                    "Jangka waktu tidak dapat dibaca: %(error)s. Contoh: “5 Hari Kerja”, “3 Jam”, "
                    "“Administrasi : 15 Menit Pertimbangan Teknis : 3 Hari”."
                ),
                params={"error": exc},
            ) from exc
        return text


@admin.register(ServiceStandard)
class ServiceStandardAdmin(AgencyScopedAdmin):
    form = ServiceStandardForm
    list_display = ["name", "agency", "number", "timeframe_text", "fee_amount", "updated_at"]
    list_filter = ["agency"]
    list_select_related = ["agency"]
    search_fields = ["name", "search_document"]
    ordering = ["agency__name", "number"]
    readonly_fields = ["version", "updated_at"]
    inlines = [
        RequirementInline,
        ProcedureGroupInline,
        StageInline,
        LegalReferenceInline,
        ComponentItemInline,
    ]
    fieldsets = [
        (None, {"fields": ["agency", "decree", "number", "name", "slug", "unit"]}),
        (
            _("Komponen penyampaian pelayanan"),
            {
                "fields": [
                    "requirements_note",
                    "timeframe_text",
                    "fee_amount",
                    "fee_text",
                    "product_is_document",
                ]
            },
        ),
        (_("Komponen pengelolaan pelayanan"), {"fields": ["staff_count", "staff_count_text"]}),
        (_("Versi"), {"fields": ["version", "updated_at"]}),
    ]
    prepopulated_fields = {"slug": ["name"]}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        standard = form.instance
        ServiceStandard.objects.filter(pk=standard.pk).update(version=standard.version + 1)
        standard_refresh_derived(standard=standard)


class StepInline(admin.TabularInline):
    model = ProcedureStep
    extra = 0
    fields = ["order", "text", "actor"]


@admin.register(ProcedureGroup)
class ProcedureGroupAdmin(AgencyScopedAdmin):
    agency_path = "standard__agency"
    list_display = ["__str__", "standard", "order"]
    list_select_related = ["standard"]
    inlines = [StepInline]
    fields = ["standard", "order", "heading", "flow"]

    def get_model_perms(self, request):
        return {}  # reached from a standard's page, not from the admin index

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A new version of the standard: its printed sheet and search text follow.
        standard = form.instance.standard
        ServiceStandard.objects.filter(pk=standard.pk).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        standard_refresh_derived(standard=standard)


@admin.register(Regulation)
class RegulationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "citation_count"]
    list_filter = ["kind", "year"]
    search_fields = ["title", "number", "issuer"]
    # The citation count groups the rows, and a grouped query drops Meta.ordering.
    ordering = ["kind", "year", "number", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("citations"))

    @admin.display(description=_("dikutip oleh"), ordering="n")
    def citation_count(self, obj):
        return obj.n

    # A regulation is shared by every standard that cites it: an official changes their own
    # agency's citations (on the standard's page) and a regulation only their agency cites;
    # one that other agencies cite too is changed by a superuser only.
    def _own(self, request, obj) -> bool:
        if request.user.is_superuser or obj is None:
            return True
        agencies = set(obj.citations.values_list("standard__agency_id", flat=True))
        return agencies == {user_agency_id(request)}

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._own(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._own(request, obj)


@admin.register(AgencyMembership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency"]
    list_filter = ["agency"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    has_view_permission = has_add_permission = has_change_permission = (
        lambda self, request, obj=None: request.user.is_superuser
    )
    has_delete_permission = has_change_permission


from services import survey_admin  # noqa: E402,F401  (the survey's admin registers itself)
from services.request_admin import ServiceRequestAdmin  # noqa: E402,F401  (registers it)
