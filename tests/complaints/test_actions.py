"""complaints.actions: the staff's one workflow action (all or nothing), tiers, feedback."""

import itertools
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.utils import timezone

from complaints import actions
from complaints.models import Complaint, ComplaintEvent, ComplaintStatus, ComplaintTier, Tier
from portal.cases import numbering
from services.models import Agency, AgencyClosure
from tests.factories import PDF, make_complaint, staff_member

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2025, 11, 3, 9, 0, tzinfo=WIB)
# Thu 27 Mar 2025 15:00 WIB, the eve of Nyepi and Lebaran.
THURSDAY_15 = datetime(2025, 3, 27, 15, 0, tzinfo=WIB)
# Tue 8 Apr 2025 09:00 WIB, the first working morning after Lebaran.
AFTER_LEBARAN = datetime(2025, 4, 8, 9, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def local(moment):
    return timezone.localtime(moment).isoformat()


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


def test_a_closure_moves_the_deadline_of_running_complaints():
    """Classified normative on Mon 3 Nov: 5 working days, due Mon 10 Nov 16:00; a closure on
    Thu 6 Nov moves it to Tue 11 Nov, counted from the same receipt."""

    complaint = submit()
    actor = staff_member(complaint.agency)
    actions.complaint_process(complaint=complaint, actor=actor, now=MONDAY, tier=Tier.NORMATIVE)
    complaint.refresh_from_db()
    assert complaint.due_at.astimezone(WIB).date() == datetime(2025, 11, 10).date()
    thursday = datetime(2025, 11, 6).date()
    AgencyClosure.objects.create(agency=complaint.agency, date=thursday, reason="Banjir")
    changed = actions.complaints_recompute_deadlines(
        agency=complaint.agency, actor=actor, now=MONDAY, reason="Kantor tutup 6 November."
    )
    complaint.refresh_from_db()
    assert changed == 1
    assert complaint.due_at.astimezone(WIB).date() == datetime(2025, 11, 11).date()
    assert complaint.events.filter(note="Kantor tutup 6 November.").count() == 1


def test_classify_then_reclassify_counts_from_the_original_receipt():
    complaint = make_complaint(received_at=THURSDAY_15)
    officer = staff_member(complaint.agency)
    complaint = actions.complaint_process(
        complaint=complaint, tier="normative", actor=officer, reason="", now=AFTER_LEBARAN
    )
    # 5 working days from Thu 27 Mar: Tue 8 (1), Wed 9 (2), Thu 10 (3), Fri 11 (4), Mon 14 (5).
    assert local(complaint.due_at) == "2025-04-14T16:00:00+07:00"
    with pytest.raises(ValidationError, match="Alasan wajib diisi"):
        actions.complaint_process(
            complaint=complaint,
            tier="non_supervisory",
            actor=officer,
            reason="",
            now=AFTER_LEBARAN,
        )
    complaint = actions.complaint_process(
        complaint=complaint,
        tier="non_supervisory",
        actor=officer,
        reason="Perlu koordinasi dengan bidang lain",
        now=datetime(2025, 4, 10, 10, 0, tzinfo=WIB),
    )
    # 14 working days from Thu 27 Mar 2025 (not from the reclassification): Tue 8 Apr (1),
    # 9 (2), 10 (3), 11 (4), 14 (5), 15 (6), 16 (7), 17 (8); Fri 18 Good Friday; 21 (9),
    # 22 (10), 23 (11), 24 (12), 25 (13), Mon 28 Apr (14) at 16:00.
    assert local(complaint.due_at) == "2025-04-28T16:00:00+07:00"
    history = list(
        complaint.events.filter(kind="classified").values_list("actor", "note", "data__to_tier")
    )
    assert history == [
        (officer.pk, "Diklasifikasi sebagai Pengaduan bersifat normatif.", "normative"),
        (officer.pk, "Perlu koordinasi dengan bidang lain", "non_supervisory"),
    ]


def test_tier_durations_are_agency_data():
    agency = Agency.objects.get(slug="pasuruan")
    ComplaintTier.objects.filter(agency=agency, tier="normative").update(duration="2 hari kerja")
    received = datetime(2025, 3, 3, 9, 0, tzinfo=WIB)  # Mon 3 Mar 09:00
    complaint = make_complaint(agency, received_at=received)
    complaint = actions.complaint_process(
        complaint=complaint,
        tier="normative",
        actor=staff_member(agency),
        reason="",
        now=received,
    )
    # 2 working days: Tue 4 (1), Wed 5 Mar (2) at 16:00.
    assert local(complaint.due_at) == "2025-03-05T16:00:00+07:00"


def test_a_reload_of_the_decree_keeps_the_tier_durations_the_agency_edited():
    agency = Agency.objects.get(slug="pasuruan")
    ComplaintTier.objects.filter(agency=agency, tier="normative").update(duration="2 hari kerja")
    actions.tiers_load(
        agency=agency,
        data={"complaint_tiers": [{"tier": "normative", "wording": "Normatif, 5 hari kerja"}]},
    )
    tiers = {t.tier: (t.duration, t.wording) for t in ComplaintTier.objects.filter(agency=agency)}
    assert tiers["normative"] == ("2 hari kerja", "Normatif, 5 hari kerja")
    assert tiers["light"] == ("3 jam", "")  # the decree no longer words it: wording cleared
    assert len(tiers) == 4


def test_rejection_needs_a_reason():
    complaint = make_complaint(received_at=THURSDAY_15)
    officer = staff_member(complaint.agency)
    with pytest.raises(ValidationError, match="Pilih alasan penolakan"):
        actions.complaint_process(
            complaint=complaint, to_status="ditolak", actor=officer, note="x", now=AFTER_LEBARAN
        )
    complaint = actions.complaint_process(
        complaint=complaint,
        to_status="ditolak",
        actor=officer,
        note="Sudah diadukan",
        now=AFTER_LEBARAN,
        rejection_reason="duplikat",
    )
    assert complaint.status == "ditolak" and complaint.closed_at == AFTER_LEBARAN
    assert complaint.rejection_reason == "duplikat"


def test_a_complaint_that_fails_after_its_evidence_was_written_leaves_no_files(
    tmp_path, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(numbering, "next_number", broken)
    with pytest.raises(RuntimeError):
        make_complaint(
            "pasuruan",
            received_at=THURSDAY_15,
            evidence=[SimpleUploadedFile("bukti.pdf", PDF)],
        )
    assert Complaint.objects.count() == 0
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_a_complaint_sent_twice_is_stored_once_and_its_second_evidence_removed(tmp_path):
    """Found again under the agency's numbering lock: the same complaint and code, and the
    evidence the second copy had already written is deleted."""
    key = uuid.uuid4()
    first = make_complaint(
        "pasuruan",
        received_at=THURSDAY_15,
        submission_key=key,
        evidence=[SimpleUploadedFile("bukti.pdf", PDF)],
    )
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    second = make_complaint(
        "pasuruan",
        received_at=THURSDAY_15,
        submission_key=key,
        evidence=[SimpleUploadedFile("bukti.pdf", PDF)],
    )
    assert second.pk == first.pk and Complaint.objects.count() == 1
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == files and len(files) == 1


def test_the_due_rule_keeps_its_purpose_tier_and_duration_in_its_json_form():
    complaint = make_complaint("pasuruan", now=MONDAY)
    stored = Complaint.objects.get(pk=complaint.pk).due_rule
    assert set(stored) == {"purpose", "tier", "duration", "rule", "explain", "explain_en"}
    rule = complaint.deadline_rule
    assert (rule.purpose, rule.tier, rule.duration) == ("triase", Tier.LIGHT, "3 jam")
    assert rule.to_json() == stored and rule.stage is None and rule.skipped is None
