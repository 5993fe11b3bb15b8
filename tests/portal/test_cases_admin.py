"""portal.cases.admin: the case queues' filters, lookups and read-only case pages."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from services.models import Agency, ServiceStandard
from services.requests import actions as request_actions
from tests.factories import APPLICANT, staff_member
from tests.pdfs import PDF

pytestmark = pytest.mark.django_db
MONDAY = datetime(2025, 11, 3, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def case():
    std = ServiceStandard.objects.get(agency__slug="pasuruan", slug="konsultasi")
    created, _code = request_actions.request_submit(
        standard=std,
        applicant=APPLICANT,
        documents={},
        now=MONDAY,
        submission_key=uuid.uuid4(),
    )
    return created


@pytest.mark.parametrize(
    "query", ["", "?tempo=lewat", "?tempo=besok", "?tempo=jeda", "?status__exact=diterima"]
)
def test_the_queues_own_filters_work(client, case, query):
    client.force_login(staff_member(case.agency))
    url = reverse("admin:services_servicerequest_changelist") + query
    assert client.get(url).status_code == 200
    complaints = reverse("admin:complaints_complaint_changelist") + query.replace("jeda", "lewat")
    assert client.get(complaints).status_code == 200


@pytest.mark.parametrize(
    "query", ["?applicant_name__startswith=B", "?nik__contains=16", "?phone__endswith=0"]
)
def test_other_url_lookups_are_refused(client, case, query):
    client.force_login(staff_member(case.agency))
    url = reverse("admin:services_servicerequest_changelist") + query
    assert client.get(url).status_code == 400


def test_a_case_page_offers_no_save_buttons(client, case):
    client.force_login(staff_member(case.agency))
    page = client.get(reverse("admin:services_servicerequest_change", args=[case.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="_addanother"' not in html and 'name="_continue"' not in html
    assert 'name="_save"' not in html
    assert reverse("admin:services_servicerequest_workflow", args=[case.pk]) in html


def _complaint_with_evidence(count):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from complaints import actions

    agency = Agency.objects.get(slug="musi-banyuasin")
    complaint, _code = actions.complaint_submit(
        agency=agency,
        details={
            "standard": None,
            "complainant_name": "Rahasia",
            "phone": "",
            "email": "",
            "address": "",
            "confidential": True,
            "shortfall": "Tidak dilayani.",
            "loss": "",
            "remedy": "Dilayani.",
            "lapor_reference": "",
        },
        evidence=[SimpleUploadedFile(f"bukti-{i}.pdf", PDF) for i in range(count)],
        now=MONDAY,
        submission_key=uuid.uuid4(),
    )
    return complaint


def _queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_complaint_page_costs_the_same_with_one_or_many_evidence_files(
    client, settings, tmp_path, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    one, many = _complaint_with_evidence(1), _complaint_with_evidence(8)
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
    url = reverse("admin:services_servicerequest_change", args=[case.pk])
    first = _queries(client, url, django_assert_max_num_queries, 20)
    for n in range(10):
        request_actions.request_process(
            request=case, actor=staff_member(case.agency), now=MONDAY, note=f"Catatan {n}"
        )
    assert _queries(client, url, django_assert_max_num_queries, 20) <= first
