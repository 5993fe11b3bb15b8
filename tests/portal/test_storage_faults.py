"""A media folder the app can't write: /healthz names it (503), and a submission with files
gets an Indonesian message to send it again later, with what was typed kept and nothing
written (no 500)."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints.models import Complaint, ComplaintEvidence
from portal.models import StagedUpload
from services.models import Agency, RequestDocument, ServiceRequest
from tests.factories import PDF, default_standard

pytestmark = pytest.mark.django_db

MESSAGE = "Formulir belum dapat disimpan karena tempat penyimpanan berkas portal sedang terganggu"


@pytest.fixture
def broken_media(settings, tmp_path):
    """MEDIA_ROOT below a plain file: no folder can be made there, whoever runs the tests
    (root ignores permission bits, so a read-only folder would not do)."""
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker / "media"
    return settings.MEDIA_ROOT


def test_healthz_names_the_media_storage(client, broken_media):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "cache": "ok",
        "media": "unavailable",
    }


def test_healthz_writes_nothing_that_stays(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    assert client.get("/healthz").json()["media"] == "ok"
    assert list((tmp_path / "media" / "private").iterdir()) == []


def _request_data():
    standard = default_standard()
    data = {
        "submission_key": str(uuid.uuid4()),
        "applicant_name": "Siti Aminah Ketikan",
        "nik": "3514010101900001",
        "phone": "081234567890",
        "consent": "on",
    }
    for r in standard.requirements.filter(document=True):
        data[f"dokumen_{r.pk}"] = SimpleUploadedFile(f"dok{r.pk}.pdf", PDF)
    return f"/permohonan/{standard.agency.slug}/{standard.slug}/", data


def test_a_request_with_files_asks_to_be_sent_again(client, broken_media):
    url, data = _request_data()
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert MESSAGE in page
    assert "Siti Aminah Ketikan" in page  # what was typed is kept
    assert not ServiceRequest.objects.exists() and not RequestDocument.objects.exists()
    assert not StagedUpload.objects.exists()
    assert not broken_media.exists()


def test_a_failed_form_whose_files_cannot_be_held_says_so(client, broken_media):
    url, data = _request_data()
    data["nik"] = "123"  # another error: the files would be held for the next try
    page = client.post(url, data).content.decode()
    assert MESSAGE in page and page.count(MESSAGE) == 1
    assert not StagedUpload.objects.exists()


def test_a_complaint_with_evidence_asks_to_be_sent_again(client, broken_media):
    data = {
        "submission_key": str(uuid.uuid4()),
        "agency": str(Agency.objects.get(slug="musi-banyuasin").pk),
        "shortfall": "Loket tutup pada jam layanan.",
        "remedy": "Loket dibuka sesuai jadwal.",
        "complainant_name": "Budi Ketikan",
        "phone": "081234567890",
        "consent": "on",
        "bukti_1": SimpleUploadedFile("foto.pdf", PDF),
    }
    response = client.post("/pengaduan/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert MESSAGE in page and "Budi Ketikan" in page
    assert not Complaint.objects.exists() and not ComplaintEvidence.objects.exists()


def test_the_message_is_in_english_for_whoever_chose_it(client, broken_media):
    client.cookies["django_language"] = "en"
    url, data = _request_data()
    page = client.post(url, data).content.decode()
    assert "could not be saved" in page
