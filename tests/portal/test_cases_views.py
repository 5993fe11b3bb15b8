"""portal.cases.views: the receipt PDF of the browser that submitted the case."""

import uuid
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

import portal.pdf
from portal.cases import access
from services.models import ServiceStandard
from services.requests import actions as request_actions
from tests.factories import APPLICANT

pytestmark = pytest.mark.django_db
MONDAY = datetime(2025, 11, 3, 9, 0, tzinfo=ZoneInfo("Asia/Pontianak"))


@pytest.fixture
def seen(monkeypatch):
    """The HTML handed to WeasyPrint (not rendered: only what the receipt says matters)."""
    pages: list[str] = []

    def record(html, **kwargs):
        pages.append(html)
        return b"%PDF-1.7\n%%EOF\n"

    monkeypatch.setattr(portal.pdf, "render_pdf", record)
    return pages


def open_receipt(client, slug):
    std = ServiceStandard.objects.get(agency__slug="kalimantan-barat", slug=slug)
    case, code = request_actions.request_submit(
        standard=std, applicant=APPLICANT, documents={}, now=MONDAY, submission_key=uuid.uuid4()
    )
    session = client.session
    access.grant(SimpleNamespace(session=session), case.number, code)
    session.save()
    return case, code, client.get(reverse("services:request_receipt_pdf", args=[case.number]))


@pytest.mark.parametrize(
    ("slug", "own_channel_listed"),
    [
        ("penilaian-kesehatan-pengawasan-koperasi", True),  # service 9 lists its own WhatsApp
        ("konsultasi", False),  # the agency's general channels only
    ],
)
def test_a_receipt_lists_the_services_own_channels_then_the_agencys(
    client, seen, slug, own_channel_listed
):
    case, code, response = open_receipt(client, slug)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    (html,) = seen
    assert ("089518510075" in html) is own_channel_listed
    general = [c.value for c in case.agency.channels.filter(standard__isnull=True)]
    assert general and all(value in html for value in general)
    assert code in html  # the submitter's own receipt carries the code


def test_the_receipt_pdf_needs_the_cases_access(client, seen):
    case, _code, _response = open_receipt(client, "konsultasi")
    stranger = client.__class__()
    assert (
        stranger.get(reverse("services:request_receipt_pdf", args=[case.number])).status_code == 404
    )


def test_the_code_typed_in_lower_case_with_spaces_opens_the_case(client):
    std = ServiceStandard.objects.get(agency__slug="kalimantan-barat", slug="konsultasi")
    case, code = request_actions.request_submit(
        standard=std, applicant=APPLICANT, documents={}, now=MONDAY, submission_key=uuid.uuid4()
    )
    typed = code.replace("-", " ").lower()  # "k7qw 2xpm 9zhc 4rta"
    response = client.post(reverse("cases:track"), {"number": case.number.lower(), "code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:track_detail", args=[case.number])
    page = client.get(response["Location"]).content.decode()
    assert case.number in page


def test_the_tracking_form_shows_the_code_as_text(client):
    html = client.get(reverse("cases:track")).content.decode()
    assert 'type="password"' not in html and 'autocapitalize="characters"' in html


def test_the_receipt_pdf_carries_the_code_people_can_type(client, seen):
    _case, code, response = open_receipt(client, "konsultasi")
    assert response.status_code == 200
    (html,) = seen
    assert len(code) == 19 and code.count("-") == 3 and code in html
