"""Public complaint pages (complaints.views and the shared tracking page): the form, the
receipt, tracking, the answer and the complainant's feedback."""

import re
import subprocess
import uuid

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from complaints import actions
from complaints.models import Complaint
from services.models import Agency
from tests.factories import PDF, make_complaint, staff_member

pytestmark = pytest.mark.django_db

# Thu 27 Mar 2025 15:00 WIB, the eve of Nyepi and Lebaran: triage (3 working hours) is due
# Thu 15:00-16:00 (1 h), then Tue 8 Apr 07:30 + 2 h = 09:30.
THURSDAY_15 = "2025-03-27T15:00:00+07:00"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def frozen():
    """Every test runs on THURSDAY_15 unless it moves the clock (frozen.move_to)."""
    with time_machine.travel(THURSDAY_15, tick=False) as traveller:
        yield traveller


def local(moment):
    return timezone.localtime(moment).isoformat()


def form_data(**overrides):
    """What a complainant types into the form, before cleaning."""
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


def _service_select(html):
    start = html.index('id="id_standard"')
    return html[start : html.index("</select>", start)]


def _options(select_html):
    return re.findall(r'<option value="\d+"', select_html)


def test_public_complaint_gets_number_code_and_triage_deadline(
    client, django_capture_on_commit_callbacks
):
    staff_member(Agency.objects.get(slug="musi-banyuasin"), email="petugas@muba.go.id")
    with django_capture_on_commit_callbacks(execute=True):
        response = file_complaint(
            client, bukti_1=SimpleUploadedFile("foto.pdf", PDF), confidential="on"
        )
    complaint = Complaint.objects.get()
    assert response["Location"] == f"/pengaduan/{complaint.number}/tanda-terima/#tanda-terima"
    assert re.fullmatch(r"MUBA-ADU-2025-\d{5}", complaint.number)
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
    response = file_complaint(client, phone="", email="", remedy="")
    assert response.status_code == 200
    html = response.content.decode()
    assert Complaint.objects.count() == 0
    assert "Isi nomor telepon atau email" in html
    assert "Konsultasi dijanjikan hari itu" in html  # what was typed is kept
    assert "harus dipilih ulang" not in html


def test_page_explains_tiers_and_channels_of_the_preselected_agency(client):
    kalbar = Agency.objects.get(slug="kalimantan-barat")
    konsultasi = kalbar.services.get(slug="konsultasi")
    response = client.get("/pengaduan/?instansi=kalimantan-barat&layanan=konsultasi")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pengaduan bersifat normatif" in html and "5 hari kerja" in html
    assert "081256506007" in html  # Kalbar's WhatsApp
    # The agency and the service from the link are the ones selected in the form.
    assert f'<option value="{kalbar.pk}" selected>{kalbar.short_name}' in html
    assert f'<option value="{konsultasi.pk}" selected>{konsultasi.name}' in _service_select(html)


def test_answer_and_feedback_on_the_tracking_page(
    client, frozen, django_capture_on_commit_callbacks
):
    complaint = make_complaint()
    officer = staff_member(complaint.agency)
    actions.complaint_process(
        complaint=complaint, tier="light", actor=officer, reason="", now=timezone.now()
    )
    frozen.move_to("2025-04-08T09:00:00+07:00")
    with django_capture_on_commit_callbacks(execute=True):
        actions.complaint_process(
            complaint=complaint,
            answer="Mohon maaf, sudah kami layani.",
            actor=officer,
            now=timezone.now(),
        )
    assert "Mohon maaf, sudah kami layani." in mail.outbox[-1].body
    url = reverse("cases:track_detail", args=[complaint.number])
    page = client.get(url + f"?kode={complaint.access_code}")
    assert page.status_code == 302 and page["Location"] == url
    html = client.get(url).content.decode()
    assert "Mohon maaf, sudah kami layani." in html
    response = client.post(url, {"resolved": "tidak", "note": "Belum dilayani"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "ditangani" and complaint.resolved is False
    assert complaint.events.filter(kind="answer").get().data == {"late": False}


def test_tracking_finds_complaints_by_number_and_code(client):
    complaint = make_complaint()
    wrong = client.post(reverse("cases:track"), {"number": complaint.number, "code": "x"})
    assert wrong.status_code == 200 and "tidak cocok" in wrong.content.decode()
    right = client.post(
        reverse("cases:track"), {"number": complaint.number, "code": complaint.access_code}
    )
    assert right.status_code == 302
    assert "Diterima" in client.get(right["Location"]).content.decode()


def test_complaint_receipt_pdf(client):
    file_complaint(client)
    complaint = Complaint.objects.get()
    url = reverse("complaints:receipt_pdf", args=[complaint.number])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
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
    assert len(_options(chosen)) == muba.services.count()


def test_a_service_of_another_agency_is_refused_with_a_clear_message(client):
    other = Agency.objects.get(slug="pasuruan").services.first()
    response = file_complaint(client, standard=other.pk)
    assert response.status_code == 200 and Complaint.objects.count() == 0
    html = response.content.decode()
    assert "Layanan ini bukan layanan instansi yang dipilih." in html
    # the list now offers the chosen agency's services
    muba = Agency.objects.get(slug="musi-banyuasin")
    assert len(_options(_service_select(html))) == muba.services.count()


def test_a_large_install_lists_services_only_once_an_agency_is_chosen(client, monkeypatch):
    from complaints import forms

    monkeypatch.setattr(forms, "SERVICE_LIST_LIMIT", 5)
    url = reverse("complaints:create")
    blank = client.get(url).content.decode()
    assert not _options(_service_select(blank))
    assert "buka formulir ini dari halaman instansi atau layanan" in blank
    chosen = client.get(url + "?instansi=musi-banyuasin").content.decode()
    muba = Agency.objects.get(slug="musi-banyuasin")
    assert len(_options(_service_select(chosen))) == muba.services.count()
    # a complaint without a service is still taken
    response = file_complaint(client, standard="")
    assert response.status_code == 302 and Complaint.objects.get().standard is None


def test_evidence_of_a_failed_complaint_is_kept_for_the_corrected_post(
    client, django_capture_on_commit_callbacks
):
    data = form_data(phone="", email="", bukti_2=SimpleUploadedFile("foto-loket.pdf", PDF))
    failed = client.post(reverse("complaints:create"), data)
    html = failed.content.decode()
    assert "foto-loket.pdf</span> (" in html and ">hapus</label>" in html
    assert "perbaiki saja yang ditandai" in html
    fixed = {k: v for k, v in data.items() if k != "bukti_2"} | {"phone": "0812 1111 2222"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("complaints:create"), fixed)
    assert response.status_code == 302
    evidence = Complaint.objects.get().evidence.get()
    assert evidence.original_name == "foto-loket.pdf" and evidence.file.read() == PDF
