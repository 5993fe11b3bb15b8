"""Reads of the catalogue that span models, shaped for the pages that show them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from portal.worktime import NATIONAL_DAY_MINUTES
from services.components import COMPONENTS, TEXT_COMPONENTS, Group
from services.models import (
    Agency,
    ComplaintChannel,
    ComponentItem,
    LegalReference,
    ProcedureGroup,
    Requirement,
    ServiceRequest,
    ServiceStandard,
)

# Completion-time filter buckets: key -> (label, lower bound exclusive, upper bound inclusive)
# in working minutes of the governing stage (see services.timeframe_bounds).
DAY = NATIONAL_DAY_MINUTES
TIME_BUCKETS: dict[str, tuple[Any, int | None, int | None]] = {
    "hari-ini": (_("Paling lama 1 hari kerja"), None, DAY),
    "sepekan": (_("2 sampai 5 hari kerja"), DAY, 5 * DAY),
    "lebih": (_("Lebih dari 5 hari kerja"), 5 * DAY, None),
    "tanpa": (_("Tanpa batas waktu tertentu"), None, None),
}


def agencies_with_counts() -> QuerySet[Agency]:
    return Agency.objects.annotate(service_count=Count("services")).order_by("name")


def agency_page(slug: str) -> Agency:
    return Agency.objects.prefetch_related(
        # The agency's general channels; a service's own channels are shown on its page.
        Prefetch("channels", queryset=ComplaintChannel.objects.filter(standard__isnull=True)),
        Prefetch(
            "services",
            queryset=ServiceStandard.objects.order_by("number").prefetch_related(
                "timeframe_stages"
            ),
        ),
        Prefetch("decrees"),
    ).get(slug=slug)


def service_page(agency_slug: str, slug: str) -> ServiceStandard:
    return (
        ServiceStandard.objects.select_related("agency", "decree")
        .prefetch_related(
            "requirements",
            "timeframe_stages",
            # All of the agency's channels, its general ones and every service's own: the page
            # and the sheet show this service's own ones and the general ones (as the decree's
            # PDF does from the same list, services.pdf_views.decree_standards).
            "agency__channels",
            Prefetch(
                "procedure_groups",
                queryset=ProcedureGroup.objects.order_by("order").prefetch_related("steps"),
            ),
            Prefetch(
                "legal_references",
                queryset=LegalReference.objects.select_related("regulation").order_by("order"),
            ),
            Prefetch("items", queryset=ComponentItem.objects.order_by("component", "order")),
        )
        .get(agency__slug=agency_slug, slug=slug)
    )


def intake_page(agency_slug: str, slug: str) -> ServiceStandard:
    """A standard with what its request form shows: the agency and the requirements."""
    return (
        ServiceStandard.objects.select_related("agency")
        .prefetch_related("requirements")
        .get(agency__slug=agency_slug, slug=slug)
    )


@dataclass
class ItemGroup:
    heading: str
    items: list[str]


@dataclass
class ComponentView:
    number: int
    key: str
    label: str
    groups: list[ItemGroup]  # for text components; empty list = left empty by the decree


def component_sections(standard: ServiceStandard) -> dict[str, list[ComponentView]]:
    """The 14 components in two groups, text components grouped under their headings."""
    items: dict[str, list[ComponentItem]] = {}
    for item in standard.items.all():
        items.setdefault(item.component, []).append(item)
    sections: dict[str, list[ComponentView]] = {Group.DELIVERY: [], Group.MANAGEMENT: []}
    for info in COMPONENTS:
        groups: list[ItemGroup] = []
        if info.key in TEXT_COMPONENTS:
            for item in items.get(info.key, []):
                if groups and groups[-1].heading == item.heading:
                    groups[-1].items.append(item.text)
                else:
                    groups.append(ItemGroup(item.heading, [item.text]))
        section = sections[info.group]
        section.append(ComponentView(len(section) + 1, info.key, info.label, groups))
    return sections


def search_services(
    *, q: str = "", agency: str = "", fee: str = "", time: str = ""
) -> QuerySet[ServiceStandard]:
    qs = ServiceStandard.objects.select_related("agency")
    if agency:
        qs = qs.filter(agency__slug=agency)
    if fee == "gratis":
        qs = qs.free()
    elif fee == "berbayar":
        qs = qs.paid()
    if time == "tanpa":
        qs = qs.without_deadline()
    elif time in TIME_BUCKETS:
        _label, low, high = TIME_BUCKETS[time]
        qs = qs.within_minutes(low, high)
    q = q.strip()
    if not any(len(word) > 1 for word in q.split()):
        # Nothing to match on (empty, or only single letters): every service, on any database.
        return qs.order_by("agency__name", "number")
    if connection.vendor == "postgresql":
        return _postgres_search(qs, q)
    return _fallback_search(qs, q)


# search_service_ids: the SQL of each combination of filters, compiled once per process with
# placeholders for the typed values (the words, the agency's slug).
_COMPILED: dict[tuple, tuple[str, tuple]] = {}
_WORDS, _AGENCY = "__search_words__", "__search_agency__"


def search_service_ids(*, q: str = "", agency: str = "", fee: str = "", time: str = "") -> list:
    """The ids of `search_services(...)` in its order: what a results page lists and counts.

    On PostgreSQL the query of each combination of filters is built and compiled by the ORM
    once per process (with placeholders) and then only executed: a search with new words
    costs one round trip, not the ORM's compiling of a full-text query every time.
    """
    if connection.vendor != "postgresql":
        return list(
            search_services(q=q, agency=agency, fee=fee, time=time).values_list("pk", flat=True)
        )
    words = q.strip()
    has_words = any(len(word) > 1 for word in words.split())
    shape = (has_words, bool(agency), fee, time)
    compiled = _COMPILED.get(shape)
    if compiled is None:
        qs = search_services(
            q=_WORDS if has_words else "", agency=_AGENCY if agency else "", fee=fee, time=time
        )
        compiled = _COMPILED[shape] = qs.values_list("pk", flat=True).query.sql_with_params()
    sql, params = compiled
    typed = {_WORDS: words, _AGENCY: agency}
    values = [typed.get(p, p) if isinstance(p, str) else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return [row[0] for row in cursor.fetchall()]


def listed_services(pks: list[int]) -> list[ServiceStandard]:
    """The services of a results list, with what a list item shows (services/_service_item)."""
    return list(
        ServiceStandard.objects.select_related("agency")
        .only(
            "pk",
            "slug",
            "name",
            "timeframe_text",
            "fee_amount",
            "fee_text",
            "agency__slug",
            "agency__short_name",
        )  # fmt: skip
        .filter(pk__in=pks)
    )


def _postgres_search(qs: QuerySet, q: str) -> QuerySet:
    """Name (weight A) and search_document (weight B), 'indonesian' configuration.

    The vector is the column `search_vector` that migration services 0003 adds on PostgreSQL
    only: generated and stored from exactly that expression, with a GIN index. Matching uses
    the index and ranking reads the stored vector instead of re-parsing every matching text.
    """
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
    from django.db.models.expressions import Col

    column = SearchVectorField()
    column.set_attributes_from_name("search_vector")
    column.model = ServiceStandard  # not in the model's _meta: the ORM never writes it
    vector = Col(ServiceStandard._meta.db_table, column)
    query = SearchQuery(q, config="indonesian", search_type="websearch")
    return (
        qs.defer("search_document")  # long, and not shown in the results
        .alias(search=vector)
        .annotate(rank=SearchRank(vector, query))
        .filter(search=query)
        .order_by("-rank", "agency__name", "number")
    )


def _fallback_search(qs: QuerySet, q: str) -> QuerySet:
    """Every word must occur in the service's text; matches in the name rank first."""
    words = [w for w in q.split() if len(w) > 1][:8]
    for word in words:
        qs = qs.filter(Q(name__icontains=word) | Q(search_document__icontains=word))
    in_name = Q()
    for word in words:
        in_name &= Q(name__icontains=word)

    return qs.annotate(
        name_match=Case(
            When(in_name, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    ).order_by("-name_match", "agency__name", "number")


POPULAR_SAMPLE = 5000  # the most recent requests that decide what is popular


def popular_services(*, now: datetime, limit: int = 6) -> list[ServiceStandard]:
    """The most-requested services among the last POPULAR_SAMPLE requests of the past year;
    ties go to the services quickest to complete. None before the first request of the year (a
    new portal): the home page then shows no "most requested" list rather than a made-up one.

    Reading a bounded sample through the `request_received` index costs the same with a
    thousand requests or a million.
    """
    since = now - timedelta(days=365)
    recent = (
        ServiceRequest.objects.filter(received_at__gte=since)
        .order_by("-received_at")
        .values_list("standard_id", flat=True)[:POPULAR_SAMPLE]
    )
    counts = Counter(recent)
    if not counts:
        return []
    ranked = counts.most_common()
    # Everything tied with the last place is a candidate; the tie-break decides among them.
    floor = ranked[limit - 1][1] if len(ranked) >= limit else 1
    candidates = [pk for pk, n in ranked if n >= floor][: limit * 20]
    base = ServiceStandard.objects.select_related("agency")
    quickest = (F("max_working_minutes").asc(nulls_last=True), "agency__name", "number")

    def order(standard):
        minutes = standard.max_working_minutes
        tie = (minutes is None, minutes or 0, standard.agency.name, standard.number)
        return (-counts[standard.pk], *tie)

    chosen = sorted(base.filter(pk__in=candidates), key=order)[:limit]
    if len(chosen) < limit:
        chosen += list(base.exclude(pk__in=candidates).order_by(*quickest)[: limit - len(chosen)])
    return chosen


@dataclass
class ProcedureView:
    heading: str
    steps: list
    chart: object


def procedure_sections(standard: ServiceStandard) -> list[ProcedureView]:
    from services.flows import layout

    result = []
    for group in standard.procedure_groups.all():
        steps = list(group.steps.all())
        result.append(
            ProcedureView(group.heading, steps, layout(group.flow, [s.text for s in steps]))
        )
    return result


def complaint_channels(agency: Agency, standard: ServiceStandard | None = None) -> list:
    """Where a complaint about this service can be made: the service's own channels (some
    decrees list them per service), then the agency's general ones."""
    channels = list(agency.channels.all())
    own = [c for c in channels if standard is not None and c.standard_id == standard.pk]
    return own + [c for c in channels if c.standard_id is None]


def most_documents_per_request() -> int:
    """The most document uploads one request form asks for (the largest legal submission)."""
    per_standard = (
        Requirement.objects.filter(document=True)
        .values("standard")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("n", flat=True)
    )
    return next(iter(per_standard[:1]), 0)
