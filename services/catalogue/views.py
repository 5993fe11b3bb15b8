from datetime import timedelta

from django.core.cache import caches
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import ListView

from portal import params
from portal.caching import catalogue_version, public_page
from portal.localtime import day as format_date
from portal.localtime import language
from portal.localtime import moment as format_moment
from portal.worktime import english_holiday_names, indonesian_holidays, zone_abbreviation
from services.catalogue import pages as catalogue_pages
from services.catalogue import search as catalogue_search
from services.catalogue.calendars import WEEKEND, agency_calendar, hours_rows
from services.catalogue.components import Group
from services.catalogue.deadlines import governing_deadline
from services.catalogue.forms import ServiceSearchForm
from services.catalogue.models.agencies import Agency
from services.catalogue.models.standards import ServiceStandard
from services.catalogue.standard_diff import diff_snapshots
from services.catalogue.timeframes import parse_timeframe
from services.catalogue.versions import decree_history


class AgencyListView(ListView):
    template_name = "services/catalogue/agency_list.html"
    context_object_name = "agencies"
    paginate_by = 50

    def get_queryset(self):
        return catalogue_pages.agencies_with_counts()

    def paginate_queryset(self, queryset, page_size):
        # Any ?page= shows a page: the nearest one that exists (ListView answers 404 instead).
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(params.parse_page(self.request.GET.get(self.page_kwarg)))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        return super().get_context_data(crumbs=[(None, _("Instansi"))], **kwargs)


def _agency_crumbs(agency, *rest):
    return [
        (reverse("services:agency_list"), _("Instansi")),
        (agency.get_absolute_url(), agency.short_name),
        *rest,
    ]


@public_page(300)
def agency_detail(request, agency):
    try:
        agency = catalogue_pages.agency_page(agency)
    except Agency.DoesNotExist as exc:
        raise Http404 from exc
    catalogue_pages.show_published(agency.services.all(), now=timezone.now())
    decrees = decree_history(agency.decrees.all())  # in force, its amendments, earlier ones
    crumbs = [(reverse("services:agency_list"), _("Instansi")), (None, agency.short_name)]
    return render(
        request,
        "services/catalogue/agency_detail.html",
        {"agency": agency, "decree": decrees.current, "decrees": decrees, "crumbs": crumbs},
    )


@public_page(300)
def agency_calendar_page(request, agency):
    try:
        agency = Agency.objects.get(slug=agency)
    except Agency.DoesNotExist as exc:
        raise Http404 from exc
    calendar = agency_calendar(agency)
    today = timezone.localtime(timezone.now(), calendar.tz).date()
    days = [
        day
        for day in calendar.non_working_days(today, today + timedelta(days=365))
        if day.reason not in WEEKEND
    ]
    english = language().startswith("en")
    national = indonesian_holidays(d.date.year for d in days) if english else {}
    names = english_holiday_names(d.date.year for d in days) if english else {}
    context = {
        "agency": agency,
        "hours": hours_rows(calendar.hours),
        # (date, reason, whether the reason is in the page's language): a national holiday is
        # named in English on an English page; an agency's own closure reads as it was written.
        "days": [
            (format_date(d.date), names[d.date], True)
            if national.get(d.date) == d.reason and d.date in names
            else (format_date(d.date), d.reason, not english)
            for d in days
        ],
        "today": today,
        "zone": zone_abbreviation(agency.timezone),
        "crumbs": _agency_crumbs(agency, (None, _("Hari libur & jam layanan"))),
    }
    return render(request, "services/catalogue/agency_calendar.html", context)


def _service_items(pks: list[int]) -> list[str]:
    """The HTML of each listed service, rendered once per catalogue version and language.

    A search with words nobody typed before still lists services that were listed before, so
    each item's HTML is kept in the process's fragment cache and a search costs one query for
    the ranked ids (and one more for the services not rendered yet)."""
    fragments = caches["template_fragments"]
    now = timezone.now()
    # An item reads as its version in force on its agency's date, and a version takes effect
    # at an agency's midnight, which falls on a whole hour of UTC in every Indonesian zone: the
    # items are rendered again each hour.
    prefix = f"service-item:{catalogue_version()}:{language()}:{now:%Y%m%d%H}:"
    found = fragments.get_many([prefix + str(pk) for pk in pks])
    missing = [pk for pk in pks if prefix + str(pk) not in found]
    if missing:
        rendered = {
            prefix + str(s.pk): render_to_string(
                "services/catalogue/_service_item.html", {"standard": s}
            )
            for s in catalogue_pages.show_published(
                catalogue_search.listed_services(missing), now=now
            )
        }
        fragments.set_many(rendered, 3600)
        found.update(rendered)
    return [mark_safe(found[prefix + str(pk)]) for pk in pks if prefix + str(pk) in found]


@public_page(300, reads=("q", "agency", "fee", "time", "halaman"))
def service_list(request):
    form = ServiceSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    # The ranked ids only: counting, paging and the items come from this one list.
    ids = catalogue_search.search_service_ids(**{k: v for k, v in filters.items() if v})
    page = Paginator(ids, 20).get_page(params.parse_page(request.GET.get("halaman")))
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "services/catalogue/service_list.html",
        {
            "form": form,
            "filters_key": form.filters_key(),
            "page_obj": page,
            "items": _service_items(list(page.object_list)),
            "query": query.urlencode(),
            "filters": filters,
            "crumbs": [(None, _("Layanan"))],
        },
    )


def _standard_page(agency, service, number=None) -> catalogue_pages.StandardPage:
    try:
        return catalogue_pages.service_page(agency, service, now=timezone.now(), number=number)
    except ServiceStandard.DoesNotExist as exc:
        raise Http404 from exc


# A minute only: the page says when a request made now would be due.
@public_page(60)
def service_detail(request, agency, service, number=None):
    page = _standard_page(agency, service, number)
    standard = page.standard
    timeframe = parse_timeframe(standard.timeframe_text)
    sections = catalogue_pages.component_sections(standard)
    calendar = agency_calendar(standard.agency)
    deadline = None
    if page.is_current and not standard.is_withdrawn:
        deadline = governing_deadline(timeframe, calendar, timezone.now())
    crumbs = [(None, standard.name)]
    if not page.is_current:
        crumbs = [
            (standard.get_absolute_url(), standard.name),
            (None, _("Versi %(number)s") % {"number": page.version.number}),
        ]
    return render(
        request,
        "services/catalogue/service_detail.html",
        {
            "page": page,
            "standard": standard,
            "agency": standard.agency,
            "history": catalogue_pages.version_history(page),
            "groups": [(key, label, sections[key]) for key, label in Group.choices],
            "procedure": catalogue_pages.procedure_sections(standard),
            "crumbs": _agency_crumbs(standard.agency, *crumbs),
            "timeframe": timeframe,
            "timeframe_words": timeframe.in_words(language()),
            "deadline": deadline,
            "deadline_text": format_moment(deadline.due, calendar.tz) if deadline else "",
            "no_deadline": timeframe.governing_stage() is None,
        },
    )


@public_page(300)
def version_changes(request, agency, service, number):
    """What version `number` changed from the one before it, component by component."""
    page = _standard_page(agency, service, number)
    standard = page.standard
    previous = page.previous
    crumbs = [
        (standard.get_absolute_url(), standard.name),
        (
            reverse(
                "services:service_version",
                kwargs={"agency": agency, "service": service, "number": number},
            ),
            _("Versi %(number)s") % {"number": number},
        ),
        (None, _("Perubahan")),
    ]
    return render(
        request,
        "services/catalogue/version_changes.html",
        {
            "page": page,
            "standard": standard,
            "agency": standard.agency,
            "previous": previous,
            "changes": diff_snapshots(
                previous.snapshot if previous else None, page.version.snapshot
            ),
            "crumbs": _agency_crumbs(standard.agency, *crumbs),
        },
    )
