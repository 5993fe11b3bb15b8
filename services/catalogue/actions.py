"""Writes to the catalogue: loading a decree fixture and keeping derived fields current.

A decree file describes an agency, its decree and its service standards. Loading it is one
transaction and idempotent: children are updated in place by their order, unchanged services
are left alone (their fingerprint matches) and keep their history, and a service whose content
changed gets a new published version valid from the decree's date (services.catalogue.versions).
Services the decree no longer lists are withdrawn from that date, never deleted: their requests
and versions stay. A decree older than the one a service is already under leaves it alone, so
loading last year's file again never undoes this year's.
Apps above this one add what they keep of a decree (the complaints app: its tiers) with
`register_decree_part`, so the catalogue never imports them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from services.catalogue.components import TEXT_COMPONENTS
from services.catalogue.models.agencies import Agency, ComplaintChannel, Decree
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
from services.catalogue.versions import standard_record_version

# Loaders of the parts of an agency's decree data that other apps keep: (agency=, data=).
_DECREE_PARTS: list[Callable[..., None]] = []


def register_decree_part(loader: Callable[..., None]) -> None:
    """Have `loader(agency=..., data=...)` run for every agency a decree load writes."""
    if loader not in _DECREE_PARTS:
        _DECREE_PARTS.append(loader)


@dataclass
class LoadStats:
    agency: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    versions: int = 0
    withdrawn: list[str] = field(default_factory=list)


def _sync(model, parent_filter: dict, rows: list[dict], key: str = "order") -> list:
    """Make the children matching `parent_filter` equal to `rows`, updating in place by key."""
    existing = {getattr(obj, key): obj for obj in model.objects.filter(**parent_filter)}
    kept = []
    for row in rows:
        obj = existing.pop(row[key], None)
        if obj is None:
            obj = model(**parent_filter, **row)
        else:
            for name, value in row.items():
                setattr(obj, name, value)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        kept.append(obj)
    if existing:
        model.objects.filter(pk__in=[o.pk for o in existing.values()]).delete()
    return kept


# The text of the one item of a sub-heading the decree leaves empty (`items: []`): the
# decrees' own mark for "nothing here", shown as "Tidak dicantumkan dalam keputusan." like an
# empty component; an item's text is required, so officials see and keep it in the admin.
EMPTY_ITEM = "-"


def _text_item_rows(items: list[Any]) -> list[dict]:
    rows: list[dict] = []
    for item in items:
        if isinstance(item, dict):
            for text in item["items"] or [EMPTY_ITEM]:
                rows.append({"heading": item["heading"], "text": text})
        else:
            rows.append({"heading": "", "text": item})
    return [dict(order=i, **row) for i, row in enumerate(rows, start=1)]


def _channel_rows(channels: list[dict] | None) -> list[dict]:
    return [
        {"order": i, "kind": c["kind"], "value": c["value"], "note": c.get("note") or ""}
        for i, c in enumerate(channels or [], start=1)
    ]


def _sync_channels(parent_filter: dict, channels: list[dict] | None) -> bool:
    """Make the complaint channels matching `parent_filter` those of the fixture; True when
    anything changed."""
    fields = ("order", "kind", "value", "note")
    before = list(ComplaintChannel.objects.filter(**parent_filter).values_list(*fields))
    rows = _channel_rows(channels)
    _sync(ComplaintChannel, parent_filter, rows)
    return sorted(before) != sorted(tuple(r[f] for f in fields) for r in rows)


def _fingerprint(data: Any) -> str:
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _agency_fields(data: dict) -> dict:
    keys = (
        "code name short_name government level region province city address postal_code "
        "phone fax email website timezone"
    ).split()
    return {k: (data.get(k) or "") for k in keys}


def _decree_fields(data: dict) -> dict:
    return {
        "title": data["title"],
        "year": data["year"],
        "signed_place": data["signed_place"],
        "signed_date": data["signed_date"],
        "signatory_title": data["signatory_title"],
        "signatory_name": data["signatory_name"],
        "signatory_rank": data.get("signatory_rank") or "",
        "signatory_nip": data.get("signatory_nip") or "",
        "considerations": data.get("considerations") or [],
        "references": data.get("references") or [],
        "decisions": [
            {"label": d["label"], "text": d["text"], "items": d.get("items") or []}
            for d in data.get("decisions") or []
        ],
    }


def _update_fields(obj, fields: dict) -> bool:
    changed = any(getattr(obj, k) != v for k, v in fields.items())
    for k, v in fields.items():
        setattr(obj, k, v)
    return changed


@transaction.atomic
def decree_load(*, data: dict) -> LoadStats:
    """Create or update an agency, its decree and its standards from a validated fixture."""
    a = data["agency"]
    agency = Agency.objects.filter(slug=a["slug"]).first() or Agency(slug=a["slug"])
    if _update_fields(agency, _agency_fields(a)) or agency.pk is None:
        agency.full_clean()
        agency.save()
    stats = LoadStats(agency=agency.slug)

    # The agency's own channels only: a service's channels (standard set) are its own.
    if _sync_channels({"agency": agency, "standard": None}, a.get("channels")):
        agency.save(update_fields=["updated_at"])  # its printed sheets show the channels
    for load_part in _DECREE_PARTS:
        load_part(agency=agency, data=a)

    d = data["decree"]
    decree = Decree.objects.filter(agency=agency, number=d["number"]).first() or Decree(
        agency=agency, number=d["number"]
    )
    if _update_fields(decree, _decree_fields(d)) or decree.pk is None:
        decree.full_clean()
        decree.save()

    now = timezone.now()
    slugs = []
    for s in data["services"]:
        slugs.append(s["slug"])
        outcome = _load_service(agency, decree, s, stats=stats, now=now)
        setattr(stats, outcome, getattr(stats, outcome) + 1)
    gone = (
        ServiceStandard.objects.filter(agency=agency, withdrawn_on__isnull=True)
        .exclude(slug__in=slugs)
        .exclude(decree__signed_date__gt=decree.signed_date)
    )
    stats.withdrawn = list(gone.values_list("slug", flat=True))
    gone.update(withdrawn_on=decree.signed_date, withdrawn_by=decree, updated_at=now)
    return stats


def _governed_by_later(standard: ServiceStandard, decree: Decree) -> bool:
    """A later decree already lists or withdrew the service: an older one leaves it alone."""
    later = [standard.decree] + ([standard.withdrawn_by] if standard.withdrawn_by else [])
    return any(d.signed_date > decree.signed_date for d in later)


def _load_service(agency: Agency, decree: Decree, s: dict, *, stats: LoadStats, now) -> str:
    fingerprint = _fingerprint(s)
    standard = (
        ServiceStandard.objects.filter(agency=agency, slug=s["slug"])
        .select_related("decree", "withdrawn_by")
        .first()
    )
    if standard and _governed_by_later(standard, decree):
        return "unchanged"
    relisted = standard is not None and standard.is_withdrawn
    if relisted:
        standard.withdrawn_on = None
        standard.withdrawn_by = None
    if standard and standard.source_hash == fingerprint:
        if standard.decree_id != decree.pk or relisted:
            # Listed again unchanged by a new decree: its versions stand as they are.
            standard.decree = decree
            standard.save(update_fields=["decree", "withdrawn_on", "withdrawn_by", "updated_at"])
        return "unchanged"
    outcome = "created" if standard is None else "updated"
    standard = standard or ServiceStandard(agency=agency, slug=s["slug"])
    standard.decree = decree
    standard.number = s["number"]
    standard.name = s["name"]
    standard.unit = s.get("unit") or ""
    standard.requirements_note = s.get("requirements_note") or ""
    standard.timeframe_text = s["timeframe"]
    standard.fee_amount = s["fee"]["amount"]
    standard.fee_text = s["fee"]["text"]
    standard.product_is_document = s.get("product_document", False)
    standard.staff_count = s["staff_count"]["count"]
    standard.staff_count_text = s["staff_count"]["text"]
    standard.source_hash = fingerprint
    standard.full_clean(exclude=["search_document"])
    standard.save()

    _sync(
        Requirement,
        {"standard": standard},
        [
            {
                "order": i,
                "text": r["text"],
                "conditional": r.get("conditional", False),
                "document": r.get("document", True),
            }
            for i, r in enumerate(s["requirements"], start=1)
        ],
    )
    groups = _sync(
        ProcedureGroup,
        {"standard": standard},
        [
            {"order": i, "heading": g.get("heading") or "", "flow": g.get("flow") or {}}
            for i, g in enumerate(s["procedure"], start=1)
        ],
    )
    for group, g in zip(groups, s["procedure"], strict=True):
        _sync(
            ProcedureStep,
            {"group": group},
            [
                {"order": i, "text": st["text"], "actor": st.get("actor") or ""}
                for i, st in enumerate(g["steps"], start=1)
            ],
        )
    refs = []
    for i, ref in enumerate(s["legal_basis"], start=1):
        regulation, _ = Regulation.objects.get_or_create(
            kind=ref["kind"],
            issuer=ref.get("issuer") or "",
            number=str(ref["number"]),
            year=ref["year"],
            defaults={"title": ref["title"]},
        )
        refs.append({"order": i, "regulation": regulation, "text": ref["text"]})
    _sync(LegalReference, {"standard": standard}, refs)
    for component in TEXT_COMPONENTS:
        _sync(
            ComponentItem,
            {"standard": standard, "component": component.value},
            _text_item_rows(s[component.value]),
        )
    _sync_channels({"agency": agency, "standard": standard}, s.get("channels"))
    standard_refresh_derived(standard=standard)
    version = standard_record_version(
        standard=standard,
        decree=decree,
        source=StandardVersion.Source.DECREE,
        reason=f"Ditetapkan dengan Keputusan Nomor {decree.number}",
        valid_from=decree.signed_date,
        now=now,
    )
    stats.versions += version is not None
    return outcome


def standard_refresh_derived(*, standard: ServiceStandard) -> None:
    """Recompute what is derived from a standard's wording: stages, bound, search text."""
    timeframe = parse_timeframe(standard.timeframe_text)
    _sync(
        TimeframeStage,
        {"standard": standard},
        [
            {
                "order": i,
                "label": stage.label,
                "amount": stage.amount,
                "unit": stage.unit.value if stage.unit else "",
                "wording": stage.wording,
            }
            for i, stage in enumerate(timeframe.stages, start=1)
        ],
    )
    parts = [standard.name, standard.unit, standard.agency.name, standard.agency.region]
    parts += [r.text for r in standard.requirements.all()]
    parts += [step.text for step in ProcedureStep.objects.filter(group__standard=standard)]
    parts += [item.text for item in standard.items.filter(component="product")]
    stage = timeframe.governing_stage()
    ServiceStandard.objects.filter(pk=standard.pk).update(
        max_working_minutes=stage.rough_minutes() if stage else None,
        search_document="\n".join(p for p in parts if p),
    )
