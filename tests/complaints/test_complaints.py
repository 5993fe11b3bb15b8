"""Complaints: intake, tiers counted from the original receipt, answers, confidentiality."""

import re
import uuid

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from complaints import actions
from complaints.models import Complaint, ComplaintTier
from services.models import Agency
from tests.factories import complaint_officer, staff_member

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%%EOF\n"
THURSDAY_15 = "2025-03-27T15:00:00+07:00"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def local(moment):
    return timezone.localtime(moment).isoformat()


def form_data(**overrides):
    agency = Agency.objects.get(slug="musi-banyuasin")
    data = {
        "submission_key": str(uuid.uuid4()),
        "agency": agency.pk,
        "standard": agency.services.get(slug="konsultasi").pk,
        "request_number": "",
        "shortfall": "Konsultasi dijanjikan hari itu, saya diminta datang lagi minggu depan.",
        "loss": "Biaya perjalanan dua kali.",
        "remedy": "Konsultasi dilayani sesuai standar.",
        "complainant_name": "Ahmad Rahasia",
        "phone": "0812 1111 2222",
        "email": "ahmad@contoh.id",
        "address": "Sekayu",
        "consent": "on",
    }
    data.update(overrides)
    return data


def file_complaint(client, **overrides):
    return client.post(reverse("complaints:create"), form_data(**overrides))


@time_machine.travel(THURSDAY_15, tick=False)
def test_public_complaint_gets_number_code_and_triage_deadline(
    client, django_capture_on_commit_callbacks
):
    staff_member(Agency.objects.get(slug="musi-banyuasin"), email="petugas@muba.go.id")
    with django_capture_on_commit_callbacks(execute=True):
        response = file_complaint(
            client, bukti_1=SimpleUploadedFile("foto.pdf", PDF), confidential="on"
        )
    complaint = Complaint.objects.get()
    assert response["Location"] == f"/pengaduan/{complaint.number}/tanda-terima/"
    assert re.fullmatch(r"MUBA-ADU-2025-\d{5}", complaint.number)
    # Triage within 3 working hours: Thu 15:00-16:00 (1 h), then Tue 8 Apr 07:30 + 2 h.
    assert local(complaint.due_at) == "2025-04-08T09:30:00+07:00"
    assert complaint.evidence.count() == 1 and complaint.phone == "+6281211112222"
    page = client.get(response["Location"]).content.decode()
    assert "Selasa, 8 April 2025 pukul 09.30 WIB" in page
    to_complainant, to_staff = mail.outbox
    assert to_complainant.to == ["ahmad@contoh.id"] and complaint.number in to_complainant.body
    # The staff alert never names a confidential complainant.
    assert to_staff.to == ["petugas@muba.go.id"]
    assert "Ahmad" not in to_staff.body and "0812" not in to_staff.body
    assert "ahmad@contoh.id" not in to_staff.body and "Dirahasiakan" in to_staff.body


def test_form_keeps_input_and_explains_errors(client):
    html = file_complaint(client, phone="", email="", remedy="").content.decode()
    assert Complaint.objects.count() == 0
    assert "Isi nomor telepon atau email" in html
    assert "Konsultasi dijanjikan hari itu" in html  # what was typed is kept
    assert "harus dipilih ulang" in html


def test_service_of_another_agency_is_refused(client):
    other = Agency.objects.get(slug="pasuruan").services.first()
    html = file_complaint(client, standard=other.pk).content.decode()
    assert "Layanan ini bukan layanan instansi yang dipilih." in html


def test_page_explains_tiers_and_channels_of_the_preselected_agency(client):
    html = client.get("/pengaduan/?instansi=kalimantan-barat&layanan=konsultasi").content.decode()
    assert "Pengaduan bersifat normatif" in html and "5 hari kerja" in html
    assert "081256506007" in html  # Kalbar's WhatsApp
    assert "selected>Pelayanan Konsultasi" in html or "selected" in html


def submit(received=THURSDAY_15, agency="musi-banyuasin", confidential=False):
    with time_machine.travel(received, tick=False):
        complaint, code = actions.complaint_submit(
            agency=Agency.objects.get(slug=agency),
            details={
                "complainant_name": "Ahmad Rahasia",
                "phone": "+6281211112222",
                "email": "ahmad@contoh.id",
                "address": "",
                "confidential": confidential,
                "shortfall": "Tidak dilayani",
                "loss": "",
                "remedy": "Dilayani",
                "standard": None,
                "service_request": None,
            },
            evidence=[],
            now=timezone.now(),
        )
    return complaint, code


def test_classify_then_reclassify_counts_from_the_original_receipt():
    complaint, _ = submit()
    officer = staff_member(complaint.agency)
    with time_machine.travel("2025-04-08T09:00:00+07:00", tick=False):
        complaint = actions.complaint_process(
            complaint=complaint, tier="normative", actor=officer, reason="", now=timezone.now()
        )
    # 5 working days from Thu 27 Mar: Tue 8 (1), Wed 9 (2), Thu 10 (3), Fri 11 (4), Mon 14 (5).
    assert local(complaint.due_at) == "2025-04-14T16:00:00+07:00"
    with pytest.raises(ValidationError, match="Alasan wajib diisi"):
        actions.complaint_process(
            complaint=complaint,
            tier="non_supervisory",
            actor=officer,
            reason="",
            now=timezone.now(),
        )
    with time_machine.travel("2025-04-10T10:00:00+07:00", tick=False):
        complaint = actions.complaint_process(
            complaint=complaint,
            tier="non_supervisory",
            actor=officer,
            reason="Perlu koordinasi dengan bidang lain",
            now=timezone.now(),
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
    complaint, _ = submit(agency="pasuruan", received="2025-03-03T09:00:00+07:00")
    complaint = actions.complaint_process(
        complaint=complaint,
        tier="normative",
        actor=staff_member(agency),
        reason="",
        now=timezone.now(),
    )
    assert local(complaint.due_at) == "2025-03-05T16:00:00+07:00"


def test_answer_and_feedback_on_the_tracking_page(client, django_capture_on_commit_callbacks):
    complaint, code = submit()
    officer = staff_member(complaint.agency)
    actions.complaint_process(
        complaint=complaint, tier="light", actor=officer, reason="", now=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.complaint_process(
            complaint=complaint,
            answer="Mohon maaf, sudah kami layani.",
            actor=officer,
            now=timezone.now(),
        )
    assert "Mohon maaf, sudah kami layani." in mail.outbox[-1].body
    page = client.get(reverse("cases:track_detail", args=[complaint.number]) + f"?kode={code}")
    assert page.status_code == 302
    html = client.get(page["Location"]).content.decode()
    assert "Mohon maaf, sudah kami layani." in html
    response = client.post(page["Location"], {"resolved": "tidak", "note": "Belum dilayani"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "ditangani" and complaint.resolved is False


def test_rejection_needs_a_reason():
    complaint, _ = submit()
    officer = staff_member(complaint.agency)
    with pytest.raises(ValidationError, match="Pilih alasan penolakan"):
        actions.complaint_process(
            complaint=complaint, to_status="ditolak", actor=officer, note="x", now=timezone.now()
        )
    complaint = actions.complaint_process(
        complaint=complaint,
        to_status="ditolak",
        actor=officer,
        note="Sudah diadukan",
        now=timezone.now(),
        rejection_reason="duplikat",
    )
    assert complaint.status == "ditolak" and complaint.closed_at


def test_confidential_identity_hidden_from_staff_without_permission(client):
    complaint, _ = submit(confidential=True)
    staff = staff_member(complaint.agency)
    client.force_login(staff)
    listing = client.get(reverse("admin:complaints_complaint_changelist")).content.decode()
    detail = client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    workflow = client.get(reverse("admin:complaints_complaint_workflow", args=[complaint.pk]))
    export = client.post(
        reverse("admin:complaints_complaint_changelist"),
        {"action": "export_csv", "_selected_action": [complaint.pk]},
    )
    for html in (
        listing,
        detail.content.decode(),
        workflow.content.decode(),
        export.content.decode(),
    ):
        assert "Ahmad" not in html and "6281211112222" not in html
        assert "ahmad@contoh.id" not in html
        assert "Dirahasiakan" in html
    # The complaint officer sees it.
    client.force_login(complaint_officer(complaint.agency))
    listing = client.get(reverse("admin:complaints_complaint_changelist")).content.decode()
    export = client.post(
        reverse("admin:complaints_complaint_changelist"),
        {"action": "export_csv", "_selected_action": [complaint.pk]},
    ).content.decode()
    assert "Ahmad Rahasia" in listing and "Ahmad Rahasia" in export


def test_search_by_name_cannot_probe_confidential_complaints(client):
    complaint, _ = submit(confidential=True)
    client.force_login(staff_member(complaint.agency))
    response = client.get(reverse("admin:complaints_complaint_changelist") + "?q=Ahmad")
    assert response.context["cl"].result_count == 0


def test_staff_cannot_see_another_agencys_complaints(client):
    complaint, _ = submit()
    client.force_login(staff_member(Agency.objects.get(slug="pasuruan")))
    listing = client.get(reverse("admin:complaints_complaint_changelist"))
    assert complaint.number not in listing.content.decode()
    assert (
        client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk])).status_code
        == 302
    )
    assert (
        client.get(reverse("admin:complaints_complaint_workflow", args=[complaint.pk])).status_code
        == 404
    )


def test_staff_record_a_lapor_complaint_with_its_real_receipt_moment(client):
    agency = Agency.objects.get(slug="palembang")
    client.force_login(staff_member(agency))
    url = reverse("admin:complaints_complaint_add")
    base = {
        "agency": agency.pk,
        "channel": "lapor",
        "lapor_reference": "",
        "received_at_0": "2025-03-03",
        "received_at_1": "15:30:00",
        "complainant_name": "Rudi",
        "phone": "",
        "email": "",
        "address": "",
        "shortfall": "Tidak ada jawaban",
        "loss": "",
        "remedy": "Dijawab",
    }
    refused = client.post(url, base)
    assert "Isi nomor tiket SP4N-LAPOR!" in refused.content.decode()
    response = client.post(url, {**base, "lapor_reference": "LAPOR-123456"})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    # 3 working hours from Mon 3 Mar 15:30: 30 min Monday, Tue 07:30 + 2.5 h = 10:00.
    assert local(complaint.due_at) == "2025-03-04T10:00:00+07:00"
    assert complaint.channel == "lapor" and complaint.events.get().actor is not None


def test_tracking_finds_complaints_by_number_and_code(client):
    complaint, code = submit()
    wrong = client.post(reverse("cases:track"), {"number": complaint.number, "code": "x"})
    assert "tidak cocok" in wrong.content.decode()
    right = client.post(reverse("cases:track"), {"number": complaint.number, "code": code})
    assert right.status_code == 302
    assert "Diterima" in client.get(right["Location"]).content.decode()


def test_complaint_list_has_fixed_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        submit()
    client.force_login(complaint_officer(Agency.objects.get(slug="musi-banyuasin")))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("admin:complaints_complaint_changelist")).status_code == 200


@time_machine.travel(THURSDAY_15, tick=False)
def test_complaint_receipt_pdf(client):
    import subprocess

    file_complaint(client)
    complaint = Complaint.objects.get()
    url = reverse("complaints:receipt_pdf", args=[complaint.number])
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        )
        .stdout.decode()
        .split()
    )
    assert "TANDA TERIMA PENGADUAN" in text and complaint.number in text
    assert "Selasa, 8 April 2025 pukul 09.30 WIB" in text
    assert client.__class__().get(url).status_code == 404


def test_a_complaint_that_fails_after_its_evidence_was_written_leaves_no_files(
    settings, tmp_path, monkeypatch
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from complaints import actions as complaint_actions
    from services.models import Agency

    settings.MEDIA_ROOT = tmp_path

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(complaint_actions, "next_number", broken)
    evidence = [SimpleUploadedFile("bukti.pdf", b"%PDF-1.7\n%%EOF\n")]
    details = {
        "complainant_name": "Budi",
        "phone": "+6281234567890",
        "shortfall": "Izin tidak selesai tepat waktu",
        "remedy": "Diselesaikan",
    }
    with pytest.raises(RuntimeError):
        complaint_actions.complaint_submit(
            agency=Agency.objects.get(slug="pasuruan"),
            details=details,
            evidence=evidence,
            now=timezone.now(),
        )
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def _service_select(html):
    return html[
        html.index('id="id_standard"') : html.index("</select>", html.index('id="id_standard"'))
    ]


def test_services_are_listed_under_their_agency_or_only_the_chosen_agencys(client):
    everything = _service_select(client.get(reverse("complaints:create")).content.decode())
    # "Pertimbangan Teknis ..." exists in several agencies: each sits under its agency's name.
    assert everything.count("<optgroup") == Agency.objects.count()
    assert '<optgroup label="Diskop UKM Musi Banyuasin">' in everything
    muba = Agency.objects.get(slug="musi-banyuasin")
    chosen = _service_select(
        client.get(reverse("complaints:create") + "?instansi=musi-banyuasin").content.decode()
    )
    assert "<optgroup" not in chosen
    assert len(re.findall(r'<option value="\d+"', chosen)) == muba.services.count()


def test_a_service_of_another_agency_is_refused_with_a_clear_message(client):
    other = Agency.objects.get(slug="pasuruan").services.first()
    response = file_complaint(client, standard=other.pk)
    assert response.status_code == 200 and Complaint.objects.count() == 0
    html = response.content.decode()
    assert "Layanan ini bukan layanan instansi yang dipilih." in html
    # the list now offers the chosen agency's services
    muba = Agency.objects.get(slug="musi-banyuasin")
    assert len(re.findall(r'<option value="\d+"', _service_select(html))) == muba.services.count()


def test_a_large_install_lists_services_only_once_an_agency_is_chosen(client, monkeypatch):
    from complaints import forms

    monkeypatch.setattr(forms, "SERVICE_LIST_LIMIT", 5)
    url = reverse("complaints:create")
    blank = client.get(url).content.decode()
    assert not re.findall(r'<option value="\d+"', _service_select(blank))
    assert "buka formulir ini dari halaman instansi atau layanan" in blank
    chosen = client.get(url + "?instansi=musi-banyuasin").content.decode()
    muba = Agency.objects.get(slug="musi-banyuasin")
    assert len(re.findall(r'<option value="\d+"', _service_select(chosen))) == muba.services.count()
    # a complaint without a service is still taken
    response = file_complaint(client, standard="")
    assert response.status_code == 302 and Complaint.objects.get().standard is None
