"""Public performance pages: an agency's (/instansi/<agency>/kinerja/) and the portal's
(/kinerja/). Every figure is computed from the cases and the survey; never cached, so an
answer or a completion shows at once."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import params
from services.catalogue.calendars import agency_calendar
from services.catalogue.models.agencies import Agency
from services.catalogue.models.standards import ServiceStandard
from services.performance import figures as performance
from services.survey.models import SurveyFollowUp

PORTAL_ZONE = ZoneInfo("Asia/Jakarta")
MAX_DAYS = 366 * 5


class PeriodForm(forms.Form):
    dari = params.DateField(label=gettext_lazy("Dari tanggal"), required=False)
    sampai = params.DateField(label=gettext_lazy("Sampai tanggal"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("dari"), data.get("sampai")
        if start and end and start > end:
            raise forms.ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
        if start and end and (end - start).days > MAX_DAYS:
            raise forms.ValidationError(_("Periode paling panjang lima tahun."))
        return data


def _period(request, tz) -> tuple[PeriodForm, performance.Period, int]:
    """The form, the period it chose and the page's status: a period that cannot be read is
    the page of this year so far with the form's error, answered 400."""
    form = PeriodForm(request.GET or None)
    period = performance.Period.default(timezone.now(), tz)
    if not form.is_bound:
        return form, period, 200
    if not form.is_valid():
        return form, period, 400
    start = form.cleaned_data["dari"] or period.start
    end = form.cleaned_data["sampai"] or (
        period.end if start <= period.end else date(start.year, 12, 31)
    )
    if start <= end:
        period = performance.Period(start, end, tz)
    return form, period, 200


def _bars(rows) -> dict:
    """An SVG bar chart: per bar its label, value (0-100) and the text shown beside it."""
    bars = [
        {"label": label, "value": float(value), "text": text}
        for label, value, text in rows
        if value is not None
    ]
    for i, bar in enumerate(bars):
        bar["y"] = i * 44
    return {"bars": bars, "height": len(bars) * 44 + 4}


def agency_performance(request, agency):
    agency = Agency.objects.filter(slug=agency).first()
    if agency is None:
        raise Http404
    tz = ZoneInfo(agency.timezone)
    form, period, status = _period(request, tz)
    now = timezone.now()
    day_seconds = agency_calendar(agency).hours.working_day_seconds()
    standards = list(
        ServiceStandard.objects.filter(agency=agency).select_related("agency").order_by("number")
    )
    by_service = performance.request_figures(
        agency_ids=[agency.pk],
        group="standard_id",
        period=period,
        now=now,
        day_seconds=day_seconds,
    )
    survey_window = {"start": period.start, "end": period.end}
    ikm_by_service = performance.ikm_by("standard_id", agency_id=agency.pk, **survey_window)
    index = performance.ikm_for(agency_id=agency.pk, **survey_window)
    complaints = performance.complaint_figures(agency_ids=[agency.pk], period=period, now=now)
    complaint_rows = complaints.get(agency.pk, [])
    rows = [
        (
            standard,
            by_service.get(standard.pk, performance.RequestFigures()),
            ikm_by_service.get(standard.pk),
        )
        for standard in standards
    ]
    totals = performance.total(figures for _s, figures, _i in rows)
    population = totals.received + sum(row["received"] for row in complaint_rows)
    needed, reached = performance.sample_reached(index, population)
    follow_ups = list(
        SurveyFollowUp.objects.filter(
            agency=agency, year__gte=period.start.year, year__lte=period.end.year
        )
    )
    return render(
        request,
        "services/performance/agency.html",
        {
            "agency": agency,
            "form": form,
            "period": period,
            "rows": rows,
            "totals": totals,
            "complaints": complaint_rows,
            "index": index,
            "population": population,
            "needed": needed,
            "reached": reached,
            "follow_ups": follow_ups,
            "on_time_bars": _bars(
                (
                    standard.name,
                    figures.on_time_percent,
                    f"{number_format(figures.on_time_percent, 1)} %",
                )
                for standard, figures, _i in rows
                if figures.with_limit
            ),
            "element_bars": _bars(
                (
                    f"{e.element.key.upper()} {e.element.name}",
                    e.index_rounded,
                    f"{number_format(e.index_rounded, 2)} ({e.grade})",
                )
                for e in index.elements
            ),
            "crumbs": [
                (reverse("services:agency_list"), _("Instansi")),
                (agency.get_absolute_url(), agency.short_name),
                (None, _("Kinerja dan IKM")),
            ],
        },
        status=status,
    )


def portal_performance(request):
    form, period, status = _period(request, PORTAL_ZONE)
    now = timezone.now()
    page = Paginator(Agency.objects.order_by("name").only("slug", "name", "short_name"), 50)
    page_obj = page.get_page(params.parse_page(request.GET.get("halaman")))
    agencies = list(page_obj.object_list)
    by_agency = performance.request_figures(
        agency_ids=None, group="agency_id", period=period, now=now
    )
    survey_window = {"start": period.start, "end": period.end}
    ikm_by_agency = performance.ikm_by("agency_id", **survey_window)
    index = performance.ikm_for(**survey_window)
    complaints = performance.complaint_figures(agency_ids=None, period=period, now=now)
    totals = performance.total(by_agency.values())
    complaint_total = sum(t["received"] for tiers in complaints.values() for t in tiers)
    # One page of agencies: the cells are made here, so the template only prints them.
    pattern = reverse("services:agency_performance", kwargs={"agency": "SLUG"})
    rows = []
    for agency in agencies:
        tiers = complaints.get(agency.pk, [])
        requests = by_agency.get(agency.pk, performance.RequestFigures())
        agency_index = ikm_by_agency.get(agency.pk)
        percent = requests.on_time_percent
        rows.append(
            {
                "agency": agency,
                "url": pattern.replace("SLUG", agency.slug, 1),
                "requests": requests,
                "on_time": "–" if percent is None else f"{number_format(percent, 1)} %",
                "complaints": sum(t["received"] for t in tiers),
                "complaints_on_time": sum(t["on_time"] for t in tiers),
                "complaints_triaged_on_time": sum(t["triaged_on_time"] for t in tiers),
                "index": "–"
                if agency_index is None
                else f"{number_format(agency_index.rounded, 2)} {agency_index.grade}",
            }
        )
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "services/performance/portal.html",
        {
            "form": form,
            "period": period,
            "rows": rows,
            "totals": totals,
            "complaint_total": complaint_total,
            "page_obj": page_obj,
            "query": query.urlencode(),
            "index": index,
            "element_bars": _bars(
                (
                    f"{e.element.key.upper()} {e.element.name}",
                    e.index_rounded,
                    f"{number_format(e.index_rounded, 2)} ({e.grade})",
                )
                for e in index.elements
            ),
            "crumbs": [(None, _("Kinerja dan IKM"))],
        },
        status=status,
    )
