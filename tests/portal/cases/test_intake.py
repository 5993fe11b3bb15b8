"""A form whose answer was lost is sent again with the cookies the lost request carried.

The fault-injection runs kill workers with kill -9 after the commit and resend every
unanswered POST with the same cookies. The resent copy of an accepted form gets the receipt
and code again (portal.cases.replay) even when the form's files were kept from an earlier
failed post (portal.cases.staging) and so are not in the copy: the accepted form's kept files
are gone, and the copy is known by its submission key before its fields are judged.
"""

import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint
from portal.models import StagedUpload
from services.models import Agency, ServiceRequest, ServiceStandard
from tests.factories import PDF

pytestmark = pytest.mark.django_db

SERVICE = ("pasuruan", "pendataan-potensi-pengembangan-usaha")  # 3 documents to upload
REQUEST_URL = reverse(
    "services:request_create", kwargs={"agency": SERVICE[0], "service": SERVICE[1]}
)
COMPLAINT_URL = f"{reverse('complaints:create')}?instansi={SERVICE[0]}"
NOTICE = "Formulir ini sudah diterima"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2025-03-03T09:00:00+07:00", tick=False) as traveller:
        yield traveller


def request_fields(key, **overrides):
    return {
        "submission_key": key,
        "applicant_name": "Siti Aminah",
        "nik": "3514045507880002",
        "phone": "0812-3456-7890",
        "email": "",
        "organisation": "",
        "message": "",
        "consent": "on",
        **overrides,
    }


def request_files():
    std = ServiceStandard.objects.get(agency__slug=SERVICE[0], slug=SERVICE[1])
    names = [f"dokumen_{r.pk}" for r in std.requirements.filter(document=True)]
    return {name: SimpleUploadedFile(f"berkas-{n}.pdf", PDF + bytes([n])) for n, name in
            enumerate(names)}  # fmt: skip


def complaint_fields(key, **overrides):
    return {
        "submission_key": key,
        "agency": Agency.objects.get(slug=SERVICE[0]).pk,
        "standard": "",
        "request_number": "",
        "shortfall": "Tidak dilayani.",
        "loss": "",
        "remedy": "Dilayani.",
        "complainant_name": "Ahmad",
        "phone": "0812 1111 2222",
        "email": "",
        "address": "",
        "consent": "on",
        **overrides,
    }


def complaint_files():
    return {"bukti_1": SimpleUploadedFile("foto.pdf", PDF + b"1")}


KINDS = {
    "request": (REQUEST_URL, request_fields, request_files, {"nik": "123"}, ServiceRequest),
    "complaint": (COMPLAINT_URL, complaint_fields, complaint_files, {"remedy": ""}, Complaint),
}


def browser(url) -> Client:
    """A browser that has opened the form page (and so holds its CSRF cookie)."""
    client = Client()
    assert client.get(url).status_code == 200
    return client


def lost(client) -> Client:
    """The same browser when the answer never arrived: the cookies it sent, none it was set."""
    again = Client()
    again.cookies.load(client.cookies.output(header=""))
    return again


def code_on(page: str) -> str:
    start = page.index('id="kode">') + len('id="kode">')
    return page[start : page.index("<", start)]


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_resent_resubmission_whose_files_were_kept_gets_the_receipt(kind):
    """Failed post (files kept), the fix alone accepted, its answer lost, the fix sent again:
    the copy carries no file and the kept ones went with the accepted form."""
    url, fields, files, wrong, model = KINDS[kind]
    key = str(uuid.uuid4())
    client = browser(url)
    assert client.post(url, {**fields(key, **wrong), **files()}).status_code == 200
    assert StagedUpload.objects.filter(submission_key=key).exists()
    retry = lost(client)  # the cookies the accepted post carries
    accepted = client.post(url, fields(key))
    assert accepted.status_code == 302
    code = code_on(client.get(accepted["Location"]).content.decode())
    again = retry.post(url, fields(key))
    assert "Pilih berkas untuk" not in again.content.decode()
    assert again.status_code == 302
    assert again["Location"] == accepted["Location"]
    assert code_on(retry.get(again["Location"]).content.decode()) == code
    assert model.objects.count() == 1
    case = model.objects.get()
    files_of = case.documents if kind == "request" else case.evidence
    assert files_of.count() == len(files())


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_stranger_sending_the_accepted_key_without_files_gets_no_code(kind):
    url, fields, files, wrong, model = KINDS[kind]
    key = str(uuid.uuid4())
    client = browser(url)
    client.post(url, {**fields(key, **wrong), **files()})
    assert client.post(url, fields(key)).status_code == 302
    stranger = browser(url)
    response = stranger.post(url, fields(key))
    page = response.content.decode()
    assert response.status_code == 409 and NOTICE in page and 'id="kode"' not in page
    assert model.objects.get().number not in page


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_failed_post_whose_answer_was_lost_is_sent_again_and_then_fixed(kind):
    """The failed post's answer (with the session it made) was lost: the copy, sent with the
    cookies the browser still holds, keeps the files again, and the fix alone is accepted."""
    url, fields, files, wrong, model = KINDS[kind]
    key = str(uuid.uuid4())
    client = browser(url)
    retry = lost(client)
    assert client.post(url, {**fields(key, **wrong), **files()}).status_code == 200
    again = retry.post(url, {**fields(key, **wrong), **files()})
    assert again.status_code == 200
    assert set(again.context["form"].staged) == set(files())
    accepted = retry.post(url, fields(key))
    assert accepted.status_code == 302
    case = model.objects.get()
    files_of = case.documents if kind == "request" else case.evidence
    assert files_of.count() == len(files())


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_receipt_opens_only_for_the_browser_that_submitted(kind):
    url, fields, files, wrong, model = KINDS[kind]
    client = browser(url)
    accepted = client.post(url, {**fields(str(uuid.uuid4())), **files()})
    receipt = accepted["Location"].split("#")[0]
    page = client.get(receipt)
    case = model.objects.get()
    assert page.status_code == 200 and page.context["case"] == case
    assert code_on(page.content.decode()) == page.context["code"]
    assert browser(url).get(receipt).status_code == 404  # another browser: no receipt, no code


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_failed_post_without_a_submission_key_keeps_nothing(kind):
    url, fields, files, wrong, model = KINDS[kind]
    response = browser(url).post(url, {**fields("bukan-kunci", **wrong), **files()})
    assert response.status_code == 200 and "submission_key" in response.context["form"].errors
    assert not StagedUpload.objects.exists() and not model.objects.exists()


def test_a_file_that_is_not_what_it_says_is_its_own_fields_error():
    from portal.cases.forms import UploadField

    field = UploadField(required=False)
    assert field.clean(None) is None
    assert field.clean(SimpleUploadedFile("a.pdf", PDF)).name == "a.pdf"
    with pytest.raises(ValidationError) as error:
        field.clean(SimpleUploadedFile("a.pdf", b"MZ\x90\x00" + b"\x00" * 99))
    assert error.value.code == "bad_type"
