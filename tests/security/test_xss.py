"""Stored XSS: what citizens type comes back escaped everywhere it is shown.

Each public text field of a request (applicant_name, organisation, message, a document's name, a
resubmission note) and of a complaint (shortfall, loss, remedy, complainant_name, address, an
evidence name, a feedback note) holds a payload; the public receipt and tracking pages, the
agency's admin (list, change and workflow pages), the emails and the receipt PDF must show it as
text, never as markup.
"""

import re
import subprocess
import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

import portal.pdf
from complaints import actions as complaint_actions
from complaints.models import Complaint
from services.models import Agency, RequestStatus, ServiceRequest, ServiceStandard
from services.requests import actions as request_actions
from tests.factories import complaint_officer, staff_member
from tests.pdfs import PDF

pytestmark = pytest.mark.django_db

PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
# A file name cannot hold "/" (it would be a path): the attribute-breaking payload only.
FILE_NAME = '"><img src=x onerror=alert(1)>.pdf'
SERVICE = ("pasuruan", "pendataan-potensi-pengembangan-usaha")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(params=PAYLOADS, ids=["script", "attribute"])
def payload(request):
    return request.param


def assert_escaped(html: str, payload: str, *, shown: bool = True, where: str = ""):
    """Never raw markup; and, where the field is shown, its escaped text."""
    assert payload not in html, f"raw payload in {where}"
    assert "<script>alert" not in html and "<img src=x" not in html, where
    if shown:
        assert escape(payload) in html, f"escaped payload missing in {where}"


def capture_pdf_html(monkeypatch) -> list[str]:
    """Record the HTML handed to WeasyPrint, then render it as usual."""
    seen: list[str] = []
    real = portal.pdf.render_pdf

    def recording(html, **kwargs):
        seen.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(portal.pdf, "render_pdf", recording)
    return seen


def pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


# Requests --------------------------------------------------------------------------------------


def _request_data(payload, **overrides):
    std = ServiceStandard.objects.get(agency__slug=SERVICE[0], slug=SERVICE[1])
    data = {
        "submission_key": str(uuid.uuid4()),
        "applicant_name": payload,
        "nik": "3514045507880002",
        "phone": "0812-3456-7890",
        "email": "siti@contoh.id",
        "organisation": payload,
        "message": payload,
        "consent": "on",
    }
    for i, r in enumerate(std.requirements.filter(document=True)):
        data[f"dokumen_{r.pk}"] = SimpleUploadedFile(FILE_NAME if i == 0 else f"d{i}.pdf", PDF)
    data.update(overrides)
    return data


def test_request_fields_are_escaped_everywhere(
    client, payload, monkeypatch, django_capture_on_commit_callbacks
):
    url = reverse("services:request_create", kwargs={"agency": SERVICE[0], "service": SERVICE[1]})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _request_data(payload))
    assert response.status_code == 302
    case = ServiceRequest.objects.get()
    assert case.applicant_name == payload  # stored as typed: escaping is the output's job

    receipt = client.get(response["Location"]).content.decode()
    assert_escaped(receipt, payload, shown=False, where="receipt page")

    # Staff return it; the applicant resubmits with a payload note and file name.
    staff = staff_member(case.agency)
    request_actions.request_process(
        request=case,
        to_status=RequestStatus.RETURNED,
        actor=staff,
        note="Lengkapi.",
        now=timezone.now(),
    )
    detail = reverse("cases:track_detail", args=[case.number])
    resubmitted = client.post(
        detail, {"documents": SimpleUploadedFile(FILE_NAME, PDF), "note": payload}
    )
    assert resubmitted.status_code == 302
    tracking = client.get(detail).content.decode()
    assert_escaped(tracking, payload, where="tracking page (resubmission note)")
    assert_escaped(tracking, PAYLOADS[1], where="tracking page (document names)")

    # The applicant's email is plain text: the literal text, no HTML part.
    (receipt_mail,) = mail.outbox
    assert receipt_mail.content_subtype == "plain" and not getattr(receipt_mail, "alternatives", [])
    assert payload in receipt_mail.body

    # The receipt PDF: the HTML given to WeasyPrint is escaped; the PDF shows the text.
    seen = capture_pdf_html(monkeypatch)
    pdf = client.get(reverse("services:request_receipt_pdf", args=[case.number]))
    assert pdf.status_code == 200
    (html,) = seen
    assert_escaped(html, payload, where="receipt PDF's HTML")
    assert payload in pdf_text(pdf.content)

    # The agency's admin.
    client.force_login(staff)
    pages = {
        "changelist": reverse("admin:services_servicerequest_changelist"),
        "change": reverse("admin:services_servicerequest_change", args=[case.pk]),
        "workflow": reverse("admin:services_servicerequest_workflow", args=[case.pk]),
    }
    for name, page_url in pages.items():
        page = client.get(page_url)
        assert page.status_code == 200, name
        assert_escaped(page.content.decode(), payload, where=f"admin {name}")
    change = client.get(pages["change"]).content.decode()
    assert_escaped(change, PAYLOADS[1], where="admin change page (document names)")
    search = client.get(pages["changelist"], {"q": payload}).content.decode()
    assert_escaped(search, payload, where="admin search")


def test_request_form_errors_show_typed_values_escaped(client, payload):
    url = reverse("services:request_create", kwargs={"agency": SERVICE[0], "service": SERVICE[1]})
    response = client.post(url, _request_data(payload, nik="123"))
    assert response.status_code == 200 and ServiceRequest.objects.count() == 0
    assert_escaped(response.content.decode(), payload, where="request form with errors")


# Complaints ------------------------------------------------------------------------------------


def _complaint_data(payload, **overrides):
    agency = Agency.objects.get(slug="musi-banyuasin")
    data = {
        "submission_key": str(uuid.uuid4()),
        "agency": agency.pk,
        "standard": agency.services.get(slug="konsultasi").pk,
        "request_number": "",
        "shortfall": payload,
        "loss": payload,
        "remedy": payload,
        "complainant_name": payload,
        "phone": "0812 1111 2222",
        "email": "ahmad@contoh.id",
        "address": payload,
        "consent": "on",
        "bukti_1": SimpleUploadedFile(FILE_NAME, PDF),
    }
    data.update(overrides)
    return data


def test_complaint_fields_are_escaped_everywhere(
    client, payload, monkeypatch, django_capture_on_commit_callbacks
):
    agency = Agency.objects.get(slug="musi-banyuasin")
    officer = complaint_officer(agency, email="pengaduan@muba.go.id")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("complaints:create"), _complaint_data(payload))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.shortfall == payload and complaint.address == payload

    receipt = client.get(response["Location"]).content.decode()
    assert_escaped(receipt, payload, shown=False, where="complaint receipt page")

    # Staff alert and complainant's receipt: plain-text emails only.
    to_complainant, to_staff = mail.outbox
    for message in (to_complainant, to_staff):
        assert message.content_subtype == "plain" and not getattr(message, "alternatives", [])
    assert to_staff.to == ["pengaduan@muba.go.id"] and payload in to_staff.body

    # Answered; the complainant's feedback note carries the payload.
    complaint_actions.complaint_process(
        complaint=complaint, tier="light", actor=officer, reason="", now=timezone.now()
    )
    complaint_actions.complaint_process(
        complaint=complaint, answer="Sudah dilayani.", actor=officer, now=timezone.now()
    )
    detail = reverse("cases:track_detail", args=[complaint.number])
    feedback = client.post(detail, {"resolved": "tidak", "note": payload})
    assert feedback.status_code == 302
    tracking = client.get(detail).content.decode()
    assert_escaped(tracking, payload, shown=False, where="complaint tracking page")

    seen = capture_pdf_html(monkeypatch)
    pdf = client.get(reverse("complaints:receipt_pdf", args=[complaint.number]))
    assert pdf.status_code == 200
    (html,) = seen
    assert_escaped(html, payload, shown=False, where="complaint receipt PDF's HTML")

    client.force_login(officer)
    pages = {
        "changelist": reverse("admin:complaints_complaint_changelist"),
        "change": reverse("admin:complaints_complaint_change", args=[complaint.pk]),
        "workflow": reverse("admin:complaints_complaint_workflow", args=[complaint.pk]),
    }
    for name, page_url in pages.items():
        page = client.get(page_url)
        assert page.status_code == 200, name
        assert_escaped(page.content.decode(), payload, where=f"complaint admin {name}")
    change = client.get(pages["change"]).content.decode()
    for field in ("complainant", "contact", "shortfall", "loss", "remedy"):
        # Each field's own value is shown escaped (not only the name).
        assert re.search(rf"field-{field}\b.*?{re.escape(escape(payload))}", change, re.S), field
    assert_escaped(change, PAYLOADS[1], where="complaint admin change (evidence names)")


def test_receipt_template_escapes_before_weasyprint(payload, settings):
    """The receipt templates escape what they show, so WeasyPrint only ever sees text."""
    from django.template.loader import render_to_string

    agency = Agency.objects.get(slug="musi-banyuasin")
    case = ServiceRequest(
        number="MUBA-2025-00001",
        agency=agency,
        standard=agency.services.first(),
        applicant_name=payload,
        organisation=payload,
        received_at=timezone.now(),
    )
    html = render_to_string("pdf/request_receipt.html", {"case": case, "agency": agency})
    assert_escaped(html, payload, where="request receipt template")
    assert "&lt;" in html
    data = portal.pdf.render_pdf(html, base_url=(settings.BASE_DIR / "static").as_uri() + "/")
    assert payload in pdf_text(data)
