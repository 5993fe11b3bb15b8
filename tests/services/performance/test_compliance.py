"""The compliance self-check page (services.performance.compliance, in the agency's admin)."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from services.models import Agency, ServiceStandard
from services.performance.compliance import MET, NOT_MET, UNKNOWN, agency_compliance
from services.survey import actions as survey_actions
from tests.factories import make_complaint, official, publish

pytestmark = pytest.mark.django_db

# Pasuruan's decree is signed 31 Jan 2024: on 3 Mar 2025 it is more than a year old.
MARCH_2025 = "2025-03-03T09:00:00+07:00"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MARCH_2025, tick=False) as traveller:
        yield traveller


def pasuruan():
    return Agency.objects.get(slug="pasuruan")


def results(agency):
    return {
        r.key: r for r in agency_compliance(agency, today=timezone.localdate(), now=timezone.now())
    }


def test_every_item_has_a_status_and_a_source_and_no_score():
    items = results(pasuruan())
    assert list(items) == [
        "components",
        "published",
        "channels",
        "vulnerable",
        "skm",
        "complaints",
        "reviewed",
    ]
    for item in items.values():
        assert item.status in (MET, NOT_MET, UNKNOWN) and item.source and item.summary
    assert items["channels"].status == MET
    assert items["published"].status == MET  # signed, with name and NIP
    # No survey answered this year yet.
    assert items["skm"].status == NOT_MET and "Belum ada jawaban survei" in str(
        items["skm"].summary
    )


def test_this_years_survey_is_quoted_from_its_own_index():
    agency = pasuruan()
    scores = {f"u{i}": 4 for i in range(1, 10)}
    survey_actions.survey_import(
        rows=[
            {**scores, "agency": agency, "standard": agency.services.first(), "date": day}
            for day in (timezone.localdate(), timezone.localdate().replace(year=2024))
        ]
    )
    item = results(agency)["skm"]
    assert item.status == MET
    assert "IKM 100.00 A (1 responden)" in str(item.summary)  # last year's is not counted
    assert item.fix_url == "/instansi/pasuruan/kinerja/"


def test_an_emptied_component_is_named_with_a_link_to_fix_it():
    standard = ServiceStandard.objects.get(agency__slug="pasuruan", slug="konsultasi")
    standard.items.filter(component="facilities").delete()
    standard.save()
    assert results(pasuruan())["components"].findings == []  # a draft: the version still reads
    publish(standard)
    item = results(pasuruan())["components"]
    assert item.status == NOT_MET
    (finding,) = item.findings
    assert standard.name in finding.text and "Sarana, Prasarana" in finding.text
    assert finding.url == reverse("admin:services_servicestandard_change", args=[standard.pk])
    vulnerable = results(pasuruan())["vulnerable"]
    assert standard.name in [f.text for f in vulnerable.findings]


def test_a_standard_not_reviewed_within_a_year_is_listed_until_a_new_version():
    standard = ServiceStandard.objects.get(agency__slug="pasuruan", slug="konsultasi")
    item = results(pasuruan())["reviewed"]
    assert item.status == NOT_MET and len(item.findings) == 9
    standard.fee_text = "Tidak dipungut biaya"
    standard.save()
    publish(standard)
    item = results(pasuruan())["reviewed"]
    assert len(item.findings) == 8
    assert standard.name not in " ".join(f.text for f in item.findings)


def test_a_complaint_past_its_deadline_is_counted():
    agency = pasuruan()
    assert results(agency)["complaints"].status == MET
    make_complaint(agency, received_at=timezone.now() - timezone.timedelta(days=30))
    item = results(agency)["complaints"]
    assert item.status == NOT_MET
    assert "1 pengaduan belum dijawab" in item.findings[0].text
    assert "?tempo=lewat" in item.findings[0].url


def test_the_page_is_for_the_agencys_own_officials(client, django_assert_max_num_queries):
    agency = pasuruan()
    client.force_login(official(agency))
    url = reverse("admin:services_agency_compliance", args=[agency.pk])
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Belum terpenuhi" in html and "Sumber" in html
    assert (
        url
        in client.get(reverse("admin:services_agency_change", args=[agency.pk])).content.decode()
    )
    other = Agency.objects.get(slug="palembang")
    assert (
        client.get(reverse("admin:services_agency_compliance", args=[other.pk])).status_code == 404
    )
