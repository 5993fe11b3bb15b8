"""Stored files are served under a name the portal makes (case number, what the file is, the
extension of the checked type), never the uploader's, with headers that keep a browser from
running what is inside."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from complaints import actions as complaint_actions
from portal.cases.files import download_name
from services.models import Agency, ServiceRequest, ServiceStandard
from services.requests import actions as request_actions
from tests.factories import APPLICANT, staff_member
from tests.images import PNG
from tests.pdfs import PDF

pytestmark = pytest.mark.django_db

# Refused on upload now (tests/security/test_upload_parsing.py); one stored before is still
# served as the PDF it claims to be.
POLYGLOT = b"%PDF-1.4\n<html><script>alert(document.domain)</script></html>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _assert_safe(response, expected_name, content_type, body):
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="{expected_name}"'
    assert "poly" not in disposition and ".html" not in disposition
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == body


def _submit_through_the_form(client):
    standard = ServiceStandard.objects.get(agency__slug="musi-banyuasin", slug="konsultasi")
    requirement = standard.requirements.filter(document=True).first()
    data = {
        "submission_key": str(uuid.uuid4()),
        "applicant_name": "Siti Aminah",
        "nik": "1606010101900001",
        "phone": "081234567890",
        "consent": "on",
    }
    for r in standard.requirements.filter(document=True):
        data[f"dokumen_{r.pk}"] = SimpleUploadedFile(
            "poly.html" if r == requirement else f"dok{r.pk}.pdf", PDF, "text/html"
        )
    response = client.post(f"/permohonan/musi-banyuasin/{standard.slug}/", data)
    assert response.status_code == 302
    return standard, requirement


def test_a_polyglot_named_poly_html_is_served_as_the_cases_pdf(client):
    _standard, requirement = _submit_through_the_form(client)
    case = ServiceRequest.objects.get()
    document = case.documents.get(requirement=requirement)
    assert document.original_name == "poly.html"  # kept for display only
    with document.file.storage.open(document.file.name, "wb") as stored:
        stored.write(POLYGLOT)  # as a file accepted before uploads were parsed
    expected = download_name(
        case.number, f"dokumen-{document.pk}-{requirement.text[:60]}", document.file.name
    )
    assert expected.startswith(f"{case.number}-dokumen-{document.pk}-") and expected.endswith(
        ".pdf"
    )
    # The applicant, who opened the case (the form's session).
    own = client.get(reverse("services:track_document", args=[case.number, document.pk]))
    _assert_safe(own, expected, "application/pdf", POLYGLOT)
    # The agency's staff.
    client.force_login(staff_member(case.agency))
    staff = client.get(reverse("services:staff_document", args=[document.pk]))
    _assert_safe(staff, expected, "application/pdf", POLYGLOT)


def test_the_product_is_named_by_the_case(client):
    std = ServiceStandard.objects.get(agency__slug="musi-banyuasin", slug="konsultasi")
    case, _code = request_actions.request_submit(
        standard=std,
        applicant=dict(APPLICANT),
        documents={
            r.pk: SimpleUploadedFile("x.pdf", PDF) for r in std.requirements.filter(document=True)
        },
        now=timezone.now(),
    )
    officer = staff_member(case.agency)
    request_actions.request_process(
        request=case,
        actor=officer,
        product=SimpleUploadedFile("surat <Budi>.png", PNG),
        now=timezone.now(),
    )
    client.force_login(officer)
    response = client.get(reverse("services:staff_product", args=[case.pk]))
    case.refresh_from_db()
    with case.product.open("rb") as stored:  # the PNG re-encoded without its metadata
        png = stored.read()
    _assert_safe(response, f"{case.number}-produk-layanan.png", "image/png", png)


def test_evidence_is_named_by_the_complaint_for_every_viewer(client):
    complaint, _code = complaint_actions.complaint_submit(
        agency=Agency.objects.get(slug="musi-banyuasin"),
        details={
            "complainant_name": "Ahmad",
            "phone": "+6281211112222",
            "email": "",
            "address": "",
            "confidential": False,
            "shortfall": "Tidak dilayani",
            "loss": "",
            "remedy": "Dilayani",
            "standard": None,
            "service_request": None,
        },
        evidence=[SimpleUploadedFile("Ahmad-ktp.html", PNG)],
        now=timezone.now(),
    )
    item = complaint.evidence.get()
    client.force_login(staff_member(complaint.agency))
    response = client.get(reverse("complaints:staff_evidence", args=[item.pk]))
    with item.file.open("rb") as stored:  # the PNG re-encoded without its metadata
        png = stored.read()
    _assert_safe(response, f"{complaint.number}-bukti-{item.pk}.png", "image/png", png)


@pytest.mark.parametrize(
    "number, label, stored, expected",
    [
        (
            "PSR-2025-00001",
            "Fotokopi KTP (pemohon)",
            "pasuruan/ab12.pdf",
            "PSR-2025-00001-fotokopi-ktp-pemohon.pdf",
        ),
        ("PSR-2025-00001", "", "pasuruan/ab12.jpg", "PSR-2025-00001-berkas.jpg"),
        ('PSR"; x=1', "surat <b>", "a/b.png", "PSRx1-surat-b.png"),
        ("PSR-2025-00001", "produk", "a/b.html", "PSR-2025-00001-produk.bin"),  # never .html
    ],
)
def test_download_names(number, label, stored, expected):
    assert download_name(number, label, stored) == expected
