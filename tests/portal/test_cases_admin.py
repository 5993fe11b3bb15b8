"""portal.cases.admin: the case queues' filters, lookups and read-only case pages."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from services import request_actions
from services.models import ServiceStandard
from tests.factories import APPLICANT, staff_member

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
