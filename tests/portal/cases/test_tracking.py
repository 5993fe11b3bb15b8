"""portal.cases.tracking through the tracking pages: a form sent from the page is recorded and
the page opened again with its message, or shown again with the action's refusal; staff open a
case's files only for their own agency (portal.cases.files.staff_may_open)."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from complaints.forms import InformationForm
from portal.cases import tracking
from portal.cases.files import staff_may_open
from services.models import Agency
from tests.factories import make_complaint, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2025-03-03T09:00:00+07:00", tick=False) as traveller:
        yield traveller


def opened(client, case):
    """A browser that opened the case with its number and code."""
    response = client.post(
        reverse("cases:track"), {"number": case.number, "code": case.access_code}
    )
    assert response.status_code == 302
    return client


def test_added_information_is_recorded_and_the_page_opened_again_with_its_message(client):
    complaint = make_complaint("pasuruan")
    page = reverse("cases:track_detail", kwargs={"number": complaint.number})
    sent = opened(client, complaint).post(
        page, {"form": "tambahan", "tambahan-text": "Kejadian pukul 10.00."}
    )
    assert sent.status_code == 302 and sent["Location"] == page
    again = client.get(page).content.decode()
    assert "Terima kasih, tambahan Anda tercatat dan diteruskan." in again
    assert complaint.events.filter(note__contains="Kejadian pukul 10.00.").exists()


def test_the_actions_refusal_is_the_forms_error():
    def refuse(**kwargs):
        raise ValidationError("Pengaduan sudah ditutup.")

    form = InformationForm({"text": "x"})
    assert form.is_valid()
    request = RequestFactory().post("/")
    complaint = make_complaint("pasuruan")
    assert tracking.send(request, complaint, form, refuse, done="-") is None
    assert form.non_field_errors() == ["Pengaduan sudah ditutup."]


def test_staff_open_files_of_their_own_agency_only():
    pasuruan, palembang = Agency.objects.get(slug="pasuruan"), Agency.objects.get(slug="palembang")
    request = RequestFactory().get("/")
    request.user = staff_member(pasuruan)
    assert staff_may_open(request, pasuruan.pk)
    assert not staff_may_open(request, palembang.pk)
