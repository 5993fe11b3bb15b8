"""A calendar changed on the agency's admin page moves the due moments of its open cases:
the catalogue announces it (services.catalogue.hooks) and each kind of case recomputes its
own, the requests and the complaints, in the same save."""

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from services.catalogue import hooks
from services.models import AgencyClosure
from tests.factories import default_standard, make_complaint, make_request
from tests.services.catalogue.test_actions_corrections import change_form_data

pytestmark = pytest.mark.django_db

MONDAY = "2025-11-03T09:00:00+07:00"  # a working morning in Pasuruan (WIB)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def _with_closures(data: dict, *dates: str) -> dict:
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS") and "closure" in k.lower())
    prefix = prefix.removesuffix("-TOTAL_FORMS")
    first = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = first + len(dates)
    for row, date in enumerate(dates, start=first):
        data[f"{prefix}-{row}-date"] = date
        data[f"{prefix}-{row}-reason"] = "Banjir"
    return data


def test_a_closure_saved_on_the_agency_page_moves_requests_and_complaints(admin_client):
    standard = default_standard()
    agency = standard.agency
    request = make_request(standard)
    complaint = make_complaint(agency)
    request_due, complaint_due = request.due_at, complaint.due_at
    url = reverse("admin:services_agency_change", args=[agency.pk])
    # Closed today and tomorrow: the complaint's triage (hours from now) and the request's
    # working days (from tomorrow) both move.
    data = _with_closures(change_form_data(admin_client.get(url)), "2025-11-03", "2025-11-04")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert AgencyClosure.objects.filter(agency=agency, date__month=11).count() == 2
    request.refresh_from_db()
    complaint.refresh_from_db()
    assert request.due_at > request_due and complaint.due_at > complaint_due
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Jatuh tempo 1 permohonan dihitung ulang." in shown
    assert "Batas waktu 1 pengaduan dihitung ulang." in shown


def test_a_calendar_that_moves_no_case_brings_no_message():
    agency = default_standard().agency
    messages = hooks.announce_calendar_change(agency=agency, actor=None, now=None, reason="")
    assert messages == []
