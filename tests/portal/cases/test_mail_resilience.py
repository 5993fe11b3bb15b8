"""A stored submission always reaches its receipt with its code.

With a mail server that refuses, with staff who have email addresses, and when the first
answer never reached the citizen (a worker killed right after the commit, a lost session),
the same form sent again shows the same receipt and code.
"""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint
from portal.models import OutboundEmail
from services.models import Agency, ServiceRequest, ServiceStandard
from tests.factories import staff_member
from tests.pdfs import PDF

pytestmark = pytest.mark.django_db
REFUSING = "tests.portal.cases.test_mail_resilience.RefusingBackend"


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP 554 refused")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = REFUSING


def request_data(key):
    std = ServiceStandard.objects.get(
        agency__slug="pasuruan", slug="pendataan-potensi-pengembangan-usaha"
    )
    data = {
        "submission_key": str(key),
        "applicant_name": "Siti Aminah",
        "nik": "3514045507880002",
        "phone": "0812-3456-7890",
        "email": "siti@contoh.id",
        "organisation": "",
        "message": "",
        "consent": "on",
    }
    for r in std.requirements.filter(document=True):
        data[f"dokumen_{r.pk}"] = SimpleUploadedFile("akta.pdf", PDF)
    url = reverse("services:request_create", kwargs={"agency": "pasuruan", "service": std.slug})
    return url, data


def complaint_data(key):
    agency = Agency.objects.get(slug="musi-banyuasin")
    return reverse("complaints:create"), {
        "submission_key": str(key),
        "agency": agency.pk,
        "standard": "",
        "request_number": "",
        "shortfall": "Tidak dilayani.",
        "loss": "",
        "remedy": "Dilayani.",
        "complainant_name": "Ahmad",
        "phone": "0812 1111 2222",
        "email": "ahmad@contoh.id",
        "address": "",
        "consent": "on",
    }


def code_on(page: str) -> str:
    start = page.index('id="kode">') + len('id="kode">')
    return page[start : page.index("<", start)]


@pytest.mark.parametrize("kind", ["request", "complaint"])
def test_a_refusing_mail_server_still_ends_on_the_receipt_with_the_code(
    client, kind, django_capture_on_commit_callbacks
):
    staff = staff_member(Agency.objects.get(slug="musi-banyuasin"), email="petugas@contoh.go.id")
    assert staff.email  # complaint alerts go to every staff member with an address
    url, data = (request_data if kind == "request" else complaint_data)(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    code = code_on(receipt.content.decode())
    assert len(code) == 19  # XXXX-XXXX-XXXX-XXXX
    model = ServiceRequest if kind == "request" else Complaint
    assert model.objects.count() == 1
    rows = OutboundEmail.objects.all()
    assert rows and all(r.sent_at is None and r.attempts == 1 for r in rows)


@pytest.mark.parametrize("kind", ["request", "complaint"])
def test_the_same_form_sent_again_from_a_lost_session_shows_the_same_code(kind):
    """The first answer never arrived (worker killed after the commit; the session cookie never
    came back): the browser sends the same form again and reaches the same receipt and code."""
    key = uuid.uuid4()
    build = request_data if kind == "request" else complaint_data
    first = Client()
    url, data = build(key)
    first.get(url)  # the form page: the browser's CSRF cookie
    sent_with = first.cookies.output(header="")  # the cookies the lost answer's request carried
    response = first.post(url, data)
    code = code_on(first.get(response["Location"]).content.decode())

    again = Client()  # nothing of the first answer survived: the same cookies as before
    again.cookies.load(sent_with)
    url, data = build(key)
    response = again.post(url, data)
    assert response.status_code == 302
    receipt = again.get(response["Location"])
    assert receipt.status_code == 200 and code_on(receipt.content.decode()) == code
    model = ServiceRequest if kind == "request" else Complaint
    assert model.objects.count() == 1


def test_someone_elses_receipt_is_not_found(client):
    url, data = request_data(uuid.uuid4())
    response = Client().post(url, data)
    assert client.get(response["Location"]).status_code == 404
