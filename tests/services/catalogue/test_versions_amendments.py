"""Amending decrees: the version an amendment sets is signed with it, the decree as signed stays
downloadable, the amendment has its own PDF, and the agency's decree in force becomes a
consolidated text (services.catalogue.versions, services.catalogue.pdf_views, the admin's publish
form).

The official edits Pasuruan's service 8 in the admin (requirement 4 and the fee), the head of
agency publishes it with amending decree 950/12/2026; the PDFs are read back with pypdf (bookmarks,
metadata) and pdftotext (text). Rendering is slow, so one test renders the five documents once;
the others stub WeasyPrint.
"""

import io
import re
import subprocess
from dataclasses import dataclass

import pypdf
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

import portal.pdf
from services.catalogue.versions import standard_publish
from services.models import Decree, ServiceStandard, StandardVersion
from tests.factories import head_of_agency, official

pytestmark = pytest.mark.django_db

AGENCY = "pasuruan"
SERVICE = "surat-keterangan-pengurus-pengawas-koperasi"  # 8. Penerbitan Surat Keterangan …
OTHER = "pendataan-potensi-pengembangan-usaha"  # 3. Pendataan Potensi dan Pengembangan Usaha
OLD_REQUIREMENT = "Data Usaha (Laporan Keuangan)"
NEW_REQUIREMENT = "Laporan Keuangan Tahun Terakhir yang Disahkan Rapat Anggota"
NEW_FEE = "Rp 50.000"
BASE_NUMBER = "950/271/424.085/2024"
BASE_SIGNATORY = "TRI KRISNI ASTUTI, S.Sos, MM"
NUMBER = "950/12/2026"
SIGNATORY = "Dr. HADI SUSANTO, S.E., M.M."
NIP = "19710512 199803 1 004"

DECREE_PDF = f"/instansi/{AGENCY}/standar-pelayanan.pdf"
SHEET_PDF = f"/layanan/{AGENCY}/{SERVICE}.pdf"
V1_PDF = f"/layanan/{AGENCY}/{SERVICE}/versi/1.pdf"


def signed_pdf(decree) -> str:
    return reverse("services:past_decree_pdf", kwargs={"agency": AGENCY, "decree": decree.pk})


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-02T09:00:00+07:00", tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def stub_render(monkeypatch):
    htmls = []

    def stub(html, *, base_url):
        htmls.append(" ".join(html.split()))
        return b"%PDF-1.7 stub " + str(len(htmls)).encode()

    monkeypatch.setattr(portal.pdf, "render_pdf", stub)
    return htmls


def standard(slug=SERVICE) -> ServiceStandard:
    return ServiceStandard.objects.get(agency__slug=AGENCY, slug=slug)


def base_decree() -> Decree:
    return Decree.objects.get(agency__slug=AGENCY, number=BASE_NUMBER)


def admin_edit(client, std, *, fee_text=None, requirement_4=None):
    """The official's save of the standard's admin page, everything else as it was."""
    url = reverse("admin:services_servicestandard_change", args=[std.pk])
    response = client.get(url)
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and v is not False}
    if fee_text is not None:
        data.update(fee_text=fee_text, fee_amount=50000)
    for inline in response.context["inline_admin_formsets"]:
        fs = inline.formset
        data[f"{fs.prefix}-TOTAL_FORMS"] = fs.total_form_count()
        data[f"{fs.prefix}-INITIAL_FORMS"] = fs.initial_form_count()
        for i, f in enumerate(fs.forms):
            for name in f.fields:
                value = f[name].value()
                if value is not None and value is not False:
                    data[f"{fs.prefix}-{i}-{name}"] = value
            if fs.model.__name__ == "Requirement" and i == 3 and requirement_4:
                data[f"{fs.prefix}-{i}-text"] = requirement_4
    assert client.post(url, data).status_code == 302


def amendment_fields(**changes) -> dict:
    return {
        "reason": "Persyaratan laporan keuangan diperjelas; biaya penerbitan ditetapkan",
        "valid_from": "2026-03-02",
        "amendment_number": NUMBER,
        "amendment_date": "2026-02-27",
        "amendment_place": "Pasuruan",
        "signatory_title": "Kepala Dinas Koperasi, Usaha Kecil dan Menengah Kabupaten Pasuruan",
        "signatory_name": SIGNATORY,
        "signatory_rank": "Pembina Utama Muda",
        "signatory_nip": NIP,
        **changes,
    }


def publish_url(std) -> str:
    return reverse("admin:services_servicestandard_publish", args=[std.pk])


@pytest.fixture
def amended(client):
    """Service 8 edited by the official and published by the head with decree 950/12/2026."""
    std = standard()
    client.force_login(official(std.agency))
    admin_edit(client, std, fee_text=NEW_FEE, requirement_4=NEW_REQUIREMENT)
    client.force_login(head_of_agency(std.agency))
    response = client.post(publish_url(std), amendment_fields())
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    return Decree.objects.get(agency__slug=AGENCY, number=NUMBER)


@dataclass(frozen=True)
class Document:
    """A PDF as read back: its pypdf reader (bookmarks, metadata) and each page's text, which
    poppler's pdftotext reads in one pass (pypdf takes seconds a decree)."""

    reader: pypdf.PdfReader
    pages: list[str]


def read(data: bytes) -> Document:
    reader = pypdf.PdfReader(io.BytesIO(data))
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    pages = out.stdout.decode().split("\f")[: len(reader.pages)]  # each page ends with \f
    assert len(pages) == len(reader.pages)
    return Document(reader, pages)


def pages_of(data: bytes) -> tuple[Document, dict[str, str]]:
    """The PDF, and the text of each appendix sheet by its bookmark title."""
    document = read(data)
    reader = document.reader
    starts = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    ends = [start for _, start in starts[1:]] + [len(reader.pages)]
    sheets = {
        title: text_of(document, start, end)
        for (title, start), end in zip(starts, ends, strict=True)
    }
    return document, sheets


def text_of(document: Document, first=0, last=None) -> str:
    return "\n".join(document.pages[first:last])


def front_of(document: Document) -> str:
    """The decree's own pages: everything before the first sheet of its appendix."""
    first_sheet = document.reader.get_destination_page_number(document.reader.outline[0])
    return text_of(document, 0, first_sheet)


def norm(text: str) -> str:
    """Compare text regardless of where lines wrap."""
    return re.sub(r"[\s\u00ad]+", "", text).casefold()


def has(text: str, part: str) -> bool:
    return norm(part) in norm(text)


# --- The documents, rendered ----------------------------------------------------------------


@pytest.mark.usefixtures("shared_renders")  # the decree as signed is the one loaded
def test_each_pdf_prints_its_own_decree_and_the_versions_it_set(client, amended):
    base = base_decree()
    name = standard().name
    title = f"8. {name}"
    version = standard().versions.get(number=2)
    assert (version.decree, amended.amends) == (amended, base)

    # The 2024 decree as it was signed: the old requirement and fee, its own signatory.
    document, sheets = pages_of(client.get(signed_pdf(base)).content)
    head = front_of(document)
    assert has(head, f"NOMOR: {BASE_NUMBER}") and has(head, BASE_SIGNATORY)
    assert not has(head, NUMBER) and not has(head, "sebagaimana telah diubah")
    assert len(sheets) == 9
    sheet = sheets[title]
    assert has(sheet, OLD_REQUIREMENT) and has(sheet, "Gratis")
    assert not has(sheet, NEW_REQUIREMENT) and not has(sheet, NEW_FEE)
    assert has(sheet, BASE_NUMBER) and has(sheet, "31 Januari 2024") and has(sheet, BASE_SIGNATORY)
    assert not has(sheet, SIGNATORY) and not has(sheet, NUMBER)

    # The amending decree: its number, date and signatory, and only the service it changed.
    document, sheets = pages_of(client.get(signed_pdf(amended)).content)
    whole = text_of(document)
    assert list(sheets) == [title]
    assert has(whole, f"NOMOR: {NUMBER}") and has(whole, "27 Februari 2026")
    assert has(whole, SIGNATORY) and has(whole, f"NIP. {NIP}")
    assert not has(whole, BASE_SIGNATORY)
    assert not has(whole, standard(OTHER).name)
    assert has(sheets[title], NEW_REQUIREMENT) and has(sheets[title], NEW_FEE)

    # The decree in force: consolidated, listing the amendment, each service as in force now.
    document, sheets = pages_of(client.get(DECREE_PDF).content)
    head = front_of(document)
    assert has(head, "NASKAH KONSOLIDASI") and has(head, "sebagaimana telah diubah dengan")
    assert has(head, f"Nomor {NUMBER} tanggal 27 Februari 2026")
    assert has(head, f"NOMOR: {BASE_NUMBER}") and has(head, BASE_SIGNATORY)
    assert has(head, f"ditandatangani oleh {SIGNATORY}; mengubah: {title}")
    assert document.reader.metadata.title.endswith(
        f"sebagaimana telah diubah dengan Keputusan Nomor {NUMBER}"
    )
    assert len(sheets) == 9
    sheet = sheets[title]
    assert has(sheet, NEW_REQUIREMENT) and has(sheet, NEW_FEE) and not has(sheet, OLD_REQUIREMENT)
    assert has(sheet, SIGNATORY) and has(sheet, "27 Februari 2026")
    assert not has(sheet, BASE_SIGNATORY)
    other = sheets[f"3. {standard(OTHER).name}"]
    assert has(other, BASE_SIGNATORY) and has(other, "31 Januari 2024")

    # The sheets: version 2 signed with the amendment, version 1 with the 2024 decree.
    v2 = text_of(read(client.get(SHEET_PDF).content))
    assert has(v2, NEW_FEE) and has(v2, SIGNATORY)
    assert has(v2, "Ditetapkan di Pasuruan pada tanggal 27 Februari 2026")
    assert not has(v2, "31 Januari 2024") and not has(v2, BASE_SIGNATORY)
    v1 = text_of(read(client.get(V1_PDF).content))
    assert has(v1, OLD_REQUIREMENT) and not has(v1, NEW_FEE)
    assert has(v1, "Ditetapkan di Pasuruan pada tanggal 31 Januari 2024")
    assert has(v1, BASE_SIGNATORY) and not has(v1, SIGNATORY) and has(v1, "versi lama")


# --- Publishing: the form and the action ---------------------------------------------------


def test_an_amending_decree_needs_its_date_place_and_signatory(client):
    std = standard()
    client.force_login(official(std.agency))
    admin_edit(client, std, fee_text=NEW_FEE)
    client.force_login(head_of_agency(std.agency))
    response = client.post(publish_url(std), amendment_fields(signatory_name="", amendment_date=""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["signatory_name"] == ["Wajib diisi untuk keputusan perubahan yang baru."]
    assert errors["amendment_date"] == ["Wajib diisi untuk keputusan perubahan yang baru."]
    html = response.content.decode()
    assert NUMBER in html  # what was typed is kept
    assert std.versions.count() == 1
    assert not Decree.objects.filter(number=NUMBER).exists()


def test_an_amendment_signed_before_the_decree_it_amends_is_refused(client):
    std = standard()
    client.force_login(official(std.agency))
    admin_edit(client, std, fee_text=NEW_FEE)
    client.force_login(head_of_agency(std.agency))
    response = client.post(publish_url(std), amendment_fields(amendment_date="2024-01-30"))
    assert response.status_code == 200
    assert response.context["form"].errors["amendment_date"] == [
        "Keputusan perubahan ditetapkan sesudah keputusan yang diubahnya (31-01-2024)."
    ]
    assert std.versions.count() == 1
    assert not Decree.objects.filter(number=NUMBER).exists()


def test_a_second_service_is_published_under_the_recorded_amendment(client, amended, stub_render):
    other = standard(OTHER)
    client.force_login(official(other.agency))
    admin_edit(client, other, fee_text=NEW_FEE)
    client.force_login(head_of_agency(other.agency))
    page = client.get(publish_url(other)).content.decode()
    assert f'<option value="{amended.pk}">{amended}</option>' in page
    # Typing the recorded number again is refused: it is chosen from the list.
    response = client.post(publish_url(other), amendment_fields())
    assert response.context["form"].errors["amendment_number"] == [
        f"Keputusan Nomor {NUMBER} sudah tercatat untuk instansi ini: pilih dari daftar "
        "keputusan perubahan, atau periksa nomornya."
    ]
    both = amendment_fields(amending_decree=amended.pk)
    response = client.post(publish_url(other), both)
    assert response.context["form"].non_field_errors() == [
        "Pilih keputusan perubahan yang sudah tercatat atau isi keputusan perubahan yang baru, "
        "tidak keduanya."
    ]
    chosen = {
        "reason": "Biaya ditetapkan",
        "valid_from": "2026-03-02",
        "amending_decree": amended.pk,
    }
    assert client.post(publish_url(other), chosen).status_code == 302
    assert other.versions.get(number=2).decree == amended
    assert Decree.objects.filter(amends=base_decree()).count() == 1

    client.logout()
    assert client.get(signed_pdf(amended)).status_code == 200
    html = stub_render[-1]
    assert "LAMPIRAN: STANDAR PELAYANAN YANG DIUBAH" in html
    assert f"3. {other.name}" in html and f"8. {standard().name}" in html
    assert html.count('<div class="signature">') == 3  # the decree and its two sheets


def test_a_correction_stays_under_the_decree_listing_the_service(client, stub_render):
    std = standard()
    client.force_login(official(std.agency))
    admin_edit(client, std, requirement_4="Data Usaha (Laporan Keuangan Koperasi)")
    client.force_login(head_of_agency(std.agency))
    data = {"reason": "Salah ketik", "valid_from": "2026-03-02", "amendment_place": "Pasuruan"}
    assert client.post(publish_url(std), data).status_code == 302
    assert std.versions.get(number=2).decree == base_decree()
    assert not Decree.objects.filter(amends__isnull=False).exists()
    client.logout()
    assert client.get(DECREE_PDF).status_code == 200
    assert "NASKAH KONSOLIDASI" not in stub_render[-1]


def test_an_amendment_of_another_decree_is_refused(amended):
    other = ServiceStandard.objects.filter(agency__slug="palembang").order_by("number").first()
    other.fee_text = NEW_FEE
    other.save()
    with pytest.raises(ValidationError, match="tidak mengubah Keputusan"):
        standard_publish(
            standard=other,
            actor=head_of_agency(other.agency),
            reason="x",
            valid_from=amended.signed_date,
            now=amended.updated_at,
            amended_by=amended,
        )
    assert other.versions.count() == 1


# --- Caches and links -----------------------------------------------------------------------


def test_cached_pdfs_follow_the_amendment_and_its_corrections(client, stub_render, frozen):
    std = standard()
    before = {url: client.get(url)["ETag"] for url in (DECREE_PDF, SHEET_PDF)}
    signed = client.get(signed_pdf(base_decree()))["ETag"]
    rendered = len(stub_render)
    # The head publishes (signed in); anonymous downloads come from the caches otherwise.
    user = official(std.agency)
    client.force_login(user)
    admin_edit(client, std, fee_text=NEW_FEE)
    client.force_login(head_of_agency(std.agency))
    assert client.post(publish_url(std), amendment_fields()).status_code == 302
    client.logout()

    after = {url: client.get(url) for url in (DECREE_PDF, SHEET_PDF)}
    for url, response in after.items():
        assert response["ETag"] != before[url], url
    assert len(stub_render) == rendered + 2
    assert NUMBER in stub_render[-2] and NEW_FEE in stub_render[-2]  # the consolidated text
    assert SIGNATORY in stub_render[-1]  # the sheet
    # The signed decree's key reads its standards' versions: printed again, as it was signed.
    assert client.get(signed_pdf(base_decree()))["ETag"] != signed
    assert NEW_FEE not in stub_render[-1] and BASE_SIGNATORY in stub_render[-1]

    # The amendment's signatory corrected in the admin: the sheet it signs is printed again.
    frozen.shift(60)
    amendment = Decree.objects.get(number=NUMBER)
    amendment.signatory_nip = "19710512 199803 1 005"
    amendment.save()
    again = client.get(SHEET_PDF)
    assert again["ETag"] != after[SHEET_PDF]["ETag"]
    assert "19710512 199803 1 005" in stub_render[-1]


def test_agency_page_and_history_link_every_decree_as_signed(client, amended):
    base = base_decree()
    html = client.get(f"/instansi/{AGENCY}/").content.decode()
    assert f"Keputusan Nomor {BASE_NUMBER}" in html  # still the decree listing the services
    assert "Diubah dengan:" in html and f"Keputusan Nomor {NUMBER} tanggal 27 Februari 2026" in html
    assert f'href="{signed_pdf(amended)}"' in html and f'href="{signed_pdf(base)}"' in html
    assert f'href="{DECREE_PDF}"' in html and "naskah konsolidasi" in html

    page = client.get(f"/layanan/{AGENCY}/{SERVICE}/").content.decode()
    flat = " ".join(page.split())
    assert f"Ditetapkan dengan Keputusan Nomor {NUMBER} tanggal 27 Februari 2026." in flat
    assert f'href="{signed_pdf(amended)}"' in page and f'href="{signed_pdf(base)}"' in page
    past = " ".join(client.get(f"/layanan/{AGENCY}/{SERVICE}/versi/1/").content.decode().split())
    assert f"Ditetapkan dengan Keputusan Nomor {BASE_NUMBER} tanggal 31 Januari 2024." in past


def test_a_decree_of_another_agency_is_not_found(client, amended):
    url = reverse("services:past_decree_pdf", kwargs={"agency": "palembang", "decree": amended.pk})
    assert client.get(url).status_code == 404
    assert StandardVersion.objects.filter(decree=amended).count() == 1
