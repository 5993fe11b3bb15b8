"""Reads of the catalogue that span models, shaped for the pages that show them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from django.core.cache import caches
from django.db import connection
from django.db.models import BooleanField, Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.caching import catalogue_version
from portal.cases.durations import working_duration
from portal.worktime import NATIONAL_DAY_MINUTES, WorkCalendar, format_date
from services import request_workflow
from services.components import COMPONENTS, TEXT_COMPONENTS, Group
from services.deadlines import stop_clock
from services.models import (
    Agency,
    ComplaintChannel,
    ComponentItem,
    Requirement,
    ServiceRequest,
    ServiceStandard,
    StandardVersion,
)
from services.versions import (
    agency_date,
    in_force,
    published_standard,
    standard_snapshot,
    valid_until,
    version_decree,
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
    listed = Q(services__withdrawn_on__isnull=True)
    return Agency.objects.annotate(service_count=Count("services", filter=listed)).order_by("name")


def agency_page(slug: str) -> Agency:
    return Agency.objects.prefetch_related(
        # The agency's general channels; a service's own channels are shown on its page.
        Prefetch("channels", queryset=ComplaintChannel.objects.filter(standard__isnull=True)),
        Prefetch(
            "services",
            queryset=ServiceStandard.objects.listed()
            .order_by("number")
            .prefetch_related("timeframe_stages"),
        ),
        Prefetch("decrees"),
    ).get(slug=slug)


def _with_versions(qs: QuerySet[ServiceStandard]) -> QuerySet[ServiceStandard]:
    return qs.prefetch_related(
        Prefetch(
            "versions",
            queryset=StandardVersion.objects.select_related(
                "decree", "approved_by", "created_by"
            ).order_by("number"),
        )
    )


@dataclass
class StandardPage:
    """A standard as one of its versions reads, with its whole history."""

    standard: ServiceStandard  # components as `version` reads (display only, never saved)
    version: StandardVersion | None
    current: StandardVersion | None  # the version in force today
    versions: list[StandardVersion]  # oldest first

    @property
    def is_current(self) -> bool:
        return self.version is None or self.version == self.current

    @property
    def previous(self) -> StandardVersion | None:
        if self.version is None:
            return None
        earlier = [v for v in self.versions if v.number < self.version.number]
        return earlier[-1] if earlier else None


def service_page(
    agency_slug: str, slug: str, *, now: datetime, number: int | None = None
) -> StandardPage:
    """The public page of a standard: the version in force at `now` on the agency's date, or
    version `number`.

    The components are read from the version's snapshot; the agency's channels are live (the
    page and the sheet show this service's own ones and the general ones, as the decree's PDF
    does from the same list, services.pdf_views.decree_standards).
    """
    standard = (
        _with_versions(ServiceStandard.objects.select_related("agency", "decree", "withdrawn_by"))
        .prefetch_related("agency__channels")
        .get(agency__slug=agency_slug, slug=slug)
    )
    versions = list(standard.versions.all())
    current = in_force(versions, agency_date(standard.agency.timezone, now))
    version = current
    if number is not None:
        version = next((v for v in versions if v.number == number), None)
        if version is None:
            raise ServiceStandard.DoesNotExist(number)
    shown = published_standard(standard, version)
    # Shown under the decree that set the version (an amendment's own number and signatory).
    shown.decree = version_decree(version, listing=standard.decree if version == current else None)
    return StandardPage(shown, version, current, versions)


@dataclass
class Intake:
    """What a request form works from: the standard as its version in force reads (display
    only, never saved) and that version (None for a standard with no version recorded)."""

    standard: ServiceStandard
    version: StandardVersion | None


def _load_intake(agency_slug: str, slug: str) -> tuple[str, list[tuple[int, Any]], dict]:
    standard = _with_versions(ServiceStandard.objects.select_related("agency", "decree")).get(
        agency__slug=agency_slug, slug=slug, withdrawn_on__isnull=True
    )
    versions = list(standard.versions.all())
    shown = {v.number: Intake(published_standard(standard, v), v) for v in versions} or {
        None: Intake(published_standard(standard, None), None)
    }
    # Kept small, as every form and submission unpickles its copy: neither reads the other
    # versions (each with its snapshot) nor the version's standard (the one read above).
    for kept in shown.values():
        getattr(kept.standard, "_prefetched_objects_cache", {}).pop("versions", None)
        if kept.version is not None:
            kept.version._state.fields_cache.pop("standard", None)
    return standard.agency.timezone, [(v.number, v.valid_from) for v in versions], shown


def intake(agency_slug: str, slug: str, *, now: datetime) -> Intake:
    """A standard as its request form shows it and a request received `now` is judged by: the
    version in force on the agency's own date. A withdrawn service takes no requests
    (DoesNotExist).

    Read from the database once per catalogue version in each process and kept in its memory
    cache (which hands every caller its own copy), so the blank form and each submission cost
    no query for the standard, its versions and their requirements. A change in another
    process shows here within the catalogue version's VERSION_TTL, as on the public pages."""
    local = caches["local"]
    prefix = f"intake:{catalogue_version()}:{agency_slug}:{slug}"
    index = local.get(prefix)
    if index is not None:
        found = local.get(f"{prefix}:{_number_in_force(*index, now)}")
        if found is not None:
            return found
    tz, numbers, shown = _load_intake(agency_slug, slug)
    local.set_many({f"{prefix}:{n}": value for n, value in shown.items()}, 3600)
    local.set(prefix, (tz, numbers), 3600)
    return shown[_number_in_force(tz, numbers, now)]


def _number_in_force(tz: str, numbers: list[tuple[int, Any]], now: datetime) -> int | None:
    """The number of the version in force at `now` on the agency's date (as `in_force`)."""
    day = agency_date(tz, now)
    versions = [SimpleNamespace(number=n, valid_from=valid_from) for n, valid_from in numbers]
    version = in_force(versions, day)
    return version.number if version else None


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


def searched_words(q: str) -> str:
    """The words a search matches on: single letters are left out, on every database."""
    return " ".join(word for word in q.split() if len(word) > 1)


def search_services(
    *, q: str = "", agency: str = "", fee: str = "", time: str = ""
) -> QuerySet[ServiceStandard]:
    qs = ServiceStandard.objects.listed().select_related("agency")
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
    q = searched_words(q)
    if not q:
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
    words = searched_words(q)
    has_words = bool(words)
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
            "agency__timezone",
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
    base = ServiceStandard.objects.listed().select_related("agency")
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


@dataclass
class HistoryRow:
    version: StandardVersion
    valid_until: object  # date the next version took over, or None
    current: bool
    shown: bool
    url: str
    changes_url: str
    pdf_url: str


def version_history(page: StandardPage) -> list[HistoryRow]:
    """The "Riwayat perubahan" list: newest first, each with its page, changes and sheet."""
    standard = page.standard
    kwargs = {"agency": standard.agency.slug, "service": standard.slug}
    rows = []
    for version in reversed(page.versions):
        number = {**kwargs, "number": version.number}
        rows.append(
            HistoryRow(
                version=version,
                valid_until=valid_until(page.versions, version),
                current=version == page.current,
                shown=version == page.version,
                url=reverse("services:service_version", kwargs=number),
                changes_url=reverse("services:version_changes", kwargs=number),
                pdf_url=reverse("services:version_pdf", kwargs=number),
            )
        )
    return rows


@dataclass
class Promise:
    """What a request was promised: the standard's version it was received under."""

    version: StandardVersion | None
    requirements: list[tuple[str, bool, bool]]  # (text, conditional, a document was given)
    timeframe: str
    fee_text: str
    url: str  # that version's public page

    @property
    def label(self) -> str:
        if self.version is None:
            return ""
        return gettext("Versi %(number)s, berlaku sejak %(date)s") % {
            "number": self.version.number,
            "date": format_date(self.version.valid_from),
        }


def promised_version_url(case: ServiceRequest) -> str:
    """The public page of the version a request is judged by ("" when none is recorded)."""
    if case.version is None:
        return ""
    kwargs = {"agency": case.agency.slug, "service": case.standard.slug}
    return reverse("services:service_version", kwargs={**kwargs, "number": case.version.number})


def request_promise(case: ServiceRequest) -> Promise:
    """The version a request is judged by, with its requirements checked against the documents
    the request holds (1 query for the documents, 1 for the version unless joined)."""
    version = case.version
    snapshot = version.snapshot if version else standard_snapshot(case.standard)
    given = {text for text in case.documents.values_list("requirement_text", flat=True) if text}
    url = promised_version_url(case)
    return Promise(
        version=version,
        requirements=[
            (r["text"], r["conditional"], r["text"] in given) for r in snapshot["requirements"]
        ],
        timeframe=snapshot["timeframe"],
        fee_text=snapshot["fee"]["text"],
        url=url,
    )


def agency_today(agency_slug: str, now: datetime):
    """`agency_date` for an agency known only by its slug (what a view needs before it reads
    anything else), its zone kept per catalogue version in the process's memory; the portal's
    zone for an unknown slug (whose page is a 404 anyway)."""
    local = caches["local"]
    key = f"agency-zone:{catalogue_version()}:{agency_slug}"
    tz = local.get(key)
    if tz is None:
        tz = Agency.objects.filter(slug=agency_slug).values_list("timezone", flat=True).first()
        if tz is None:
            return timezone.localtime(now).date()
        local.set(key, tz, 3600)
    return agency_date(tz, now)


def show_published(standards, *, now: datetime) -> list[ServiceStandard]:
    """List entries as their version in force reads (name, time limit, fee) on their agency's
    date, not as the draft an official may be editing; one query for the whole list (the
    standards come with their agency)."""
    standards = list(standards)
    versions: dict[int, list[StandardVersion]] = {}
    rows = StandardVersion.objects.filter(standard__in=[s.pk for s in standards]).only(
        "standard_id", "number", "valid_from", "snapshot"
    )
    for version in rows:
        versions.setdefault(version.standard_id, []).append(version)
    for standard in standards:
        day = agency_date(standard.agency.timezone, now)
        version = in_force(versions.get(standard.pk, []), day)
        if version is None:
            continue
        snapshot = version.snapshot
        standard.name = snapshot["name"]
        standard.timeframe_text = snapshot["timeframe"]
        standard.fee_amount = snapshot["fee"]["amount"]
        standard.fee_text = snapshot["fee"]["text"]
    return standards


def promised_requirements(case: ServiceRequest) -> list[dict]:
    """The requirements of the version the request was received under (id, text, conditional,
    document), whatever the standard says now."""
    if case.version_id:
        return case.version.snapshot["requirements"]
    return standard_snapshot(case.standard)["requirements"]


def request_terms(case: ServiceRequest) -> Promise:
    """The time limit, fee and requirements a request was received under, for the staff's case
    page (its documents are checked there by the checklist): read from its version (1 query
    unless joined), or from the standard's own fields for a request older than versions."""
    if case.version_id:
        snapshot = case.version.snapshot
        timeframe, fee_text = snapshot["timeframe"], snapshot["fee"]["text"]
        requirements = snapshot["requirements"]
    else:
        timeframe, fee_text = case.standard.timeframe_text, case.standard.fee_text
        requirements = promised_requirements(case)
    return Promise(
        version=case.version,
        requirements=[(r["text"], r["conditional"], False) for r in requirements],
        timeframe=timeframe,
        fee_text=fee_text,
        url=promised_version_url(case),
    )


def late_at_return(case: ServiceRequest, calendar: WorkCalendar) -> int | None:
    """How late (working seconds) a returned request was when its clock stopped; None when it
    is not returned or was returned on time. Returning never erases lateness
    (services.deadlines)."""
    if case.status not in request_workflow.PAUSED or case.due_at is None or not case.paused_at:
        return None
    return stop_clock(calendar, case.due_at, case.paused_at).late


def returned_late_text(late_seconds: int, day_seconds: int) -> str:
    """The words of `late_at_return` in the active language: "dikembalikan; terlambat 3 hari
    kerja saat dikembalikan"."""
    return gettext("dikembalikan; terlambat %(late)s saat dikembalikan") % {
        "late": working_duration(late_seconds, day_seconds)
    }
