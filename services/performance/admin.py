"""The admin's performance pages: each agency's compliance self-check and the survey and
performance reports (PDF, XLSX), on the page of the agencies' performance (a proxy of Agency,
services.performance.models), scoped like every list to the staff member's own agency.

The self-check is read by whoever may read the agency's page (`services.view_agency`), the
reports by whoever reads the survey's responses (`services.view_surveyresponse`): the same
people as when these pages hung from the agency's and the survey's own admin pages."""

from datetime import date
from zoneinfo import ZoneInfo

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal import params
from portal.admin_scoping import AgencyScopedAdmin, user_agency_id
from services.catalogue.models.agencies import Agency
from services.catalogue.versions import agency_date
from services.performance import figures as performance
from services.performance import reports
from services.performance.compliance import agency_compliance
from services.performance.models import AgencyPerformance
from services.survey.models import SurveyResponse


def may_read(user, model) -> bool:
    """Whether `user` may read `model`'s rows in the admin (its view or change permission)."""
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("view", "change")
    )


@admin.register(AgencyPerformance)
class AgencyPerformanceAdmin(AgencyScopedAdmin):
    """The agencies with their self-check; the reports page for any of them. Read only."""

    agency_path = "pk"
    list_display = ["name", "compliance"]
    list_display_links = None
    search_fields = ["name", "short_name"]
    ordering = ["name"]
    change_list_template = "admin/services/agencyperformance/change_list.html"

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and may_read(request.user, Agency)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("kepatuhan standar"))
    def compliance(self, obj):
        url = reverse("admin:services_agency_compliance", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Periksa kepatuhan"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/kepatuhan/",
                view(self.compliance_view),
                name="services_agency_compliance",
            ),
            path("laporan/", view(self.reports_view), name="services_survey_reports"),
            path("laporan/skm.pdf", view(self.skm_pdf), name="services_survey_skm_pdf"),
            path(
                "laporan/kinerja.<str:fmt>",
                view(self.monthly_report),
                name="services_survey_monthly",
            ),
            *super().get_urls(),
        ]

    # ------------------------------------------------------------------ compliance self-check

    def compliance_view(self, request, pk):
        """The Ombudsman-style self-check of the agency's standards, from the portal's data."""
        agency = self.get_queryset(request).filter(pk=pk).first()
        if agency is None:
            raise Http404
        if not self.has_view_permission(request, agency):
            raise PermissionDenied
        now = timezone.now()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "agency": agency,
            "results": agency_compliance(agency, today=agency_date(agency.timezone, now), now=now),
            "change_url": reverse("admin:services_agency_change", args=[pk]),
            "title": _("Pemeriksaan mandiri kepatuhan: %(name)s") % {"name": agency.short_name},
        }
        return TemplateResponse(request, "admin/services/agency/compliance.html", context)

    # ------------------------------------------------------------------ reports

    def _may_read_reports(self, request) -> bool:
        return request.user.is_active and may_read(request.user, SurveyResponse)

    def _report_agency(self, request) -> Agency:
        if not self._may_read_reports(request):
            raise PermissionDenied
        if request.user.is_superuser:
            slug = request.GET.get("instansi", "")
            agency = Agency.objects.filter(slug=slug).first() if slug else None
        else:
            agency = Agency.objects.filter(pk=user_agency_id(request)).first()
        if agency is None:
            raise Http404
        return agency

    def reports_view(self, request):
        if not self._may_read_reports(request):
            raise PermissionDenied
        today = timezone.localdate()
        agencies = (
            Agency.objects.order_by("name")
            if request.user.is_superuser
            else Agency.objects.filter(pk=user_agency_id(request))
        )
        return TemplateResponse(
            request,
            "admin/services/survey_reports.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Laporan survei dan kinerja"),
                "opts": self.model._meta,
                "agencies": agencies,
                "choose_agency": request.user.is_superuser,
                "year_start": date(today.year, 1, 1),
                "today": today,
                "month": today.strftime("%Y-%m"),
            },
        )

    def skm_pdf(self, request):
        agency = self._report_agency(request)
        tz = ZoneInfo(agency.timezone)
        default = performance.Period.default(timezone.now(), tz)
        start = params.parse_date(request.GET.get("dari"), name="dari", default=default.start)
        end = params.parse_date(request.GET.get("sampai"), name="sampai", default=default.end)
        if start > end:
            start, end = end, start
        context = reports.skm_context(
            agency=agency, period=performance.Period(start, end, tz), now=timezone.now()
        )
        data = reports.render("pdf/skm_report.html", context, "Laporan hasil SKM")
        return _download(data, f"laporan-skm-{agency.slug}-{start}-{end}.pdf", "application/pdf")

    def monthly_report(self, request, fmt):
        if fmt not in ("pdf", "xlsx"):
            raise Http404
        agency = self._report_agency(request)
        year, month = params.parse_month(request.GET.get("bulan"), name="bulan")
        context = reports.monthly_context(agency=agency, year=year, month=month, now=timezone.now())
        name = f"laporan-kinerja-{agency.slug}-{year}-{month:02d}.{fmt}"
        if fmt == "pdf":
            data = reports.render("pdf/performance_report.html", context, "Laporan kinerja")
            return _download(data, name, "application/pdf")
        with translation.override("id"):
            data = reports.monthly_xlsx(context)
        return _download(
            data, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
