"""complaints.actions: the staff's one workflow action (all or nothing), tiers, feedback."""

import itertools
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from complaints import actions
from complaints.models import Complaint, ComplaintEvent, ComplaintStatus, Tier
from services.models import Agency
from tests.factories import staff_member

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2025, 11, 3, 9, 0, tzinfo=WIB)


def details(**changes):
    agency = Agency.objects.get(slug="musi-banyuasin")
    return {
        "standard": agency.services.get(slug="konsultasi"),
        "complainant_name": "Ahmad",
        "phone": "+6281211112222",
        "email": "",
        "address": "Sekayu",
        "confidential": False,
        "shortfall": "Konsultasi ditunda tanpa alasan.",
        "loss": "",
        "remedy": "Dilayani sesuai standar.",
        "lapor_reference": "",
        **changes,
    }


def submit(**changes):
    agency = Agency.objects.get(slug="musi-banyuasin")
    complaint, _code = actions.complaint_submit(
        agency=agency,
        details=details(**changes),
        evidence=[],
        now=MONDAY,
        submission_key=uuid.uuid4(),
    )
    return complaint


def snapshot(complaint):
    complaint = Complaint.objects.get(pk=complaint.pk)
    return model_to_dict(complaint), list(complaint.events.values_list("kind", "note"))


TIERS = ["", Tier.NORMATIVE]
STATUSES = ["", ComplaintStatus.HANDLING, ComplaintStatus.CLOSED]  # from diterima
ANSWERS = ["", "Jawaban kami."]
NOTES = ["", "Catatan."]
ASSIGNEES = ["keep", "stranger"]


@pytest.mark.parametrize(
    ("tier", "to_status", "answer", "note", "assignee"),
    list(itertools.product(TIERS, STATUSES, ANSWERS, NOTES, ASSIGNEES)),
)
def test_a_workflow_step_is_applied_whole_or_not_at_all(tier, to_status, answer, note, assignee):
    complaint = submit()
    actor = staff_member(complaint.agency)
    other = Agency.objects.exclude(pk=complaint.agency_id).first()
    people = {"keep": actions.KEEP, "stranger": staff_member(other)}
    classified = bool(tier)
    valid = (
        assignee == "keep"
        # handling needs a classification first; closing follows only an answer
        and (not to_status or (to_status == ComplaintStatus.HANDLING and classified))
        and (not to_status or note)
        and not (to_status and answer)
        and (not answer or classified)
        and (tier or to_status or answer or note)
    )
    before = snapshot(complaint)
    kwargs = dict(
        complaint=complaint,
        actor=actor,
        now=MONDAY.replace(hour=10),
        tier=tier,
        to_status=to_status,
        answer=answer,
        note=note,
        assignee=people[assignee],
    )
    if not valid:
        with pytest.raises(ValidationError):
            actions.complaint_process(**kwargs)
        assert snapshot(complaint) == before
        return
    actions.complaint_process(**kwargs)
    complaint.refresh_from_db()
    expected = (
        ComplaintStatus.ANSWERED
        if answer
        else to_status or (ComplaintStatus.CLASSIFIED if tier else ComplaintStatus.RECEIVED)
    )
    assert complaint.status == expected
    assert complaint.tier == tier
    assert complaint.answer == answer


def test_reclassifying_needs_a_reason_and_counts_from_the_original_receipt():
    complaint = submit()
    actor = staff_member(complaint.agency)
    actions.complaint_process(complaint=complaint, actor=actor, now=MONDAY, tier=Tier.NORMATIVE)
    complaint.refresh_from_db()
    normative_due = complaint.due_at
    with pytest.raises(ValidationError) as error:
        actions.complaint_process(
            complaint=complaint, actor=actor, now=MONDAY, tier=Tier.SUPERVISORY
        )
    assert "reason" in error.value.error_dict
    later = datetime(2025, 11, 20, 9, 0, tzinfo=WIB)
    actions.complaint_process(
        complaint=complaint,
        actor=actor,
        now=later,
        tier=Tier.NON_SUPERVISORY,
        reason="Perlu klarifikasi unit lain.",
    )
    complaint.refresh_from_db()
    # 14 working days from Mon 3 Nov, not from the reclassification on 20 Nov
    assert complaint.due_at.astimezone(WIB).date() == datetime(2025, 11, 21).date()
    assert complaint.due_at > normative_due


def test_a_rejection_needs_a_reason_and_its_note_is_shown():
    complaint = submit()
    actor = staff_member(complaint.agency)
    with pytest.raises(ValidationError) as error:
        actions.complaint_process(
            complaint=complaint,
            actor=actor,
            now=MONDAY,
            to_status=ComplaintStatus.REJECTED,
            note="Bukan kewenangan kami.",
        )
    assert "rejection_reason" in error.value.error_dict
    actions.complaint_process(
        complaint=complaint,
        actor=actor,
        now=MONDAY,
        to_status=ComplaintStatus.REJECTED,
        rejection_reason="bukan_kewenangan",
        note="Bukan kewenangan kami.",
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REJECTED and complaint.closed_at == MONDAY
    assert complaint.events.get(kind=ComplaintEvent.Kind.STATUS).public is True


def test_a_staff_note_is_internal_by_default():
    complaint = submit()
    actions.complaint_process(
        complaint=complaint, actor=staff_member(complaint.agency), now=MONDAY, note="Intern."
    )
    assert complaint.events.get(kind=ComplaintEvent.Kind.NOTE).public is False


def test_feedback_closes_or_reopens_an_answer():
    complaint = submit()
    actor = staff_member(complaint.agency)
    actions.complaint_process(
        complaint=complaint, actor=actor, now=MONDAY, tier=Tier.LIGHT, answer="Sudah kami atasi."
    )
    actions.complaint_feedback(complaint=complaint, resolved=False, note="", now=MONDAY)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.HANDLING
    actions.complaint_process(
        complaint=complaint, actor=actor, now=MONDAY, answer="Kami datang ke lokasi."
    )
    actions.complaint_feedback(complaint=complaint, resolved=True, note="Terima kasih", now=MONDAY)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED and complaint.resolved is True


def test_a_decree_reload_keeps_tier_durations_the_agency_edited():
    agency = Agency.objects.get(slug="musi-banyuasin")
    tier = agency.complaint_tiers.get(tier=Tier.NORMATIVE)
    tier.duration = "7 hari kerja"
    tier.save()
    actions.tiers_load(
        agency=agency, data={"complaint_tiers": [{"tier": "normative", "wording": "X"}]}
    )
    tier.refresh_from_db()
    assert (tier.duration, tier.wording) == ("7 hari kerja", "X")
