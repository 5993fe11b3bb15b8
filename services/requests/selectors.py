"""Reads behind the request pages: the intake form of a service, the most requested services,
and the terms (requirements, time limit, fee) a request was promised."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from django.core.cache import caches
from django.db.models import Count, F
from django.urls import reverse
from django.utils.translation import gettext

from portal.caching import catalogue_version
from portal.cases.durations import working_duration
from portal.worktime import WorkCalendar, format_date
from services.catalogue.deadlines import stop_clock
from services.catalogue.models.standards import Requirement, ServiceStandard
from services.catalogue.models.versions import StandardVersion
from services.catalogue.pages import with_versions
from services.catalogue.versions import (
    agency_date,
    in_force,
    published_standard,
    standard_snapshot,
)
from services.requests import workflow as request_workflow
from services.requests.models import ServiceRequest


@dataclass
class Intake:
    """What a request form works from: the standard as its version in force reads (display
    only, never saved) and that version (None for a standard with no version recorded)."""

    standard: ServiceStandard
    version: StandardVersion | None


def _load_intake(agency_slug: str, slug: str) -> tuple[str, list[tuple[int, Any]], dict]:
    standard = with_versions(ServiceStandard.objects.select_related("agency", "decree")).get(
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
    (services.catalogue.deadlines)."""
    if case.status not in request_workflow.PAUSED or case.due_at is None or not case.paused_at:
        return None
    return stop_clock(calendar, case.due_at, case.paused_at).late


def returned_late_text(late_seconds: int, day_seconds: int) -> str:
    """The words of `late_at_return` in the active language: "dikembalikan; terlambat 3 hari
    kerja saat dikembalikan"."""
    return gettext("dikembalikan; terlambat %(late)s saat dikembalikan") % {
        "late": working_duration(late_seconds, day_seconds)
    }
