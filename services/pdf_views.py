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
from django.db.models import Count, Max, Prefetch, QuerySet, Sum
from django.http import Http404, HttpResponse
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from portal import pdf
from portal.caching import public_page
from services import selectors
from services.components import Group
from services.models import (
    ComponentItem,
    Decree,
    LegalReference,
    ProcedureGroup,
    ServiceStandard,
)

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


def sheet_key(standard: ServiceStandard) -> str:
    return "|".join(
        [
            "sheet",
            str(standard.pk),
            str(standard.version),
            _stamp(standard.updated_at),
            _stamp(standard.agency.updated_at),
            _stamp(standard.decree.updated_at),
            settings.SITE_URL,
        ]
    )


@require_safe
@public_page(300)
def service_pdf(request, agency, service):
    try:
        # Only what the cache key, Last-Modified and file name need (a cached PDF is served on
        # every request: not loading the decree's texts makes it about a third cheaper).
        head = (
            ServiceStandard.objects.select_related("agency", "decree")
            .only(
                "slug",
                "version",
                "updated_at",
                "agency__slug",
                "agency__updated_at",
                "decree__updated_at",
            )
            .get(agency__slug=agency, slug=service)
        )
    except ServiceStandard.DoesNotExist as exc:
        raise Http404 from exc

    def build() -> bytes:
        standard = selectors.service_page(agency, service)
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
        }
        return _render("pdf/service_sheet.html", context)

    return _pdf_response(
        request,
        key=sheet_key(head),
        last_modified=max(head.updated_at, head.agency.updated_at, head.decree.updated_at),
        filename=f"standar-pelayanan-{head.agency.slug}-{head.slug}.pdf",
        build=build,
    )


# --- The whole decree ----------------------------------------------------------------------


def decree_header(agency_slug: str) -> Decree:
    """The agency's latest decree with its agency and a summary of its standards (1 query)."""
    decree = (
        Decree.objects.filter(agency__slug=agency_slug)
        .select_related("agency")
        .annotate(
            service_count=Count("services"),
            version_sum=Sum("services__version"),
            services_updated=Max("services__updated_at"),
        )
        .order_by("-signed_date", "-pk")
        .first()
    )
    if decree is None:
        raise Decree.DoesNotExist(agency_slug)
    return decree


def decree_standards(decree: Decree) -> QuerySet[ServiceStandard]:
    """Every standard of the decree with what its sheet shows (a fixed number of queries)."""
    return (
        ServiceStandard.objects.filter(decree=decree)
        .select_related("agency", "decree")
        .prefetch_related(
            "requirements",
            "timeframe_stages",
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
        .order_by("number")
    )


def decree_document(agency_slug: str) -> tuple[Decree, list[ServiceStandard]]:
    decree = decree_header(agency_slug)
    return decree, list(decree_standards(decree))


def decree_key(decree: Decree) -> str:
    return "|".join(
        [
            "decree",
            str(decree.pk),
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
def decree_pdf(request, agency):
    try:
        decree = decree_header(agency)
    except Decree.DoesNotExist as exc:
        raise Http404 from exc
    agency_obj = decree.agency

    def build() -> bytes:
        standards = list(decree_standards(decree))
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
    return _pdf_response(
        request,
        key=decree_key(decree),
        last_modified=max(stamps),
        filename=f"standar-pelayanan-{agency_obj.slug}.pdf",
        build=build,
    )
