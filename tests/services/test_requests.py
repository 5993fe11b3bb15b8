"""Service requests: intake, receipt, tracking, the clock that stops and restarts, scoping."""

import re
import uuid

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.cases.codes import code_matches
from services import request_actions
from services.models import Agency, RequestEvent, RequestStatus, ServiceRequest, ServiceStandard
from tests.factories import APPLICANT, staff_member

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SERVICE = ("pasuruan", "pendataan-potensi-pengembangan-usaha")  # 5 Hari Kerja, 5 requirements


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def standard():
    return ServiceStandard.objects.get(agency__slug=SERVICE[0], slug=SERVICE[1])


def form_data(std, **overrides):
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


# Thu 27 Mar 2025 10:00 WIB: 5 working days fall on Mon 14 Apr 16:00 (Nyepi and Lebaran).
@time_machine.travel("2025-03-27T10:00:00+07:00", tick=False)
def test_submit_gives_receipt_number_code_due_and_email(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client)
    case = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/permohonan/{case.number}/tanda-terima/"
    assert re.fullmatch(r"PSR-2025-\d{5}", case.number)
    assert case.phone == "+6281234567890"
    assert case.documents.count() == standard().requirements.filter(document=True).count()
    assert timezone.localtime(case.due_at).isoformat() == "2025-04-14T16:00:00+07:00"
    page = client.get(response["Location"]).content.decode()
    code = re.search(r'<code id="kode">([^<]+)</code>', page).group(1)
    assert code_matches(case.access_hash, code)
    assert "Senin, 14 April 2025 pukul 16.00 WIB" in page
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert case.number in body and code in body and "Senin, 14 April 2025" in body
    assert "Idul Fitri" in body  # how it was counted


def test_documents_are_stored_privately_under_random_names(client, settings):
    submit(client)
    document = ServiceRequest.objects.get().documents.first()
    assert document.file.name.startswith("dokumen/pasuruan/")
    # The uploader's name never becomes a path: a random hex name, the real type's extension.
    assert re.fullmatch(r"dokumen/pasuruan/[0-9a-f]{32}\.pdf", document.file.name)
    assert str(settings.MEDIA_ROOT / "private") in document.file.path


def test_double_submission_creates_one_request(client):
    std = standard()
    key = str(uuid.uuid4())
    url = reverse("services:request_create", kwargs={"agency": SERVICE[0], "service": SERVICE[1]})
    first = client.post(url, form_data(std, submission_key=key))
    second = client.post(url, form_data(std, submission_key=key))
    assert ServiceRequest.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_submission_that_fails_after_its_documents_were_written_leaves_no_files(
    client, settings, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(request_actions, "next_number", broken)
    with pytest.raises(RuntimeError):
        submit(client)
    assert ServiceRequest.objects.count() == 0
    private = settings.MEDIA_ROOT / "private"
    assert not [p for p in private.rglob("*") if p.is_file()]


def test_a_form_sent_twice_at_once_is_stored_once(monkeypatch):
    """The second copy passed the first check before the first copy committed; it finds the
    first one once it holds the agency's lock, and gets the same request."""
    key = uuid.uuid4()
    std = standard()
    applicant = {"applicant_name": "Siti Aminah", "nik": "3514045507880002", "phone": "+628123"}
    now = timezone.now()
    first, code = request_actions.request_submit(
        standard=std, applicant=applicant, documents={}, now=now, submission_key=key
    )
    real_filter = ServiceRequest.objects.filter
    calls = []

    def stale_first_check(*args, **kwargs):  # as if the first copy were not committed yet
        calls.append(kwargs)
        if len(calls) == 1:
            return ServiceRequest.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(ServiceRequest.objects, "filter", stale_first_check)
    second, second_code = request_actions.request_submit(
        standard=std, applicant=applicant, documents={}, now=now, submission_key=key
    )
    assert len(calls) == 2 and second.pk == first.pk and second_code == code and code
    assert ServiceRequest.objects.count() == 1


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
    html = response.content.decode()
    assert message in html
    assert 'value="Koperasi Sejahtera"' in html and 'value="Siti Aminah"' in html
    assert "harus dipilih ulang" in html


def test_large_file_and_renamed_exe_are_refused(client, settings):
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
    assert ServiceRequest.objects.count() == 0
    assert "Berkas besar.pdf berukuran 6,0 MB; batasnya 5 MB." in html
    assert "Berkas virus.pdf bukan PDF, JPEG atau PNG" in html
    assert 'value="Siti Aminah"' in html


def _track(client, number, code):
    return client.post(reverse("cases:track"), {"number": number, "code": code})


def test_tracking_same_answer_for_wrong_code_and_unknown_number_then_rate_limited(client):
    from django.core.cache import cache

    cache.clear()
    submit(client)
    case = ServiceRequest.objects.get()
    other = client.__class__()
    wrong_code = _track(other, case.number, "salah").content.decode()
    unknown = _track(other, "PSR-2099-99999", "salah").content.decode()
    message = "Nomor tanda terima atau kode akses tidak cocok."
    assert message in wrong_code and message in unknown
    assert case.applicant_name not in wrong_code
    for _ in range(8):
        _track(other, case.number, "salah")
    assert _track(other, case.number, "salah").status_code == 429
    cache.clear()


def test_one_cases_code_never_opens_another(client):
    submit(client)
    submit(client)
    first, second = ServiceRequest.objects.order_by("sequence")
    code = client.session["request_codes"][second.number]
    fresh = client.__class__()
    assert _track(fresh, first.number, code).status_code == 200  # refused, form again
    assert fresh.get(reverse("cases:track_detail", args=[first.number])).status_code == 302


def test_return_pauses_and_resubmission_shifts_due_by_the_paused_time(client, django_user_model):
    # Received Mon 3 Mar 2025 09:00; 5 working days -> Mon 10 Mar 16:00.
    with time_machine.travel("2025-03-03T09:00:00+07:00", tick=False):
        submit(client)
    case = ServiceRequest.objects.get()
    assert timezone.localtime(case.due_at).isoformat() == "2025-03-10T16:00:00+07:00"
    staff = staff_member(case.agency)
    # Returned Wed 5 Mar 10:00: remaining = rest of Wed (5 h: 10-12, 13-16) + Thu 6, Fri 7,
    # Mon 10 (3 x 7.5 h) = 27.5 h.
    with time_machine.travel("2025-03-05T10:00:00+07:00", tick=False):
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
    with time_machine.travel("2025-03-10T08:00:00+07:00", tick=False):
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
    assert timezone.localtime(case.due_at).isoformat() == "2025-03-13T14:00:00+07:00"
    assert case.status == RequestStatus.RECEIVED
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "paused", "status", "document", "resumed", "status"]


def test_transitions_are_checked_and_need_a_note(client):
    submit(client)
    case = ServiceRequest.objects.get()
    staff = staff_member(case.agency)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Status tidak dapat diubah"):
        request_actions.request_process(
            request=case,
            to_status=RequestStatus.DONE,
            actor=staff,
            note="langsung selesai",
            now=timezone.now(),
        )
    with pytest.raises(ValidationError, match="Catatan wajib diisi"):
        request_actions.request_process(
            request=case,
            to_status=RequestStatus.VERIFIED,
            actor=staff,
            note=" ",
            now=timezone.now(),
        )


@pytest.fixture
def muba_case(client):
    std = ServiceStandard.objects.get(agency__slug="musi-banyuasin", slug="konsultasi")
    case, _ = request_actions.request_submit(
        standard=std,
        applicant=dict(APPLICANT),
        documents={std.requirements.first().pk: SimpleUploadedFile("tugas.pdf", PDF)},
        now=timezone.now(),
    )
    return case


def test_pasuruan_staff_cannot_list_open_or_download_musi_banyuasin(client, muba_case):
    client.force_login(staff_member(Agency.objects.get(slug="pasuruan")))
    listing = client.get(reverse("admin:services_servicerequest_changelist"))
    assert listing.status_code == 200
    assert muba_case.number not in listing.content.decode()
    change = client.get(reverse("admin:services_servicerequest_change", args=[muba_case.pk]))
    assert change.status_code == 302  # "does not exist" back to the admin index
    workflow = client.get(reverse("admin:services_servicerequest_workflow", args=[muba_case.pk]))
    assert workflow.status_code == 404
    document = muba_case.documents.get()
    assert client.get(reverse("services:staff_document", args=[document.pk])).status_code == 404
    # ... while Musi Banyuasin's own staff can.
    client.force_login(staff_member(Agency.objects.get(slug="musi-banyuasin")))
    assert client.get(reverse("services:staff_document", args=[document.pk])).status_code == 200
    assert (
        client.get(reverse("admin:services_servicerequest_change", args=[muba_case.pk])).status_code
        == 200
    )


def test_the_case_page_in_the_admin_links_its_files_and_shows_its_history(client, muba_case):
    client.force_login(staff_member(muba_case.agency))
    page = client.get(reverse("admin:services_servicerequest_change", args=[muba_case.pk]))
    html = page.content.decode()
    document = muba_case.documents.get()
    link = reverse("services:staff_document", args=[document.pk])
    assert f'<a href="{link}">tugas.pdf</a>' in html
    assert "Diajukan" in html  # the history line of the submission
    assert "documents-0-DELETE" not in html  # nothing can be removed here


def test_anonymous_cannot_download_documents(client, muba_case):
    document = muba_case.documents.get()
    response = client.get(reverse("services:staff_document", args=[document.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_workflow_through_the_admin(client, muba_case):
    staff = staff_member(muba_case.agency)
    client.force_login(staff)
    url = reverse("admin:services_servicerequest_workflow", args=[muba_case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "to_status": "diverifikasi",
            "note": "Berkas lengkap",
            "public": "on",
            "assignee": staff.pk,
        },
    )
    assert response.status_code == 302
    muba_case.refresh_from_db()
    assert muba_case.status == "diverifikasi" and muba_case.assignee == staff
    refused = client.post(url, {"to_status": "selesai", "note": "x"})
    assert "Pilih salah satu" in refused.content.decode() or refused.status_code == 200
    muba_case.refresh_from_db()
    assert muba_case.status == "diverifikasi"
    events = muba_case.events.values_list("kind", "actor", "note")
    assert ("status", staff.pk, "Berkas lengkap") in list(events)


def test_walk_in_request_with_real_receipt_moment(client):
    agency = Agency.objects.get(slug="palembang")
    staff = staff_member(agency)
    client.force_login(staff)
    std = agency.services.get(slug="kelembagaan-dan-pengawasan-koperasi")  # ± 2 hari
    response = client.post(
        reverse("admin:services_servicerequest_add"),
        {
            "standard": std.pk,
            "received_at_0": "2025-03-03",
            "received_at_1": "15:00:00",
            "applicant_name": "Rudi",
            "nik": "1671011505900001",
            "phone": "0711 373208",
            "email": "",
            "organisation": "",
            "message": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = ServiceRequest.objects.get()
    assert case.channel == "loket" and case.number.startswith("PLG-2025-")
    # 2 working days from Mon 3 Mar 15:00 -> Wed 5 Mar 16:00.
    assert timezone.localtime(case.due_at).isoformat() == "2025-03-05T16:00:00+07:00"
    assert case.events.get().actor == staff


def ten_thousand_requests():
    """10,000 running requests of Pasuruan, inserted in bulk."""
    agency = Agency.objects.get(slug="pasuruan")
    std = agency.services.first()
    now = timezone.now()
    ServiceRequest.objects.bulk_create(
        ServiceRequest(
            agency=agency,
            standard=std,
            number=f"PSR-2025-{i:05d}",
            year=2025,
            sequence=i,
            access_hash="x" * 64,
            applicant_name=f"Pemohon {i}",
            nik="3514045507880002",
            phone="+6281234567890",
            received_at=now,
            due_at=now,
        )
        for i in range(1, 10_001)
    )
    return agency


def test_staff_list_of_many_requests_has_fixed_queries(client, django_assert_max_num_queries):
    agency = ten_thousand_requests()
    client.force_login(staff_member(agency))
    url = reverse("admin:services_servicerequest_changelist")
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        client.get(url + "?tempo=lewat&status__exact=diterima")
    assert RequestEvent.objects.count() == 0


def test_new_closure_recomputes_open_requests_and_records_it(client):
    from services.models import AgencyClosure

    with time_machine.travel("2025-03-03T09:00:00+07:00", tick=False):
        submit(client)
    case = ServiceRequest.objects.get()
    assert timezone.localtime(case.due_at).isoformat() == "2025-03-10T16:00:00+07:00"
    official = staff_member(case.agency)
    AgencyClosure.objects.create(agency=case.agency, date="2025-03-06", reason="Hari jadi")
    changed = request_actions.requests_recompute_deadlines(
        agency=case.agency, actor=official, now=timezone.now(), reason="Hari tutup baru"
    )
    case.refresh_from_db()
    assert changed == 1
    # Thu 6 Mar is closed now: Tue 4 (1), Wed 5 (2), Fri 7 (3), Mon 10 (4), Tue 11 (5).
    assert timezone.localtime(case.due_at).isoformat() == "2025-03-11T16:00:00+07:00"
    event = case.events.get(kind="deadline")
    assert event.actor == official and event.note == "Hari tutup baru"
    assert event.data["old_due"].startswith("2025-03-10T09:00:00")


def test_applicant_downloads_own_documents_only_with_access(client):
    submit(client)
    case = ServiceRequest.objects.get()
    document = case.documents.first()
    url = reverse("services:track_document", args=[case.number, document.pk])
    assert client.get(url).status_code == 200
    assert client.__class__().get(url).status_code == 404
    other = ServiceRequest.objects.exclude(pk=case.pk).first()
    assert (
        other is None
        or client.get(
            reverse("services:track_document", args=[other.number, document.pk])
        ).status_code
        == 404
    )


def test_staff_list_timing_with_ten_thousand_requests(client):
    """Not an assertion on speed (machines differ): prints the render time for the note."""
    import time

    agency = ten_thousand_requests()
    client.force_login(staff_member(agency))
    url = reverse("admin:services_servicerequest_changelist")
    client.get(url)
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert response.context["cl"].result_count == 10_000
    print(f"\nstaff list of 10,000 requests: {elapsed * 1000:.0f} ms")


@time_machine.travel("2025-03-27T10:00:00+07:00", tick=False)
def test_receipt_pdf_for_the_applicant_only(client):
    import subprocess

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
    assert "Idul Fitri" in flat  # how the due moment was counted
    assert "Kanal pengaduan" in flat
    assert client.__class__().get(url).status_code == 404
