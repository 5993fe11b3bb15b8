"""The case page of the staff admin (portal.cases.admin.case_page): summary, next step,
documents checklist, timeline, notes; read-only, in local time, at a fixed cost."""

from datetime import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.models import ComplaintStatus
from portal.cases.admin.case_page import shown_again
from services.models import Agency, RequestEvent, RequestStatus
from services.requests import actions as request_actions
from tests.factories import default_standard, make_complaint, make_request, staff_member
from tests.pdfs import PDF, pdf_of_size

pytestmark = pytest.mark.django_db
NOW = "2025-03-13T10:00:00+07:00"  # Thu 13 Mar 2025 10:00 WIB


def wib(text):
    return datetime.fromisoformat(text + "+07:00")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def case():
    """A Pasuruan request with its first document only."""
    standard = default_standard()
    first = standard.requirements.filter(document=True).first()
    return make_request(
        received_at=wib("2025-03-12T09:00"),
        documents={first.pk: SimpleUploadedFile("ktp-budi.pdf", pdf_of_size(4500))},
    )


def page_url(case):
    return reverse("admin:services_servicerequest_change", args=[case.pk])


def test_the_case_page_reads_top_to_bottom_in_indonesian_and_local_time(client, case):
    staff = staff_member(case.agency, username="siti")
    request_actions.request_process(
        request=case, actor=staff, now=wib("2025-03-12T13:05"), note="Cek ke bidang", public=False
    )
    request_actions.request_process(
        request=case, actor=staff, now=wib("2025-03-12T14:10"), note="Besok selesai", public=True
    )
    client.force_login(staff)
    response = client.get(page_url(case))
    assert response.status_code == 200
    html = response.content.decode()
    order = ["Langkah berikutnya", "Dokumen", "Riwayat", "Catatan internal", "Rincian"]
    assert [html.index(title) for title in order] == sorted(html.index(t) for t in order)
    # Summary: due Wed 19 Mar 16:00 WIB, 4 working days and 5 hours away.
    assert "Rabu, 19 Maret 2025 pukul 16.00 WIB" in html
    assert "4 hari kerja lebih 5 jam" in html
    # Next step: one button per allowed transition, with the note field beside them.
    for status in (RequestStatus.VERIFIED, RequestStatus.RETURNED, RequestStatus.REJECTED):
        assert f'name="to_status" value="{status}"' in html
    assert f'name="to_status" value="{RequestStatus.DONE}"' not in html
    assert 'name="note"' in html
    # Checklist: the uploaded requirement with its size, the four others "belum ada".
    assert "ktp-budi.pdf" in html and "4,4\xa0KB" in html  # 4,500 bytes
    asked = case.standard.requirements.filter(document=True, conditional=False).count()
    assert html.count('<div class="missing">belum ada</div>') == asked - 1
    # Timeline in the agency's zone; the internal note apart from what the citizen sees.
    assert "Rabu, 12 Maret 2025 pukul 13.05 WIB" in html
    internal = html[html.index("Catatan internal") : html.index("Pesan yang dilihat warga")]
    public = html[html.index("Pesan yang dilihat warga") : html.index("Rincian")]
    assert "Cek ke bidang" in internal and "Besok selesai" not in internal
    assert "Besok selesai" in public and "Cek ke bidang" not in public
    # No save buttons, no English column headers, no UTC times.
    for absent in ('name="_save"', "_addanother", "_continue", "Requirement", "From status"):
        assert absent not in html, absent
    assert "UTC" not in html


def test_returning_a_case_from_its_page_pauses_it_and_keeps_the_note(client, case):
    staff = staff_member(case.agency)
    client.force_login(staff)
    response = client.post(
        page_url(case),
        {"to_status": RequestStatus.RETURNED, "note": "Lengkapi akta pendirian"},
    )
    assert response.status_code == 302 and response["Location"] == page_url(case)
    case.refresh_from_db()
    assert case.status == RequestStatus.RETURNED and case.paused_at is not None
    event = RequestEvent.objects.get(request=case, kind="status")
    assert event.note == "Lengkapi akta pendirian" and event.public  # a return is always shown
    page = client.get(page_url(case)).content.decode()
    assert "Perubahan tersimpan dan tercatat di riwayat." in page


def test_a_refused_step_keeps_what_was_typed_and_changes_nothing(client, case):
    client.force_login(staff_member(case.agency))
    response = client.post(
        page_url(case), {"to_status": RequestStatus.DONE, "note": "Tulisan saya"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tidak ada yang disimpan" in html and "Tulisan saya" in html
    assert "Rincian" in html and "berhasil diubah" not in html  # the stored case, nothing saved
    case.refresh_from_db()
    assert case.status == RequestStatus.RECEIVED


def test_a_refused_step_is_shown_again_for_a_copy_of_its_request(rf):
    posted = rf.post("/admin/services/servicerequest/1/change/", {"note": "Tulisan saya"})
    shown = shown_again(posted)
    assert shown.method == "GET" and posted.method == "POST"  # the request itself is left alone
    assert shown.META is posted.META  # one CSRF cookie, one session, one user


def test_another_agencys_case_page_is_not_found_to_read_or_to_post(client, case):
    client.force_login(staff_member(Agency.objects.get(slug="musi-banyuasin")))
    # Django's "not found" of an admin page: back to the admin's home, nothing shown.
    assert client.get(page_url(case))["Location"] == "/admin/"
    response = client.post(page_url(case), {"to_status": RequestStatus.REJECTED, "note": "x"})
    assert response["Location"] == "/admin/"
    case.refresh_from_db()
    assert case.status == RequestStatus.RECEIVED


def test_a_complaint_page_withholds_a_confidential_identity_and_classifies(client):
    complaint = make_complaint(confidential=True, received_at=wib("2025-03-13T08:00"))
    client.force_login(staff_member(complaint.agency))
    url = reverse("admin:complaints_complaint_change", args=[complaint.pk])
    html = client.get(url).content.decode()
    assert "Dirahasiakan" in html and "Ahmad" not in html
    assert 'id="evidence-group"' in html and 'id="events-group"' in html
    response = client.post(
        url, {"tier": "normative", "to_status": ComplaintStatus.HANDLING, "note": "Ke bidang"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.tier == "normative" and complaint.status == ComplaintStatus.HANDLING


def test_the_case_page_speaks_english_with_the_switch(client, case):
    client.force_login(staff_member(case.agency))
    client.cookies["django_language"] = "en"
    html = client.get(page_url(case)).content.decode()
    assert "Next step" in html and "History" in html and "not yet" in html


@pytest.mark.parametrize("notes", [1, 40])
def test_the_case_page_reads_a_fixed_number_of_queries(
    client, case, notes, django_assert_max_num_queries
):
    staff = staff_member(case.agency)
    for i in range(notes):
        request_actions.request_process(
            request=case, actor=staff, now=wib("2025-03-12T13:00"), note=f"Catatan {i}"
        )
    client.force_login(staff)
    client.get(page_url(case))
    # 17: one is the version of the standard the request is judged by (its summary line).
    with django_assert_max_num_queries(17):
        assert client.get(page_url(case)).status_code == 200


def test_a_case_page_offers_no_save_buttons(client, case):
    client.force_login(staff_member(case.agency))
    page = client.get(page_url(case))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="_addanother"' not in html and 'name="_continue"' not in html
    assert 'name="_save"' not in html
    assert reverse("admin:services_servicerequest_workflow", args=[case.pk]) in html


def _queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_complaint_page_costs_the_same_with_one_or_many_evidence_files(
    client, django_assert_max_num_queries
):
    def with_evidence(count):
        files = [SimpleUploadedFile(f"bukti-{i}.pdf", PDF) for i in range(count)]
        return make_complaint(
            "musi-banyuasin",
            received_at=wib("2025-03-12T10:00"),
            evidence=files,
            confidential=True,
        )

    one, many = with_evidence(1), with_evidence(8)
    client.force_login(staff_member(one.agency))
    url = "admin:complaints_complaint_change"
    first = _queries(client, reverse(url, args=[one.pk]), django_assert_max_num_queries, 20)
    second = _queries(client, reverse(url, args=[many.pk]), django_assert_max_num_queries, 20)
    assert second <= first


def test_a_request_page_costs_the_same_with_a_long_history(
    client, case, django_assert_max_num_queries
):
    staff = staff_member(case.agency)
    client.force_login(staff)
    first = _queries(client, page_url(case), django_assert_max_num_queries, 20)
    for n in range(10):
        request_actions.request_process(
            request=case, actor=staff, now=wib("2025-03-12T13:00"), note=f"Catatan {n}"
        )
    assert _queries(client, page_url(case), django_assert_max_num_queries, 20) <= first
