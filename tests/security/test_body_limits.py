"""Bodies above the largest legal submission are refused before they are read (413, the
portal's own page); a file past the per-file limit stops being stored while it is read; the
README's proxy settings let the largest legal submission through."""

import io
import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.test.client import MULTIPART_CONTENT, encode_multipart

from portal.uploads import OversizedUpload, max_submission_bytes, most_files_per_submission
from services.models import Requirement, ServiceStandard
from tests.factories import PDF, default_standard

pytestmark = pytest.mark.django_db


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


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


@pytest.mark.parametrize("url", ["/pengaduan/", "/lacak/", "/admin/login/", "/"])
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
    # The form itself answers (an empty body is a form with errors), not the guard.
    response = client.generic(
        "POST",
        "/lacak/",
        data=b"",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(max_submission_bytes()),
        **{"wsgi.input": io.BytesIO(b"number=&code=")},
    )
    assert response.status_code == 200


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


def test_the_readme_proxy_lets_the_largest_legal_submission_through():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    sizes = re.findall(r"client_max_body_size\s+(\d+)m", readme)
    assert sizes, "the README names nginx's client_max_body_size"
    assert all(int(s) * 1_048_576 >= max_submission_bytes() for s in sizes)
    assert "error_page 413" in readme and "/kiriman-terlalu-besar/" in readme
