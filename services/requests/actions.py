"""Writes to service requests: intake on every channel, the staff's workflow, the applicant's
resubmission, and due moments after a calendar change.

Every write is one action in one transaction that validates, writes the history and queues
its emails in the outbox (sent after the commit; a failing mail server never fails the
action). `request_process` is the staff's whole workflow step (assignee, product, status,
note) and changes nothing unless all of it is valid.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from portal.cases.actions import (
    KEEP,
    CaseWrites,
    Problems,
    action,
    answer_copy,
    discarded_on_failure,
    inner_action,
    received_moment,
)
from portal.cases.codes import key_digest
from portal.cases.durations import working_duration
from portal.uploads import check_upload, random_name
from portal.worktime import format_moment
from services.catalogue.calendars import agency_calendar
from services.catalogue.deadlines import (
    ClockStop,
    DueRule,
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

MAIL = "services.request"
REQUESTS = CaseWrites(
    model=ServiceRequest,
    workflow=workflow.WORKFLOW,
    # The applicant hears of every status change that asks or gives them something.
    notified={s: s for s in (RequestStatus.RETURNED, RequestStatus.DONE, RequestStatus.REJECTED)},
    event_model=RequestEvent,
    file_model=RequestDocument,
    case_field="request",
    mail=MAIL,
    due_fields=("due_rule", "remaining_seconds"),
    due_event={"kind": RequestEvent.Kind.DEADLINE},
)


def _due_rule(deadline) -> DueRule:
    """A request's rule: the decree's limit counted from receipt, with its governing stage and
    the days it skipped (or the decree's silence)."""
    if deadline is None:
        return DueRule.no_limit()
    return DueRule.counted(
        deadline,
        stage=deadline.label,
        skipped=tuple((str(day.date), day.reason) for day in deadline.skipped),
    )


def _promised_timeframe(request: ServiceRequest) -> str:
    """The time limit the request was received under (its version's, whatever was edited)."""
    if request.version_id:
        return request.version.snapshot["timeframe"]
    return request.standard.timeframe_text


# `version` of request_submit: the caller knows the version in force now (the form read it).
UNKNOWN = object()


@action
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
    received_at = received_moment(received_at, now)
    if standard.is_withdrawn:
        copies = ServiceRequest.objects.filter(submission_digest=key_digest(submission_key))
        existing = copies.first() if submission_key else None
        if existing is not None:  # sent again after the service was withdrawn
            return answer_copy(existing, binding=binding, now=now)
        raise ValidationError(
            _("Layanan ini dicabut sejak %(date)s: permohonan baru tidak dapat diterima.")
            % {"date": f"{standard.withdrawn_on:%d-%m-%Y}"}
        )
    agency = standard.agency
    calendar = agency_calendar(agency)
    if version is UNKNOWN or received_at != now:
        version = version_in_force(standard, at=received_at)
    promised = version.snapshot if version else standard_snapshot(standard)
    deadline = governing_deadline(parse_timeframe(promised["timeframe"]), calendar, received_at)
    rule = _due_rule(deadline)
    return REQUESTS.intake(
        agency=agency,
        tz=calendar.tz,
        submission_key=submission_key,
        binding=binding,
        received_at=received_at,
        now=now,
        fields={
            "standard": standard,
            "version": version,
            "channel": channel,
            "due_at": deadline.due if deadline else None,
            "due_rule": rule.to_json(),
            "language": language,
            **applicant,
        },
        exclude=["standard", "version"],
        stage=lambda: _stage_documents(
            agency, promised, documents, now=now, by_staff=actor is not None
        ),
        submitted={
            "actor": actor,
            "to_status": RequestStatus.RECEIVED,
            "note": rule.explain,
            "data": {"channel": channel, "received_at": received_at.isoformat()},
        },
    )


def _stage_documents(agency, promised: dict, documents: dict, *, now, by_staff) -> list:
    """The uploads, checked and written, each with the requirement it answers in the version
    the request is received under (the requirement's row where it still exists)."""
    requirements = {r["id"]: r for r in promised["requirements"]}
    rows_now = Requirement.objects.order_by().in_bulk(
        [pk for pk in documents if pk in requirements]
    )
    rows: list = []
    with discarded_on_failure(rows):
        for requirement_id, upload in documents.items():
            listed = requirements.get(requirement_id)
            rows.append(
                REQUESTS.stage_file(
                    agency.slug,
                    upload,
                    now=now,
                    requirement=rows_now.get(requirement_id) if listed else None,
                    requirement_text=listed["text"] if listed else "",
                    uploaded_by_staff=by_staff,
                )
            )
    return rows


def _validate_process(request, *, to_status, note, assignee, product, product_note):
    """Every reason the staff's step cannot be applied, by form field (nothing written)."""
    problems = Problems()
    reassigns = problems.check_assignee(request, assignee)
    if (product is not None or product_note) and not request.is_open:
        problems.add("product", _("Permohonan sudah ditutup: produk tidak dapat diubah."))
    checked = None
    if product is not None:
        try:
            checked = check_upload(product)
        except ValidationError as exc:
            for message in exc.messages:
                problems.add("product", message)
    if to_status:
        problems.check_status(workflow.WORKFLOW, request.status, to_status, note)
        if workflow.completes(to_status):
            _check_product(problems, request, product, product_note)
    problems.raise_any(
        changes=bool(
            reassigns
            or to_status
            or note
            or product is not None
            or (product_note and product_note != request.product_note)
        ),
        nothing=_(
            "Tidak ada perubahan: pilih status, tulis catatan, tugaskan petugas atau unggah produk."
        ),
    )
    return checked


def _check_product(problems, request, product, product_note) -> None:
    """Completing needs the product when it is a document, and what was given when not."""
    if request.standard.product_is_document and not (product or request.product):
        problems.add(
            "product",
            _(
                "Produk layanan ini berupa dokumen: unggah berkasnya sebelum menyelesaikan "
                "permohonan."
            ),
        )
    if not request.standard.product_is_document and not (product_note or request.product_note):
        problems.add(
            "product_note",
            _("Tuliskan apa yang diberikan kepada pemohon sebelum menyelesaikan permohonan."),
        )


@action
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
    request = REQUESTS.locked(request, "agency", "standard", "assignee")
    note, product_note = note.strip(), product_note.strip()
    checked = _validate_process(
        request,
        to_status=to_status,
        note=note,
        assignee=assignee,
        product=product,
        product_note=product_note,
    )
    stored = None
    try:
        if assignee is not KEEP and assignee != request.assignee:
            REQUESTS.assign(request, assignee, actor=actor, now=now)
        if product is not None:
            stored = _store_product(request, product, checked, actor=actor, now=now)
        if product_note:
            request.product_note = product_note
        request.save()
        if to_status:
            public = public or to_status in workflow.NOTE_ALWAYS_PUBLIC
            _transition(request, to_status, actor=actor, note=note, public=public, now=now)
        elif note:
            REQUESTS.note(request, note, actor=actor, now=now, public=public)
    except BaseException:
        if stored:
            request.product.storage.delete(stored)
        raise
    return request


def _store_product(request, product, checked, *, actor, now) -> str:
    """Write the product's file (the one it replaces goes after the commit); its name."""
    old = request.product.name if request.product else ""
    request.product.save(
        random_name(f"{request.agency.slug}/produk", checked.extension), product, save=False
    )
    request.product_name = checked.original_name
    REQUESTS.event(
        request,
        kind=RequestEvent.Kind.PRODUCT,
        at=now,
        actor=actor,
        note=f"Produk layanan diunggah: {checked.original_name}",
    )
    if old:
        storage = request.product.storage
        transaction.on_commit(lambda: storage.delete(old))
    return request.product.name


@action
def requests_assign(*, requests, assignee, actor, now) -> int:
    """Give the open requests of `requests` to one staff member of their agency, all or
    nothing, one internal history line each; returns how many changed hands."""
    return REQUESTS.assign_many(requests, assignee=assignee, actor=actor, now=now)


def _transition(request, to_status, *, actor, note, public, now) -> None:
    """Move a locked request to another status, pausing or resuming its clock."""
    from_status = request.status
    calendar = agency_calendar(request.agency)
    if workflow.pauses(from_status, to_status):
        _pause(request, calendar, actor=actor, note=note, public=public, now=now)
    if workflow.resumes(from_status, to_status):
        _resume(request, calendar, actor=actor, now=now)
    if workflow.completes(to_status):
        request.working_seconds_taken = _working_seconds_taken(request, calendar, now)
    REQUESTS.move(request, to_status, actor=actor, now=now, note=note, public=public)
    request.full_clean()
    request.save()


def _pause(request, calendar, *, actor, note, public, now) -> None:
    """Stop the clock from now on; lateness already incurred is kept
    (services.catalogue.deadlines)."""
    stopped = stop_clock(calendar, request.due_at, now) if request.due_at else None
    request.paused_at = now
    request.remaining_seconds = stopped.remaining if stopped else None
    REQUESTS.event(
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
    REQUESTS.event(
        request,
        kind=RequestEvent.Kind.RESUMED,
        at=now,
        actor=actor,
        note=_resumed_note(request, calendar, remaining, late),
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


def _resumed_note(request, calendar, remaining, late) -> str:
    """The stored history note, in Indonesian whatever language the staff page is in."""
    with translation.override("id"):
        return _resumed_text(request, calendar, remaining, late)


def _resumed_text(request, calendar, remaining, late) -> str:
    day = calendar.hours.working_day_seconds()
    due_text = format_moment(request.due_at, calendar.tz, "id") if request.due_at else ""
    if late is not None:
        return (
            f"Waktu dilanjutkan; terlambat {working_duration(late, day)} saat dikembalikan. "
            f"Jatuh tempo tetap terlewati: {due_text}"
        )
    if request.due_at:
        left = working_duration(remaining or 0, day)
        return f"Waktu dilanjutkan; sisa {left}. Jatuh tempo baru: {due_text}"
    return "Waktu dilanjutkan."


@action
def request_resubmit(*, request: ServiceRequest, documents: list, note: str, now):
    """The applicant uploads what was missing: the clock restarts with the time that was left."""
    request = REQUESTS.locked(request, "agency", "standard")
    if request.status != RequestStatus.RETURNED:
        raise ValidationError(_("Permohonan ini tidak sedang menunggu kelengkapan dokumen."))
    if not documents:
        raise ValidationError({"documents": _("Pilih paling sedikit satu dokumen.")})
    rows = REQUESTS.attach(request, documents, now=now)
    with discarded_on_failure(rows):
        for row in rows:
            REQUESTS.event(
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
    return request


def _clock_stops(events) -> list[ClockStop]:
    stops: list[ClockStop] = []
    for event in events:
        if event.kind == RequestEvent.Kind.PAUSED:
            stops.append(ClockStop(event.at, None))
        elif event.kind == RequestEvent.Kind.RESUMED and stops and stops[-1].resumed is None:
            stops[-1] = ClockStop(stops[-1].paused, event.at)
    return stops


@inner_action
def requests_recompute_deadlines(*, agency: Agency, actor, now, reason: str) -> int:
    """After a closure or holiday change: recompute the due moment of every open request.

    Part of the transaction that changed the calendar (the agency's admin form). The due moment
    at receipt is computed again on the new calendar and every clock stop in the request's
    history is replayed on it (services.catalogue.deadlines.replay), so a request that was
    paused and resumed moves like the others; one paused now gets its remaining time again.
    Each change is a history entry.
    """
    agency = Agency.objects.get(pk=agency.pk)  # its calendar stamp changed with the closure
    calendar = agency_calendar(agency)
    open_requests = (
        ServiceRequest.objects.open()
        .filter(agency=agency)
        .select_related("standard", "version")
        .prefetch_related("events")
        .select_for_update(of=("self",))
    )

    def update(request):
        deadline = governing_deadline(
            parse_timeframe(_promised_timeframe(request)), calendar, request.received_at
        )
        if deadline is None:
            return None
        new_due, remaining = replay(calendar, deadline.due, _clock_stops(request.events.all()))
        paused = request.status in workflow.PAUSED
        if new_due == request.due_at and (not paused or remaining == request.remaining_seconds):
            return None
        old_remaining = request.remaining_seconds
        request.due_at = new_due
        if paused:
            request.remaining_seconds = remaining
        if not any(e.kind == RequestEvent.Kind.RESUMED for e in request.events.all()):
            request.due_rule = _due_rule(deadline).to_json()
        return {
            "old_remaining_seconds": old_remaining,
            "remaining_seconds": request.remaining_seconds,
        }

    return REQUESTS.recompute_due(open_requests, update, actor=actor, now=now, note=reason)
