"""The admin's performance pages (services.performance.admin): the agencies' list with their
compliance self-check and the reports page, each for the staff's own agency."""

import pytest
from django.urls import reverse

from services.models import Agency
from tests.factories import official, staff_member

pytestmark = pytest.mark.django_db


def test_an_official_lists_their_own_agency_with_its_self_check(
    client, django_assert_max_num_queries
):
    agency = Agency.objects.get(slug="pasuruan")
    client.force_login(official(agency))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:services_agencyperformance_changelist"))
    assert response.status_code == 200
    assert [a.slug for a in response.context["cl"].result_list] == ["pasuruan"]
    html = response.content.decode()
    assert reverse("admin:services_agency_compliance", args=[agency.pk]) in html
    assert reverse("admin:services_survey_reports") in html


def test_the_performance_pages_are_read_only_and_on_the_admin_index(client):
    agency = Agency.objects.get(slug="pasuruan")
    client.force_login(staff_member(agency))
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:services_agencyperformance_changelist") in index
    assert client.get(reverse("admin:services_agencyperformance_add")).status_code == 403
    change = reverse("admin:services_agencyperformance_change", args=[agency.pk])
    assert client.post(change, {"name": "diubah"}).status_code == 403
    agency.refresh_from_db()
    assert agency.name != "diubah"


def test_the_superuser_lists_every_agency(admin_client):
    response = admin_client.get(reverse("admin:services_agencyperformance_changelist"))
    assert response.context["cl"].result_count == Agency.objects.count()
