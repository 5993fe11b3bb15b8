"""portal.cases.retention and `manage.py purge_personal_data`: closed cases past the retention
period lose their personal data and files, keep their numbers, deadlines, statuses and history
times; open cases and recent ones are untouched; a second run does nothing."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from complaints import actions as complaint_actions
from complaints.models import Complaint, ComplaintEvent
from complaints.workflow import ComplaintStatus, Tier
from portal.cases import retention
from portal.models import PurgedCase
from services.models import RequestEvent, ServiceRequest
from services.performance import figures as performance_figures
from services.requests import actions as request_actions
from services.requests.workflow import RequestStatus
from tests.factories import PDF, default_standard, make_complaint, make_request, staff_member

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
# Cases are received and closed in 2023; the purge runs in 2026 with a period of two years.
RECEIVED = datetime(2023, 3, 6, 9, 0, tzinfo=WIB)  # Monday
CLOSED = datetime(2023, 3, 8, 10, 0, tzinfo=WIB)
PURGE_AT = datetime(2026, 2, 2, 9, 0, tzinfo=WIB)
NIK = "3514011505900003"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_PERSONAL_DATA_RETENTION_DAYS = 730


def _documents():
    requirement = default_standard().requirements.filter(document=True).first()
    return {requirement.pk: SimpleUploadedFile("ktp-siti-rahma.pdf", PDF)}


def _done_request(closed=CLOSED):
    case = make_request(
        received_at=RECEIVED,
        documents=_documents(),
        applicant_name="Siti Rahma",
        nik=NIK,
        email="siti@contoh.id",
        organisation="Koperasi Siti",
        message="Saya Siti, tinggal di Jl. Mawar 3.",
    )
    staff = staff_member(case.agency)
    for status in (RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS):
        request_actions.request_process(
            request=case,
            actor=staff,
            now=closed - timedelta(hours=1),
            to_status=status,
            note=f"Berkas Siti Rahma {status}",
        )
    request_actions.request_process(
        request=case,
        actor=staff,
        now=closed,
        to_status=RequestStatus.DONE,
        note="Diserahkan kepada Siti Rahma.",
        product=SimpleUploadedFile("izin-siti.pdf", PDF),
        product_note="Izin atas nama Siti Rahma.",
    )
    return ServiceRequest.objects.get(pk=case.pk)


def _rejected_request(closed=CLOSED):
    case = make_request(received_at=RECEIVED, documents=_documents(), applicant_name="Andi")
    request_actions.request_process(
        request=case,
        actor=staff_member(case.agency),
        now=closed,
        to_status=RequestStatus.REJECTED,
        note="Andi bukan pemilik usaha.",
    )
    return ServiceRequest.objects.get(pk=case.pk)


def _closed_complaint(closed=CLOSED):
    complaint = make_complaint(
        received_at=RECEIVED,
        evidence=[SimpleUploadedFile("foto-rumah-pak-joko.pdf", PDF)],
        complainant_name="Joko Susilo",
        phone="+6281299998888",
        email="joko@contoh.id",
        address="Jl. Melati 9, Sekayu",
        shortfall="Saya, Joko, tidak dilayani.",
        remedy="Joko minta dilayani.",
    )
    officer = staff_member(complaint.agency)
    complaint_actions.complaint_process(
        complaint=complaint, actor=officer, now=closed, tier=Tier.LIGHT, answer="Pak Joko, maaf."
    )
    complaint_actions.complaint_feedback(
        complaint=complaint, resolved=True, note="Terima kasih, Joko", now=closed
    )
    return Complaint.objects.get(pk=complaint.pk)


def _statistics() -> dict:
    """What the performance figures are computed from (DESIGN: "Performance figures"): per
    case its number, agency, status, tier, receipt, due moment and its derivation, answer and
    closure; on time or not; and every history line's time, kind and statuses."""
    requests = [
        (
            r.number,
            r.agency_id,
            r.status,
            r.received_at,
            r.due_at,
            r.due_rule,
            r.closed_at,
            r.closed_at is not None and r.due_at is not None and r.closed_at <= r.due_at,
        )
        for r in ServiceRequest.objects.order_by("pk")
    ]
    complaints = [
        (
            c.number,
            c.agency_id,
            c.status,
            c.tier,
            c.received_at,
            c.due_at,
            c.due_rule,
            c.answered_at,
            c.closed_at,
            c.resolved,
            c.confidential,
            c.channel,
        )
        for c in Complaint.objects.order_by("pk")
    ]
    request_events = list(
        RequestEvent.objects.order_by("pk").values_list(
            "request_id", "at", "kind", "from_status", "to_status", "actor_id", "data"
        )
    )
    complaint_events = list(
        ComplaintEvent.objects.order_by("pk").values_list(
            "complaint_id", "at", "kind", "from_status", "to_status", "actor_id", "data"
        )
    )
    # The public performance pages' own figures, for the years of these cases.
    performance = [
        (
            performance_figures.request_figures(
                agency_ids=None, group=group, period=period, now=PURGE_AT, day_seconds=27000
            ),
            performance_figures.complaint_figures(agency_ids=None, period=period, now=PURGE_AT),
        )
        for group in ("agency_id", "standard_id")
        for period in (
            performance_figures.Period(date(2023, 1, 1), date(2023, 12, 31), WIB),
            performance_figures.Period(date(2025, 1, 1), date(2025, 12, 31), WIB),
        )
    ]
    return {
        "performance": performance,
        "requests": requests,
        "complaints": complaints,
        "request_events": request_events,
        "complaint_events": complaint_events,
        "by_status": sorted(ServiceRequest.objects.values_list("status", flat=True))
        + sorted(Complaint.objects.values_list("status", flat=True)),
    }


def _purge(*args) -> str:
    out = StringIO()
    with time_machine.travel(PURGE_AT, tick=False):
        call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def cases():
    with time_machine.travel(RECEIVED, tick=False):
        done, rejected, complaint = _done_request(), _rejected_request(), _closed_complaint()
        # Still open after three years: never touched.
        open_request = make_request(
            received_at=RECEIVED, documents=_documents(), applicant_name="Rina Terbuka"
        )
        open_complaint = make_complaint(received_at=RECEIVED, complainant_name="Dewi Terbuka")
    # Closed within the period (a year before the purge): kept as it is.
    recent_at = datetime(2025, 3, 5, 10, 0, tzinfo=WIB)
    with time_machine.travel(recent_at - timedelta(days=2), tick=False):
        recent = make_request(documents=_documents(), applicant_name="Budi Baru")
        request_actions.request_process(
            request=recent,
            actor=staff_member(recent.agency),
            now=recent_at,
            to_status=RequestStatus.REJECTED,
            note="Budi salah layanan.",
        )
    return {
        "done": done,
        "rejected": rejected,
        "complaint": complaint,
        "open_request": open_request,
        "open_complaint": open_complaint,
        "recent": ServiceRequest.objects.get(pk=recent.pk),
    }


def _stored_files(case) -> list:
    files = [d.file for d in case.documents.all()]
    if getattr(case, "product", None):
        files.append(case.product)
    return [(f.storage, f.name) for f in files]


def test_a_dry_run_lists_the_cases_and_changes_nothing(cases):
    before = _statistics()
    rows = {
        "requests": list(ServiceRequest.objects.order_by("pk").values()),
        "complaints": list(Complaint.objects.order_by("pk").values()),
    }
    out = _purge()
    assert cases["done"].number in out and cases["rejected"].number in out
    assert cases["complaint"].number in out
    assert cases["open_request"].number not in out and cases["recent"].number not in out
    assert "Permohonan: 2 kasus akan dianonimkan." in out
    assert "Pengaduan: 1 kasus akan dianonimkan." in out
    assert "Uji coba: 3 kasus, tidak ada yang diubah" in out
    assert "Masa simpan 730 hari" in out
    assert _statistics() == before
    assert list(ServiceRequest.objects.order_by("pk").values()) == rows["requests"]
    assert list(Complaint.objects.order_by("pk").values()) == rows["complaints"]
    assert not PurgedCase.objects.exists()
    for storage, name in _stored_files(cases["done"]):
        assert storage.exists(name)


def test_apply_anonymises_closed_cases_past_the_period(cases):
    done, complaint = cases["done"], cases["complaint"]
    files = (
        _stored_files(done)
        + [(e.file.storage, e.file.name) for e in complaint.evidence.all()]
        + _stored_files(cases["rejected"])
    )
    assert len(files) == 4 and all(storage.exists(name) for storage, name in files)
    before = _statistics()
    figures_2023, complaints_2023 = before["performance"][0]
    assert sum(f.completed for f in figures_2023.values()) == 1  # the figures count these
    assert sum(f.on_time for f in figures_2023.values()) == 1
    assert sum(row["answered"] for rows in complaints_2023.values() for row in rows) == 1

    out = _purge("--apply")
    assert "Selesai: 3 kasus dianonimkan." in out

    done = ServiceRequest.objects.get(pk=done.pk)
    assert done.applicant_name == "[dihapus]"
    assert (done.nik, done.phone, done.email, done.organisation, done.message) == ("",) * 5
    assert (done.product.name, done.product_name, done.product_note) == ("", "", "")
    document = done.documents.get()
    assert (document.file.name, document.original_name, document.sha256) == ("", "[dihapus]", "")
    assert document.size == len(PDF) and document.content_type == "application/pdf"
    assert set(done.events.values_list("note", flat=True)) == {""}

    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.complainant_name == "[dihapus]"
    assert (complaint.phone, complaint.email, complaint.address) == ("", "", "")
    assert (complaint.shortfall, complaint.loss, complaint.remedy) == ("[dihapus]", "", "[dihapus]")
    assert complaint.answer == ""
    assert complaint.evidence.get().original_name == "[dihapus]"
    assert set(complaint.events.values_list("note", flat=True)) == {""}

    # Every uploaded file is gone from storage.
    assert not any(storage.exists(name) for storage, name in files)
    # Nothing of the citizens remains anywhere in the purged rows.
    text = repr(
        list(ServiceRequest.objects.filter(pk__in=[done.pk, cases["rejected"].pk]).values())
    )
    text += repr(list(Complaint.objects.filter(pk=complaint.pk).values()))
    text += repr(list(RequestEvent.objects.filter(request_id=done.pk).values()))
    text += repr(list(ComplaintEvent.objects.filter(complaint_id=complaint.pk).values()))
    for personal in (
        "Siti",
        "Rahma",
        NIK,
        "siti@contoh.id",
        "Mawar",
        "Andi",
        "Joko",
        "Melati",
        "6281299998888",
        "ktp-siti",
        "izin-siti",
        "foto-rumah",
    ):
        assert personal not in text

    # Numbers, deadlines, statuses, history times and the figures are the same.
    assert _statistics() == before
    assert done.status == RequestStatus.DONE and complaint.status == ComplaintStatus.CLOSED
    assert PurgedCase.objects.count() == 3


def test_open_and_recent_cases_are_untouched(cases):
    keep = [cases["open_request"], cases["recent"]]
    snapshot = [
        (ServiceRequest.objects.filter(pk=c.pk).values().get(), _stored_files(c)) for c in keep
    ]
    open_complaint = Complaint.objects.filter(pk=cases["open_complaint"].pk).values().get()
    _purge("--apply")
    for case, (row, files) in zip(keep, snapshot, strict=True):
        assert ServiceRequest.objects.filter(pk=case.pk).values().get() == row
        assert all(storage.exists(name) for storage, name in files)
    assert Complaint.objects.filter(pk=cases["open_complaint"].pk).values().get() == open_complaint
    assert cases["open_request"].applicant_name == "Rina Terbuka"


def test_a_second_run_does_nothing(cases):
    _purge("--apply")
    rows = list(ServiceRequest.objects.order_by("pk").values())
    out = _purge("--apply")
    assert "Selesai: 0 kasus dianonimkan." in out
    assert list(ServiceRequest.objects.order_by("pk").values()) == rows
    assert "0 kasus akan dianonimkan" in _purge()


def test_a_failing_case_leaves_it_whole_and_the_others_done(cases, monkeypatch):
    """One transaction per case: a case whose anonymising fails keeps all its data (and is
    tried again next time); the cases before it stay anonymised."""
    rule = next(r for r in retention.rules() if r.name == "request")
    calls = []

    def failing(case):
        calls.append(case.pk)
        if case.pk == cases["rejected"].pk:
            case.applicant_name = "[dihapus]"
            case.save()
            raise RuntimeError("disk penuh")
        return original(case)

    original = rule.anonymise
    monkeypatch.setattr(
        retention,
        "_RULES",
        {
            **retention._RULES,
            "request": retention.Retention(
                name=rule.name,
                label=rule.label,
                model=rule.model,
                closed_statuses=rule.closed_statuses,
                anonymise=failing,
            ),
        },
    )
    with pytest.raises(RuntimeError):
        _purge("--apply")
    assert ServiceRequest.objects.get(pk=cases["done"].pk).applicant_name == "[dihapus]"
    assert ServiceRequest.objects.get(pk=cases["rejected"].pk).applicant_name == "Andi"
    assert (
        cases["rejected"]
        .documents.get()
        .file.storage.exists(cases["rejected"].documents.get().file.name)
    )
    monkeypatch.setattr(retention, "_RULES", {**retention._RULES, "request": rule})
    assert "Selesai: 2 kasus dianonimkan." in _purge(
        "--apply"
    )  # the rejected one and the complaint
    assert ServiceRequest.objects.get(pk=cases["rejected"].pk).applicant_name == "[dihapus]"
