"""Writes to complaints: intake on every channel, the staff's workflow, the complainant's
feedback, and the tiers a decree sets.

As for requests, each write is one action in one transaction, and emails go through the outbox
(portal.cases.mail): a mail server that refuses never fails a stored complaint.
`complaint_process` is the staff's whole workflow step (assignee, tier, status or answer,
note) and changes nothing unless all of it is valid.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from complaints import workflow
from complaints.models import (
    Complaint,
    ComplaintChannelKind,
    ComplaintEvent,
    ComplaintEvidence,
    ComplaintStatus,
    ComplaintTier,
    RejectionReason,
    Tier,
)
from complaints.workflow import DEFAULT_TIER_DURATIONS
from portal.caching import catalogue_version
from portal.cases import mail
from portal.cases.actions import (
    KEEP,
    CaseWrites,
    Problems,
    action,
    discarded_on_failure,
    inner_action,
    received_moment,
)
from services.catalogue.calendars import agency_calendar
from services.catalogue.deadlines import DueRule, governing_deadline
from services.catalogue.timeframes import parse_timeframe
from services.models import Agency

KIND = "ADU"
MAIL = "complaints.complainant"
MAIL_STAFF = "complaints.staff"
MAIL_STAFF_INFORMATION = "complaints.staff_information"
INFORMATION_MAX_LENGTH = 2000
COMPLAINTS = CaseWrites(
    model=Complaint,
    workflow=workflow.WORKFLOW,
    # The complainant hears of a rejection and of the answer.
    notified={ComplaintStatus.REJECTED: "ditolak", ComplaintStatus.ANSWERED: "dijawab"},
    event_model=ComplaintEvent,
    file_model=ComplaintEvidence,
    case_field="complaint",
    mail=MAIL,
    due_fields=("due_rule", "triage_due_at"),
    due_event={"kind": ComplaintEvent.Kind.NOTE, "public": True},
    number_kind=KIND,
    folder="bukti",
)


@inner_action
def tiers_load(*, agency: Agency, data: dict) -> None:
    """The tiers of an agency from its decree data (registered with services.catalogue.actions,
    loaded in the decree's transaction).

    Tier durations are agency data: a reload sets the decree's wording but keeps a duration
    the agency has edited in the admin.
    """
    wording = {t["tier"]: t["wording"] for t in data.get("complaint_tiers") or []}
    for order, (tier, duration) in enumerate(DEFAULT_TIER_DURATIONS.items(), start=1):
        row, _created = ComplaintTier.objects.get_or_create(
            agency=agency, tier=tier, defaults={"order": order, "duration": duration}
        )
        if row.wording != wording.get(tier, ""):
            row.wording = wording.get(tier, "")
            row.save(update_fields=["wording"])


def _tier_duration(agency: Agency, tier: str) -> str:
    """The agency's deadline of a tier as it set it (or the default one), read from the
    process's memory, kept per catalogue version as the forms are (a changed tier bumps it)."""
    local = caches["local"]
    key = f"tier-durations:{catalogue_version()}:{agency.pk}"
    durations = local.get(key)
    if durations is None:
        durations = dict(
            ComplaintTier.objects.filter(agency=agency).order_by().values_list("tier", "duration")
        )
        local.set(key, durations, 3600)
    return durations[tier] if tier in durations else DEFAULT_TIER_DURATIONS[tier]


def _deadline(agency: Agency, received_at, tier: str, purpose: str) -> tuple[Any, DueRule]:
    """A complaint's due moment and rule: the tier's time as the agency set it, counted from
    the original receipt, for triage or for the answer."""
    duration = _tier_duration(agency, tier)
    deadline = governing_deadline(parse_timeframe(duration), agency_calendar(agency), received_at)
    return deadline.due, DueRule.counted(deadline, purpose=purpose, tier=tier, duration=duration)


@action
def complaint_submit(
    *,
    agency: Agency,
    details: dict[str, Any],
    evidence: list,
    now,
    received_at=None,
    actor=None,
    channel: str = ComplaintChannelKind.PORTAL,
    language: str = "id",
    submission_key=None,
    binding: str = "",
) -> tuple[Complaint, str | None]:
    """Register a complaint from any channel; returns it with its access code.

    As for requests, only the numbering waits for the agency's row lock: the deadline, the
    access code and the evidence files are prepared before it. The complainant's emails are
    written in `language` (the submitting page's, see portal.cases.language).
    """
    received_at = received_moment(received_at, now)
    standard = details.get("standard")
    if standard is not None and standard.agency_id != agency.pk:
        raise ValidationError({"standard": _("Layanan ini bukan layanan instansi yang dipilih.")})
    due_at, rule = _deadline(agency, received_at, workflow.TRIAGE_TIER, "triase")
    channel_label = dict(ComplaintChannelKind.choices).get(channel, channel)
    return COMPLAINTS.intake(
        agency=agency,
        tz=agency_calendar(agency).tz,
        submission_key=submission_key,
        binding=binding,
        received_at=received_at,
        now=now,
        fields={
            **details,
            "channel": channel,
            "due_at": due_at,
            "due_rule": rule.to_json(),
            "triage_due_at": due_at,
            "language": language,
        },
        exclude=["standard", "service_request"],
        stage=lambda: _stage_evidence(agency, evidence, now=now),
        submitted={
            "actor": actor,
            "to_status": ComplaintStatus.RECEIVED,
            "note": f"Diterima melalui {channel_label}. Klasifikasi paling lambat sesuai batas "
            f"pengaduan ringan ({rule.rule}).",
            "data": {"received_at": received_at.isoformat(), "channel": channel},
        },
        then=lambda stored: _alert_staff(stored, now=now),
    )


def _stage_evidence(agency, uploads, *, now) -> list:
    items: list = []
    with discarded_on_failure(items):
        for upload in uploads:
            items.append(COMPLAINTS.stage_file(agency.slug, upload, now=now))
    return items


def _alert_staff(complaint: Complaint, *, now, composer: str = MAIL_STAFF, **params) -> None:
    """One alert per active staff member of the agency with an address."""
    staff = (
        get_user_model()
        .objects.filter(membership__agency_id=complaint.agency_id, is_active=True, is_staff=True)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    for user_id in staff:
        mail.queue(
            composer=composer, params={"id": complaint.pk, "user": user_id, **params}, now=now
        )


def _validate_process(
    complaint, *, tier, reason, to_status, rejection_reason, answer, note, assignee
):
    """Every reason the staff's step cannot be applied, by form field (nothing written)."""
    problems = Problems()
    reassigns = problems.check_assignee(complaint, assignee)
    reclassifies = bool(tier) and tier != complaint.tier
    if reclassifies:
        _check_tier(problems, complaint, tier, reason)
    # The status the rest of the step starts from, once the classification is applied.
    status = complaint.status
    if reclassifies and status == ComplaintStatus.RECEIVED:
        status = ComplaintStatus.CLASSIFIED
    if to_status and answer:
        problems.add(
            NON_FIELD_ERRORS, _("Pilih status atau tulis jawaban, tidak keduanya sekaligus.")
        )
    if to_status:
        problems.check_status(workflow.WORKFLOW, status, to_status, note, choosable=workflow.MANUAL)
        if to_status == ComplaintStatus.REJECTED and rejection_reason not in RejectionReason:
            problems.add("rejection_reason", _("Pilih alasan penolakan."))
    if answer:
        if not (complaint.tier or (reclassifies and tier in Tier.values)):
            problems.add("answer", _("Klasifikasikan pengaduan sebelum menjawab."))
        elif not workflow.allowed(status, ComplaintStatus.ANSWERED):
            problems.add("answer", _("Pengaduan ini tidak dapat dijawab pada status ini."))
    problems.raise_any(
        changes=bool(reassigns or reclassifies or to_status or answer or note),
        nothing=_(
            "Tidak ada perubahan: pilih tingkat atau status, tulis jawaban atau catatan, atau "
            "tugaskan petugas."
        ),
    )


def _check_tier(problems, complaint, tier, reason) -> None:
    """A (re)classification: a known tier, while the complaint waits for its answer, and with
    a reason when it changes one."""
    if tier not in Tier.values:
        problems.add("tier", _("Tingkat pengaduan tidak dikenal."))
    elif complaint.status not in workflow.CLASSIFIABLE:
        problems.add(
            "tier",
            _("Pengaduan yang sudah dijawab atau ditutup tidak dapat diklasifikasi ulang."),
        )
    if complaint.tier and not reason:
        problems.add("reason", _("Alasan wajib diisi untuk mengubah klasifikasi."))


@action
def complaint_process(
    *,
    complaint: Complaint,
    actor,
    now,
    tier: str = "",
    reason: str = "",
    to_status: str = "",
    rejection_reason: str = "",
    answer: str = "",
    note: str = "",
    public: bool = False,
    assignee=KEEP,
) -> Complaint:
    """One step of the staff's workflow, all or nothing: assign, (re)classify, then change the
    status or send the answer, with a note. A note is internal unless `public`; the note of a
    rejection is always shown to the complainant."""
    complaint = COMPLAINTS.locked(complaint, "agency", "assignee")
    tier, reason, answer, note = tier or "", reason.strip(), answer.strip(), note.strip()
    _validate_process(
        complaint,
        tier=tier,
        reason=reason,
        to_status=to_status,
        rejection_reason=rejection_reason,
        answer=answer,
        note=note,
        assignee=assignee,
    )
    if assignee is not KEEP and assignee != complaint.assignee:
        COMPLAINTS.assign(complaint, assignee, actor=actor, now=now)
    if tier and tier != complaint.tier:
        _classify(complaint, tier, actor=actor, reason=reason, now=now)
    if to_status:
        rejected = to_status == ComplaintStatus.REJECTED
        _transition(
            complaint,
            to_status,
            actor=actor,
            note=note,
            public=public or rejected,
            rejection_reason=rejection_reason if rejected else "",
            now=now,
        )
    elif answer:
        _answer(complaint, answer, actor=actor, now=now)
    if note and not to_status:
        COMPLAINTS.note(complaint, note, actor=actor, now=now, public=public)
    complaint.full_clean()
    complaint.save()
    return complaint


@action
def complaints_assign(*, complaints, assignee, actor, now) -> int:
    """Give the open complaints of `complaints` to one staff member of their agency, all or
    nothing, one internal history line each; returns how many changed hands."""
    return COMPLAINTS.assign_many(complaints, assignee=assignee, actor=actor, now=now)


def _classify(complaint, tier, *, actor, reason, now) -> None:
    """Set or change the tier; the deadline always counts from the original receipt."""
    previous = complaint.tier
    old_due = complaint.due_at
    complaint.tier = tier
    complaint.due_at, rule = _deadline(complaint.agency, complaint.received_at, tier, "jawaban")
    complaint.due_rule = rule.to_json()
    from_status = complaint.status
    if complaint.status == ComplaintStatus.RECEIVED:
        complaint.status = ComplaintStatus.CLASSIFIED
    if complaint.triaged_at is None:
        complaint.triaged_at = now
    COMPLAINTS.event(
        complaint,
        kind=ComplaintEvent.Kind.CLASSIFIED,
        at=now,
        actor=actor,
        note=reason or f"Diklasifikasi sebagai {Tier(tier).label}.",
        from_status=from_status,
        to_status=complaint.status,
        data={
            "from_tier": previous,
            "to_tier": tier,
            "old_due": old_due.isoformat() if old_due else None,
            "new_due": complaint.due_at.isoformat(),
        },
    )


def _transition(complaint, to_status, *, actor, note, public, rejection_reason, now) -> None:
    complaint.rejection_reason = rejection_reason
    if complaint.triaged_at is None and to_status == ComplaintStatus.REJECTED:
        complaint.triaged_at = now  # rejected at triage: triaged too
    COMPLAINTS.move(
        complaint,
        to_status,
        actor=actor,
        now=now,
        note=note,
        public=public,
        data={"rejection_reason": rejection_reason},
    )


def _answer(complaint, answer, *, actor, now) -> None:
    complaint.answer = answer
    complaint.answered_at = now
    complaint.resolved = None
    late = complaint.due_at is not None and now > complaint.due_at
    COMPLAINTS.move(
        complaint,
        ComplaintStatus.ANSWERED,
        actor=actor,
        now=now,
        kind=ComplaintEvent.Kind.ANSWER,
        note=answer,
        data={"late": late},
    )


@action
def complaint_feedback(*, complaint: Complaint, resolved: bool, note: str, now) -> Complaint:
    """The complainant says whether the answer resolves the complaint."""
    complaint = COMPLAINTS.locked(complaint)
    if complaint.status != ComplaintStatus.ANSWERED:
        raise ValidationError(_("Tanggapan hanya dapat diberikan atas jawaban."))
    complaint.resolved = resolved
    COMPLAINTS.move(
        complaint,
        ComplaintStatus.CLOSED if resolved else ComplaintStatus.HANDLING,
        actor=None,
        now=now,
        kind=ComplaintEvent.Kind.FEEDBACK,
        note=note.strip()
        or ("Pengadu menyatakan tuntas." if resolved else "Pengadu menyatakan belum tuntas."),
        data={"resolved": resolved},
    )
    complaint.save()
    return complaint


@inner_action
def complaints_recompute_deadlines(*, agency: Agency, actor, now, reason: str) -> int:
    """After a closure or office-hours change: recompute the deadline of running complaints.

    Part of the transaction that changed the calendar (the agency's admin form). A complaint's
    deadline always counts from its original receipt by its tier (the light tier's time while
    it waits for triage); each change is a history entry.
    """
    agency = Agency.objects.get(pk=agency.pk)  # its calendar stamp changed with the closure

    def update(complaint):
        tier = complaint.tier or workflow.TRIAGE_TIER
        purpose = "jawaban" if complaint.tier else "triase"
        due_at, rule = _deadline(agency, complaint.received_at, tier, purpose)
        if due_at == complaint.due_at:
            return None
        complaint.due_at, complaint.due_rule = due_at, rule.to_json()
        if complaint.triaged_at is None:
            complaint.triage_due_at = due_at
        return {}

    running = Complaint.objects.running().filter(agency=agency).select_for_update()
    return COMPLAINTS.recompute_due(running, update, actor=actor, now=now, note=reason)


@action
def complaint_add_information(
    *, complaint: Complaint, text: str, upload=None, now
) -> ComplaintEvent:
    """The complainant adds information and/or one evidence file to an open complaint.

    The addition is a public history entry (with the evidence's id in its data) and each of the
    agency's staff is alerted; a stored file is deleted again when anything fails.
    """
    complaint = COMPLAINTS.locked(complaint, "agency")
    text = (text or "").strip()
    if not text and upload is None:
        raise ValidationError(_("Tulis keterangan tambahan atau lampirkan bukti."))
    if len(text) > INFORMATION_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("Keterangan paling banyak %(count)s karakter.")
                % {"count": INFORMATION_MAX_LENGTH}
            }
        )
    if complaint.status not in workflow.OPEN or complaint.closed_at is not None:
        raise ValidationError(
            _("Pengaduan ini sudah ditutup; keterangan atau bukti tidak dapat ditambahkan lagi.")
        )
    items = COMPLAINTS.attach(complaint, [upload] if upload is not None else [], now=now)
    with discarded_on_failure(items):
        event = COMPLAINTS.event(
            complaint,
            kind=ComplaintEvent.Kind.INFORMATION,
            at=now,
            note=text or "Pengadu melampirkan bukti tambahan.",
            public=True,
            data={"evidence": [item.pk for item in items]},
        )
        _alert_staff(complaint, now=now, composer=MAIL_STAFF_INFORMATION, event=event.pk)
    return event
