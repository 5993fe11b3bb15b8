"""Printable documents: one service's standard sheet, and a whole decree with its appendix.

Every sheet is signed with the decree that set the version it prints (services.catalogue.versions.
version_decree): its number, date, place and signatory, in its header, its appendix head and
its signature. A decree is printed three ways:

- as signed (`/instansi/<agency>/keputusan/<pk>/standar-pelayanan.pdf`, any decree of the
  agency, amending ones included): its own text and signatory, and the versions it set, read
  from their snapshots; an amending decree prints the services it changes;
- the agency's decree in force (`/instansi/<agency>/standar-pelayanan.pdf`): the latest decree
  listing services with each standard as in force today; when it has been amended, this is a
  consolidated text, titled "… sebagaimana telah diubah dengan Keputusan … Nomor …", listing
  each amendment and where its signed text is.

All are rendered by WeasyPrint (portal.pdf) from templates/pdf/ and kept in the PDF file
cache. A request first reads only what the cache key needs (one query); a conditional request
whose ETag matches gets 304, a cached document is sent as is, and only a new key loads the
full standard(s) with a fixed number of queries and renders. For anonymous visitors the
response is also kept in the process's page cache (portal.caching) like a public page, so a
repeated download reads nothing from the database or the disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import segno
from django.conf import settings
from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from portal import pdf
from portal.caching import public_page
from services.catalogue import pages as catalogue_pages
from services.catalogue.components import Group
from services.catalogue.models.agencies import Decree
from services.catalogue.models.standards import ServiceStandard
from services.catalogue.models.versions import StandardVersion
from services.catalogue.versions import (
    agency_date,
    in_force,
    standard_as_of,
    standard_snapshot,
    version_decree,
)

CACHE_CONTROL = "public, max-age=300"


def _static_base_url() -> str:
    return (settings.BASE_DIR / "static").as_uri() + "/"


def _stamp(moment: datetime | None) -> str:
    return moment.isoformat() if moment else "-"


def long_date(day: date) -> str:
    """A date as the decrees write it: "31 Januari 2024"."""
    with translation.override("id"):
        return date_filter(day, "j F Y")


@dataclass
class Sheet:
    standard: ServiceStandard  # as its version reads; .decree is the decree that set it
    groups: list
    procedure: list
    url: str
    qr_svg: SafeString
    signed_date: str  # the date of standard.decree, in words


def _sheet(standard: ServiceStandard) -> Sheet:
    sections = catalogue_pages.component_sections(standard)
    url = settings.SITE_URL + standard.get_absolute_url()
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(border=0, omitsize=True, title=f"Kode QR: {url}")
    return Sheet(
        standard=standard,
        groups=[(key, label, sections[key]) for key, label in Group.choices],
        procedure=catalogue_pages.procedure_sections(standard),
        url=url,
        qr_svg=mark_safe(svg),  # segno escapes the URL in its own SVG
        signed_date=long_date(standard.decree.signed_date),
    )


def _render(template: str, context: dict) -> bytes:
    with translation.override("id"):
        context["signed_date"] = long_date(context["decree"].signed_date)
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


def _shown_version(today, number):
    """The standard's version printed (in force on `today`, or `number`), for subqueries."""
    versions = StandardVersion.objects.filter(standard=OuterRef("pk"))
    if number is not None:
        return versions.filter(number=number)
    return versions.filter(valid_from__lte=today).order_by("-number")


def sheet_key(standard: ServiceStandard, number=None) -> str:
    return "|".join(
        [
            "sheet",
            str(standard.pk),
            # The version printed, the latest one published, the decree listing it and the
            # decree that set the version (whose signatory signs it): a draft's edits
            # (updated_at) never change the sheet.
            str(number if number is not None else getattr(standard, "in_force", None)),
            str(standard.version),
            str(standard.decree_id),
            _stamp(standard.agency.updated_at),
            _stamp(standard.decree.updated_at),
            str(getattr(standard, "signed_by", None)),
            _stamp(getattr(standard, "signed_by_updated", None)),
            settings.SITE_URL,
        ]
    )


@require_safe
@public_page(300)
def service_pdf(request, agency, service, number=None):
    """The sheet of the version in force (or of version `number`), as that version reads,
    signed with the decree that set that version."""
    now = timezone.now()
    today = catalogue_pages.agency_today(agency, now)  # for the cache key, before anything is read
    shown = _shown_version(today, number)
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
            .annotate(
                in_force=Subquery(_shown_version(today, None).values("number")[:1]),
                signed_by=Subquery(shown.values("decree_id")[:1]),
                signed_by_updated=Subquery(shown.values("decree__updated_at")[:1]),
            )
            .get(agency__slug=agency, slug=service)
        )
    except ServiceStandard.DoesNotExist as exc:
        raise Http404 from exc
    if number is not None and not 1 <= number <= head.version:
        raise Http404

    def build() -> bytes:
        try:
            page = catalogue_pages.service_page(agency, service, now=now, number=number)
        except ServiceStandard.DoesNotExist as exc:
            raise Http404 from exc
        standard = page.standard
        decree = standard.decree  # the decree that set the version shown
        context = {
            "agency": standard.agency,
            "decree": decree,
            "sheets": [_sheet(standard)],
            "doc_title": f"{standard.name} — Standar Pelayanan {standard.agency.name}",
            "doc_description": (
                f"Standar pelayanan {standard.name} pada {standard.agency.name}: 14 komponen "
                f"sesuai Keputusan Nomor {decree.number}."
            ),
            "running_title": f"Standar Pelayanan: {standard.name}",
            "version": page.version,
            "past": not page.is_current,
        }
        return _render("pdf/service_sheet.html", context)

    suffix = f"-versi-{number}" if number is not None else ""
    stamps = [head.updated_at, head.agency.updated_at, head.decree.updated_at]
    if head.signed_by_updated:
        stamps.append(head.signed_by_updated)
    return _pdf_response(
        request,
        key=sheet_key(head, number),
        last_modified=max(stamps),
        filename=f"standar-pelayanan-{head.agency.slug}-{head.slug}{suffix}.pdf",
        build=build,
    )


def version_pdf(request, agency, service, number):
    return service_pdf(request, agency, service, number=number)


# --- A whole decree ------------------------------------------------------------------------


LISTED = Q(services__withdrawn_on__isnull=True)


def _versions_of(decree_filter: str):
    """For a subquery: the versions of a decree (`decree`) or of the standards it lists now
    (`standard__decree`), newest first."""
    return StandardVersion.objects.filter(**{decree_filter: OuterRef("pk")}).order_by("-pk")


def decree_header(agency_slug: str, pk: int | None = None) -> Decree:
    """The agency's decree in force (the latest one listing services, never an amendment) or
    any decree `pk` of the agency, with what the cache key needs (1 query): its agency, the
    decree it amends, a summary of its standards and versions, and of its amendments."""
    decrees = Decree.objects.filter(agency__slug=agency_slug)
    if pk is not None:
        decrees = decrees.filter(pk=pk)
    else:
        decrees = decrees.filter(amends__isnull=True)
    amendments = Decree.objects.filter(amends=OuterRef("pk")).order_by().values("amends")
    decree = (
        decrees.select_related("agency", "amends__agency")
        .annotate(
            service_count=Count("services", filter=LISTED),
            listed_ever=Count("services"),
            version_sum=Sum("services__version", filter=LISTED),
            services_updated=Max("services__updated_at"),
            versions_set=Subquery(
                StandardVersion.objects.filter(decree=OuterRef("pk"))
                .values("decree")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            last_version=Subquery(_versions_of("decree").values("pk")[:1]),
            last_listed_version=Subquery(_versions_of("standard__decree").values("pk")[:1]),
            amendment_count=Coalesce(
                Subquery(amendments.annotate(n=Count("pk")).values("n")[:1]), 0
            ),
            amendments_updated=Subquery(
                amendments.annotate(last=Max("updated_at")).values("last")[:1]
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


@dataclass
class Amendment:
    """An amending decree as a consolidated text lists it: what it changed, where it is."""

    decree: Decree
    signed_date: str
    changes: list[tuple[int, str, date]]  # (number, name, valid from) of each service changed
    url: str  # its signed text


@dataclass
class DecreeDocument:
    decree: Decree  # the decree whose text (head, preamble, signature) is printed
    standards: list[ServiceStandard]  # each as printed; its .decree is the one that set it
    consolidated: bool = False  # the decree in force with its amendments
    amendments: list[Amendment] = field(default_factory=list)
    as_of: date | None = None  # the day the standards are in force on (the decree in force)

    @property
    def amendment_numbers(self) -> str:
        """Joined as a title says them: A; A dan Nomor B; A, Nomor B dan Nomor C."""
        numbers = [a.decree.number for a in self.amendments]
        if len(numbers) <= 1:
            return "".join(numbers)
        return ", Nomor ".join(numbers[:-1]) + " dan Nomor " + numbers[-1]


def past_decree_url(decree: Decree) -> str:
    return reverse(
        "services:past_decree_pdf", kwargs={"agency": decree.agency.slug, "decree": decree.pk}
    )


def decree_in_force(decree: Decree, *, today) -> DecreeDocument:
    """The decree listing services now, each standard as in force on `today` and signed by
    the decree that set that version; with its amendments, if any (a fixed number of
    queries)."""
    standards = (
        ServiceStandard.objects.filter(decree=decree, withdrawn_on__isnull=True)
        .select_related("agency", "decree")
        .prefetch_related("agency__channels", _versions())
        .order_by("number")
    )
    shown = []
    changes: dict[int, list[tuple[int, str, date]]] = {}
    for standard in standards:
        versions = list(standard.versions.all())
        version = in_force(versions, today)
        snapshot = version.snapshot if version else standard_snapshot(standard)
        signed_by = version_decree(version, listing=decree)
        shown.append(standard_as_of(standard, snapshot, decree=signed_by))
        seen = set()
        for v in versions:
            if v.decree.amends_id == decree.pk and v.decree_id not in seen:
                seen.add(v.decree_id)
                entry = (v.snapshot["number"], v.snapshot["name"], v.valid_from)
                changes.setdefault(v.decree_id, []).append(entry)
    amendments = []
    if getattr(decree, "amendment_count", None) != 0:  # only an annotated 0 skips the query
        for amending in decree.amendments.select_related("agency").order_by("signed_date", "pk"):
            amendments.append(
                Amendment(
                    decree=amending,
                    signed_date=long_date(amending.signed_date),
                    changes=sorted(changes.get(amending.pk, [])),
                    url=settings.SITE_URL + past_decree_url(amending),
                )
            )
    return DecreeDocument(
        decree, shown, consolidated=bool(amendments), amendments=amendments, as_of=today
    )


def decree_as_signed(decree: Decree) -> DecreeDocument:
    """The decree as it was signed, from the snapshots of the versions it set: for each
    service, the first version under it; for a service it listed again unchanged, the version
    in force on its date. An amending decree lists only the services it changed."""
    versions = (
        StandardVersion.objects.filter(Q(decree=decree) | Q(standard__decree=decree))
        .select_related("decree", "standard__agency", "standard__decree")
        .prefetch_related("standard__agency__channels")
        .order_by("standard_id", "number")
    )
    by_standard: dict[int, list[StandardVersion]] = {}
    for version in versions:
        by_standard.setdefault(version.standard_id, []).append(version)
    shown = []
    for group in by_standard.values():
        own = [v for v in group if v.decree_id == decree.pk]
        version = own[0] if own else in_force(group, decree.signed_date)
        shown.append(standard_as_of(version.standard, version.snapshot, decree=decree))
    return DecreeDocument(decree, sorted(shown, key=lambda s: s.number))


def decree_document(agency_slug: str, *, today, pk: int | None = None) -> DecreeDocument:
    """The agency's decree in force (consolidated when amended), or decree `pk` as signed."""
    decree = decree_header(agency_slug, pk)
    if pk is None:
        return decree_in_force(decree, today=today)
    return decree_as_signed(decree)


def decree_key(decree: Decree, *, current: bool = True) -> str:
    return "|".join(
        [
            "decree-in-force" if current else "decree-signed",
            str(decree.pk),
            str(decree.versions_set),
            str(decree.last_version),
            str(decree.last_listed_version),
            _stamp(decree.updated_at),
            _stamp(decree.agency.updated_at),
            _stamp(decree.amends.updated_at if decree.amends_id else None),
            str(decree.amendment_count),
            _stamp(decree.amendments_updated),
            str(decree.service_count),
            str(decree.listed_ever),
            str(decree.version_sum or 0),
            _stamp(decree.services_updated),
            settings.SITE_URL,
        ]
    )


def _decree_context(document: DecreeDocument) -> dict:
    decree = document.decree
    agency = decree.agency
    count = len(document.standards)
    title = f"Keputusan Nomor {decree.number} tentang {decree.title}"
    running = f"Keputusan Nomor {decree.number} — {agency.short_name}"
    if document.consolidated:
        numbers = document.amendment_numbers
        title += f" sebagaimana telah diubah dengan Keputusan Nomor {numbers}"
        running += " (konsolidasi)"
    if decree.amends_id:
        description = (
            f"Keputusan Kepala {agency.name} Nomor {decree.number} tentang {decree.title}, "
            f"dengan lampiran {count} standar pelayanan yang diubahnya."
        )
    else:
        description = (
            f"Keputusan Kepala {agency.name} Nomor {decree.number} tentang {decree.title}"
            f"{' sebagaimana telah diubah' if document.consolidated else ''}, "
            f"dengan lampiran {count} standar pelayanan."
        )
    return {
        "agency": agency,
        "decree": decree,
        "base": decree.amends,
        "base_signed_date": long_date(decree.amends.signed_date) if decree.amends_id else "",
        "document": document,
        "as_of": long_date(document.as_of) if document.as_of else "",
        "sheets": [_sheet(standard) for standard in document.standards],
        "doc_title": title,
        "doc_description": description,
        "running_title": running,
        "signed_url": settings.SITE_URL + past_decree_url(decree),
    }


@require_safe
@public_page(300)
def decree_pdf(request, agency, decree=None):
    """The agency's decree in force (consolidated with its amendments, if any), or any of its
    decrees, amending ones included, as it was signed."""
    try:
        header = decree_header(agency, decree)
    except Decree.DoesNotExist as exc:
        raise Http404 from exc
    agency_obj = header.agency
    today = agency_date(agency_obj.timezone, timezone.now())
    current = decree is None

    def build() -> bytes:
        if current:
            document = decree_in_force(header, today=today)
        else:
            document = decree_as_signed(header)
        return _render("pdf/decree.html", _decree_context(document))

    stamps = [header.updated_at, agency_obj.updated_at]
    if header.services_updated:
        stamps.append(header.services_updated)
    if header.amendments_updated:
        stamps.append(header.amendments_updated)
    suffix = "" if current else f"-keputusan-{header.pk}"
    return _pdf_response(
        request,
        key=decree_key(header, current=current) + (f"|{today}" if current else ""),
        last_modified=max(stamps),
        filename=f"standar-pelayanan-{agency_obj.slug}{suffix}.pdf",
        build=build,
    )
