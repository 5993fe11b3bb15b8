"""Versions of a service standard: the snapshot of its fourteen components, the version in
force on a day, publishing a draft, the decree that set a version, and reading a version back
as a standard.

A snapshot is plain JSON built from the standard's rows by one function (`standard_snapshot`),
so what was published can be shown, printed and compared long after the rows were edited. The
version in force on a day is the highest-numbered version valid from that day or earlier (a
decree loaded before its date leaves the previous version in force until then). Publishing
needs the approving role (`services.publish_standardversion`, the head of agency) and records
who prepared the draft, who approved it, when, why and under which decree: the decree listing
the service (a correction), or an amending decree (a Decree whose `amends` is that decree),
recorded with its own number, date, place and signatory when it is first published under. A
version is signed by the decree that set it (`version_decree`): its own decree, except that
the version in force under a decree that listed the service again unchanged is that decree's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.admin_scoping import may_work_for
from services.catalogue.components import TEXT_COMPONENTS
from services.catalogue.models.agencies import Decree
from services.catalogue.models.standards import (
    ComponentItem,
    LegalReference,
    ProcedureGroup,
    ProcedureStep,
    Regulation,
    Requirement,
    ServiceStandard,
    TimeframeStage,
)
from services.catalogue.models.versions import StandardVersion
from services.catalogue.timeframes import parse_timeframe

PUBLISH_PERMISSION = "services.publish_standardversion"


# --- Snapshot -------------------------------------------------------------------------------


def standard_snapshot(standard) -> dict[str, Any]:
    """Everything the fourteen components say, from the standard's current rows.

    Reads the rows through their related names only, so the data migration can call it with
    historical models too.
    """
    items: dict[str, list[dict]] = {key: [] for key in TEXT_COMPONENTS}
    for item in sorted(standard.items.all(), key=lambda i: (i.component, i.order)):
        items.setdefault(item.component, []).append({"heading": item.heading, "text": item.text})
    return {
        "number": standard.number,
        "name": standard.name,
        "unit": standard.unit,
        "requirements": [
            {
                "id": r.pk,
                "text": r.text,
                "conditional": r.conditional,
                "document": r.document,
            }
            for r in sorted(standard.requirements.all(), key=lambda r: r.order)
        ],
        "requirements_note": standard.requirements_note,
        "procedure": [
            {
                "heading": g.heading,
                "flow": g.flow or {},
                "steps": [
                    {"text": s.text, "actor": s.actor}
                    for s in sorted(g.steps.all(), key=lambda s: s.order)
                ],
            }
            for g in sorted(standard.procedure_groups.all(), key=lambda g: g.order)
        ],
        "timeframe": standard.timeframe_text,
        "fee": {"amount": standard.fee_amount, "text": standard.fee_text},
        "product_is_document": standard.product_is_document,
        "legal_basis": [
            {
                "text": ref.text,
                "kind": ref.regulation.kind,
                "issuer": ref.regulation.issuer,
                "number": ref.regulation.number,
                "year": ref.regulation.year,
                "title": ref.regulation.title,
            }
            for ref in sorted(standard.legal_references.all(), key=lambda r: r.order)
        ],
        "staff_count": {"count": standard.staff_count, "text": standard.staff_count_text},
        **{key: items[key] for key in TEXT_COMPONENTS},
    }


def snapshot_fingerprint(snapshot: dict) -> str:
    """The content's hash; row ids are left out, so recreated rows with the same text match."""
    content = dict(snapshot)
    content["requirements"] = [
        {k: v for k, v in r.items() if k != "id"} for r in snapshot.get("requirements", [])
    ]
    blob = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


# --- Which version -------------------------------------------------------------------------


def in_force(versions: list[StandardVersion], day: date) -> StandardVersion | None:
    """Of a standard's versions, the one in force on `day` (the first one before any)."""
    if not versions:
        return None
    ordered = sorted(versions, key=lambda v: v.number)
    valid = [v for v in ordered if v.valid_from <= day]
    return valid[-1] if valid else ordered[0]


def agency_date(tz: str, at: datetime) -> date:
    """The date `at` falls on in an agency's zone: its versions take effect on its own days."""
    return timezone.localtime(at, ZoneInfo(tz)).date()


def version_in_force(standard: ServiceStandard, *, at: datetime) -> StandardVersion | None:
    day = agency_date(standard.agency.timezone, at)
    return in_force(list(standard.versions.select_related("decree")), day)


def valid_until(versions: list[StandardVersion], version: StandardVersion) -> date | None:
    """The day the next version took over from `version`, if any."""
    later = [v.valid_from for v in versions if v.number > version.number]
    return min(later) if later else None


def version_decree(version: StandardVersion | None, *, listing: Decree | None = None) -> Decree:
    """The decree that set `version`: the one its sheet is signed with and its appendix names.

    `listing` is given for the version in force under the decree that lists the service now:
    a version set by an older decree (the service listed again unchanged) is that decree's,
    one set by the listing decree or by an amendment of it is its own. A past version, or any
    version without `listing`, is its own decree's; no version at all is the listing decree's.
    """
    if version is None:
        if listing is None:
            raise ValueError("Either a version or the listing decree is needed.")
        return listing
    decree = version.decree
    if listing is None or decree.pk == listing.pk or decree.amends_id == listing.pk:
        return decree
    return listing


@dataclass
class DecreeHistory:
    """An agency's decrees as its public page lists them."""

    current: Decree | None  # the latest decree listing services (never an amendment)
    amendments: list[Decree] = field(default_factory=list)  # of the current one, oldest first
    earlier: list[Decree] = field(default_factory=list)  # the rest, newest first


def decree_history(decrees: Iterable[Decree]) -> DecreeHistory:
    """Sort an agency's decrees into the one in force, its amendments and the earlier ones."""
    newest_first = sorted(decrees, key=lambda d: (d.signed_date, d.pk), reverse=True)
    current = next((d for d in newest_first if d.amends_id is None), None)
    if current is None:
        return DecreeHistory(None, [], newest_first)
    amendments = [d for d in reversed(newest_first) if d.amends_id == current.pk]
    earlier = [d for d in newest_first if d != current and d.amends_id != current.pk]
    return DecreeHistory(current, amendments, earlier)


# --- Writing versions ----------------------------------------------------------------------


def _next_number(standard: ServiceStandard) -> tuple[int, StandardVersion | None]:
    latest = standard.versions.order_by("-number").first()
    return (latest.number + 1 if latest else 1), latest


def standard_record_version(
    *,
    standard: ServiceStandard,
    decree: Decree,
    source: str,
    reason: str,
    valid_from: date,
    now: datetime,
    amendment: str = "",
    created_by=None,
    approved_by=None,
) -> StandardVersion | None:
    """Publish the standard's rows as its next version; None when they say nothing new."""
    snapshot = standard_snapshot(standard)
    fingerprint = snapshot_fingerprint(snapshot)
    number, latest = _next_number(standard)
    if latest is not None and latest.fingerprint == fingerprint:
        return None
    version = StandardVersion(
        standard=standard,
        number=number,
        snapshot=snapshot,
        fingerprint=fingerprint,
        source=source,
        decree=decree,
        amendment=amendment,
        valid_from=valid_from,
        reason=reason,
        created_by=created_by,
        approved_by=approved_by,
        published_at=now,
    )
    version.full_clean()
    version.save()
    ServiceStandard.objects.filter(pk=standard.pk).update(version=number, updated_at=now)
    standard.version = number
    return version


def may_publish(user, standard: ServiceStandard) -> bool:
    return user.has_perm(PUBLISH_PERMISSION) and may_work_for(user, standard.agency_id)


@dataclass(frozen=True)
class AmendingDecree:
    """A new amending decree as the approver records it when publishing the first version it
    sets; its other services are published under the recorded Decree afterwards."""

    number: str
    signed_date: date
    signed_place: str
    signatory_title: str
    signatory_name: str
    signatory_rank: str = ""
    signatory_nip: str = ""
    title: str = ""  # empty: "Perubahan atas Keputusan … Nomor … tentang …"


def amendment_title(base: Decree) -> str:
    return (
        f"Perubahan atas Keputusan Kepala {base.agency.name} Nomor {base.number} "
        f"tentang {base.title}"
    )


def _record_amending_decree(*, base: Decree, amendment: AmendingDecree) -> Decree:
    number = amendment.number.strip()
    if Decree.objects.filter(agency_id=base.agency_id, number=number).exists():
        raise ValidationError(
            {
                "amendment_number": _(
                    "Keputusan Nomor %(number)s sudah tercatat untuk instansi ini: pilih dari "
                    "daftar keputusan perubahan, atau periksa nomornya."
                )
                % {"number": number}
            }
        )
    if amendment.signed_date <= base.signed_date:
        raise ValidationError(
            {
                "amendment_date": _(
                    "Keputusan perubahan ditetapkan sesudah keputusan yang diubahnya (%(date)s)."
                )
                % {"date": base.signed_date.strftime("%d-%m-%Y")}
            }
        )
    decree = Decree(
        agency_id=base.agency_id,
        amends=base,
        number=number,
        title=amendment.title.strip() or amendment_title(base),
        year=amendment.signed_date.year,
        signed_place=amendment.signed_place.strip(),
        signed_date=amendment.signed_date,
        signatory_title=amendment.signatory_title.strip(),
        signatory_name=amendment.signatory_name.strip(),
        signatory_rank=amendment.signatory_rank.strip(),
        signatory_nip=amendment.signatory_nip.strip(),
    )
    decree.full_clean()
    decree.save()
    return decree


def _amending_decree(standard: ServiceStandard, amended_by: Decree | AmendingDecree | None):
    """The decree the new version is set by: the listing one, or an amendment of it."""
    base = standard.decree
    if amended_by is None:
        return base
    if isinstance(amended_by, AmendingDecree):
        return _record_amending_decree(base=base, amendment=amended_by)
    if amended_by.amends_id != base.pk:
        raise ValidationError(
            {
                "amending_decree": _(
                    "Keputusan Nomor %(number)s tidak mengubah Keputusan Nomor %(base)s yang "
                    "memuat layanan ini."
                )
                % {"number": amended_by.number, "base": base.number}
            }
        )
    return amended_by


@transaction.atomic
def standard_publish(
    *,
    standard: ServiceStandard,
    actor,
    reason: str,
    valid_from: date,
    now: datetime,
    amended_by: Decree | AmendingDecree | None = None,
    amendment: str = "",
) -> StandardVersion:
    """The approver publishes the standard's draft as a new version: under the decree that
    lists it (a correction), or set by an amending decree, recorded here when it is new."""
    if not may_publish(actor, standard):
        raise PermissionDenied("Hanya Kepala Dinas instansi ini yang dapat menerbitkan versi.")
    locked = ServiceStandard.objects.select_for_update(of=("self",))
    standard = locked.select_related("decree__agency").get(pk=standard.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Tuliskan alasan perubahan.")})
    version = standard_record_version(
        standard=standard,
        decree=_amending_decree(standard, amended_by),
        source=StandardVersion.Source.APPROVAL,
        reason=reason.strip(),
        valid_from=valid_from,
        now=now,
        amendment=amendment.strip(),
        created_by=standard.draft_edited_by or actor,
        approved_by=actor,
    )
    if version is None:
        raise ValidationError(
            _("Draf sama dengan versi yang sudah terbit: tidak ada perubahan untuk diterbitkan.")
        )
    return version


def draft_differs(standard: ServiceStandard) -> bool:
    latest = standard.versions.order_by("-number").first()
    if latest is None:
        return True
    return latest.fingerprint != snapshot_fingerprint(standard_snapshot(standard))


# --- Reading a version back ----------------------------------------------------------------


def _cached(model, objects: list) -> QuerySet:
    """A queryset that already holds `objects`: iterating it reads nothing, and anything
    chained on it (filter, delete) matches no row, so a displayed version never writes."""
    qs = model.objects.none()
    qs._result_cache = list(objects)
    qs._prefetch_done = True
    return qs


def standard_as_of(
    standard: ServiceStandard, snapshot: dict, *, decree: Decree | None = None
) -> ServiceStandard:
    """The standard as `snapshot` reads, for display only (never saved): the same object the
    pages and sheets render, with its components taken from the snapshot."""
    shown = ServiceStandard(
        pk=standard.pk,
        agency=standard.agency,
        decree=decree or standard.decree,
        slug=standard.slug,
        number=snapshot["number"],
        name=snapshot["name"],
        unit=snapshot["unit"],
        requirements_note=snapshot["requirements_note"],
        timeframe_text=snapshot["timeframe"],
        fee_amount=snapshot["fee"]["amount"],
        fee_text=snapshot["fee"]["text"],
        product_is_document=snapshot["product_is_document"],
        staff_count=snapshot["staff_count"]["count"],
        staff_count_text=snapshot["staff_count"]["text"],
        version=standard.version,
        withdrawn_on=standard.withdrawn_on,
        withdrawn_by_id=standard.withdrawn_by_id,
        updated_at=standard.updated_at,
    )
    shown._state.adding = False
    shown._state.db = standard._state.db
    requirements = [
        Requirement(
            pk=r["id"],
            standard_id=standard.pk,
            order=i,
            text=r["text"],
            conditional=r["conditional"],
            document=r["document"],
        )
        for i, r in enumerate(snapshot["requirements"], start=1)
    ]
    groups = []
    for i, g in enumerate(snapshot["procedure"], start=1):
        group = ProcedureGroup(pk=i, order=i, heading=g["heading"], flow=g["flow"])
        steps = [
            ProcedureStep(order=j, text=s["text"], actor=s["actor"])
            for j, s in enumerate(g["steps"], start=1)
        ]
        group._prefetched_objects_cache = {"steps": _cached(ProcedureStep, steps)}
        groups.append(group)
    references = []
    for i, ref in enumerate(snapshot["legal_basis"], start=1):
        reference = LegalReference(order=i, text=ref["text"])
        reference.regulation = Regulation(
            kind=ref["kind"],
            issuer=ref["issuer"],
            number=ref["number"],
            year=ref["year"],
            title=ref["title"],
        )
        references.append(reference)
    items = [
        ComponentItem(component=key, order=i, heading=item["heading"], text=item["text"])
        for key in sorted(TEXT_COMPONENTS)
        for i, item in enumerate(snapshot.get(key, []), start=1)
    ]
    stages = [
        TimeframeStage(
            order=i,
            label=stage.label,
            amount=stage.amount,
            unit=stage.unit.value if stage.unit else "",
            wording=stage.wording,
        )
        for i, stage in enumerate(parse_timeframe(snapshot["timeframe"]).stages, start=1)
    ]
    shown._prefetched_objects_cache = {
        "requirements": _cached(Requirement, requirements),
        "procedure_groups": _cached(ProcedureGroup, groups),
        "legal_references": _cached(LegalReference, references),
        "items": _cached(ComponentItem, items),
        "timeframe_stages": _cached(TimeframeStage, stages),
    }
    if hasattr(standard, "_prefetched_objects_cache"):
        for name in ("versions",):
            if name in standard._prefetched_objects_cache:
                shown._prefetched_objects_cache[name] = standard._prefetched_objects_cache[name]
    return shown


def published_standard(
    standard: ServiceStandard, version: StandardVersion | None
) -> ServiceStandard:
    """The standard as its version reads (its rows as they are when none was recorded)."""
    if version is None:
        return standard_as_of(standard, standard_snapshot(standard))
    return standard_as_of(standard, version.snapshot)
