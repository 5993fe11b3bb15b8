"""NUL characters anywhere a request carries text get the portal's own 400 page.

PostgreSQL refuses a string with a NUL character: before the guard, such a query or form value
reached the database and answered 500 with a traceback in the log. Every public form and
filter, the tracking link, the admin's filters and search, and the cookies are tried here.
"""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import PDF, default_standard, make_complaint, make_request, staff_member

pytestmark = pytest.mark.django_db

NUL = "\x00"


def _refused(response):
    assert response.status_code == 400
    page = response.content.decode()
    assert "Permintaan tidak dapat dibaca" in page
    assert 'lang="id"' in page
    assert "Traceback" not in page
    assert response.templates[0].name == "400.html"


PUBLIC_GETS = [
    "/pengaduan/?instansi=%00",
    "/pengaduan/?layanan=%00&instansi=pasuruan",
    "/lacak/PSR%00/?kode=x",
    "/lacak/PSR%00/",
    "/lacak/MUBA-2025-00001/?kode=%00",
    "/layanan/?q=%00",
    "/layanan/?q=izin%00usaha",
    "/layanan/?agency=%00",
    "/layanan/?fee=%00",
    "/layanan/?time=%00",
    "/layanan/?halaman=%00",
    "/layanan/?%00=1",
    "/instansi/?page=%00",
    "/instansi/pasuruan%00/",
    "/instansi/pasuruan%00/standar-pelayanan.pdf",
    "/layanan/pasuruan/pendataan%00/",
    "/permohonan/pasuruan/pendataan%00/",
    "/sitemap.xml?p=%00",
    "/healthz?x=%00",
]


@pytest.mark.parametrize("url", PUBLIC_GETS)
def test_nul_in_a_public_path_or_query_is_a_400(client, url):
    _refused(client.get(url))


def _request_form():
    standard = default_standard()
    data = {
        "submission_key": str(uuid.uuid4()),
        "applicant_name": "Siti Aminah",
        "nik": "3514010101900001",
        "phone": "081234567890",
        "email": "siti@contoh.id",
        "organisation": "",
        "message": "",
        "consent": "on",
    }
    for r in standard.requirements.filter(document=True):
        data[f"dokumen_{r.pk}"] = SimpleUploadedFile(f"dok{r.pk}.pdf", PDF)
    url = f"/permohonan/{standard.agency.slug}/{standard.slug}/"
    return url, data


def _complaint_form():
    from services.models import Agency

    data = {
        "submission_key": str(uuid.uuid4()),
        "agency": str(Agency.objects.get(slug="musi-banyuasin").pk),
        "standard": "",
        "request_number": "",
        "shortfall": "Loket tutup pada jam layanan.",
        "loss": "",
        "remedy": "",
        "complainant_name": "Budi",
        "phone": "081234567890",
        "email": "",
        "address": "",
        "consent": "on",
    }
    return "/pengaduan/", data


FORMS = {
    "request": (
        _request_form,
        ["submission_key", "applicant_name", "nik", "phone", "email", "organisation", "message"],
    ),
    "complaint": (
        _complaint_form,
        [
            "submission_key",
            "agency",
            "standard",
            "request_number",
            "shortfall",
            "loss",
            "remedy",
            "complainant_name",
            "phone",
            "email",
            "address",
        ],
    ),
    "track": (
        lambda: ("/lacak/", {"number": "MUBA-2025-00001", "code": "ABCD"}),
        ["number", "code"],
    ),
    "language": (lambda: ("/i18n/setlang/", {"language": "en", "next": "/"}), ["language", "next"]),
    "admin login": (
        lambda: ("/admin/login/", {"username": "petugas", "password": "rahasia"}),
        ["username", "password"],
    ),
}
FORM_FIELDS = [(form, field) for form, (_build, fields) in FORMS.items() for field in fields]


@pytest.mark.parametrize("form, field", FORM_FIELDS)
def test_nul_in_a_form_value_is_a_400_and_nothing_is_stored(client, form, field):
    from complaints.models import Complaint
    from services.models import ServiceRequest

    url, data = FORMS[form][0]()
    data[field] = f"a{NUL}b"
    _refused(client.post(url, data))
    assert not ServiceRequest.objects.exists() and not Complaint.objects.exists()


def test_nul_in_an_uploaded_file_name_never_reaches_the_database(client, settings, tmp_path):
    from services.models import RequestDocument

    settings.MEDIA_ROOT = tmp_path
    url, data = _request_form()
    name = next(k for k in data if k.startswith("dokumen_"))
    data[name] = SimpleUploadedFile(f"ktp{NUL}.pdf", PDF)
    response = client.post(url, data)
    # Django's parser drops what precedes a NUL in a file name; either way no NUL is stored.
    assert response.status_code == 302
    assert not any(
        NUL in n for n in RequestDocument.objects.values_list("original_name", flat=True)
    )


def test_nul_in_a_cookie_or_header_is_a_400(client):
    _refused(client.get("/", HTTP_COOKIE="sessionid=ab%00cd; x=1".replace("%00", NUL)))
    _refused(client.get("/", HTTP_USER_AGENT=f"curl{NUL}"))


def test_the_400_page_speaks_english_to_whoever_chose_it(client):
    client.cookies["django_language"] = "en"
    response = client.get("/layanan/?q=%00")
    assert response.status_code == 400
    assert 'lang="en"' in response.content.decode()


ADMIN_LISTS = [
    "/admin/services/servicerequest/?status__exact=%00",
    "/admin/services/servicerequest/?q=%00",
    "/admin/services/servicerequest/?number__startswith=%00",
    "/admin/complaints/complaint/?status__exact=%00",
    "/admin/complaints/complaint/?q=%00",
    "/admin/services/servicestandard/?q=%00",
    "/admin/services/legalreference/?kind__exact=%00",
    "/admin/services/servicerequest/1%00/change/",
]


@pytest.mark.parametrize("url", ADMIN_LISTS)
def test_nul_in_an_admin_filter_search_or_path_is_a_400(client, url):
    from services.models import Agency

    agency = Agency.objects.get(slug="musi-banyuasin")
    make_request()
    make_complaint()
    client.force_login(staff_member(agency))
    _refused(client.get(url))


def test_ordinary_requests_pass_the_guard(client):
    assert client.get("/layanan/?q=izin").status_code == 200
    assert client.get("/pengaduan/?instansi=pasuruan").status_code == 200
