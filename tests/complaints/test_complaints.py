"""complaints.actions called directly: tiers counted from the original receipt, agency tier
data, rejection, and a failed submission that leaves no files.

These belong with tests/complaints/test_actions.py; the pages are tested in test_views.py, the
staff's admin in test_admin.py and the pure rules in test_workflow.py.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints import actions
from complaints.models import Complaint, ComplaintTier
from services.models import Agency
from tests.factories import PDF, make_complaint, staff_member

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
# Thu 27 Mar 2025 15:00 WIB, the eve of Nyepi and Lebaran.
THURSDAY_15 = datetime(2025, 3, 27, 15, 0, tzinfo=WIB)
# Tue 8 Apr 2025 09:00 WIB, the first working morning after Lebaran.
AFTER_LEBARAN = datetime(2025, 4, 8, 9, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def local(moment):
    return timezone.localtime(moment).isoformat()


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

    monkeypatch.setattr(actions, "next_number", broken)
    with pytest.raises(RuntimeError):
        make_complaint(
            "pasuruan",
            received_at=THURSDAY_15,
            evidence=[SimpleUploadedFile("bukti.pdf", PDF)],
        )
    assert Complaint.objects.count() == 0
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
