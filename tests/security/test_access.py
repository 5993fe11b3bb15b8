"""Who can open what: access codes, other agencies' files, and hostile upload names."""

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from complaints import actions as complaint_actions
from complaints.models import Complaint
from portal.cases.codes import ALPHABET
from services.models import Agency, ServiceRequest, ServiceStandard
from services.requests import actions as request_actions
from tests.factories import APPLICANT, staff_member
from tests.pdfs import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _complaint(agency="musi-banyuasin", evidence=()):
    return complaint_actions.complaint_submit(
        agency=Agency.objects.get(slug=agency),
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
        evidence=list(evidence),
        now=timezone.now(),
    )


def _request():
    std = ServiceStandard.objects.get(agency__slug="musi-banyuasin", slug="konsultasi")
    return request_actions.request_submit(
        standard=std,
        applicant=dict(APPLICANT),
        documents={std.requirements.first().pk: SimpleUploadedFile("tugas.pdf", PDF)},
        now=timezone.now(),
    )


def _opens(client, number, code) -> bool:
    """Try a number and code on the tracking form, then the case's page."""
    client.post(reverse("cases:track"), {"number": number, "code": code})
    detail = client.get(reverse("cases:track_detail", args=[number]))
    return detail.status_code == 200


def _one_off(code: str) -> str:
    """The code with its last character moved one place along the codes' alphabet."""
    return code[:-1] + ALPHABET[(ALPHABET.index(code[-1]) + 1) % len(ALPHABET)]


def test_one_complaints_code_never_opens_another_case(client):
    first, first_code = _complaint()
    second, second_code = _complaint()
    request_case, request_code = _request()
    assert first.number != second.number
    # Each try from its own address: the tracking page's failure limit is not what is tested.
    for i, (number, code) in enumerate(
        [
            (first.number, second_code),
            (second.number, first_code),
            (first.number, request_code),
            (request_case.number, first_code),
            (first.number, ""),
            (first.number, _one_off(first_code)),  # the right code but its last character
        ]
    ):
        assert not _opens(client.__class__(REMOTE_ADDR=f"198.51.100.{i}"), number, code)
        # Nor through the direct link with ?kode=.
        stranger = client.__class__(REMOTE_ADDR=f"198.51.101.{i}")
        link = reverse("cases:track_detail", args=[number]) + f"?kode={code}"
        stranger.get(link)
        assert stranger.get(reverse("cases:track_detail", args=[number])).status_code == 302
        assert stranger.get(reverse("complaints:receipt_pdf", args=[number])).status_code == 404
    # The right pairs do open.
    assert _opens(client.__class__(), first.number, first_code)
    assert _opens(client.__class__(), request_case.number, request_code)


def test_evidence_download_is_for_the_agencys_staff_only(client):
    complaint, _ = _complaint(evidence=[SimpleUploadedFile("foto.pdf", PDF)])
    item = complaint.evidence.get()
    url = reverse("complaints:staff_evidence", args=[item.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(staff_member(Agency.objects.get(slug="pasuruan")))
    assert client.get(url).status_code == 404
    assert client.get(reverse("complaints:staff_evidence", args=[item.pk + 999])).status_code == 404
    client.force_login(staff_member(complaint.agency))
    own = client.get(url)
    assert own.status_code == 200
    assert own["Content-Disposition"].startswith("attachment;")
    assert own["Cache-Control"] == "private, no-store"


def test_another_agencys_request_files_and_pages_stay_closed(client):
    case, _ = _request()
    document = case.documents.get()
    client.force_login(staff_member(Agency.objects.get(slug="pasuruan")))
    assert client.get(reverse("services:staff_document", args=[document.pk])).status_code == 404
    assert client.get(reverse("services:staff_product", args=[case.pk])).status_code == 404
    change = client.get(reverse("admin:services_servicerequest_change", args=[case.pk]))
    assert change.status_code == 302
    complaint, _ = _complaint()
    change = client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    assert change.status_code == 302


HOSTILE_NAMES = [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\x.pdf", "x.pdf"),
    ("nul\x00l.pdf", "null.pdf"),
    ("/abs/path/../../../../tmp/evil.pdf", "evil.pdf"),
    ("..", "berkas"),
]


def _hostile(name):
    upload = SimpleUploadedFile("placeholder.pdf", PDF)
    upload._name = name  # as a raw multipart body could send it, before any clean-up
    return upload


def _assert_private_random(file_field, media_root):
    private = (media_root / "private").resolve()
    path = (private / file_field.name).resolve()
    assert path.is_relative_to(private) and path.exists()
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", path.name)
    assert ".." not in file_field.name and "\\" not in file_field.name


@pytest.mark.parametrize("raw, clean", HOSTILE_NAMES)
def test_hostile_upload_names_are_stored_under_random_names(raw, clean, settings):
    std = ServiceStandard.objects.get(agency__slug="musi-banyuasin", slug="konsultasi")
    case, _ = request_actions.request_submit(
        standard=std,
        applicant=dict(APPLICANT),
        documents={std.requirements.first().pk: _hostile(raw)},
        now=timezone.now(),
    )
    document = case.documents.get()
    assert document.original_name == clean
    _assert_private_random(document.file, settings.MEDIA_ROOT)

    complaint, _ = _complaint(evidence=[_hostile(raw)])
    item = complaint.evidence.get()
    assert item.original_name == clean
    _assert_private_random(item.file, settings.MEDIA_ROOT)
    # Nothing was written outside the private folder.
    written = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(settings.MEDIA_ROOT / "private") for p in written)


def test_hostile_names_through_the_public_form(client, settings):
    """The whole stack: multipart parsing, the form, storage; the applicant sees a clean name."""
    std = ServiceStandard.objects.get(agency__slug="pasuruan", slug="konsultasi")
    data = {
        "submission_key": str(uuid.uuid4()),
        "applicant_name": "Siti",
        "nik": "3514045507880002",
        "phone": "0812-3456-7890",
        "email": "",
        "organisation": "",
        "message": "",
        "consent": "on",
    }
    names = ["../../etc/passwd.pdf", "..\\..\\x.pdf", "a\x00b.pdf"]
    requirements = list(std.requirements.filter(document=True))
    for requirement, name in zip(requirements, names, strict=False):
        data[f"dokumen_{requirement.pk}"] = SimpleUploadedFile("x.pdf", PDF)
        data[f"dokumen_{requirement.pk}"]._name = name
    url = reverse("services:request_create", kwargs={"agency": "pasuruan", "service": "konsultasi"})
    assert client.post(url, data).status_code == 302
    case = ServiceRequest.objects.get()
    stored = sorted(case.documents.values_list("original_name", flat=True))
    assert all("/" not in n and "\\" not in n and "\x00" not in n for n in stored)
    assert "passwd.pdf" in stored
    for document in case.documents.all():
        _assert_private_random(document.file, settings.MEDIA_ROOT)
    assert Complaint.objects.count() == 0
