"""Writes to the catalogue: loading a decree fixture and keeping derived fields current."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from complaints.models import DEFAULT_TIER_DURATIONS, ComplaintTier
from portal.cases import code_matches, lock_numbering, new_access_code, next_number
from portal.records import record_event
from portal.uploads import check_upload, discard_stored, random_name
from portal.worktime import format_moment
from services import request_workflow as workflow
from services.calendars import agency_calendar
from services.components import TEXT_COMPONENTS
from services.deadlines import governing_deadline
from services.models import (
    Agency,
    Channel,
    ComplaintChannel,
    ComponentItem,
    Decree,
    LegalReference,
    ProcedureGroup,
    ProcedureStep,
    Regulation,
    RequestDocument,
    RequestEvent,
    RequestStatus,
    Requirement,
    ServiceRequest,
    ServiceStandard,
    TimeframeStage,
)
from services.timeframes import parse_timeframe


@dataclass
class LoadStats:
    agency: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


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


def _text_item_rows(items: list[Any]) -> list[dict]:
    rows: list[dict] = []
    for item in items:
        if isinstance(item, dict):
            for text in item["items"]:
                rows.append({"heading": item["heading"], "text": text})
        else:
            rows.append({"heading": "", "text": item})
    return [dict(order=i, **row) for i, row in enumerate(rows, start=1)]


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

    _sync(
        ComplaintChannel,
        {"agency": agency},
        [
            {"order": i, "kind": c["kind"], "value": c["value"], "note": c.get("note") or ""}
            for i, c in enumerate(a.get("channels") or [], start=1)
        ],
    )
    wording = {t["tier"]: t["wording"] for t in a.get("complaint_tiers") or []}
    for order, (tier, duration) in enumerate(DEFAULT_TIER_DURATIONS.items(), start=1):
        # Tier durations are agency data: a reload sets the decree's wording but keeps a
        # duration the agency has edited in the admin.
        obj, created = ComplaintTier.objects.get_or_create(
            agency=agency, tier=tier, defaults={"order": order, "duration": duration}
        )
        if obj.wording != wording.get(tier, ""):
            obj.wording = wording.get(tier, "")
            obj.save(update_fields=["wording"])

    d = data["decree"]
    decree = Decree.objects.filter(agency=agency, number=d["number"]).first() or Decree(
        agency=agency, number=d["number"]
    )
    if _update_fields(decree, _decree_fields(d)) or decree.pk is None:
        decree.full_clean()
        decree.save()

    slugs = []
    for s in data["services"]:
        slugs.append(s["slug"])
        outcome = _load_service(agency, decree, s)
        setattr(stats, outcome, getattr(stats, outcome) + 1)
    gone = ServiceStandard.objects.filter(agency=agency).exclude(slug__in=slugs)
    stats.removed = list(gone.values_list("slug", flat=True))
    gone.delete()
    return stats


def _load_service(agency: Agency, decree: Decree, s: dict) -> str:
    fingerprint = _fingerprint(s)
    standard = ServiceStandard.objects.filter(agency=agency, slug=s["slug"]).first()
    if standard and standard.source_hash == fingerprint and standard.decree_id == decree.pk:
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
    standard.staff_count = s["staff_count"]["count"]
    standard.staff_count_text = s["staff_count"]["text"]
    standard.source_hash = fingerprint
    if standard.pk:
        standard.version += 1
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
    standard_refresh_derived(standard=standard)
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


# --------------------------------------------------------------------------- requests


def request_code_matches(request: ServiceRequest, code: str) -> bool:
    return code_matches(request.access_hash, code)


def _deadline_record(deadline) -> dict:
    if deadline is None:
        return {"rule": "", "explain": "Keputusan tidak menetapkan batas waktu."}
    return {
        "rule": deadline.rule,
        "stage": deadline.label,
        "explain": deadline.explain(),
        "skipped": [[str(day.date), day.reason] for day in deadline.skipped],
    }


def _event(request, **fields):
    return record_event(RequestEvent, request=request, **fields)


def _stage_document(agency_slug: str, upload, *, requirement=None, now, by_staff=False):
    """Check an upload and write it to private storage; the row is not saved yet."""
    checked = check_upload(upload)
    document = RequestDocument(
        requirement=requirement,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_at=now,
        uploaded_by_staff=by_staff,
    )
    document.file.save(random_name(agency_slug, checked.extension), upload, save=False)
    return document


def _store_document(request, upload, *, requirement=None, now, by_staff=False):
    document = _stage_document(
        request.agency.slug, upload, requirement=requirement, now=now, by_staff=by_staff
    )
    document.request = request
    document.save()
    return document


@transaction.atomic
def request_submit(
    *,
    standard: ServiceStandard,
    applicant: dict,
    documents: dict[int, Any],
    now,
    received_at=None,
    channel: str = Channel.ONLINE,
    actor=None,
    submission_key=None,
) -> tuple[ServiceRequest, str | None]:
    """Register a request; returns it with its access code (None if it already existed).

    Receipt numbers have no gaps, so submissions to one agency take turns on its row lock
    until they commit. Everything that doesn't need the number (the deadline, the access
    code, checking and writing the documents) is done before taking the lock, so the turn is
    a few inserts long.
    """
    if submission_key is not None:
        existing = ServiceRequest.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing, None
    received_at = received_at or now
    if received_at > now:
        raise ValidationError({"received_at": "Waktu diterima tidak boleh di masa depan."})
    agency = standard.agency
    calendar = agency_calendar(agency)
    year = received_at.astimezone(calendar.tz).year
    code, access_hash = new_access_code()
    deadline = governing_deadline(parse_timeframe(standard.timeframe_text), calendar, received_at)
    request = ServiceRequest(
        agency=agency,
        standard=standard,
        year=year,
        access_hash=access_hash,
        submission_key=submission_key,
        channel=channel,
        received_at=received_at,
        due_at=deadline.due if deadline else None,
        due_rule=_deadline_record(deadline),
        **applicant,
    )
    request.full_clean(exclude=["number", "sequence"], validate_unique=False)
    requirements = {r.pk: r for r in standard.requirements.all()}
    rows = []
    try:
        for requirement_id, upload in documents.items():
            rows.append(
                _stage_document(
                    agency.slug,
                    upload,
                    requirement=requirements.get(requirement_id),
                    now=now,
                    by_staff=actor is not None,
                )
            )
        existing = lock_numbering(ServiceRequest, agency=agency, submission_key=submission_key)
        if existing is not None:
            discard_stored(rows)
            return existing, None
        request.sequence, request.number = next_number(ServiceRequest, agency=agency, year=year)
        request.save()
        for row in rows:
            row.request = request
        RequestDocument.objects.bulk_create(rows)
        _event(
            request,
            kind=RequestEvent.Kind.SUBMITTED,
            at=now,
            actor=actor,
            to_status=RequestStatus.RECEIVED,
            note=request.due_rule["explain"],
            data={"channel": channel, "received_at": received_at.isoformat()},
        )
    except BaseException:
        discard_stored(rows)
        raise
    transaction.on_commit(lambda: notify_request(request.pk, "receipt", code=code))
    return request, code


@transaction.atomic
def request_transition(
    *, request: ServiceRequest, to_status: str, actor, note: str, now, public: bool = True
) -> ServiceRequest:
    """Move a request to another status, pausing or resuming its clock as the rules say."""
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if not note.strip():
        raise ValidationError({"note": "Catatan wajib diisi untuk setiap perubahan status."})
    if not workflow.allowed(request.status, to_status):
        raise ValidationError(
            {
                "status": f"Status tidak dapat diubah dari '{request.get_status_display()}' "
                f"ke '{RequestStatus(to_status).label}'."
            }
        )
    from_status = request.status
    calendar = agency_calendar(request.agency)
    if workflow.pauses(from_status, to_status):
        remaining = calendar.pause(request.due_at, now) if request.due_at else None
        request.paused_at = now
        request.remaining_seconds = remaining
        _event(
            request,
            kind=RequestEvent.Kind.PAUSED,
            at=now,
            actor=actor,
            note=note,
            public=public,
            data={"remaining_seconds": remaining},
        )
    if workflow.resumes(from_status, to_status):
        request = _resume(request, calendar, actor=actor, now=now)
    request.status = to_status
    if to_status in workflow.CLOSED:
        request.closed_at = now
    request.full_clean()
    request.save()
    _event(
        request,
        kind=RequestEvent.Kind.STATUS,
        at=now,
        actor=actor,
        note=note,
        public=public,
        from_status=from_status,
        to_status=to_status,
    )
    if to_status in (RequestStatus.RETURNED, RequestStatus.DONE, RequestStatus.REJECTED):
        transaction.on_commit(lambda: notify_request(request.pk, to_status))
    return request


def _resume(request, calendar, *, actor, now):
    old_due = request.due_at
    if request.remaining_seconds is not None:
        request.due_at = calendar.resume(now, request.remaining_seconds)
    paused_seconds = calendar.working_seconds_between(request.paused_at, now)
    _event(
        request,
        kind=RequestEvent.Kind.RESUMED,
        at=now,
        actor=actor,
        note=(
            f"Waktu dilanjutkan; sisa {request.remaining_seconds or 0} detik kerja. "
            f"Jatuh tempo baru: {format_moment(request.due_at, calendar.tz)}"
            if request.due_at
            else "Waktu dilanjutkan."
        ),
        data={
            "old_due": old_due.isoformat() if old_due else None,
            "new_due": request.due_at.isoformat() if request.due_at else None,
            "paused_working_seconds": paused_seconds,
        },
    )
    request.paused_at = None
    request.remaining_seconds = None
    return request


@transaction.atomic
def request_resubmit(*, request: ServiceRequest, documents: list, note: str, now):
    """The applicant uploads what was missing: the clock restarts with the time that was left."""
    if request.status != RequestStatus.RETURNED:
        raise ValidationError("Permohonan ini tidak sedang menunggu kelengkapan dokumen.")
    if not documents:
        raise ValidationError({"documents": "Pilih paling sedikit satu dokumen."})
    for upload in documents:
        document = _store_document(request, upload, now=now)
        _event(
            request,
            kind=RequestEvent.Kind.DOCUMENT,
            at=now,
            note=f"Pemohon mengunggah {document.original_name}",
        )
    return request_transition(
        request=request,
        to_status=RequestStatus.RECEIVED,
        actor=None,
        now=now,
        note=note.strip() or "Pemohon melengkapi dokumen.",
    )


@transaction.atomic
def request_assign(*, request: ServiceRequest, assignee, actor, note: str, now):
    if (
        assignee is not None
        and getattr(getattr(assignee, "membership", None), "agency_id", None) != request.agency_id
        and not assignee.is_superuser
    ):
        raise ValidationError({"assignee": "Petugas harus dari instansi yang sama."})
    previous = request.assignee
    request.assignee = assignee
    request.save(update_fields=["assignee", "updated_at"])
    _event(
        request,
        kind=RequestEvent.Kind.ASSIGNED,
        at=now,
        actor=actor,
        public=False,
        note=note or f"Ditugaskan kepada {assignee or '-'}",
        data={"from": previous.pk if previous else None, "to": assignee.pk if assignee else None},
    )
    return request


def request_add_note(*, request: ServiceRequest, actor, note: str, public: bool, now):
    if not note.strip():
        raise ValidationError({"note": "Catatan tidak boleh kosong."})
    return _event(
        request, kind=RequestEvent.Kind.NOTE, at=now, actor=actor, note=note, public=public
    )


@transaction.atomic
def request_attach_product(*, request: ServiceRequest, upload, actor, now):
    checked = check_upload(upload)
    request.product.save(
        random_name(f"{request.agency.slug}/produk", checked.extension), upload, save=False
    )
    request.product_name = checked.original_name
    request.save(update_fields=["product", "product_name", "updated_at"])
    _event(
        request,
        kind=RequestEvent.Kind.PRODUCT,
        at=now,
        actor=actor,
        note=f"Produk layanan diunggah: {checked.original_name}",
    )
    return request


@transaction.atomic
def requests_recompute_deadlines(*, agency: Agency, actor, now, reason: str) -> int:
    """After a closure or holiday change: recompute the due time of running requests.

    Requests whose clock was paused and resumed keep their due time: it was derived from the
    working time that remained at the pause, not from the receipt.
    """
    agency = Agency.objects.get(pk=agency.pk)  # its calendar stamp changed with the closure
    calendar = agency_calendar(agency)
    changed = 0
    running = ServiceRequest.objects.running().filter(agency=agency).select_related("standard")
    for request in running.select_for_update():
        if request.events.filter(kind=RequestEvent.Kind.RESUMED).exists():
            continue  # resumed requests carry their own remaining time; left as they are
        deadline = governing_deadline(
            parse_timeframe(request.standard.timeframe_text), calendar, request.received_at
        )
        new_due = deadline.due if deadline else None
        if new_due == request.due_at:
            continue
        old_due = request.due_at
        request.due_at = new_due
        request.due_rule = _deadline_record(deadline)
        request.save(update_fields=["due_at", "due_rule", "updated_at"])
        _event(
            request,
            kind=RequestEvent.Kind.DEADLINE,
            at=now,
            actor=actor,
            note=reason,
            data={
                "old_due": old_due.isoformat() if old_due else None,
                "new_due": new_due.isoformat() if new_due else None,
            },
        )
        changed += 1
    return changed


def notify_request(request_id: int, kind: str, code: str | None = None) -> None:
    from services.notifications import send_request_email

    send_request_email(request_id, kind, code=code)


def tracking_url(request: ServiceRequest, code: str) -> str:
    from django.conf import settings
    from django.urls import reverse

    path = reverse("services:track_detail", kwargs={"number": request.number})
    return f"{settings.SITE_URL}{path}?kode={code}"
