"""Writes to complaints: intake on every channel, classification, handling, answers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from complaints import workflow
from complaints.models import (
    DEFAULT_TIER_DURATIONS,
    Complaint,
    ComplaintChannelKind,
    ComplaintEvent,
    ComplaintEvidence,
    ComplaintStatus,
    ComplaintTier,
    Tier,
)
from portal.cases import code_matches, lock_numbering, new_access_code, next_number
from portal.records import record_event
from portal.uploads import check_upload, discard_stored, random_name
from services.calendars import agency_calendar
from services.deadlines import governing_deadline
from services.models import Agency
from services.timeframes import parse_timeframe

KIND = "ADU"


def tier_duration(agency: Agency, tier: str) -> str:
    row = ComplaintTier.objects.filter(agency=agency, tier=tier).first()
    return row.duration if row else DEFAULT_TIER_DURATIONS[tier]


def _deadline(agency: Agency, received_at, tier: str, purpose: str):
    duration = tier_duration(agency, tier)
    deadline = governing_deadline(parse_timeframe(duration), agency_calendar(agency), received_at)
    record = {
        "purpose": purpose,
        "tier": tier,
        "duration": duration,
        "rule": deadline.rule,
        "explain": deadline.explain(),
    }
    return deadline.due, record


def complaint_code_matches(complaint: Complaint, code: str) -> bool:
    return code_matches(complaint.access_hash, code)


def _event(complaint, **fields):
    return record_event(ComplaintEvent, complaint=complaint, **fields)


@transaction.atomic
def complaint_submit(
    *,
    agency: Agency,
    details: dict[str, Any],
    evidence: list,
    now,
    received_at=None,
    channel: str = ComplaintChannelKind.PORTAL,
    actor=None,
    submission_key=None,
) -> tuple[Complaint, str | None]:
    """Register a complaint from any channel; returns it with its access code.

    As for requests, only the numbering waits for the agency's row lock: the deadline, the
    access code and the evidence files are prepared before it.
    """
    if submission_key is not None:
        existing = Complaint.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing, None
    received_at = received_at or now
    if received_at > now:
        raise ValidationError({"received_at": "Waktu diterima tidak boleh di masa depan."})
    standard = details.get("standard")
    if standard is not None and standard.agency_id != agency.pk:
        raise ValidationError({"standard": "Layanan ini bukan layanan instansi yang dipilih."})
    year = received_at.astimezone(agency_calendar(agency).tz).year
    code, access_hash = new_access_code()
    due_at, rule = _deadline(agency, received_at, Tier.LIGHT, "triase")
    complaint = Complaint(
        agency=agency,
        year=year,
        access_hash=access_hash,
        submission_key=submission_key,
        channel=channel,
        received_at=received_at,
        due_at=due_at,
        due_rule=rule,
        **details,
    )
    complaint.full_clean(exclude=["number", "sequence"], validate_unique=False)
    items = []
    try:
        for upload in evidence:
            checked = check_upload(upload)
            item = ComplaintEvidence(
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_at=now,
            )
            name = random_name(f"{agency.slug}/bukti", checked.extension)
            item.file.save(name, upload, save=False)
            items.append(item)
        existing = lock_numbering(Complaint, agency=agency, submission_key=submission_key)
        if existing is not None:
            discard_stored(items)
            return existing, None
        complaint.sequence, complaint.number = next_number(
            Complaint, agency=agency, year=year, kind=KIND
        )
        complaint.save()
        for item in items:
            item.complaint = complaint
        ComplaintEvidence.objects.bulk_create(items)
        _event(
            complaint,
            kind=ComplaintEvent.Kind.SUBMITTED,
            at=now,
            actor=actor,
            to_status=ComplaintStatus.RECEIVED,
            note=f"Diterima melalui {complaint.get_channel_display()}. Klasifikasi paling lambat "
            f"sesuai batas pengaduan ringan ({rule['rule']}).",
            data={"received_at": received_at.isoformat(), "channel": channel},
        )
    except BaseException:
        discard_stored(items)
        raise
    transaction.on_commit(lambda: notify(complaint.pk, "receipt", code=code))
    return complaint, code


@transaction.atomic
def complaint_classify(*, complaint: Complaint, tier: str, actor, reason: str, now) -> Complaint:
    """Set or change the tier; the deadline always counts from the original receipt."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status not in workflow.CLASSIFIABLE:
        raise ValidationError(
            {"tier": "Pengaduan yang sudah dijawab atau ditutup tidak dapat diklasifikasi ulang."}
        )
    if tier not in Tier.values:
        raise ValidationError({"tier": "Tingkat pengaduan tidak dikenal."})
    previous = complaint.tier
    if previous and not reason.strip():
        raise ValidationError({"reason": "Alasan wajib diisi untuk mengubah klasifikasi."})
    if previous == tier:
        raise ValidationError({"tier": "Pengaduan sudah berada pada tingkat ini."})
    old_due = complaint.due_at
    complaint.tier = tier
    complaint.due_at, complaint.due_rule = _deadline(
        complaint.agency, complaint.received_at, tier, "jawaban"
    )
    from_status = complaint.status
    if complaint.status == ComplaintStatus.RECEIVED:
        complaint.status = ComplaintStatus.CLASSIFIED
    complaint.full_clean()
    complaint.save()
    _event(
        complaint,
        kind=ComplaintEvent.Kind.CLASSIFIED,
        at=now,
        actor=actor,
        note=reason.strip() or f"Diklasifikasi sebagai {Tier(tier).label}.",
        from_status=from_status,
        to_status=complaint.status,
        data={
            "from_tier": previous,
            "to_tier": tier,
            "old_due": old_due.isoformat() if old_due else None,
            "new_due": complaint.due_at.isoformat(),
        },
    )
    return complaint


@transaction.atomic
def complaint_transition(
    *,
    complaint: Complaint,
    to_status: str,
    actor,
    note: str,
    now,
    rejection_reason: str = "",
    public: bool = True,
) -> Complaint:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not note.strip():
        raise ValidationError({"note": "Catatan wajib diisi untuk setiap perubahan status."})
    if to_status not in workflow.MANUAL or not workflow.allowed(complaint.status, to_status):
        raise ValidationError(
            {
                "status": (
                    f"Status tidak dapat diubah dari '{complaint.get_status_display()}' ke "
                    f"'{ComplaintStatus(to_status).label}'."
                )
            }
        )
    if to_status == ComplaintStatus.REJECTED and not rejection_reason:
        raise ValidationError({"rejection_reason": "Pilih alasan penolakan."})
    from_status = complaint.status
    complaint.status = to_status
    complaint.rejection_reason = rejection_reason if to_status == ComplaintStatus.REJECTED else ""
    if to_status in (ComplaintStatus.CLOSED, ComplaintStatus.REJECTED):
        complaint.closed_at = now
    complaint.full_clean()
    complaint.save()
    _event(
        complaint,
        kind=ComplaintEvent.Kind.STATUS,
        at=now,
        actor=actor,
        note=note,
        public=public,
        from_status=from_status,
        to_status=to_status,
        data={"rejection_reason": complaint.rejection_reason},
    )
    if to_status == ComplaintStatus.REJECTED:
        transaction.on_commit(lambda: notify(complaint.pk, "ditolak"))
    return complaint


@transaction.atomic
def complaint_answer(*, complaint: Complaint, answer: str, actor, now) -> Complaint:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not answer.strip():
        raise ValidationError({"answer": "Jawaban tidak boleh kosong."})
    if not complaint.tier:
        raise ValidationError({"answer": "Klasifikasikan pengaduan sebelum menjawab."})
    if not workflow.allowed(complaint.status, ComplaintStatus.ANSWERED):
        raise ValidationError({"answer": "Pengaduan ini tidak dapat dijawab pada status ini."})
    from_status = complaint.status
    complaint.answer = answer.strip()
    complaint.answered_at = now
    complaint.status = ComplaintStatus.ANSWERED
    complaint.resolved = None
    complaint.save()
    late = complaint.due_at is not None and now > complaint.due_at
    _event(
        complaint,
        kind=ComplaintEvent.Kind.ANSWER,
        at=now,
        actor=actor,
        note=answer.strip(),
        from_status=from_status,
        to_status=ComplaintStatus.ANSWERED,
        data={"late": late},
    )
    transaction.on_commit(lambda: notify(complaint.pk, "dijawab"))
    return complaint


@transaction.atomic
def complaint_feedback(*, complaint: Complaint, resolved: bool, note: str, now) -> Complaint:
    """The complainant says whether the answer resolves the complaint."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status != ComplaintStatus.ANSWERED:
        raise ValidationError("Tanggapan hanya dapat diberikan atas jawaban.")
    complaint.resolved = resolved
    to_status = ComplaintStatus.CLOSED if resolved else ComplaintStatus.HANDLING
    from_status = complaint.status
    complaint.status = to_status
    if resolved:
        complaint.closed_at = now
    complaint.save()
    _event(
        complaint,
        kind=ComplaintEvent.Kind.FEEDBACK,
        at=now,
        note=note.strip()
        or ("Pengadu menyatakan tuntas." if resolved else "Pengadu menyatakan belum tuntas."),
        from_status=from_status,
        to_status=to_status,
        data={"resolved": resolved},
    )
    return complaint


@transaction.atomic
def complaint_assign(*, complaint: Complaint, assignee, actor, now) -> Complaint:
    membership = getattr(assignee, "membership", None) if assignee else None
    if (
        assignee is not None
        and not assignee.is_superuser
        and (membership is None or membership.agency_id != complaint.agency_id)
    ):
        raise ValidationError({"assignee": "Petugas harus dari instansi yang sama."})
    previous = complaint.assignee
    complaint.assignee = assignee
    complaint.save(update_fields=["assignee", "updated_at"])
    _event(
        complaint,
        kind=ComplaintEvent.Kind.ASSIGNED,
        at=now,
        actor=actor,
        public=False,
        note=f"Ditugaskan kepada {assignee or '-'}",
        data={"from": previous.pk if previous else None, "to": assignee.pk if assignee else None},
    )
    return complaint


def complaint_add_note(*, complaint: Complaint, actor, note: str, public: bool, now):
    if not note.strip():
        raise ValidationError({"note": "Catatan tidak boleh kosong."})
    return _event(
        complaint, kind=ComplaintEvent.Kind.NOTE, at=now, actor=actor, note=note, public=public
    )


def notify(complaint_id: int, kind: str, code: str | None = None) -> None:
    from complaints.notifications import send_complaint_emails

    send_complaint_emails(complaint_id, kind, code=code)
