"""Searching the catalogue: the words, the filters (agency, fee, time limit) and the ranking."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from portal.worktime import NATIONAL_DAY_MINUTES
from services.catalogue.models.standards import ServiceStandard

DAY = NATIONAL_DAY_MINUTES

TIME_BUCKETS: dict[str, tuple[Any, int | None, int | None]] = {
    "hari-ini": (_("Paling lama 1 hari kerja"), None, DAY),
    "sepekan": (_("2 sampai 5 hari kerja"), DAY, 5 * DAY),
    "lebih": (_("Lebih dari 5 hari kerja"), 5 * DAY, None),
    "tanpa": (_("Tanpa batas waktu tertentu"), None, None),
}


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
    """The services of a results list, with what a list item shows
    (services/catalogue/_service_item.html)."""
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
