"""portal.cases.replay: a form sent again shows its receipt and code only to the browser that
sent it, on the same form, shortly after; a submission key found anywhere else opens nothing."""

import io
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from complaints.models import Complaint
from services.models import Agency, ServiceRequest, ServiceStandard

pytestmark = pytest.mark.django_db
MONDAY_10 = timezone.datetime(2026, 3, 2, 10, 0, tzinfo=timezone.get_fixed_timezone(7 * 60))
NOTICE = "Formulir ini sudah diterima"


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(MONDAY_10, tick=False) as traveller:
        yield traveller


def request_form(agency, service, key):
    std = ServiceStandard.objects.get(agency__slug=agency, slug=service)
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
        data[f"dokumen_{r.pk}"] = SimpleUploadedFile("akta.pdf", pdf_bytes())
    return reverse("services:request_create", kwargs={"agency": agency, "service": service}), data


def complaint_form(agency, key):
    chosen = Agency.objects.get(slug=agency)
    url = f"{reverse('complaints:create')}?instansi={agency}"
    return url, {
        "submission_key": str(key),
        "agency": chosen.pk,
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


PASURUAN = ("pasuruan", "pendataan-potensi-pengembangan-usaha")
PALEMBANG = ("palembang", "pemberdayaan-usaha-mikro-kecil")


def browser(url) -> Client:
    """A browser that has opened the form page (and so holds its own CSRF cookie)."""
    client = Client()
    assert client.get(url).status_code == 200
    return client


def same_cookies(client) -> Client:
    """A retry of the request whose answer was lost: the same cookies, nothing set since."""
    again = Client()
    again.cookies.load(client.cookies.output(header=""))
    return again


def sent(kind, key, *, to=None):
    if kind == "request":
        return request_form(*(to or PASURUAN), key)
    return complaint_form((to or PASURUAN)[0], key)


def code_on(page: str) -> str:
    start = page.index('id="kode">') + len('id="kode">')
    return page[start : page.index("<", start)]


def model_of(kind):
    return ServiceRequest if kind == "request" else Complaint


def assert_nothing_shown(response, case):
    page = response.content.decode()
    assert response.status_code == 409
    assert NOTICE in page and "email atau SMS" in page
    assert case.number not in page and 'id="kode"' not in page


@pytest.mark.parametrize("kind", ["request", "complaint"])
def test_the_same_browser_sending_the_form_again_gets_the_receipt_and_code(kind):
    key = uuid.uuid4()
    url, data = sent(kind, key)
    first = browser(url)
    retry = same_cookies(first)  # the cookies the lost answer's request carried
    response = first.post(url, data)
    code = code_on(first.get(response["Location"]).content.decode())
    url, data = sent(kind, key)
    again = retry.post(url, data)
    assert again.status_code == 302
    assert code_on(retry.get(again["Location"]).content.decode()) == code
    assert model_of(kind).objects.count() == 1


@pytest.mark.parametrize("kind", ["request", "complaint"])
def test_a_key_posted_to_another_agencys_form_opens_nothing(kind):
    key = uuid.uuid4()
    url, data = sent(kind, key)
    first = browser(url)
    thief = same_cookies(first)  # even with the very cookies the case was sent with
    first.post(url, data)
    case = model_of(kind).objects.get()
    # The Pasuruan case's key, posted to a Palembang form.
    url, data = sent(kind, key, to=PALEMBANG)
    response = thief.post(url, data)
    assert_nothing_shown(response, case)
    # ... and from a new browser, as a new user would.
    newcomer = browser(url)
    assert_nothing_shown(newcomer.post(url, data), case)
    assert model_of(kind).objects.count() == 1
    assert "tracked_requests" not in thief.session.keys()  # nothing granted
    receipt = "services:request_receipt" if kind == "request" else "complaints:receipt"
    assert thief.get(reverse(receipt, kwargs={"number": case.number})).status_code == 404


@pytest.mark.parametrize("kind", ["request", "complaint"])
def test_a_key_sent_from_another_browser_opens_nothing(kind):
    key = uuid.uuid4()
    url, data = sent(kind, key)
    browser(url).post(url, data)
    case = model_of(kind).objects.get()
    url, data = sent(kind, key)
    other = browser(url)  # another browser: its own CSRF cookie, no session
    assert_nothing_shown(other.post(url, data), case)


@pytest.mark.parametrize("kind", ["request", "complaint"])
def test_a_key_sent_again_after_the_window_opens_nothing(kind, monday, settings):
    settings.PORTAL_REPLAY_MINUTES = 15
    key = uuid.uuid4()
    url, data = sent(kind, key)
    first = browser(url)
    retry = same_cookies(first)
    first.post(url, data)
    case = model_of(kind).objects.get()
    monday.shift(timedelta(minutes=16))  # the page left in the history of a shared computer
    url, data = sent(kind, key)
    assert_nothing_shown(retry.post(url, data), case)


@pytest.mark.parametrize("kind", ["request", "complaint"])
def test_a_copy_without_any_cookie_opens_nothing(kind):
    key = uuid.uuid4()
    url, data = sent(kind, key)
    Client().post(url, data)
    case = model_of(kind).objects.get()
    url, data = sent(kind, key)
    assert_nothing_shown(Client().post(url, data), case)


@pytest.mark.parametrize("kind", ["request", "complaint"])
def test_the_browser_shown_the_receipt_sees_it_again_with_the_back_button(kind):
    key = uuid.uuid4()
    url, data = sent(kind, key)
    client = browser(url)
    first = client.post(url, data)
    url, data = sent(kind, key)
    again = client.post(url, data)  # its session now holds the code: the same receipt
    assert again.status_code == 302 and again["Location"] == first["Location"]


@pytest.mark.parametrize("kind", ["request", "complaint"])
def test_the_submission_key_is_stored_only_as_a_keyed_digest(kind):
    key = uuid.uuid4()
    url, data = sent(kind, key)
    browser(url).post(url, data)
    model = model_of(kind)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608
        row = " ".join(str(value) for value in cursor.fetchone())
    assert str(key) not in row and key.hex not in row
    case = model.objects.get()
    assert len(case.submission_digest) == 64 and len(case.submission_binding) == 64
