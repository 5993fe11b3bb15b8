"""Printable documents: one service's standard sheet, and the whole decree with its appendix.

Both are rendered by WeasyPrint (portal.pdf) from templates/pdf/ and kept in the PDF file
cache. A request first reads only what the cache key needs (one query); a conditional request
whose ETag matches gets 304, a cached document is sent as is, and only a new key loads the
full standard(s) with a fixed number of queries and renders. For anonymous visitors the
response is also kept in the process's page cache (portal.caching) like a public page, so a
repeated download reads nothing from the database or the disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import segno
from django.conf import settings
from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery, Sum
from django.http import Http404, HttpResponse
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from portal import pdf
from portal.caching import public_page
from services import selectors
from services.components import Group
from services.models import Decree, ServiceStandard, StandardVersion
from services.versions import agency_date, in_force, published_standard, standard_as_of

CACHE_CONTROL = "public, max-age=300"


def _static_base_url() -> str:
    return (settings.BASE_DIR / "static").as_uri() + "/"


def _stamp(moment: datetime | None) -> str:
    return moment.isoformat() if moment else "-"


@dataclass
class Sheet:
    standard: ServiceStandard
    groups: list
    procedure: list
    url: str
    qr_svg: SafeString


def _sheet(standard: ServiceStandard) -> Sheet:
    sections = selectors.component_sections(standard)
    url = settings.SITE_URL + standard.get_absolute_url()
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(border=0, omitsize=True, title=f"Kode QR: {url}")
    return Sheet(
        standard=standard,
        groups=[(key, label, sections[key]) for key, label in Group.choices],
        procedure=selectors.procedure_sections(standard),
        url=url,
        qr_svg=mark_safe(svg),  # segno escapes the URL in its own SVG
    )


def _render(template: str, context: dict) -> bytes:
    with translation.override("id"):
        context["signed_date"] = date_filter(context["decree"].signed_date, "j F Y")
        context["SITE_NAME"] = settings.SITE_NAME
        html = render_to_string(template, context)
    return pdf.render_pdf(html, base_url=_static_base_url())


def _pdf_response(request, *, key: str, last_modified: datetime, filename: str, build):
    etag = pdf.etag_for(key)
    timestamp = int(last_modified.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        data, etag = pdf.cached_pdf(key, build)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, filename)
        response["Content-Length"] = str(len(data))
    response["ETag"] = etag
    response["Last-Modified"] = http_date(timestamp)
    response["Cache-Control"] = CACHE_CONTROL
    return response


# --- One service ---------------------------------------------------------------------------


def _in_force_number(today):
    """The number of the standard's version in force on `today`, as a subquery."""
    return Subquery(
        StandardVersion.objects.filter(standard=OuterRef("pk"), valid_from__lte=today)
        .order_by("-number")
        .values("number")[:1]
    )


def sheet_key(standard: ServiceStandard, number=None) -> str:
    return "|".join(
        [
            "sheet",
            str(standard.pk),
            # The version printed, the latest one published and the decree listing it: a
            # draft's edits (updated_at) never change the sheet.
            str(number if number is not None else getattr(standard, "in_force", None)),
            str(standard.version),
            str(standard.decree_id),
            _stamp(standard.agency.updated_at),
            _stamp(standard.decree.updated_at),
            settings.SITE_URL,
        ]
    )


@require_safe
@public_page(300)
def service_pdf(request, agency, service, number=None):
    """The sheet of the version in force (or of version `number`), as that version reads."""
    now = timezone.now()
    today = selectors.agency_today(agency, now)  # for the cache key, before anything is read
    try:
        # Only what the cache key, Last-Modified and file name need (a cached PDF is served on
        # every request: not loading the decree's texts makes it about a third cheaper).
        head = (
            ServiceStandard.objects.select_related("agency", "decree")
            .only(
                "slug",
                "version",
                "decree_id",
                "updated_at",
                "agency__slug",
                "agency__updated_at",
                "decree__updated_at",
            )
            .annotate(in_force=_in_force_number(today))
            .get(agency__slug=agency, slug=service)
        )
    except ServiceStandard.DoesNotExist as exc:
        raise Http404 from exc
    if number is not None and not 1 <= number <= head.version:
        raise Http404

    def build() -> bytes:
        try:
            page = selectors.service_page(agency, service, now=now, number=number)
        except ServiceStandard.DoesNotExist as exc:
            raise Http404 from exc
        standard = page.standard
        context = {
            "agency": standard.agency,
            "decree": standard.decree,
            "sheets": [_sheet(standard)],
            "doc_title": f"{standard.name} — Standar Pelayanan {standard.agency.name}",
            "doc_description": (
                f"Standar pelayanan {standard.name} pada {standard.agency.name}: 14 komponen "
                f"sesuai Keputusan Nomor {standard.decree.number}."
            ),
            "running_title": f"Standar Pelayanan: {standard.name}",
            "version": page.version,
            "past": not page.is_current,
        }
        return _render("pdf/service_sheet.html", context)

    suffix = f"-versi-{number}" if number is not None else ""
    return _pdf_response(
        request,
        key=sheet_key(head, number),
        last_modified=max(head.updated_at, head.agency.updated_at, head.decree.updated_at),
        filename=f"standar-pelayanan-{head.agency.slug}-{head.slug}{suffix}.pdf",
        build=build,
    )


def version_pdf(request, agency, service, number):
    return service_pdf(request, agency, service, number=number)


# --- The whole decree ----------------------------------------------------------------------


LISTED = Q(services__withdrawn_on__isnull=True)


def decree_header(agency_slug: str, pk: int | None = None) -> Decree:
    """The agency's latest decree (or decree `pk`) with its agency and a summary of its
    standards (1 query)."""
    decrees = Decree.objects.filter(agency__slug=agency_slug)
    if pk is not None:
        decrees = decrees.filter(pk=pk)
    decree = (
        decrees.select_related("agency")
        .annotate(
            service_count=Count("services", filter=LISTED),
            version_sum=Sum("services__version", filter=LISTED),
            services_updated=Max("services__updated_at"),
            versions_set=Subquery(
                StandardVersion.objects.filter(decree=OuterRef("pk"))
                .values("decree")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            last_version=Subquery(
                StandardVersion.objects.filter(decree=OuterRef("pk"))
                .order_by("-pk")
                .values("pk")[:1]
            ),
        )
        .order_by("-signed_date", "-pk")
        .first()
    )
    if decree is None:
        raise Decree.DoesNotExist(agency_slug)
    return decree


def _versions():
    return Prefetch(
        "versions", queryset=StandardVersion.objects.select_related("decree").order_by("number")
    )


def decree_standards(decree: Decree, *, today) -> list[ServiceStandard]:
    """Every standard the decree lists now, as its version in force reads (a fixed number of
    queries)."""
    standards = (
        ServiceStandard.objects.filter(decree=decree, withdrawn_on__isnull=True)
        .select_related("agency", "decree")
        .prefetch_related("agency__channels", _versions())
        .order_by("number")
    )
    return [published_standard(s, in_force(list(s.versions.all()), today)) for s in standards]


def decree_annex(decree: Decree) -> list[ServiceStandard]:
    """The standards as decree `decree` set them: each service's first version under it."""
    versions = (
        StandardVersion.objects.filter(decree=decree)
        .select_related("standard__agency", "standard__decree")
        .prefetch_related("standard__agency__channels")
        .order_by("standard_id", "number")
    )
    first: dict[int, StandardVersion] = {}
    for version in versions:
        first.setdefault(version.standard_id, version)
    shown = [standard_as_of(v.standard, v.snapshot, decree=decree) for v in first.values()]
    return sorted(shown, key=lambda s: s.number)


def decree_document(
    agency_slug: str, *, today, pk: int | None = None
) -> tuple[Decree, list[ServiceStandard]]:
    decree = decree_header(agency_slug, pk)
    latest = decree_header(agency_slug) if pk is not None else decree
    if decree.pk == latest.pk:
        return decree, decree_standards(decree, today=today)
    return decree, decree_annex(decree)


def decree_key(decree: Decree, *, current: bool = True) -> str:
    return "|".join(
        [
            "decree" if current else "decree-past",
            str(decree.pk),
            str(decree.versions_set),
            str(decree.last_version),
            _stamp(decree.updated_at),
            _stamp(decree.agency.updated_at),
            str(decree.service_count),
            str(decree.version_sum or 0),
            _stamp(decree.services_updated),
            settings.SITE_URL,
        ]
    )


@require_safe
@public_page(300)
def decree_pdf(request, agency, decree=None):
    """The whole decree: the latest one with its standards in force, or any earlier decree
    with its annex as that decree set it."""
    try:
        latest = decree_header(agency)
        decree = latest if decree is None else decree_header(agency, decree)
    except Decree.DoesNotExist as exc:
        raise Http404 from exc
    agency_obj = decree.agency
    today = agency_date(agency_obj.timezone, timezone.now())
    current = decree.pk == latest.pk

    def build() -> bytes:
        if current:
            standards = decree_standards(decree, today=today)
        else:
            standards = decree_annex(decree)
        context = {
            "agency": agency_obj,
            "decree": decree,
            "sheets": [_sheet(standard) for standard in standards],
            "doc_title": f"Keputusan Nomor {decree.number} tentang {decree.title}",
            "doc_description": (
                f"Keputusan Kepala {agency_obj.name} Nomor {decree.number} tentang "
                f"{decree.title}, dengan lampiran {len(standards)} standar pelayanan."
            ),
            "running_title": f"Keputusan Nomor {decree.number} — {agency_obj.short_name}",
        }
        return _render("pdf/decree.html", context)

    stamps = [decree.updated_at, agency_obj.updated_at]
    if decree.services_updated:
        stamps.append(decree.services_updated)
    suffix = "" if current else f"-keputusan-{decree.pk}"
    return _pdf_response(
        request,
        key=decree_key(decree, current=current) + f"|{today}",
        last_modified=max(stamps),
        filename=f"standar-pelayanan-{agency_obj.slug}{suffix}.pdf",
        build=build,
    )
