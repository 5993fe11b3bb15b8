"""The staff's complaint admin (complaints.admin): confidentiality, scoping to the staff's
agency, complaints from other channels, and the list's queries."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint
from services.models import Agency
from tests.factories import complaint_officer, make_complaint, staff_member

pytestmark = pytest.mark.django_db

# Tue 4 Mar 2025 10:00 WIB: after the LAPOR receipt below, an ordinary working morning.
TUESDAY_10 = "2025-03-04T10:00:00+07:00"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        yield traveller


def changelist():
    return reverse("admin:complaints_complaint_changelist")


def export(client, complaint):
    return client.post(
        changelist(), {"action": "export_csv", "_selected_action": [complaint.pk]}
    ).content.decode()


def test_confidential_identity_hidden_from_staff_without_permission(client):
    complaint = make_complaint(confidential=True)
    client.force_login(staff_member(complaint.agency))
    pages = {
        "list": client.get(changelist()).content.decode(),
        "change": client.get(
            reverse("admin:complaints_complaint_change", args=[complaint.pk])
        ).content.decode(),
        "workflow": client.get(
            reverse("admin:complaints_complaint_workflow", args=[complaint.pk])
        ).content.decode(),
        "csv": export(client, complaint),
    }
    for name, html in pages.items():
        assert "Ahmad" not in html and "6281211112222" not in html, name
        assert "ahmad@contoh.id" not in html, name
        assert "Dirahasiakan" in html, name
    # The complaint officer sees it.
    client.force_login(complaint_officer(complaint.agency))
    assert "Ahmad Rahasia" in client.get(changelist()).content.decode()
    assert "Ahmad Rahasia" in export(client, complaint)


def test_search_by_name_cannot_probe_confidential_complaints(client):
    complaint = make_complaint(confidential=True)
    client.force_login(staff_member(complaint.agency))
    assert client.get(changelist() + "?q=Ahmad").context["cl"].result_count == 0
    # ... while the search box works: by number.
    found = client.get(changelist() + f"?q={complaint.number}").context["cl"].result_list
    assert list(found) == [complaint]


def test_staff_cannot_see_another_agencys_complaints(client):
    complaint = make_complaint()
    client.force_login(staff_member(Agency.objects.get(slug="pasuruan")))
    listing = client.get(changelist())
    assert listing.status_code == 200
    assert complaint.number not in listing.content.decode()
    change = client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    assert change.status_code == 302  # "does not exist" back to the admin index
    workflow = client.get(reverse("admin:complaints_complaint_workflow", args=[complaint.pk]))
    assert workflow.status_code == 404


def test_staff_record_a_lapor_complaint_with_its_real_receipt_moment(client):
    agency = Agency.objects.get(slug="palembang")
    staff = staff_member(agency)
    client.force_login(staff)
    url = reverse("admin:complaints_complaint_add")
    base = {
        "agency": agency.pk,
        "channel": "lapor",
        "lapor_reference": "",
        "received_at_0": "2025-03-03",
        "received_at_1": "15:30:00",
        "complainant_name": "Rudi",
        "phone": "",
        "email": "",
        "address": "",
        "shortfall": "Tidak ada jawaban",
        "loss": "",
        "remedy": "Dijawab",
    }
    refused = client.post(url, base)
    assert refused.status_code == 200
    assert "Isi nomor tiket SP4N-LAPOR!" in refused.content.decode()
    assert Complaint.objects.count() == 0
    response = client.post(url, {**base, "lapor_reference": "LAPOR-123456"})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    # 3 working hours from Mon 3 Mar 15:30: 30 min Monday, Tue 07:30 + 2.5 h = 10:00.
    assert timezone.localtime(complaint.due_at).isoformat() == "2025-03-04T10:00:00+07:00"
    assert complaint.channel == "lapor" and complaint.lapor_reference == "LAPOR-123456"
    assert complaint.events.get().actor == staff


def test_complaint_list_has_fixed_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        make_complaint()
    client.force_login(complaint_officer(Agency.objects.get(slug="musi-banyuasin")))
    with django_assert_max_num_queries(14):
        response = client.get(changelist())
    assert response.status_code == 200
    assert response.context["cl"].result_count == 3
