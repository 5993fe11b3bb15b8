"""Printable documents: the service sheets, the whole decree, their metadata, fonts and cache.

Rendering is slow (about 1 s a sheet, 4-5 s a large decree), so the tests that only read a
document share it: `rendered(url)` renders each URL once for the whole run, whichever
pytest-xdist worker asks first (the others read its file), and each decree's text is read
once. The tests of caching and queries replace WeasyPrint with a stub (`stub_render`): what
they check happens before it.
"""

import fcntl
import hashlib
import io
import re
import subprocess
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pypdf
import pytest
import yaml
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection
from django.db.models import F
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone, translation

import portal.pdf
from services.catalogue.components import COMPONENTS
from services.catalogue.pages import component_sections, procedure_sections
from services.catalogue.pdf_views import decree_document
from services.models import Agency, ServiceStandard
from tests.conftest import renders_shared, run_directory
from tests.factories import publish
from tests.portal.pdf_fonts import vendored_fonts_in

# Cases and pages made "now" read a fixed working morning, never the day the suite runs.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_clock")]

FIXTURES = Path(django_settings.BASE_DIR) / "fixtures"
SERVICES = [
    (data["agency"]["slug"], service["slug"])
    for path in sorted(FIXTURES.glob("*.yaml"))
    for data in [yaml.safe_load(path.read_text(encoding="utf-8"))]
    for service in data["services"]
]
AGENCIES = sorted({agency for agency, _ in SERVICES})
KALBAR_DECREE = "/instansi/kalimantan-barat/standar-pelayanan.pdf"
KAS = "/layanan/kalimantan-barat/pertimbangan-teknis-kantor-kas.pdf"


def decree_url(agency):
    return f"/instansi/{agency}/standar-pelayanan.pdf"


def sheet_url(agency, service):
    return reverse("services:service_pdf", kwargs={"agency": agency, "service": service})


def pdftotext(data: bytes, *args: str) -> str:
    result = subprocess.run(
        ["pdftotext", *args, "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def norm(text: str) -> str:
    """Compare text regardless of where lines wrap: drop whitespace and soft hyphens."""
    return re.sub(r"[\s\u00ad]+", "", text).casefold()


def pdfinfo(data: bytes, *args: str) -> str:
    return subprocess.run(
        ["pdfinfo", *args, "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def pdffonts(data: bytes) -> list[str]:
    out = subprocess.run(
        ["pdffonts", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return out.splitlines()[2:]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    """`rendered(url)`: the PDF (`.content`) of the loaded fixtures at `url`, rendered once
    for the run: every worker loads the same decrees, so one worker's file serves them all.
    Only for tests that read the document: call it before changing any data."""
    media = tmp_path_factory.mktemp("pdf-media")
    shared = run_directory(tmp_path_factory)
    responses = {}

    def get(url):
        if url not in responses:
            file = shared / f"rendered-{hashlib.sha256(url.encode()).hexdigest()[:16]}.pdf"
            with open(file.with_suffix(".lock"), "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be rendering it
                if not file.exists():
                    with (
                        django_db_blocker.unblock(),
                        override_settings(MEDIA_ROOT=media),
                        renders_shared(shared),  # the same document in other tests, too
                    ):
                        response = Client().get(url)
                    assert response.status_code == 200, url
                    assert response["Content-Type"] == "application/pdf"
                    file.with_suffix(".part").write_bytes(response.content)
                    file.with_suffix(".part").rename(file)
            responses[url] = SimpleNamespace(content=file.read_bytes())
        return responses[url]

    return get


@pytest.fixture
def kalbar_decree(rendered):
    return rendered(KALBAR_DECREE).content


@pytest.fixture
def stub_render(monkeypatch):
    """Skips WeasyPrint (templates are still rendered) where only queries or caching matter:
    records the HTML and returns a distinct fake PDF for each call."""
    htmls = []

    def stub(html, *, base_url):
        htmls.append(html)
        return b"%PDF-1.7 stub " + str(len(htmls)).encode()

    monkeypatch.setattr(portal.pdf, "render_pdf", stub)
    return htmls


# --- Every sheet ---------------------------------------------------------------------------


def test_fixtures_list_29_services():
    assert len(SERVICES) == 29


def check_sheet_text(data: bytes, standard: ServiceStandard):
    """The sheet of `standard` shows its name, every requirement and every component's label."""
    check_sheet_pages(pdftotext(data, "-layout"), pdftotext(data), standard)


def check_sheet_pages(layout_text: str, reading_text: str, standard: ServiceStandard):
    """As check_sheet_text, on the text of the sheet's pages: laid out and in reading order."""
    layout = norm(layout_text)
    assert norm(standard.name) in layout
    for requirement in standard.requirements.all():
        assert norm(requirement.text) in layout, requirement.text
    # In -layout mode a label wrapped over several lines in the narrow "Komponen" column is
    # interleaved with the "Uraian" column beside it; reading order keeps each cell together.
    reading = norm(reading_text)
    for info in COMPONENTS:
        assert norm(info.label) in reading, info.label
    assert "STANDAR PELAYANAN" in layout_text


# One standalone sheet per agency (each agency's letterhead and signatory); every service's
# sheet is also checked where the same template renders it again, in its agency's decree.
STANDALONE = [
    ("kalimantan-barat", "pertimbangan-teknis-kantor-kas"),
    ("musi-banyuasin", "konsultasi"),
    ("palembang", "pemberdayaan-usaha-mikro-kecil"),
    ("pasuruan", "konsultasi"),
]


@pytest.mark.parametrize(("agency", "service"), STANDALONE, ids=[a for a, _ in STANDALONE])
def test_sheet_shows_agency_names_components_and_every_requirement(rendered, agency, service):
    standard = ServiceStandard.objects.select_related("agency").get(
        agency__slug=agency, slug=service
    )
    data = rendered(sheet_url(agency, service)).content
    assert norm(standard.agency.name) in norm(pdftotext(data, "-layout"))
    check_sheet_text(data, standard)


@pytest.fixture(scope="module")
def decree_pages(rendered):
    """`decree_pages(agency)`: {bookmark title: (first page, last page)} of its decree."""
    found = {}

    def get(agency):
        if agency not in found:
            reader = pypdf.PdfReader(io.BytesIO(rendered(decree_url(agency)).content))
            starts = [
                (item.title, reader.get_destination_page_number(item) + 1)
                for item in reader.outline
            ]
            ends = [start - 1 for _, start in starts[1:]] + [len(reader.pages)]
            found[agency] = {
                title: (start, end) for (title, start), end in zip(starts, ends, strict=True)
            }
        return found[agency]

    return get


@pytest.fixture(scope="module")
def decree_text(rendered):
    """`decree_text(agency)`: its decree's text, laid out and in reading order, page by page
    (pdftotext ends every page with a form feed): read once per decree, not once per sheet."""
    found = {}

    def get(agency):
        if agency not in found:
            data = rendered(decree_url(agency)).content
            found[agency] = (pdftotext(data, "-layout").split("\f"), pdftotext(data).split("\f"))
        return found[agency]

    return get


@pytest.mark.parametrize(("agency", "service"), SERVICES, ids=[f"{a}/{s}" for a, s in SERVICES])
def test_every_sheet_in_its_decree_shows_names_components_and_every_requirement(
    decree_pages, decree_text, agency, service
):
    standard = ServiceStandard.objects.get(agency__slug=agency, slug=service)
    first, last = decree_pages(agency)[f"{standard.number}. {standard.name}"]
    layout, reading = decree_text(agency)
    # The sheet's own pages only (pages are numbered from 1).
    sheet = slice(first - 1, last)
    check_sheet_pages("\f".join(layout[sheet]), "\f".join(reading[sheet]), standard)


def test_sheet_layout_parts(rendered):
    data = rendered(KAS).content
    text = pdftotext(data, "-layout")
    flat = " ".join(text.split())
    assert "PEMERINTAH PROVINSI KALIMANTAN BARAT" in flat
    assert "Komponen Penyampaian Pelayanan" in flat
    assert "Komponen Pengelolaan Pelayanan" in flat
    assert re.search(r"No\s+Komponen\s+Uraian", text)
    assert "Lampiran Keputusan Kepala Dinas Koperasi" in flat
    assert "Nomor 631/DISKOPUKM.A/2023 tanggal 31 Agustus 2023" in flat
    assert "Ditetapkan di Pontianak" in flat and "pada tanggal 31 Agustus 2023" in flat
    pages = int(re.search(r"Pages:\s+(\d+)", pdfinfo(data))[1])
    assert f"Halaman 1 dari {pages}" in flat and f"Halaman {pages} dari {pages}" in flat
    assert "Bagan alir" in flat
    # The QR code's target is printed under it and is the service page online.
    assert norm(django_settings.SITE_URL + "/layanan/kalimantan-barat/") in norm(text)


def test_sheet_prints_signatory_name_rank_and_nip(rendered):
    data = rendered(sheet_url("musi-banyuasin", "konsultasi")).content
    flat = " ".join(pdftotext(data, "-layout").split())
    assert "H. IRWAN SAZILI, S.Sos, M.Si" in flat
    assert "Pembina Tingkat I" in flat
    assert "NIP. 19700706 199009 1 001" in flat
    assert "Ditetapkan di Sekayu" in flat and "16 Mei 2024" in flat


def test_sheet_shows_empty_components_as_not_stated(client, stub_render):
    standard = ServiceStandard.objects.get(agency__slug="pasuruan", slug="konsultasi")
    standard.items.filter(component="evaluation").delete()
    publish(standard)
    assert client.get(sheet_url("pasuruan", "konsultasi")).status_code == 200
    (html,) = stub_render
    assert "Tidak dicantumkan dalam keputusan." in " ".join(html.split())


def test_unknown_agency_or_service_is_404(client):
    assert client.get(sheet_url("kalimantan-barat", "tidak-ada")).status_code == 404
    assert client.get(sheet_url("tidak-ada", "konsultasi")).status_code == 404
    assert client.get("/instansi/tidak-ada/standar-pelayanan.pdf").status_code == 404
    assert client.post(KAS).status_code == 405


# --- The whole decree ----------------------------------------------------------------------


def test_decree_has_one_bookmark_per_service_at_its_page(kalbar_decree):
    reader = pypdf.PdfReader(io.BytesIO(kalbar_decree))
    standards = list(
        ServiceStandard.objects.filter(agency__slug="kalimantan-barat").order_by("number")
    )
    outline = reader.outline
    assert len(outline) == 9 == len(standards)
    assert all(not isinstance(item, list) for item in outline)  # one level only
    for item, standard in zip(outline, standards, strict=True):
        assert item.title == f"{standard.number}. {standard.name}"
        page = reader.get_destination_page_number(item)
        assert norm(standard.name) in norm(reader.pages[page].extract_text())


def test_decree_text_and_table_of_contents(kalbar_decree):
    text = pdftotext(kalbar_decree, "-layout")
    flat = " ".join(text.split())
    decree = Agency.objects.get(slug="kalimantan-barat").decrees.first()
    for part in [
        "KEPUTUSAN KEPALA DINAS KOPERASI, USAHA KECIL DAN MENENGAH",
        "NOMOR: 631/DISKOPUKM.A/2023",
        "TENTANG",
        "DENGAN RAHMAT TUHAN YANG MAHA ESA",
        "Menimbang",
        "Mengingat",
        "MEMUTUSKAN",
        "Menetapkan",
        "KESATU",
        "KEEMPAT",
        "Ditetapkan di Pontianak",
        "pada tanggal 31 Agustus 2023",
        "LAMPIRAN: DAFTAR STANDAR PELAYANAN",
    ]:
        assert part in flat, part
    for letter, consideration in zip("ab", decree.considerations, strict=True):
        start = " ".join(consideration.split()[:5])
        assert f"{letter}. {start}" in flat
    for reference in decree.references:
        assert norm(" ".join(reference.split()[:4])) in norm(text)
    for diktum in decree.decisions:
        assert norm(diktum["text"]) in norm(text)
        for item in diktum.get("items") or []:
            assert norm(item) in norm(text)

    reader = pypdf.PdfReader(io.BytesIO(kalbar_decree))
    pages = {item.title: reader.get_destination_page_number(item) + 1 for item in reader.outline}
    toc_lines = [line for line in text.splitlines() if re.search(r"\.{5,}\s*\d+\s*$", line)]
    assert len(toc_lines) == 9
    for line, (title, page) in zip(toc_lines, pages.items(), strict=True):
        number, rest = title.split(". ", 1)
        assert line.strip().startswith(f"{number}.")
        assert line.rstrip().endswith(str(page)), (line, page)
        assert norm(rest[:30]) in norm(line)
    # every appendix sheet starts on its own page with the LAMPIRAN header
    for page in pages.values():
        assert "LAMPIRAN" in reader.pages[page - 1].extract_text()


def test_decree_prints_signatory(rendered):
    data = rendered(decree_url("palembang")).content
    flat = " ".join(pdftotext(data, "-layout").split())
    assert "Hj. Sulhijawati, SE., M.Si" in flat and "NIP. 19690325 199503 2 003" in flat
    assert "Ditetapkan di Palembang" in flat and "pada tanggal 4 Januari 2024" in flat


# --- Accessibility and metadata -------------------------------------------------------------


def check_metadata(data: bytes, title: str, author: str):
    info = pdfinfo(data)
    assert re.search(rf"Title:\s+{re.escape(title)}", info)
    assert re.search(rf"Author:\s+{re.escape(author)}", info)
    assert re.search(r"Subject:\s+\S", info)  # <meta name="description">
    assert re.search(r"Tagged:\s+yes", info)
    assert 'pdfuaid:part="1"' in pdfinfo(data, "-meta")
    assert pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "id"
    fonts = pdffonts(data)
    assert fonts
    for line in fonts:
        name, rest = line.split(None, 1)
        assert "NotoSans" in name.replace("-", ""), line
        assert re.search(r"\byes\s+yes\s+yes\b", rest), line  # emb, sub, uni
    vendored_fonts_in(data)  # and they are the vendored files (not only their names)


def test_sheet_metadata_language_tags_and_fonts(rendered):
    data = rendered(KAS).content
    standard = ServiceStandard.objects.get(
        agency__slug="kalimantan-barat", slug="pertimbangan-teknis-kantor-kas"
    )
    check_metadata(data, standard.name, standard.agency.name)


def test_decree_metadata_language_tags_and_fonts(kalbar_decree):
    agency = Agency.objects.get(slug="kalimantan-barat")
    check_metadata(kalbar_decree, "Keputusan Nomor 631/DISKOPUKM.A/2023", agency.name)


@pytest.mark.parametrize("agency", AGENCIES)
def test_decree_embeds_only_the_vendored_fonts(rendered, agency):
    fonts = vendored_fonts_in(rendered(decree_url(agency)).content)
    assert {"NotoSans-Regular", "NotoSans-SemiBold", "NotoSans-Bold"} <= fonts


def test_arrow_in_decree_text_is_text_in_noto_sans_math(rendered):
    # Kalbar's complaint flow uses "→", which Noto Sans lacks: it comes from Noto Sans Math,
    # the CSS's second family, and stays text (searchable, read aloud, copied).
    data = rendered(KAS).content
    assert "NotoSansMath-Regular" in vendored_fonts_in(data)
    flat = " ".join(pdftotext(data).split())
    assert "Pejabat Pengelola Pengaduan menerima Aduan" in flat
    assert re.search(r"\w → \w", flat)


STATIC_BASE_URL = (Path(django_settings.BASE_DIR) / "static").as_uri() + "/"


def receipt_pdf(template: str, case, agency) -> bytes:
    """A receipt rendered from its template as the receipt view does, with a stand-in case:
    the receipt views and their tests belong to the case code (tests/portal/test_cases_views.py,
    tests/complaints/); here only the fonts matter, including in what an applicant typed."""
    with translation.override("id"):
        html = render_to_string(
            template,
            {
                "case": case,
                "agency": agency,
                "code": "K7QW-2XPM",
                "received_text": "Kamis, 27 Maret 2025 pukul 10.00 WIB",
                "due_text": "Senin, 14 April 2025 pukul 16.00 WIB",
                "explain": case.due_rule.explain,
                "track_url": django_settings.SITE_URL + "/lacak/",
                "doc_title": f"Tanda terima {case.number}",
                "doc_description": agency.name,
                "running_title": f"Tanda terima {case.number}",
                "SITE_NAME": django_settings.SITE_NAME,
            },
        )
    return portal.pdf.render_pdf(html, base_url=STATIC_BASE_URL)


@pytest.mark.parametrize("kind", ["request", "complaint"])
def test_receipts_embed_only_the_vendored_fonts(kind):
    standard = ServiceStandard.objects.select_related("agency").get(
        agency__slug="kalimantan-barat", slug="pertimbangan-teknis-kantor-kas"
    )
    rule = SimpleNamespace(explain="5 hari kerja sejak diterima\n± 2 jam – Sabtu libur")
    case = SimpleNamespace(
        number="KALBAR-2025-00001" if kind == "request" else "KALBAR-ADU-2025-00001",
        standard=standard,
        agency=standard.agency,
        applicant_name="Ņoviantī Œktaviani “Ika”",  # Latin Extended-A and curly quotes
        organisation="Koperasi Sejahtera‐Bersama",  # U+2010 HYPHEN
        get_channel_display="Daring",
        received_at=datetime(2025, 3, 27, 10),
        due_at=datetime(2025, 4, 14, 16),
        due_rule=rule,
        tier="light",
        get_tier_display="Ringan",
        lapor_reference="",
    )
    data = receipt_pdf(f"pdf/{kind}_receipt.html", case, standard.agency)
    assert "NotoSans-Regular" in vendored_fonts_in(data)
    flat = " ".join(pdftotext(data).split())
    assert f"{case.number} (rahasiakan)" not in flat and "K7QW-2XPM (rahasiakan)" in flat
    if kind == "request":  # a complaint's receipt does not repeat the complainant
        assert "Ņoviantī Œktaviani “Ika” — Koperasi Sejahtera‐Bersama" in flat


def test_only_static_files_and_data_urls_are_fetched(tmp_path):
    base = (Path(django_settings.BASE_DIR) / "static").as_uri() + "/"
    fetcher = portal.pdf._url_fetcher_for(base)
    for url in ["http://example.com/x.png", "file:///etc/passwd", base + "../manage.py"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch(base + "css/pdf.css").read()


# --- Cache, ETag, conditional requests ------------------------------------------------------


def test_cached_pdf_builds_once_and_writes_under_media_root(settings):
    calls = []

    def build():
        calls.append(1)
        return b"%PDF-1.7 test"

    first = portal.pdf.cached_pdf("key-1", build)
    second = portal.pdf.cached_pdf("key-1", build)
    assert first == second and len(calls) == 1
    assert first[1].startswith('"') and first[1].endswith('"')
    files = list((Path(settings.MEDIA_ROOT) / "pdf-cache").iterdir())
    assert [f.name for f in files] == [f"{portal.pdf.cache_digest('key-1')}.pdf"]
    assert portal.pdf.cached_pdf("key-2", build)[1] != first[1] and len(calls) == 2


def test_sheet_is_cached_and_answers_conditional_requests(client, stub_render):
    render_calls = stub_render
    first = client.get(KAS)
    assert first.status_code == 200 and len(render_calls) == 1
    assert first["Cache-Control"] == "public, max-age=300"
    assert first["Content-Disposition"] == (
        'inline; filename="standar-pelayanan-kalimantan-barat-pertimbangan-teknis-kantor-kas.pdf"'
    )
    assert first["Last-Modified"]
    etag = first["ETag"]

    second = client.get(KAS)
    assert second.status_code == 200 and len(render_calls) == 1
    assert second["ETag"] == etag and second.content == first.content

    not_modified = client.get(KAS, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified["ETag"] == etag
    assert client.get(KAS, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(KAS, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    assert len(render_calls) == 1


def test_editing_standard_or_agency_changes_the_sheet(client, stub_render):
    render_calls = stub_render
    etag = client.get(KAS)["ETag"]
    standard = ServiceStandard.objects.get(
        agency__slug="kalimantan-barat", slug="pertimbangan-teknis-kantor-kas"
    )
    standard.fee_text = "Rp.0 (gratis)"
    standard.save()  # a draft: the sheet prints the published version
    assert client.get(KAS, HTTP_IF_NONE_MATCH=etag).status_code == 304
    publish(standard)
    edited = client.get(KAS, HTTP_IF_NONE_MATCH=etag)
    assert edited.status_code == 200 and edited["ETag"] != etag
    assert "Rp.0 (gratis)" in render_calls[-1]  # the HTML handed to WeasyPrint
    assert len(render_calls) == 2

    # A bare update() sends no signal, so the page cache keeps the old response; the file
    # cache's key (checked here) follows the version by itself.
    ServiceStandard.objects.filter(pk=standard.pk).update(version=F("version") + 1)
    caches["local"].clear()
    bumped = client.get(KAS)["ETag"]
    assert bumped != edited["ETag"]

    standard.agency.save()
    assert client.get(KAS)["ETag"] != bumped
    assert len(render_calls) == 4


def test_decree_cache_follows_its_standards(client, stub_render):
    render_calls = stub_render
    palembang = "/instansi/palembang/standar-pelayanan.pdf"
    first = client.get(palembang)
    assert first.status_code == 200
    assert first["Content-Disposition"] == 'inline; filename="standar-pelayanan-palembang.pdf"'
    assert client.get(palembang, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(palembang)["ETag"] == first["ETag"] and len(render_calls) == 1

    standard = ServiceStandard.objects.filter(agency__slug="palembang").first()
    standard.save()
    assert client.get(palembang, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert len(render_calls) == 2


# --- Queries ---------------------------------------------------------------------------------


def count_queries(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **headers).status_code == 200
    return len(ctx.captured_queries)


def test_sheet_queries_are_fixed(client, django_assert_max_num_queries, stub_render):
    counts = []
    for agency, service in [
        ("kalimantan-barat", "pertimbangan-teknis-kantor-kas"),
        ("palembang", "pemberdayaan-usaha-mikro-kecil"),
        ("pasuruan", "konsultasi"),
    ]:
        with django_assert_max_num_queries(10):
            counts.append(count_queries(client, sheet_url(agency, service)))
    assert len(set(counts)) == 1
    with django_assert_max_num_queries(1):  # cached: only the key is read
        client.get(sheet_url("pasuruan", "konsultasi"))


def test_decree_document_selector_queries_are_fixed(django_assert_num_queries):
    today = timezone.localdate()
    for slug, count in [("palembang", 2), ("kalimantan-barat", 9)]:
        pk = Agency.objects.get(slug=slug).decrees.get().pk
        # The decree in force (no amendment: none read) and the decree as signed.
        for kwargs, queries in [({}, 4), ({"pk": pk}, 3)]:
            with django_assert_num_queries(queries):
                document = decree_document(slug, today=today, **kwargs)
                for standard in document.standards:  # everything a sheet shows is prefetched
                    component_sections(standard), procedure_sections(standard)
                    list(standard.requirements.all()), list(standard.agency.channels.all())
                    assert standard.decree.signatory_name  # the decree that signs it
            assert not document.consolidated
            assert len(document.standards) == count == document.decree.service_count
            assert [s.number for s in document.standards] == list(range(1, count + 1))


def test_decree_queries_are_fixed(client, django_assert_max_num_queries, stub_render):
    with django_assert_max_num_queries(10):
        small = count_queries(client, "/instansi/palembang/standar-pelayanan.pdf")
    with django_assert_max_num_queries(10):
        large = count_queries(client, "/instansi/musi-banyuasin/standar-pelayanan.pdf")
    assert small == large
    with django_assert_max_num_queries(1):
        client.get("/instansi/palembang/standar-pelayanan.pdf")
    assert len(stub_render) == 2 and "LAMPIRAN" in stub_render[1]


# --- Links from the HTML pages ---------------------------------------------------------------


def test_service_page_and_agency_page_link_to_their_pdfs(client):
    html = client.get("/layanan/kalimantan-barat/pertimbangan-teknis-kantor-kas/").content.decode()
    assert f'href="{KAS}"' in html and "Unduh lembar PDF" in html
    html = client.get("/instansi/kalimantan-barat/").content.decode()
    assert f'href="{KALBAR_DECREE}"' in html and "Unduh keputusan lengkap (PDF)" in html


def test_a_repeated_anonymous_download_reads_nothing(
    client, stub_render, django_assert_num_queries
):
    render_calls = stub_render
    first = client.get(KAS)
    with django_assert_num_queries(0):
        again = client.get(KAS)
        not_modified = client.get(KAS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert not_modified.status_code == 304
    assert len(render_calls) == 1
