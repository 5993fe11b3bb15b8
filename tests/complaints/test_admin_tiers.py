"""The complaint tiers' own admin list: each agency's officials change their tiers' deadlines,
only a superuser adds or deletes a tier."""

import pytest
from django.urls import reverse

from complaints.models import ComplaintTier
from services.models import Agency
from tests.factories import official

pytestmark = pytest.mark.django_db


def test_an_official_changes_their_own_agencys_tier_only(client):
    agency = Agency.objects.get(slug="pasuruan")
    client.force_login(official(agency))
    response = client.get(reverse("admin:complaints_complainttier_changelist"))
    assert response.status_code == 200
    assert {t.agency_id for t in response.context["cl"].result_list} == {agency.pk}
    tier = agency.complaint_tiers.order_by("order").first()
    url = reverse("admin:complaints_complainttier_change", args=[tier.pk])
    data = {"order": tier.order, "tier": tier.tier, "duration": "4 jam kerja", "wording": ""}
    assert client.post(url, data).status_code == 302
    tier.refresh_from_db()
    assert tier.duration == "4 jam kerja" and tier.agency_id == agency.pk
    other = ComplaintTier.objects.exclude(agency=agency).first()
    other_url = reverse("admin:complaints_complainttier_change", args=[other.pk])
    assert client.post(other_url, {**data, "duration": "1 jam"}).status_code == 302  # to index
    other.refresh_from_db()
    assert other.duration != "1 jam"
    assert client.get(reverse("admin:complaints_complainttier_add")).status_code == 403
