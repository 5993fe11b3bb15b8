"""The staff's case page shows the fee, time limit and requirements of the case's own version
(the version of the standard in force when the request was received), whatever was published
later, in a fixed number of queries."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import default_standard, make_request, publish, staff_member

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
RECEIVED = datetime(2025, 3, 3, 9, 0, tzinfo=WIB)  # Mon
NOW = datetime(2025, 3, 5, 10, 0, tzinfo=WIB)
NEW_REQUIREMENT = "Fotokopi KTP seluruh pengurus koperasi (dilegalisir)"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def edit_and_publish(standard, n):
    """A later version whose fee, time limit and first requirement differ."""
    standard.refresh_from_db()
    standard.fee_amount = 25_000 + n
    standard.fee_text = f"Rp {25 + n}.000 per permohonan"
    standard.timeframe_text = f"{10 + n} Hari Kerja"
    standard.save()
    first = standard.requirements.order_by("order").first()
    first.text = f"{NEW_REQUIREMENT} {n}"
    first.save()
    publish(standard, reason=f"Perubahan {n}", now=NOW)


def page(client, case):
    response = client.get(reverse("admin:services_servicerequest_change", args=[case.pk]))
    assert response.status_code == 200
    return response


def summary(response):
    return {str(label): str(value) for label, value in response.context["summary"]}


def test_the_case_page_keeps_the_terms_of_its_version(client):
    standard = default_standard()
    promised = {
        "fee": standard.fee_text,
        "timeframe": standard.timeframe_text,
        "requirements": [r.text for r in standard.requirements.order_by("order")],
    }
    case = make_request(received_at=RECEIVED)
    edit_and_publish(standard, 0)
    client.force_login(staff_member(case.agency))

    response = page(client, case)
    shown = summary(response)
    assert shown["Biaya"] == promised["fee"]
    assert shown["Jangka waktu"] == promised["timeframe"] == "5 Hari Kerja"
    assert "Versi 1, berlaku sejak" in shown["Versi standar"]
    assert [item["label"] for item in response.context["checklist"]] == promised["requirements"]
    html = response.content.decode()
    assert "Rp 25.000 per permohonan" not in html
    assert "10 Hari Kerja" not in html and NEW_REQUIREMENT not in html

    later = make_request(received_at=NOW)  # received under version 2
    response = page(client, later)
    shown = summary(response)
    assert shown["Biaya"] == "Rp 25.000 per permohonan"
    assert shown["Jangka waktu"] == "10 Hari Kerja"
    assert "Versi 2, berlaku sejak" in shown["Versi standar"]
    assert response.context["checklist"][0]["label"] == f"{NEW_REQUIREMENT} 0"


def test_the_case_page_reads_a_fixed_number_of_queries_whatever_the_versions(
    client, django_assert_max_num_queries
):
    standard = default_standard()
    case = make_request(received_at=RECEIVED)
    edit_and_publish(standard, 0)
    client.force_login(staff_member(case.agency))
    page(client, case)  # the calendar and the session are warm
    with CaptureQueriesContext(connection) as one_later:
        page(client, case)
    for n in range(1, 5):
        edit_and_publish(standard, n)
    with CaptureQueriesContext(connection) as five_later:
        shown = summary(page(client, case))
    assert shown["Biaya"] == standard.versions.get(number=1).snapshot["fee"]["text"]
    assert len(five_later) == len(one_later)
    with django_assert_max_num_queries(17):
        page(client, case)
