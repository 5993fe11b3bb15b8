"""Reads of the catalogue that span models, shaped for the pages that show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import caches
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from portal.caching import catalogue_version
from services.catalogue.components import COMPONENTS, TEXT_COMPONENTS, Group
from services.catalogue.models.agencies import Agency, ComplaintChannel
from services.catalogue.models.standards import ComponentItem, ServiceStandard
from services.catalogue.models.versions import StandardVersion
from services.catalogue.versions import (
    agency_date,
    in_force,
    published_standard,
    valid_until,
    version_decree,
)


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


def with_versions(qs: QuerySet[ServiceStandard]) -> QuerySet[ServiceStandard]:
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
    does from the same list, services.catalogue.pdf_views.decree_in_force).
    """
    standard = (
        with_versions(ServiceStandard.objects.select_related("agency", "decree", "withdrawn_by"))
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


@dataclass
class ProcedureView:
    heading: str
    steps: list
    chart: object


def procedure_sections(standard: ServiceStandard) -> list[ProcedureView]:
    from services.catalogue.flows import layout

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
