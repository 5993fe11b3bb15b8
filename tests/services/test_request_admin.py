"""The staff's request admin (services.requests.admin): scoping to the staff's agency, the case
page's files and history, walk-in intake and the list of many requests."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from services.models import Agency, RequestEvent, RequestStatus, ServiceRequest, ServiceStandard
from services.requests import actions as request_actions
from tests.bulk import ten_thousand_requests
from tests.factories import PDF, ApplicantFactory, make_request, staff_member

pytestmark = pytest.mark.django_db

# Tue 4 Mar 2025 10:00 WIB: after the walk-in receipts below, an ordinary working morning.
TUESDAY_10 = "2025-03-04T10:00:00+07:00"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        yield traveller


@pytest.fixture
def muba_case():
    """A Musi Banyuasin consultation request with its letter of assignment."""
    std = ServiceStandard.objects.get(agency__slug="musi-banyuasin", slug="konsultasi")
    return make_request(
        std, documents={std.requirements.first().pk: SimpleUploadedFile("tugas.pdf", PDF)}
    )


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
    change = client.get(reverse("admin:services_servicerequest_change", args=[muba_case.pk]))
    assert change.status_code == 200


def test_the_case_page_in_the_admin_links_its_files_and_shows_its_history(client, muba_case):
    client.force_login(staff_member(muba_case.agency))
    page = client.get(reverse("admin:services_servicerequest_change", args=[muba_case.pk]))
    html = page.content.decode()
    document = muba_case.documents.get()
    link = reverse("services:staff_document", args=[document.pk])
    assert f'<a href="{link}">tugas.pdf</a>' in html
    assert "Diajukan" in html  # the history line of the submission
    assert "documents-0-DELETE" not in html  # nothing can be removed here


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
    assert case.phone == "+62711373208"
    assert case.events.get().actor == staff


def test_a_walk_in_receipt_in_the_future_is_refused(client):
    agency = Agency.objects.get(slug="palembang")
    client.force_login(staff_member(agency))
    response = client.post(
        reverse("admin:services_servicerequest_add"),
        {
            "standard": agency.services.first().pk,
            "received_at_0": "2025-03-04",
            "received_at_1": "10:01:00",  # a minute after now
            **ApplicantFactory(),
        },
    )
    assert response.status_code == 200
    assert "Waktu diterima tidak boleh di masa depan." in response.content.decode()
    assert ServiceRequest.objects.count() == 0


def test_staff_list_of_ten_thousand_requests_counts_all_with_fixed_queries(
    client, django_assert_max_num_queries
):
    """The staff member of the agency sees all of its requests, one page at a time, in a fixed
    number of queries, filtered or not. How long the page takes is measured by
    scripts/bench_staff_list.py."""
    agency = ten_thousand_requests()
    client.force_login(staff_member(agency))
    url = reverse("admin:services_servicerequest_changelist")
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 10_000
    assert len(response.context["cl"].result_list) == 50
    with django_assert_max_num_queries(14):
        overdue = client.get(url + "?tempo=lewat&status__exact=diterima")
    # All were due at the moment they were received, which is now: none is late yet.
    assert overdue.context["cl"].result_count == 0
    assert RequestEvent.objects.count() == 0


def test_the_overdue_filter_lists_running_requests_past_their_due_moment(client, frozen):
    agency = Agency.objects.get(slug="pasuruan")
    late = make_request(received_at=timezone.now())  # Tue 4 Mar 10:00 -> Tue 11 Mar 16:00
    returned = make_request(received_at=timezone.now())
    staff = staff_member(agency)
    request_actions.request_process(
        request=returned,
        to_status=RequestStatus.RETURNED,
        actor=staff,
        note="Kurang lengkap",
        now=timezone.now(),
    )
    frozen.move_to("2025-03-12T08:00:00+07:00")
    client.force_login(staff)
    url = reverse("admin:services_servicerequest_changelist")
    shown = client.get(url + "?tempo=lewat").context["cl"].result_list
    assert [case.number for case in shown] == [late.number]  # the paused one is not late
    paused = client.get(url + "?tempo=jeda").context["cl"].result_list
    assert [case.number for case in paused] == [returned.number]
