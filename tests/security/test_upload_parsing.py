"""Uploads are parsed, not sniffed: through the real public forms (request, complaint, the
tracking page's resubmission) and the staff's product upload, a PDF that runs JavaScript or a
program, carries another file, is an XFA form or sends its content away, a PDF that is also a
web page, a file that only starts like a PDF and an image bomb
are refused on the file's field, naming the file, with everything else the citizen typed kept;
a photo is stored re-encoded, without its EXIF (GPS position included)."""

import hashlib
import io
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from complaints.models import Complaint, ComplaintEvidence
from portal.models import StagedUpload
from services.models import Agency, RequestDocument, RequestStatus, ServiceRequest, ServiceStandard
from services.requests import actions as request_actions
from tests import images, pdfs
from tests.factories import APPLICANT, staff_member

pytestmark = pytest.mark.django_db

SERVICE = ("pasuruan", "pendataan-potensi-pengembangan-usaha")
# Mon 3 Mar 2025 09:00 WIB, an ordinary working morning.
MONDAY_9 = "2025-03-03T09:00:00+07:00"

ACTIVE = (
    "PDF ini berisi JavaScript atau tindakan otomatis. Simpan ulang sebagai PDF biasa "
    "(misalnya dengan “Cetak ke PDF”) lalu unggah lagi."
)
REFUSED = [
    ("skrip.pdf", pdfs.pdf_with_javascript(), ACTIVE),
    ("buka.pdf", pdfs.pdf_with_open_action_javascript(), ACTIVE),
    ("tautan.pdf", pdfs.pdf_with_annotation_actions(), ACTIVE),
    (
        "jalankan.pdf",
        pdfs.pdf_with_launch(),
        "PDF ini berisi perintah untuk menjalankan program atau berkas lain (Launch).",
    ),
    (
        "lampiran.pdf",
        pdfs.pdf_with_embedded_file(),
        "PDF ini berisi berkas lain yang dilampirkan di dalamnya. Unggah setiap berkas sendiri, "
        "atau simpan ulang sebagai PDF biasa (misalnya dengan “Cetak ke PDF”).",
    ),
    (
        "formulir.pdf",
        pdfs.pdf_with_xfa_form(),
        "PDF ini berupa formulir XFA, yang tidak dapat diperiksa. Simpan ulang sebagai PDF biasa "
        "(misalnya dengan “Cetak ke PDF”) lalu unggah lagi.",
    ),
    (
        "kirim.pdf",
        pdfs.pdf_with_action(pdfs.refused_action("/SubmitForm"), "open"),
        "PDF ini berisi tindakan yang mengirim isinya atau membuka berkas atau alamat lain (hanya "
        "tautan web biasa yang diterima). Simpan ulang sebagai PDF biasa (misalnya dengan “Cetak "
        "ke PDF”) lalu unggah lagi.",
    ),
    (
        "poli.pdf",
        pdfs.html_polyglot(),
        "isinya juga berupa halaman web (HTML), bukan PDF biasa.",
    ),
    (
        "rusak.pdf",
        pdfs.NOT_A_PDF,
        "isinya tidak dapat dibuka sebagai PDF (rusak atau bukan PDF yang utuh).",
    ),
    (
        "bom.png",
        images.png_header_only(20000, 20000),
        "ukuran gambar melebihi batas 50 juta piksel. Perkecil gambarnya lalu unggah lagi.",
    ),
]
REFUSED_IDS = [name for name, _content, _reason in REFUSED]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        yield traveller


def _standard():
    return ServiceStandard.objects.get(agency__slug=SERVICE[0], slug=SERVICE[1])


def _request_form(std, first_file=None, **overrides):
    """The request form as a citizen fills it: a real PDF per document, `first_file` (a
    SimpleUploadedFile) in the first document field instead."""
    data = {
        "submission_key": str(uuid.uuid4()),
        "applicant_name": "Siti Aminah",
        "nik": "3514045507880002",
        "phone": "0812-3456-7890",
        "email": "siti@contoh.id",
        "organisation": "Koperasi Sejahtera",
        "message": "Mohon diproses segera",
        "consent": "on",
    }
    fields = [f"dokumen_{r.pk}" for r in std.requirements.filter(document=True)]
    for name in fields:
        data[name] = SimpleUploadedFile(f"{name}.pdf", pdfs.PDF)
    if first_file is not None:
        data[fields[0]] = first_file
    data.update(overrides)
    return data, fields[0]


def _post_request(client, data):
    url = reverse("services:request_create", kwargs={"agency": SERVICE[0], "service": SERVICE[1]})
    return client.post(url, data)


def _complaint_form(**overrides):
    agency = Agency.objects.get(slug="musi-banyuasin")
    data = {
        "submission_key": str(uuid.uuid4()),
        "agency": agency.pk,
        "standard": agency.services.get(slug="konsultasi").pk,
        "request_number": "",
        "shortfall": "Konsultasi dijanjikan hari itu, saya diminta datang lagi minggu depan.",
        "loss": "Biaya perjalanan dua kali.",
        "remedy": "Konsultasi dilayani sesuai standar.",
        "complainant_name": "Ahmad Rahasia",
        "phone": "0812 1111 2222",
        "email": "ahmad@contoh.id",
        "address": "Sekayu",
        "consent": "on",
    }
    data.update(overrides)
    return data


def _field_error_html(html, field):
    """The error block under one file field of the page."""
    start = html.index(f'id="id_{field}_error"')
    return html[start : html.index("</div>", start)]


def _metadata_free_photo(content: bytes, size):
    with Image.open(io.BytesIO(content)) as photo:
        assert photo.format == "JPEG"
        assert photo.size == size
        assert dict(photo.getexif()) == {}
        assert photo.getexif().get_ifd(images.GPS_IFD) == {}
        assert "exif" not in photo.info and "comment" not in photo.info
    assert b"Exif" not in content and b"Melati" not in content


@pytest.mark.parametrize("name, content, reason", REFUSED, ids=REFUSED_IDS)
def test_the_request_form_refuses_the_file_on_its_field_and_keeps_the_rest(
    client, media, name, content, reason
):
    data, field = _request_form(_standard(), SimpleUploadedFile(name, content))
    response = _post_request(client, data)
    assert response.status_code == 200
    message = f"Berkas “{name}” ditolak: {reason}"
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert message in _field_error_html(html, field)
    assert 'value="Siti Aminah"' in html and "Mohon diproses segera" in html
    assert ServiceRequest.objects.count() == 0
    assert RequestDocument.objects.count() == 0
    # The other documents are held for the corrected post; the refused one is not.
    assert field not in set(StagedUpload.objects.values_list("field", flat=True))
    assert not any(content == p.read_bytes() for p in media.rglob("*") if p.is_file())


@pytest.mark.parametrize("name, content, reason", REFUSED, ids=REFUSED_IDS)
def test_the_complaint_form_refuses_the_evidence_on_its_field_and_keeps_the_rest(
    client, media, name, content, reason
):
    data = _complaint_form(bukti_1=SimpleUploadedFile(name, content))
    response = client.post(reverse("complaints:create"), data)
    assert response.status_code == 200
    message = f"Berkas “{name}” ditolak: {reason}"
    assert response.context["form"].errors["bukti_1"] == [message]
    html = response.content.decode()
    assert message in _field_error_html(html, "bukti_1")
    assert "Konsultasi dijanjikan hari itu" in html and 'value="Ahmad Rahasia"' in html
    assert Complaint.objects.count() == 0
    assert ComplaintEvidence.objects.count() == 0
    assert not any(p.is_file() for p in media.rglob("*"))


def test_the_tracking_page_refuses_a_returned_document_that_runs_javascript(client):
    data, _field = _request_form(_standard())
    assert _post_request(client, data).status_code == 302
    case = ServiceRequest.objects.get()
    request_actions.request_process(
        request=case,
        to_status=RequestStatus.RETURNED,
        actor=staff_member(case.agency),
        note="Lampirkan laporan keuangan terbaru.",
        now=case.received_at,
    )
    documents = case.documents.count()
    response = client.post(
        reverse("cases:track_detail", args=[case.number]),
        {"documents": SimpleUploadedFile("laporan.pdf", pdfs.pdf_with_javascript())},
    )
    assert response.status_code == 200
    assert response.context["upload_form"].errors["documents"] == [
        f"Berkas “laporan.pdf” ditolak: {ACTIVE}"
    ]
    case.refresh_from_db()
    assert case.status == RequestStatus.RETURNED
    assert case.documents.count() == documents


def _submitted_case():
    std = _standard()
    case, _code = request_actions.request_submit(
        standard=std,
        applicant=dict(APPLICANT),
        documents={
            r.pk: SimpleUploadedFile(f"dok{r.pk}.pdf", pdfs.PDF)
            for r in std.requirements.filter(document=True)
        },
        now=timezone.now(),
    )
    return case


def test_the_staff_product_upload_refuses_a_launch_action(media):
    case = _submitted_case()
    before = sorted(p for p in media.rglob("*") if p.is_file())
    with pytest.raises(ValidationError) as error:
        request_actions.request_process(
            request=case,
            actor=staff_member(case.agency),
            product=SimpleUploadedFile("surat-izin.pdf", pdfs.pdf_with_launch()),
            now=timezone.now(),
        )
    assert error.value.message_dict["product"] == [
        "Berkas “surat-izin.pdf” ditolak: PDF ini berisi perintah untuk menjalankan program "
        "atau berkas lain (Launch)."
    ]
    case.refresh_from_db()
    assert not case.product
    assert sorted(p for p in media.rglob("*") if p.is_file()) == before


@pytest.mark.parametrize("in_memory", [True, False], ids=["in-memory", "temporary-file"])
def test_a_photo_sent_with_the_request_form_is_stored_without_exif_or_gps(
    client, settings, in_memory
):
    # Above FILE_UPLOAD_MAX_MEMORY_SIZE Django keeps an upload in a temporary file and moves
    # that very file into the storage: it must be the re-encoded one too.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000_000 if in_memory else 0
    photo = images.jpeg_with_gps(width=40, height=20)
    with Image.open(io.BytesIO(photo)) as original:  # what a phone sends
        assert original.getexif().get_ifd(images.GPS_IFD)[1] == "S"
    data, field = _request_form(_standard(), SimpleUploadedFile("ktp.jpg", photo, "image/jpeg"))
    response = _post_request(client, data)
    assert response.status_code == 302
    document = RequestDocument.objects.get(requirement_id=int(field.removeprefix("dokumen_")))
    assert document.file.name.endswith(".jpg")
    assert (document.original_name, document.content_type) == ("ktp.jpg", "image/jpeg")
    with document.file.open("rb") as stored:
        content = stored.read()
    _metadata_free_photo(content, (20, 40))  # upright: the orientation was applied
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()


def test_a_photo_held_by_a_failed_form_is_stored_without_exif_or_gps(client):
    data, field = _request_form(
        _standard(), SimpleUploadedFile("ktp.jpg", images.jpeg_with_gps(width=40, height=20))
    )
    failed = _post_request(client, {**data, "nik": "123"})
    assert failed.status_code == 200
    held = StagedUpload.objects.get(field=field)
    with held.file.open("rb") as stored:
        _metadata_free_photo(stored.read(), (20, 40))
    corrected = {k: v for k, v in data.items() if not k.startswith("dokumen_")}
    assert _post_request(client, corrected).status_code == 302
    document = RequestDocument.objects.get(requirement_id=int(field.removeprefix("dokumen_")))
    with document.file.open("rb") as stored:
        _metadata_free_photo(stored.read(), (20, 40))


def test_complaint_evidence_photo_is_stored_without_exif_or_gps(client):
    photo = SimpleUploadedFile("bukti-loket.jpg", images.jpeg_with_gps(width=40, height=20))
    response = client.post(reverse("complaints:create"), _complaint_form(bukti_1=photo))
    assert response.status_code == 302
    item = ComplaintEvidence.objects.get()
    with item.file.open("rb") as stored:
        _metadata_free_photo(stored.read(), (20, 40))


@pytest.mark.parametrize(
    "name, content, extension",
    [
        ("akta.pdf", pdfs.PDF, "pdf"),
        ("pindaian.pdf", pdfs.scanned_pdf(), "pdf"),
        ("tautan.pdf", pdfs.pdf_with_links(), "pdf"),
        ("padat.pdf", pdfs.in_object_stream([pdfs.CATALOG, pdfs.PAGES, pdfs.PAGE]), "pdf"),
        ("foto.png", images.png(30, 20), "png"),
        ("foto.jpg", images.jpeg(30, 20), "jpg"),
    ],
)
def test_ordinary_files_still_pass_through_the_request_form(client, name, content, extension):
    data, field = _request_form(_standard(), SimpleUploadedFile(name, content))
    assert _post_request(client, data).status_code == 302
    document = RequestDocument.objects.get(requirement_id=int(field.removeprefix("dokumen_")))
    assert document.file.name.endswith(f".{extension}")
    with document.file.open("rb") as stored:
        stored_bytes = stored.read()
    if extension == "pdf":
        assert stored_bytes == content  # a PDF is stored as it came
    else:
        with Image.open(io.BytesIO(stored_bytes)) as image:
            assert image.size == (30, 20)
