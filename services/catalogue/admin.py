from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.admin_scoping import AgencyScopedAdmin, AgencyScopedInline, user_agency_id
from services.catalogue.actions import standard_refresh_derived
from services.catalogue.hooks import announce_calendar_change
from services.catalogue.models.agencies import (
    Agency,
    AgencyClosure,
    AgencyMembership,
    ComplaintChannel,
    Decree,
    OfficeHours,
)
from services.catalogue.models.standards import (
    ComponentItem,
    LegalReference,
    ProcedureGroup,
    ProcedureStep,
    Regulation,
    Requirement,
    ServiceStandard,
    TimeframeStage,
)
from services.catalogue.models.versions import StandardVersion
from services.catalogue.standard_diff import diff_snapshots
from services.catalogue.timeframes import TimeframeError, parse_timeframe
from services.catalogue.versions import (
    AmendingDecree,
    agency_date,
    draft_differs,
    may_publish,
    standard_publish,
    standard_snapshot,
)

DRAFT_SAVED = _(
    "Tersimpan sebagai draf. Halaman publik, lembar PDF dan permohonan baru tetap memakai "
    "versi yang terbit sampai Kepala Dinas menerbitkan draf ini."
)

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

    def get_prepopulated_fields(self, request, obj=None):
        # The slug is read only for officials: nothing to fill in from the short name.
        return super().get_prepopulated_fields(request, obj) if request.user.is_superuser else {}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        calendar_changed = any(
            fs.has_changed() for fs in formsets if fs.model in (AgencyClosure, OfficeHours)
        )
        if calendar_changed and change:
            self.calendar_changed(request, form.instance)

    def calendar_changed(self, request, agency) -> None:
        """The agency's closures or office hours changed: its open cases' due moments move
        (each kind of case recomputes its own: services.catalogue.hooks)."""
        for message in announce_calendar_change(
            agency=agency, actor=request.user, now=timezone.now(), reason=RECOMPUTED
        ):
            self.message_user(request, message)


@admin.register(Decree)
class DecreeAdmin(AgencyScopedAdmin):
    list_display = ["number", "agency", "signed_date", "signatory_name", "amends"]
    list_filter = ["agency"]
    list_select_related = ["agency", "amends"]
    search_fields = ["number", "title", "signatory_name"]
    date_hierarchy = "signed_date"

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "amends":  # an amendment amends a decree listing services
            formfield.queryset = formfield.queryset.filter(amends__isnull=True)
        return formfield


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


class VersionInline(admin.TabularInline):
    """The standard's published versions, newest first: who prepared, who approved, when."""

    model = StandardVersion
    extra = 0
    fields = [
        "number",
        "valid_from",
        "decree",
        "amendment",
        "reason",
        "created_by",
        "approved_by",
        "published_at",
    ]
    readonly_fields = fields
    can_delete = False
    ordering = ["-number"]
    verbose_name_plural = _("riwayat versi (terbit, tidak dapat diubah)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("decree", "created_by", "approved_by")


class PublishForm(forms.Form):
    """The approver's publishing: why and from when, and the decree that sets the version: the
    one listing the service (a correction), an amending decree already recorded, or a new one
    with its number, date, place and signatory."""

    reason = forms.CharField(
        label=_("Alasan perubahan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Tampil di riwayat perubahan halaman publik."),
    )
    valid_from = forms.DateField(
        label=_("Berlaku sejak"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Permohonan yang diterima sejak tanggal ini memakai versi baru."),
    )
    amending_decree = forms.ModelChoiceField(
        label=_("Keputusan perubahan yang sudah tercatat"),
        queryset=Decree.objects.none(),
        required=False,
        empty_label=_("— tidak ada —"),
        help_text=_("Keputusan perubahan yang sudah dicatat saat menerbitkan layanan lain."),
    )
    amendment_number = forms.CharField(
        label=_("Nomor keputusan perubahan"),
        max_length=120,
        required=False,
        help_text=_(
            "Keputusan baru yang menetapkan perubahan ini. Kosongkan isian keputusan bila "
            "perubahan ini ralat atas keputusan yang memuat layanan."
        ),
    )
    amendment_date = forms.DateField(
        label=_("Tanggal penetapan"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    amendment_place = forms.CharField(label=_("Ditetapkan di"), max_length=120, required=False)
    amendment_title = forms.CharField(
        label=_("Tentang"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kosongkan untuk “Perubahan atas Keputusan … Nomor … tentang …”."),
    )
    signatory_title = forms.CharField(
        label=_("Jabatan penanda tangan"), max_length=255, required=False
    )
    signatory_name = forms.CharField(label=_("Nama penanda tangan"), max_length=255, required=False)
    signatory_rank = forms.CharField(label=_("Pangkat/golongan"), max_length=120, required=False)
    signatory_nip = forms.CharField(label=_("NIP"), max_length=40, required=False)

    VERSION_FIELDS = ("reason", "valid_from")
    NEW_DECREE = (
        "amendment_number",
        "amendment_date",
        "amendment_place",
        "amendment_title",
        "signatory_title",
        "signatory_name",
        "signatory_rank",
        "signatory_nip",
    )
    REQUIRED_FOR_NEW = (
        "amendment_number",
        "amendment_date",
        "amendment_place",
        "signatory_title",
        "signatory_name",
    )

    def __init__(self, *args, standard: ServiceStandard, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("amendment_place", standard.decree.signed_place)
        super().__init__(*args, **kwargs)
        recorded = standard.decree.amendments.order_by("-signed_date", "-pk")
        if recorded.exists():
            self.fields["amending_decree"].queryset = recorded
        else:
            del self.fields["amending_decree"]

    def version_fields(self):
        return [self[name] for name in self.VERSION_FIELDS]

    def decree_fields(self):
        return [self[name] for name in self.fields if name not in self.VERSION_FIELDS]

    def clean(self):
        data = super().clean()
        # The place is filled in beforehand: a new decree is typed when anything else is.
        typed = [n for n in self.NEW_DECREE if n != "amendment_place" and data.get(n)]
        if typed and data.get("amending_decree"):
            raise ValidationError(
                _(
                    "Pilih keputusan perubahan yang sudah tercatat atau isi keputusan perubahan "
                    "yang baru, tidak keduanya."
                )
            )
        if typed:
            for name in self.REQUIRED_FOR_NEW:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Wajib diisi untuk keputusan perubahan yang baru."))
        return data

    def amended_by(self) -> Decree | AmendingDecree | None:
        data = self.cleaned_data
        if data.get("amending_decree"):
            return data["amending_decree"]
        if not data.get("amendment_number"):
            return None
        return AmendingDecree(
            number=data["amendment_number"],
            signed_date=data["amendment_date"],
            signed_place=data["amendment_place"],
            title=data["amendment_title"],
            signatory_title=data["signatory_title"],
            signatory_name=data["signatory_name"],
            signatory_rank=data["signatory_rank"],
            signatory_nip=data["signatory_nip"],
        )


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "decree" in self.fields:  # a service is listed by a decree, never by an amendment
            field = self.fields["decree"]
            field.queryset = field.queryset.filter(amends__isnull=True)

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
    readonly_fields = ["publication", "version", "updated_at"]
    inlines = [
        RequirementInline,
        ProcedureGroupInline,
        StageInline,
        LegalReferenceInline,
        ComponentItemInline,
        VersionInline,
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
        (_("Versi"), {"fields": ["publication", "version", "updated_at"]}),
    ]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description=_("status terbit"))
    def publication(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:services_servicestandard_publish", args=[obj.pk])
        if not draft_differs(obj):
            return _("Draf sama dengan versi yang terbit.")
        return format_html(
            '<strong>{}</strong> <a href="{}">{}</a>',
            _("Draf berbeda dari versi yang terbit."),
            url,
            _("Lihat perubahan dan terbitkan"),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        standard = form.instance
        ServiceStandard.objects.filter(pk=standard.pk).update(draft_edited_by=request.user)
        standard_refresh_derived(standard=standard)
        if change:
            self.message_user(request, DRAFT_SAVED, messages.WARNING)

    def get_urls(self):
        return [
            path(
                "<int:pk>/terbitkan/",
                self.admin_site.admin_view(self.publish_view),
                name="services_servicestandard_publish",
            ),
        ] + super().get_urls()

    def publish_view(self, request, pk):
        """The draft's changes against the published version; the approver publishes it."""
        standard = self.get_queryset(request).select_related("agency", "decree").filter(pk=pk)
        standard = standard.first()
        if standard is None:
            raise Http404
        allowed = may_publish(request.user, standard)
        if request.method == "POST" and not allowed:
            raise PermissionDenied
        form = PublishForm(
            request.POST or None,
            standard=standard,
            initial={"valid_from": agency_date(standard.agency.timezone, timezone.now())},
        )
        if request.method == "POST" and form.is_valid():
            try:
                version = standard_publish(
                    standard=standard,
                    actor=request.user,
                    now=timezone.now(),
                    reason=form.cleaned_data["reason"],
                    valid_from=form.cleaned_data["valid_from"],
                    amended_by=form.amended_by(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                message = _("Versi %(number)s diterbitkan.") % {"number": version.number}
                if version.decree.is_amendment:
                    message = _("Versi %(number)s diterbitkan dengan Keputusan Nomor %(decree)s.")
                    message %= {"number": version.number, "decree": version.decree.number}
                self.message_user(request, message, messages.SUCCESS)
                return redirect("admin:services_servicestandard_change", standard.pk)
        latest = standard.versions.order_by("-number").first()
        changes = diff_snapshots(latest.snapshot if latest else None, standard_snapshot(standard))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "standard": standard,
            "latest": latest,
            "changes": [c for c in changes if c.changed],
            "form": form,
            "allowed": allowed,
            "change_url": reverse("admin:services_servicestandard_change", args=[pk]),
            "title": _("Terbitkan versi baru: %(name)s") % {"name": standard.name},
        }
        return TemplateResponse(request, "admin/services/servicestandard/publish.html", context)


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
        # The standard's draft changed; its search text follows.
        standard = form.instance.standard
        ServiceStandard.objects.filter(pk=standard.pk).update(
            draft_edited_by=request.user, updated_at=timezone.now()
        )
        standard_refresh_derived(standard=standard)
        self.message_user(request, DRAFT_SAVED, messages.WARNING)


@admin.register(StandardVersion)
class StandardVersionAdmin(AgencyScopedAdmin):
    """Every published version, read only: a published version is never changed."""

    agency_path = "standard__agency"
    list_display = [
        "standard",
        "number",
        "valid_from",
        "decree",
        "source",
        "created_by",
        "approved_by",
        "published_at",
    ]
    list_filter = ["source", "standard__agency"]
    list_select_related = ["standard", "decree", "created_by", "approved_by"]
    search_fields = ["standard__name", "reason", "amendment"]
    date_hierarchy = "published_at"
    fields = [
        "standard",
        "number",
        "valid_from",
        "decree",
        "amendment",
        "reason",
        "source",
        "created_by",
        "approved_by",
        "published_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
