"""Public request pages (services.requests.views and the shared tracking page): the intake
form, the receipt, tracking with number and code, resubmission, private downloads."""

import re
import subprocess
import uuid
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.cases import numbering
from portal.cases.codes import code_matches
from services.models import RequestStatus, ServiceRequest, ServiceStandard
from services.requests import actions as request_actions
from tests import holiday_names
from tests.factories import PDF, documents_for, make_request, staff_member
from tests.images import PNG

pytestmark = pytest.mark.django_db

SERVICE = ("pasuruan", "pendataan-potensi-pengembangan-usaha")  # 5 Hari Kerja, 5 requirements
# Mon 3 Mar 2025 09:00 WIB, an ordinary working morning: 5 working days -> Mon 10 Mar 16:00.
MONDAY_9 = "2025-03-03T09:00:00+07:00"
# Thu 27 Mar 2025 10:00 WIB: 5 working days fall on Mon 14 Apr 16:00 (Nyepi and Lebaran).
THU_BEFORE_LEBARAN = "2025-03-27T10:00:00+07:00"
REFUSED = "Nomor tanda terima atau kode akses tidak cocok."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def frozen():
    """Every test runs on MONDAY_9 unless it moves the clock (frozen.move_to)."""
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        yield traveller


def standard():
    return ServiceStandard.objects.get(agency__slug=SERVICE[0], slug=SERVICE[1])


def form_data(std, **overrides):
    """What a citizen types into the form, before cleaning (a 0812 phone, spaces)."""
    data = {
        "submission_key": str(uuid.uuid4()),
        "applicant_name": "Siti Aminah",
        "nik": "3514045507880002",
        "phone": "0812-3456-7890",
        "email": "siti@contoh.id",
        "organisation": "Koperasi Sejahtera",
        "message": "Mohon diproses",
        "consent": "on",
    }
    for r in std.requirements.filter(document=True):
        data[f"dokumen_{r.pk}"] = SimpleUploadedFile(f"dok{r.pk}.pdf", PDF)
    data.update(overrides)
    return data


def submit(client, **overrides):
    std = standard()
    url = reverse("services:request_create", kwargs={"agency": SERVICE[0], "service": SERVICE[1]})
    return client.post(url, form_data(std, **overrides))


def local(moment):
    return timezone.localtime(moment).isoformat()


def test_submit_gives_receipt_number_code_due_and_email(
    client, frozen, django_capture_on_commit_callbacks
):
    frozen.move_to(THU_BEFORE_LEBARAN)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client)
    case = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/permohonan/{case.number}/tanda-terima/#tanda-terima"
    assert re.fullmatch(r"PSR-2025-\d{5}", case.number)
    assert case.phone == "+6281234567890"
    assert case.documents.count() == standard().requirements.filter(document=True).count()
    assert local(case.due_at) == "2025-04-14T16:00:00+07:00"
    page = client.get(response["Location"]).content.decode()
    code = re.search(r'<code id="kode">([^<]+)</code>', page).group(1)
    assert code_matches(case.access_hash, code)
    assert "Senin, 14 April 2025 pukul 16.00 WIB" in page
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert case.number in body and code in body and "Senin, 14 April 2025" in body
    assert holiday_names.name(date(2025, 3, 31)) in body  # how it was counted


def test_documents_are_stored_privately_under_random_names(client, settings):
    submit(client)
    document = ServiceRequest.objects.get().documents.first()
    # The uploader's name never becomes a path: a random hex name, the real type's extension.
    assert re.fullmatch(r"dokumen/pasuruan/[0-9a-f]{32}\.pdf", document.file.name)
    assert str(settings.MEDIA_ROOT / "private") in document.file.path


def test_double_submission_creates_one_request(client):
    std = standard()
    key = str(uuid.uuid4())
    url = reverse("services:request_create", kwargs={"agency": SERVICE[0], "service": SERVICE[1]})
    client.get(url)  # the form page sets the browser's CSRF cookie, which both copies send
    first = client.post(url, form_data(std, submission_key=key))
    second = client.post(url, form_data(std, submission_key=key))
    assert ServiceRequest.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_a_submission_that_fails_after_its_documents_were_written_leaves_no_files(
    client, settings, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(numbering, "next_number", broken)
    with pytest.raises(RuntimeError):
        submit(client)
    assert ServiceRequest.objects.count() == 0
    private = settings.MEDIA_ROOT / "private"
    assert not [p for p in private.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"nik": "12345"}, "nik", "NIK harus 16 angka"),
        ({"phone": "12345"}, "phone", "diawali 0 atau +62"),
        ({"consent": ""}, "consent", "Persetujuan diperlukan"),
    ],
)
def test_bad_input_is_refused_and_typed_values_kept(client, overrides, field, message):
    response = submit(client, **overrides)
    assert response.status_code == 200
    assert ServiceRequest.objects.count() == 0
    assert message in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    assert message in html
    assert 'value="Koperasi Sejahtera"' in html and 'value="Siti Aminah"' in html
    assert "harus dipilih ulang" not in html  # the valid files are kept (test_request_staging)


def test_large_file_and_renamed_exe_are_refused(client):
    std = standard()
    first, second = [r.pk for r in std.requirements.filter(document=True)][:2]
    response = submit(
        client,
        **{
            f"dokumen_{first}": SimpleUploadedFile("besar.pdf", PDF + b"0" * (6 * 1024 * 1024)),
            f"dokumen_{second}": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 99),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert ServiceRequest.objects.count() == 0
    assert "Berkas besar.pdf berukuran 6,0 MB; batasnya 5 MB." in html
    assert "Berkas virus.pdf bukan PDF, JPEG atau PNG" in html
    assert 'value="Siti Aminah"' in html


def _track(client, number, code):
    return client.post(reverse("cases:track"), {"number": number, "code": code})


def test_tracking_same_answer_for_wrong_code_and_unknown_number_then_rate_limited(client):
    case = make_request(applicant_name="Siti Aminah")
    wrong_code = _track(client, case.number, "salah").content.decode()
    unknown = _track(client, "PSR-2099-99999", "salah").content.decode()
    assert REFUSED in wrong_code and REFUSED in unknown
    assert "Siti Aminah" not in wrong_code
    for _ in range(8):
        _track(client, case.number, "salah")
    assert _track(client, case.number, "salah").status_code == 429


def test_one_cases_code_never_opens_another(client):
    first, second = make_request(), make_request()
    refused = _track(client, first.number, second.access_code)
    assert refused.status_code == 200  # the form again, with the refusal
    assert REFUSED in refused.content.decode()
    assert client.get(reverse("cases:track_detail", args=[first.number])).status_code == 302
    # ... while the second case's own code opens it.
    opened = _track(client, second.number, second.access_code)
    assert opened["Location"] == reverse("cases:track_detail", args=[second.number])


def test_return_pauses_and_resubmission_shifts_due_by_the_paused_time(client, frozen):
    # Received Mon 3 Mar 2025 09:00; 5 working days -> Mon 10 Mar 16:00.
    submit(client)
    case = ServiceRequest.objects.get()
    assert local(case.due_at) == "2025-03-10T16:00:00+07:00"
    staff = staff_member(case.agency)
    # Returned Wed 5 Mar 10:00: remaining = rest of Wed (5 h: 10-12, 13-16) + Thu 6, Fri 7,
    # Mon 10 (3 x 7.5 h) = 27.5 h.
    frozen.move_to("2025-03-05T10:00:00+07:00")
    request_actions.request_process(
        request=case,
        to_status=RequestStatus.RETURNED,
        actor=staff,
        note="Lampirkan laporan keuangan terbaru.",
        now=timezone.now(),
    )
    case.refresh_from_db()
    assert case.remaining_seconds == int(27.5 * 3600)
    assert case.status == RequestStatus.RETURNED
    # The applicant sees what to do and uploads the file on Mon 10 Mar 08:00.
    frozen.move_to("2025-03-10T08:00:00+07:00")
    page = client.get(reverse("cases:track_detail", args=[case.number])).content.decode()
    assert "Lampirkan laporan keuangan terbaru." in page
    response = client.post(
        reverse("cases:track_detail", args=[case.number]),
        {"documents": SimpleUploadedFile("laporan.png", PNG), "note": "Sudah"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    # Resumed Mon 10 Mar 08:00 with 27.5 h: Mon 08:00-16:00 (7 h), Tue 11, Wed 12 (15 h),
    # Thu 13 from 07:30 + 5.5 h = 14:00.
    assert local(case.due_at) == "2025-03-13T14:00:00+07:00"
    assert case.status == RequestStatus.RECEIVED
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "paused", "status", "document", "resumed", "status"]


def test_applicant_downloads_own_documents_only_with_access(client):
    submit(client)
    submit(client)  # the same browser holds the codes of both requests
    first, second = ServiceRequest.objects.order_by("sequence")
    document = first.documents.first()
    url = reverse("services:track_document", args=[first.number, document.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert client.__class__().get(url).status_code == 404  # no code, no file
    # The second request's access does not open the first request's document.
    other = reverse("services:track_document", args=[second.number, document.pk])
    assert client.get(other).status_code == 404


def test_anonymous_cannot_download_staff_documents(client):
    document = make_request(documents=documents_for(standard())).documents.first()
    response = client.get(reverse("services:staff_document", args=[document.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_receipt_pdf_for_the_applicant_only(client, frozen):
    frozen.move_to(THU_BEFORE_LEBARAN)
    submit(client)
    case = ServiceRequest.objects.get()
    url = reverse("services:request_receipt_pdf", args=[case.number])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert case.number in flat
    assert "Senin, 14 April 2025 pukul 16.00 WIB" in flat
    assert holiday_names.name(date(2025, 3, 31)) in flat  # how the due moment was counted
    assert "Kanal pengaduan" in flat
    assert client.__class__().get(url).status_code == 404
