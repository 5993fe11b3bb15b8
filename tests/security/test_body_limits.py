"""Bodies above what their form can legally take are refused before they are read (413, the
portal's own page, linking back to the form): each public form by its own number of files, any
other address by the largest legal submission of the portal; a file past the per-file limit
stops being stored while it is read; the deployment guide's proxy settings let the largest
legal submission through."""

import io
import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.test.client import MULTIPART_CONTENT, encode_multipart

from portal.formlimits import body_limit
from portal.uploads import OversizedUpload, max_submission_bytes, most_files_per_submission
from services.models import Requirement, ServiceRequest, ServiceStandard
from tests.factories import PDF, default_standard, make_request

pytestmark = pytest.mark.django_db


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


class ReadsAtMost(io.BytesIO):
    """A request body of `data` that fails the test when anything asks for a byte past the
    first `limit` (whether or not the sender has sent it yet)."""

    def __init__(self, data: bytes = b"", limit: int = 0):
        super().__init__(data)
        self.limit = limit

    def read(self, size=-1):
        if size is None or size < 0 or self.tell() + size > self.limit:
            raise AssertionError(f"the body was read past {self.limit} bytes")
        return super().read(size)

    def readline(self, size=-1):
        line = super().readline(size)
        if self.tell() > self.limit:
            raise AssertionError(f"the body was read past {self.limit} bytes")
        return line

    def readinto(self, buffer):
        raise AssertionError("the body was read into a buffer")


def _most_documents_in_the_decrees() -> int:
    counts = [
        Requirement.objects.filter(standard=s, document=True).count()
        for s in ServiceStandard.objects.all()
    ]
    return max(counts)


def test_the_limit_is_every_upload_field_of_the_largest_form_at_its_maximum():
    # Kalimantan Barat's "Kantor Kas" asks for 18 documents; a complaint takes 3 files.
    most = _most_documents_in_the_decrees()
    assert most_files_per_submission() == most == 18
    per_file = settings.PORTAL_UPLOAD_MAX_BYTES + 1024  # the file and its part's headers
    assert max_submission_bytes() == most * per_file + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_the_limit_follows_the_catalogue_and_the_settings(settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 1_000_000
    assert max_submission_bytes() == 18 * 1_001_024 + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


# Addresses that are no registered public form keep the portal-wide limit.
@pytest.mark.parametrize("url", ["/admin/login/", "/"])
def test_a_body_over_the_limit_is_refused_by_its_length_unread(client, url):
    limit = max_submission_bytes()
    response = client.generic(
        "POST",
        url,
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(limit + 1),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Kiriman terlalu besar" in page and 'lang="id"' in page
    assert "92,5 MB" in page and "paling besar 5 MB" in page
    assert response.templates[0].name == "413.html"


def test_the_413_page_is_in_english_for_whoever_chose_it(client):
    client.cookies["django_language"] = "en"
    response = client.generic(
        "POST",
        "/pengaduan/",
        CONTENT_LENGTH=str(max_submission_bytes() + 1),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413 and 'lang="en"' in response.content.decode()


def test_a_body_at_the_limit_passes_the_guard(client):
    # The admin's login answers (an empty body is a form with errors), not the guard.
    response = client.generic(
        "POST",
        "/admin/login/",
        data=b"",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(max_submission_bytes()),
        **{"wsgi.input": io.BytesIO(b"username=&password=")},
    )
    assert response.status_code == 200
    assert response.templates[0].name == "admin/login.html"


def test_a_length_that_is_no_number_is_a_400(client):
    response = client.generic("POST", "/lacak/", CONTENT_LENGTH="banyak")
    assert response.status_code == 400


def test_the_page_proxies_point_their_own_413_to_is_the_portals(client):
    response = client.get("/kiriman-terlalu-besar/")
    assert response.status_code == 413
    assert "Kiriman terlalu besar" in response.content.decode()


def test_a_file_past_the_limit_is_not_stored_while_it_is_read(settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 100_000
    big = SimpleUploadedFile("besar.pdf", PDF + b"0" * 300_000, content_type="application/pdf")
    small = SimpleUploadedFile("kecil.pdf", PDF, content_type="application/pdf")
    body = encode_multipart("BoUnDaRy", {"a": big, "b": small, "nama": "Siti"})
    request = RequestFactory().generic(
        "POST", "/", body, content_type="multipart/form-data; boundary=BoUnDaRy"
    )
    files = request.FILES
    assert isinstance(files["a"], OversizedUpload)
    assert files["a"].size == len(PDF) + 300_000 and files["a"].read() == b""
    assert files["b"].read() == PDF
    assert request.POST["nama"] == "Siti"


def test_the_form_names_the_too_large_file_and_keeps_what_was_typed(client, settings, tmp_path):
    from services.models import ServiceRequest

    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_UPLOAD_MAX_BYTES = 100_000
    standard = default_standard()
    data = {
        "submission_key": str(uuid.uuid4()),
        "applicant_name": "Siti Aminah",
        "nik": "3514010101900001",
        "phone": "081234567890",
        "consent": "on",
    }
    for r in standard.requirements.filter(document=True):
        data[f"dokumen_{r.pk}"] = SimpleUploadedFile(f"dok{r.pk}.pdf", PDF + b"0" * 150_000)
    page = client.post(f"/permohonan/{standard.agency.slug}/{standard.slug}/", data)
    assert page.status_code == 200
    text = page.content.decode()
    assert "batasnya 0,1 MB" in text and "Siti Aminah" in text
    assert not ServiceRequest.objects.exists()


def test_the_deployment_guide_proxy_lets_the_largest_legal_submission_through():
    guide = (Path(settings.BASE_DIR) / "docs" / "deployment.md").read_text()
    sizes = re.findall(r"client_max_body_size\s+(\d+)m", guide)
    assert sizes, "docs/deployment.md names nginx's client_max_body_size"
    assert all(int(s) * 1_048_576 >= max_submission_bytes() for s in sizes)
    assert "error_page 413" in guide and "/kiriman-terlalu-besar/" in guide


# --- Each public form by its own largest legal body -------------------------------------------

ONE_DOCUMENT = "/permohonan/pasuruan/klinik-kukm/"  # Pasuruan's "Klinik KUKM": one document
ONE_DOCUMENT_LIMIT = 5_242_880 + 1024 + 2_621_440  # one file and its headers, the rest: 7.5 MB
FIFTY_MB = 50 * 1_048_576


BOUNDARY = "BoUnDaRy"


def _post(client, url, length, fields=None, *, limit=0, **extra):
    """A multipart POST declaring `length` bytes (Django's parser reads a multipart body to its
    end; a form-encoded one above DATA_UPLOAD_MAX_MEMORY_SIZE it refuses by itself) carrying
    `fields` (or bytes already encoded); the test fails when more than `limit` bytes of it are
    asked for."""
    body = fields if isinstance(fields, bytes) else encode_multipart(BOUNDARY, fields or {})
    return client.generic(
        "POST",
        url,
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": ReadsAtMost(body, limit)},
        **extra,
    )


def test_the_form_limit_is_the_portal_limit_for_the_form_with_the_most_files():
    assert body_limit(1) == ONE_DOCUMENT_LIMIT
    assert body_limit(0) == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert body_limit(most_files_per_submission()) == max_submission_bytes()


def test_50_mb_to_a_one_document_form_is_refused_unread_with_a_way_back(client):
    # Below the portal-wide 92.5 MB, but seven times what this form can legally take.
    assert FIFTY_MB < max_submission_bytes()
    response = _post(client, ONE_DOCUMENT, FIFTY_MB)  # a byte read fails the test
    assert response.status_code == 413
    assert response.templates[0].name == "413.html"
    page = response.content.decode()
    assert "melebihi 7,5 MB, batas formulir ini (1 berkas" in page
    assert f'<a href="{ONE_DOCUMENT}">Kembali ke formulir yang dikirim</a>' in page
    assert response["Cache-Control"] == "no-store"


def test_one_byte_over_the_one_document_form_is_refused_and_its_limit_passes(client):
    over = _post(client, ONE_DOCUMENT, ONE_DOCUMENT_LIMIT + 1)
    assert over.status_code == 413
    # At the limit the form itself answers: the body is read, and what was typed is kept.
    fields = {"applicant_name": "Siti Aminah"}
    at = _post(client, ONE_DOCUMENT, ONE_DOCUMENT_LIMIT, fields, limit=ONE_DOCUMENT_LIMIT)
    assert at.status_code == 200
    assert at.templates[0].name == "services/requests/form.html"
    assert 'value="Siti Aminah"' in at.content.decode()


def test_a_legal_submission_with_a_file_at_the_limit_is_received(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    standard = ServiceStandard.objects.get(agency__slug="pasuruan", slug="klinik-kukm")
    (requirement,) = standard.requirements.filter(document=True)
    document = PDF + b"0" * (settings.PORTAL_UPLOAD_MAX_BYTES - len(PDF))
    fields = {
        "submission_key": str(uuid.uuid4()),
        "applicant_name": "Siti Aminah",
        "nik": "3514010101900001",
        "phone": "081234567890",
        "consent": "on",
        f"dokumen_{requirement.pk}": SimpleUploadedFile("ktp.pdf", document, "application/pdf"),
    }
    body = encode_multipart(BOUNDARY, fields)
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < len(body) <= ONE_DOCUMENT_LIMIT
    response = _post(client, ONE_DOCUMENT, len(body), body, limit=len(body))
    assert response.status_code == 302
    stored = ServiceRequest.objects.get(standard=standard)
    assert stored.documents.get().size == settings.PORTAL_UPLOAD_MAX_BYTES


def test_a_chunked_body_to_a_form_is_never_read(client):
    # No Content-Length: Django reads nothing of it, so it is an empty form, whatever its size.
    response = _post(client, ONE_DOCUMENT, "", HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 200
    assert response.templates[0].name == "services/requests/form.html"


COMPLAINT_LIMIT = 3 * (5_242_880 + 1024) + 2_621_440  # three evidence files: 17.5 MB


def test_the_complaint_form_is_refused_above_its_three_files_and_keeps_its_address(client):
    response = _post(client, "/pengaduan/?instansi=musi-banyuasin", COMPLAINT_LIMIT + 1)
    assert response.status_code == 413
    page = response.content.decode()
    assert "melebihi 17,5 MB, batas formulir ini (3 berkas" in page
    assert '<a href="/pengaduan/?instansi=musi-banyuasin">Kembali ke formulir' in page


def test_the_complaint_form_at_its_limit_answers_itself(client):
    fields = {"complainant_name": "Dewi Lestari"}
    response = _post(client, "/pengaduan/", COMPLAINT_LIMIT, fields, limit=COMPLAINT_LIMIT)
    assert response.status_code == 200
    assert response.templates[0].name == "complaints/form.html"
    assert 'value="Dewi Lestari"' in response.content.decode()


def test_the_tracking_page_takes_one_file_and_the_survey_none(client):
    number = make_request().number
    track = _post(client, f"/lacak/{number}/", ONE_DOCUMENT_LIMIT + 1)
    assert track.status_code == 413
    assert f'<a href="/lacak/{number}/">' in track.content.decode()
    survey = _post(client, f"/lacak/{number}/survei/", settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    assert survey.status_code == 413
    assert "formulir ini tidak menerima berkas" in survey.content.decode()
    # At its limit the tracking page answers itself (this browser never opened the case).
    at = _post(client, f"/lacak/{number}/", ONE_DOCUMENT_LIMIT, limit=ONE_DOCUMENT_LIMIT)
    assert at.status_code == 302
    assert at["Location"] == f"/lacak/?nomor={number}"


def test_an_unknown_service_takes_no_file(client):
    response = _post(client, "/permohonan/pasuruan/tidak-ada/", ONE_DOCUMENT_LIMIT)
    assert response.status_code == 413
    assert "tidak menerima berkas" in response.content.decode()


def test_the_413_page_of_a_form_is_in_english_for_whoever_chose_it(client):
    client.cookies["django_language"] = "en"
    response = _post(client, ONE_DOCUMENT, FIFTY_MB)
    page = response.content.decode()
    assert response.status_code == 413 and 'lang="en"' in page
    assert "MB, the limit of this form (1 file of at most 5 MB" in page
    assert f'<a href="{ONE_DOCUMENT}">Back to the form you sent</a>' in page


def test_the_proxys_413_page_links_back_to_the_form_its_referer_names(client):
    linked = client.get("/kiriman-terlalu-besar/", HTTP_REFERER=f"http://testserver{ONE_DOCUMENT}")
    assert linked.status_code == 413
    assert f'<a href="{ONE_DOCUMENT}">Kembali ke formulir' in linked.content.decode()
    # Another site's address, or a page that is no form, is never linked.
    for referer in (f"http://elsewhere.example{ONE_DOCUMENT}", "http://testserver/layanan/"):
        page = client.get("/kiriman-terlalu-besar/", HTTP_REFERER=referer).content.decode()
        assert "Kembali ke formulir" not in page and "92,5 MB" in page
