"""Writes to service requests: intake on every channel, the staff's workflow, the applicant's
resubmission, and due moments after a calendar change.

Every write is one action in one transaction that validates, writes the history and queues
its emails in the outbox (sent after the commit; a failing mail server never fails the
action). `request_process` is the staff's whole workflow step (assignee, product, status,
note) and changes nothing unless all of it is valid.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.admin_scoping import may_work_for
from portal.cases import mail
from portal.cases.assignment import cases_assign
from portal.cases.codes import new_access_code
from portal.cases.durations import working_duration
from portal.cases.numbering import store_numbered
from portal.cases.records import record_assignment, record_event
from portal.cases.replay import code_for_copy
from portal.uploads import check_upload, discard_stored, random_name
from portal.worktime import format_moment
from services.catalogue.calendars import agency_calendar
from services.catalogue.deadlines import (
    ClockStop,
    StoppedClock,
    governing_deadline,
    replay,
    restart_clock,
    stop_clock,
)
from services.catalogue.models.agencies import Agency
from services.catalogue.models.standards import Requirement, ServiceStandard
from services.catalogue.timeframes import parse_timeframe
from services.catalogue.versions import standard_snapshot, version_in_force
from services.requests import workflow
from services.requests.models import (
    Channel,
    RequestDocument,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
)

KEEP: Any = object()  # request_process(assignee=KEEP): leave the assignee as it is
MAIL = "services.request"
NOTIFIED = (RequestStatus.RETURNED, RequestStatus.DONE, RequestStatus.REJECTED)


def _deadline_record(deadline) -> dict:
    if deadline is None:
        return {
            "rule": "",
            "explain": "Keputusan tidak menetapkan batas waktu.",
            "explain_en": "The decree sets no time limit.",
        }
    return {
        "rule": deadline.rule,
        "stage": deadline.label,
        "explain": deadline.explain(),
        "explain_en": deadline.explain("en"),  # for the emails and receipts read in English
        "skipped": [[str(day.date), day.reason] for day in deadline.skipped],
    }


def promised_timeframe(request: ServiceRequest) -> str:
    """The time limit the request was received under (its version's, whatever was edited)."""
    if request.version_id:
        return request.version.snapshot["timeframe"]
    return request.standard.timeframe_text


def _event(request, **fields):
    return record_event(RequestEvent, request=request, **fields)


def _notify(request: ServiceRequest, event: str, *, now) -> None:
    if request.email:
        mail.queue(composer=MAIL, params={"id": request.pk, "event": event}, now=now, case=request)


def _stage_document(
    agency_slug: str, upload, *, requirement=None, requirement_text="", now, by_staff=False
):
    """Check an upload and write it to private storage; the row is not saved yet."""
    checked = check_upload(upload)
    document = RequestDocument(
        requirement=requirement,
        requirement_text=requirement_text,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_at=now,
        uploaded_by_staff=by_staff,
    )
    document.file.save(random_name(agency_slug, checked.extension), upload, save=False)
    return document


# `version` of request_submit: the caller knows the version in force now (the form read it).
UNKNOWN = object()


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
    binding: str = "",
    version=UNKNOWN,
    language: str = "id",
) -> tuple[ServiceRequest, str | None]:
    """Register a request; returns it with its access code.

    The request is judged by the version of the standard in force when it was received: its
    time limit, and the requirements its documents answer (`documents` is keyed by the
    requirement ids that version lists), are read from that version and kept with the request.
    The same form sent again (the same submission key) returns the request it created; with
    the same code only when the same browser sent it to the same form shortly after
    (`binding`, see portal.cases.replay), so a citizen whose first answer was lost still
    reaches the receipt, and a key found anywhere else opens nothing (the code is None). Receipt
    numbers have no gaps, so submissions to one agency take turns on its row lock until they
    commit; everything that doesn't need the number (the deadline, the access code, checking
    and writing the documents) is done before taking the lock. A caller that has just read the
    version in force now (the request form) passes it as `version`. The request's emails are
    written in `language` (the submitting page's, see portal.cases.language).
    """
    # A copy already stored is found under the numbering lock (store_numbered), where a copy
    # sent at the same moment is found too: no lookup before.
    submission_key = submission_key or uuid.uuid4()
    received_at = received_at or now
    if received_at > now:
        raise ValidationError({"received_at": _("Waktu diterima tidak boleh di masa depan.")})
    code, access_hash, digest = new_access_code(submission_key)
    if standard.is_withdrawn:
        existing = ServiceRequest.objects.filter(submission_digest=digest).first()
        if existing is not None:  # sent again after the service was withdrawn
            return existing, code_for_copy(existing, binding=binding, now=now)
        raise ValidationError(
            _("Layanan ini dicabut sejak %(date)s: permohonan baru tidak dapat diterima.")
            % {"date": f"{standard.withdrawn_on:%d-%m-%Y}"}
        )
    agency = standard.agency
    calendar = agency_calendar(agency)
    year = received_at.astimezone(calendar.tz).year
    if version is UNKNOWN or received_at != now:
        version = version_in_force(standard, at=received_at)
    promised = version.snapshot if version else standard_snapshot(standard)
    deadline = governing_deadline(parse_timeframe(promised["timeframe"]), calendar, received_at)
    request = ServiceRequest(
        agency=agency,
        standard=standard,
        version=version,
        year=year,
        access_hash=access_hash,
        submission_digest=digest,
        submission_binding=binding,
        channel=channel,
        received_at=received_at,
        due_at=deadline.due if deadline else None,
        due_rule=_deadline_record(deadline),
        language=language,
        **applicant,
    )
    # The agency and standard are rows just read, and a new request (received) meets the
    # table's check constraints, which the database holds anyway: no query to re-check them.
    request.full_clean(
        exclude=["number", "sequence", "agency", "standard", "version"],
        validate_unique=False,
        validate_constraints=False,
    )
    requirements = {r["id"]: r for r in promised["requirements"]}
    # The rows of the requirements as they stand now, where they still exist.
    rows_now = Requirement.objects.order_by().in_bulk(
        [pk for pk in documents if pk in requirements]
    )
    rows = []
    try:
        for requirement_id, upload in documents.items():
            listed = requirements.get(requirement_id)
            rows.append(
                _stage_document(
                    agency.slug,
                    upload,
                    requirement=rows_now.get(requirement_id) if listed else None,
                    requirement_text=listed["text"] if listed else "",
                    now=now,
                    by_staff=actor is not None,
                )
            )
        request, stored = store_numbered(request, files=rows, case_field="request")
        if not stored:
            return request, code_for_copy(request, binding=binding, now=now)
        _event(
            request,
            kind=RequestEvent.Kind.SUBMITTED,
            at=now,
            actor=actor,
            to_status=RequestStatus.RECEIVED,
            note=request.due_rule["explain"],
            data={"channel": channel, "received_at": received_at.isoformat()},
        )
        _notify(request, "receipt", now=now)
    except BaseException:
        discard_stored(rows)
        raise
    return request, code


def _validate_process(request, *, actor, to_status, note, assignee, product, product_note):
    """Every reason the staff's step cannot be applied, by form field (nothing written)."""
    errors: dict[str, list[str]] = {}

    def error(field, message):
        errors.setdefault(field, []).append(message)

    if assignee is not KEEP and assignee is not None:
        if not may_work_for(assignee, request.agency_id):
            error("assignee", _("Petugas harus dari instansi yang sama."))
    if (product is not None or product_note) and not request.is_open:
        error("product", _("Permohonan sudah ditutup: produk tidak dapat diubah."))
    checked = None
    if product is not None:
        try:
            checked = check_upload(product)
        except ValidationError as exc:
            for message in exc.messages:
                error("product", message)
    if to_status:
        if not workflow.allowed(request.status, to_status):
            error(
                "to_status",
                f"Status tidak dapat diubah dari '{request.get_status_display()}' "
                f"ke '{RequestStatus(to_status).label}'.",
            )
        if not note:
            error("note", _("Catatan wajib diisi untuk setiap perubahan status."))
        if workflow.completes(to_status):
            if request.standard.product_is_document and not (product or request.product):
                error(
                    "product",
                    _(
                        "Produk layanan ini berupa dokumen: unggah berkasnya sebelum menyelesaikan "
                        "permohonan."
                    ),
                )
            if not request.standard.product_is_document and not (
                product_note or request.product_note
            ):
                error(
                    "product_note",
                    _(
                        "Tuliskan apa yang diberikan kepada pemohon sebelum menyelesaikan "
                        "permohonan."
                    ),
                )
    changes = (
        (assignee is not KEEP and assignee != request.assignee)
        or to_status
        or note
        or product is not None
        or (product_note and product_note != request.product_note)
    )
    if not changes:
        error(
            NON_FIELD_ERRORS,
            _(
                "Tidak ada perubahan: pilih status, tulis catatan, tugaskan petugas atau unggah "
                "produk."
            ),
        )
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic
def request_process(
    *,
    request: ServiceRequest,
    actor,
    now,
    to_status: str = "",
    note: str = "",
    public: bool = False,
    assignee=KEEP,
    product=None,
    product_note: str = "",
) -> ServiceRequest:
    """One step of the staff's workflow: assign, attach the product, change the status and/or
    write a note, all or nothing. A note is internal unless `public`; the note of a return or
    a rejection is always shown to the applicant. Completing needs the product when it is a
    document, and what was given when it is not."""
    request = (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("agency", "standard", "assignee")
        .get(pk=request.pk)
    )
    note, product_note = note.strip(), product_note.strip()
    checked = _validate_process(
        request,
        actor=actor,
        to_status=to_status,
        note=note,
        assignee=assignee,
        product=product,
        product_note=product_note,
    )
    stored = None
    try:
        if assignee is not KEEP and assignee != request.assignee:
            _assign(request, assignee, actor=actor, now=now)
        if product is not None:
            old = request.product.name if request.product else ""
            stored = random_name(f"{request.agency.slug}/produk", checked.extension)
            request.product.save(stored, product, save=False)
            stored = request.product.name
            request.product_name = checked.original_name
            _event(
                request,
                kind=RequestEvent.Kind.PRODUCT,
                at=now,
                actor=actor,
                note=f"Produk layanan diunggah: {checked.original_name}",
            )
            if old:
                storage = request.product.storage
                transaction.on_commit(lambda: storage.delete(old))
        if product_note:
            request.product_note = product_note
        request.save()
        if to_status:
            _transition(
                request,
                to_status,
                actor=actor,
                note=note,
                public=public or to_status in workflow.NOTE_ALWAYS_PUBLIC,
                now=now,
            )
        elif note:
            _event(
                request, kind=RequestEvent.Kind.NOTE, at=now, actor=actor, note=note, public=public
            )
    except BaseException:
        if stored:
            request.product.storage.delete(stored)
        raise
    return request


def requests_assign(*, requests, assignee, actor, now) -> int:
    """Give the open requests of `requests` to one staff member of their agency, all or
    nothing, one internal history line each; returns how many changed hands."""
    return cases_assign(
        queryset=requests,
        event_model=RequestEvent,
        case_field="request",
        open_statuses=workflow.OPEN,
        assignee=assignee,
        actor=actor,
        now=now,
    )


def _assign(request, assignee, *, actor, now) -> None:
    record_assignment(
        RequestEvent, case=request, assignee=assignee, actor=actor, now=now, request=request
    )


def _transition(request, to_status, *, actor, note, public, now) -> None:
    """Move a locked request to another status, pausing or resuming its clock."""
    from_status = request.status
    calendar = agency_calendar(request.agency)
    if workflow.pauses(from_status, to_status):
        # The clock stops from now on; lateness already incurred is kept
        # (services.catalogue.deadlines).
        stopped = stop_clock(calendar, request.due_at, now) if request.due_at else None
        request.paused_at = now
        request.remaining_seconds = stopped.remaining if stopped else None
        _event(
            request,
            kind=RequestEvent.Kind.PAUSED,
            at=now,
            actor=actor,
            note=note,
            public=public,
            data={
                "remaining_seconds": request.remaining_seconds,
                "late_seconds": stopped.late if stopped else None,
            },
        )
    if workflow.resumes(from_status, to_status):
        _resume(request, calendar, actor=actor, now=now)
    request.status = to_status
    if to_status in workflow.CLOSED:
        request.closed_at = now
    if workflow.completes(to_status):
        request.working_seconds_taken = _working_seconds_taken(request, calendar, now)
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
    if to_status in NOTIFIED:
        _notify(request, to_status, now=now)


def _working_seconds_taken(request, calendar, now) -> int:
    """Working time from receipt to `now` less the time the clock was stopped (each resume
    recorded the paused working time in its history entry)."""
    paused = sum(
        data.get("paused_working_seconds") or 0
        for data in request.events.filter(kind=RequestEvent.Kind.RESUMED).values_list(
            "data", flat=True
        )
    )
    return max(0, calendar.working_seconds_between(request.received_at, now) - paused)


def _resume(request, calendar, *, actor, now) -> None:
    """Restart the clock with the time that was left; a request late when it was returned
    stays as late as it was then (its due moment stays in the past:
    services.catalogue.deadlines)."""
    old_due = request.due_at
    remaining = request.remaining_seconds
    late = None
    if remaining is not None and old_due is not None:
        late = stop_clock(calendar, old_due, request.paused_at).late
        request.due_at = restart_clock(calendar, now, StoppedClock(remaining, late))
    paused_seconds = calendar.working_seconds_between(request.paused_at, now)
    day = calendar.hours.working_day_seconds()
    due_text = format_moment(request.due_at, calendar.tz, "id") if request.due_at else ""
    if late is not None:
        note = (
            f"Waktu dilanjutkan; terlambat {working_duration(late, day)} saat dikembalikan. "
            f"Jatuh tempo tetap terlewati: {due_text}"
        )
    elif request.due_at:
        left = working_duration(remaining or 0, day)
        note = f"Waktu dilanjutkan; sisa {left}. Jatuh tempo baru: {due_text}"
    else:
        note = "Waktu dilanjutkan."
    _event(
        request,
        kind=RequestEvent.Kind.RESUMED,
        at=now,
        actor=actor,
        note=note,
        data={
            "old_due": old_due.isoformat() if old_due else None,
            "new_due": request.due_at.isoformat() if request.due_at else None,
            "remaining_seconds": remaining,
            "late_seconds": late,
            "paused_working_seconds": paused_seconds,
        },
    )
    request.paused_at = None
    request.remaining_seconds = None


@transaction.atomic
def request_resubmit(*, request: ServiceRequest, documents: list, note: str, now):
    """The applicant uploads what was missing: the clock restarts with the time that was left."""
    request = (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("agency", "standard")
        .get(pk=request.pk)
    )
    if request.status != RequestStatus.RETURNED:
        raise ValidationError(_("Permohonan ini tidak sedang menunggu kelengkapan dokumen."))
    if not documents:
        raise ValidationError({"documents": _("Pilih paling sedikit satu dokumen.")})
    rows = []
    try:
        for upload in documents:
            rows.append(_stage_document(request.agency.slug, upload, now=now))
        for row in rows:
            row.request = request
            row.save()
            _event(
                request,
                kind=RequestEvent.Kind.DOCUMENT,
                at=now,
                note=f"Pemohon mengunggah {row.original_name}",
            )
        _transition(
            request,
            RequestStatus.RECEIVED,
            actor=None,
            note=note.strip() or "Pemohon melengkapi dokumen.",
            public=True,
            now=now,
        )
    except BaseException:
        discard_stored(rows)
        raise
    return request


def _clock_stops(events) -> list[ClockStop]:
    stops: list[ClockStop] = []
    for event in events:
        if event.kind == RequestEvent.Kind.PAUSED:
            stops.append(ClockStop(event.at, None))
        elif event.kind == RequestEvent.Kind.RESUMED and stops and stops[-1].resumed is None:
            stops[-1] = ClockStop(stops[-1].paused, event.at)
    return stops


@transaction.atomic
def requests_recompute_deadlines(*, agency: Agency, actor, now, reason: str) -> int:
    """After a closure or holiday change: recompute the due moment of every open request.

    The due moment at receipt is computed again on the new calendar and every clock stop in
    the request's history is replayed on it (services.catalogue.deadlines.replay), so a request that
    was paused and resumed moves like the others; one paused now gets its remaining time
    again. Each change is a history entry.
    """
    agency = Agency.objects.get(pk=agency.pk)  # its calendar stamp changed with the closure
    calendar = agency_calendar(agency)
    changed = 0
    open_requests = (
        ServiceRequest.objects.open()
        .filter(agency=agency)
        .select_related("standard", "version")
        .prefetch_related("events")
        .select_for_update(of=("self",))
    )
    for request in open_requests:
        deadline = governing_deadline(
            parse_timeframe(promised_timeframe(request)), calendar, request.received_at
        )
        if deadline is None:
            continue
        new_due, remaining = replay(calendar, deadline.due, _clock_stops(request.events.all()))
        if request.status in workflow.PAUSED:
            if remaining == request.remaining_seconds and new_due == request.due_at:
                continue
        elif new_due == request.due_at:
            continue
        old_due, old_remaining = request.due_at, request.remaining_seconds
        request.due_at = new_due
        if request.status in workflow.PAUSED:
            request.remaining_seconds = remaining
        if not any(e.kind == RequestEvent.Kind.RESUMED for e in request.events.all()):
            request.due_rule = _deadline_record(deadline)
        request.save(update_fields=["due_at", "due_rule", "remaining_seconds", "updated_at"])
        _event(
            request,
            kind=RequestEvent.Kind.DEADLINE,
            at=now,
            actor=actor,
            note=reason,
            data={
                "old_due": old_due.isoformat() if old_due else None,
                "new_due": new_due.isoformat() if new_due else None,
                "old_remaining_seconds": old_remaining,
                "remaining_seconds": request.remaining_seconds,
            },
        )
        changed += 1
    return changed
