"""The staff queues (portal.cases.admin.CaseAdmin): their order, bulk assignment, exports."""

import csv
import io
from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse
from openpyxl import load_workbook

from complaints.models import ComplaintEvent
from services.models import Agency, RequestEvent, RequestStatus, ServiceRequest
from services.requests import actions as request_actions
from tests.bulk import bulk_complaints, bulk_requests
from tests.factories import complaint_officer, make_complaint, make_request, staff_member

pytestmark = pytest.mark.django_db
# Thu 13 Mar 2025 10:00 WIB.
NOW = "2025-03-13T10:00:00+07:00"


def wib(text):
    return datetime.fromisoformat(text + "+07:00")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def queue(frozen):
    pasuruan = Agency.objects.get(slug="pasuruan")
    staff = staff_member(pasuruan, username="siti")
    later = make_request(received_at=wib("2025-03-12T10:00"))  # due Wed 19 Mar
    late = make_request(received_at=wib("2025-03-04T10:00"))  # due Tue 11 Mar 16:00: late
    returned = make_request(received_at=wib("2025-03-03T10:00"))
    done = make_request(received_at=wib("2025-02-03T10:00"))
    request_actions.request_process(
        request=returned,
        actor=staff,
        now=wib("2025-03-05T10:00"),
        to_status=RequestStatus.RETURNED,
        note="Lengkapi KTP",
    )
    request_actions.request_process(
        request=done,
        actor=staff,
        now=wib("2025-02-04T10:00"),
        to_status=RequestStatus.REJECTED,
        note="Bukan layanan kami",
    )
    return {"staff": staff, "later": later, "late": late, "returned": returned, "done": done}


def changelist(kind="services_servicerequest"):
    return reverse(f"admin:{kind}_changelist")


def test_the_queue_puts_running_cases_first_most_overdue_on_top_then_paused_then_closed(
    client, queue
):
    client.force_login(queue["staff"])
    response = client.get(changelist())
    numbers = [case.number for case in response.context["cl"].result_list]
    expected = ["late", "later", "returned", "done"]
    assert numbers == [queue[name].number for name in expected]
    html = response.content.decode()
    assert "terlambat 1 hari kerja lebih 2 jam 30 menit" in html  # Tue 16:00 -> Thu 10:00
    assert '<span class="status-badge late">Diterima</span>' in html
    assert "11 Mar 2025 16.00 WIB" in html  # the due moment, short, in the agency's zone


def test_bulk_assignment_asks_for_a_colleague_then_records_each_in_the_history(client, queue):
    colleague = staff_member(Agency.objects.get(slug="pasuruan"), username="rudi")
    outsider = staff_member(Agency.objects.get(slug="musi-banyuasin"), username="wati")
    client.force_login(queue["staff"])
    chosen = [queue["late"].pk, queue["later"].pk, queue["done"].pk]
    page = client.post(changelist(), {"action": "assign_selected", "_selected_action": chosen})
    assert page.status_code == 200
    assert page.templates[0].name == "admin/cases/assign.html"
    options = page.context["form"].fields["assignee"].queryset
    assert colleague in options and outsider not in options
    refused = client.post(
        changelist(),
        {
            "action": "assign_selected",
            "_selected_action": chosen,
            "apply": "1",
            "assignee": outsider.pk,
        },
    )
    assert refused.status_code == 200 and refused.context["form"].errors
    assert not ServiceRequest.objects.filter(assignee__isnull=False).exists()
    done = client.post(
        changelist(),
        {
            "action": "assign_selected",
            "_selected_action": chosen,
            "apply": "1",
            "assignee": colleague.pk,
        },
        follow=True,
    )
    assert "2 perkara ditugaskan kepada rudi" in done.content.decode()
    assigned = set(ServiceRequest.objects.filter(assignee=colleague).values_list("pk", flat=True))
    assert assigned == {queue["late"].pk, queue["later"].pk}  # the closed one is left alone
    events = RequestEvent.objects.filter(kind="assigned")
    assert sorted(e.request_id for e in events) == sorted(assigned)
    assert all(not e.public and e.actor == queue["staff"] for e in events)


def test_bulk_assignment_refuses_cases_of_two_agencies(client, queue):
    admin = User.objects.create_superuser("kepala", "k@contoh.go.id", "rahasia-uji-123")
    other = make_request(
        Agency.objects.get(slug="musi-banyuasin").services.first(),
        received_at=wib("2025-03-12T10:00"),
    )
    client.force_login(admin)
    response = client.post(
        changelist(),
        {"action": "assign_selected", "_selected_action": [queue["late"].pk, other.pk]},
        follow=True,
    )
    assert "Pilih perkara dari satu instansi saja." in response.content.decode()


def test_complaints_are_assigned_in_bulk_too(client, frozen):
    agency = Agency.objects.get(slug="musi-banyuasin")
    staff = staff_member(agency)
    complaints = [make_complaint(agency, received_at=wib("2025-03-12T10:00")) for _ in range(3)]
    client.force_login(staff)
    client.post(
        changelist("complaints_complaint"),
        {
            "action": "assign_selected",
            "_selected_action": [c.pk for c in complaints],
            "apply": "1",
            "assignee": staff.pk,
        },
    )
    assert ComplaintEvent.objects.filter(kind="assigned").count() == 3


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_is_the_filtered_queue_in_local_time_with_the_zone_named(client, queue):
    client.force_login(queue["staff"])
    url = reverse("admin:services_servicerequest_export", args=["csv"]) + "?tempo=lewat"
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert [row["nomor"] for row in rows] == [queue["late"].number]
    assert rows[0]["jatuh tempo"] == "2025-03-11 16:00 WIB"
    assert rows[0]["zona waktu"] == "Asia/Jakarta (WIB)"
    assert rows[0]["sisa waktu kerja"] == "terlambat 1 hari kerja lebih 2 jam 30 menit"
    everything = read_csv(client.get(reverse("admin:services_servicerequest_export", args=["csv"])))
    assert len(everything) == 4
    xlsx = client.get(
        reverse("admin:services_servicerequest_export", args=["xlsx"]) + "?tempo=jeda"
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    assert values[0][0] == "nomor" and [r[0] for r in values[1:]] == [queue["returned"].number]


def test_an_export_never_holds_another_agencys_cases_or_takes_foreign_lookups(client, queue):
    outsider = staff_member(Agency.objects.get(slug="musi-banyuasin"))
    client.force_login(outsider)
    rows = read_csv(client.get(reverse("admin:services_servicerequest_export", args=["csv"])))
    assert rows == []
    probe = reverse("admin:services_servicerequest_export", args=["csv"])
    assert client.get(probe + "?applicant_name__startswith=P").status_code == 400
    assert (
        client.get(reverse("admin:services_servicerequest_export", args=["pdf"])).status_code == 404
    )


def test_an_export_cell_is_never_a_formula(client, frozen):
    agency = Agency.objects.get(slug="pasuruan")
    make_request(received_at=wib("2025-03-12T10:00"), applicant_name='=HYPERLINK("http://x")')
    client.force_login(staff_member(agency))
    rows = read_csv(client.get(reverse("admin:services_servicerequest_export", args=["csv"])))
    assert rows[0]["pemohon"] == '\'=HYPERLINK("http://x")'
    xlsx = client.get(reverse("admin:services_servicerequest_export", args=["xlsx"]))
    cell = load_workbook(io.BytesIO(xlsx.content)).active["E2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_a_confidential_complainant_is_withheld_in_the_export_as_on_screen(client, frozen):
    complaint = make_complaint(confidential=True, received_at=wib("2025-03-12T10:00"))
    url = reverse("admin:complaints_complaint_export", args=["csv"])
    client.force_login(staff_member(complaint.agency))
    row = read_csv(client.get(url))[0]
    assert row["pengadu"] == row["telepon"] == row["email"] == "Dirahasiakan"
    xlsx = client.get(reverse("admin:complaints_complaint_export", args=["xlsx"]))
    assert b"Ahmad" not in xlsx.content
    text = str(list(load_workbook(io.BytesIO(xlsx.content)).active.values))
    assert "Ahmad" not in text and "Dirahasiakan" in text
    client.force_login(complaint_officer(complaint.agency))
    assert read_csv(client.get(url))[0]["pengadu"] == "Ahmad Rahasia"


@pytest.mark.parametrize("size", [10, 1_000])
def test_both_queues_read_a_fixed_number_of_queries(
    client, frozen, size, django_assert_max_num_queries
):
    from django.utils import timezone

    agency = Agency.objects.get(slug="pasuruan")
    bulk_requests(agency, size, timezone.now())
    bulk_complaints(agency, size, timezone.now() - timedelta(hours=1))
    client.force_login(staff_member(agency))
    for kind in ("services_servicerequest", "complaints_complaint"):
        client.get(changelist(kind))
        with django_assert_max_num_queries(14):
            response = client.get(changelist(kind) + "?tempo=terbuka")
        assert response.context["cl"].result_count == size
