"""The staff queues (portal.cases.admin.queue and .filters): their order, their own filters
and lookups only, bulk assignment, and a fixed number of queries."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from complaints.models import ComplaintEvent
from services.models import Agency, RequestEvent, ServiceRequest
from tests.bulk import bulk_complaints, bulk_requests
from tests.factories import make_complaint, make_request, staff_member

pytestmark = pytest.mark.django_db


def wib(text):
    return datetime.fromisoformat(text + "+07:00")


def changelist(kind="services_servicerequest"):
    return reverse(f"admin:{kind}_changelist")


@pytest.mark.parametrize(
    "query", ["", "?tempo=lewat", "?tempo=besok", "?tempo=jeda", "?status__exact=diterima"]
)
def test_the_queues_own_filters_work(client, queue, query):
    client.force_login(queue["staff"])
    assert client.get(changelist() + query).status_code == 200
    complaints = changelist("complaints_complaint") + query.replace("jeda", "lewat")
    assert client.get(complaints).status_code == 200


@pytest.mark.parametrize(
    "query", ["?applicant_name__startswith=B", "?nik__contains=16", "?phone__endswith=0"]
)
def test_other_url_lookups_are_refused(client, queue, query):
    client.force_login(queue["staff"])
    assert client.get(changelist() + query).status_code == 400


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
