"""The decrees' last corrections as loaded and shown: the Kalimantan Barat signatory, a
service's own complaint channels, channels only as the decrees name them, sub-headings a decree
leaves empty, and whether a service's product is a document. The fixtures' fidelity to the
decrees' text on the same points is checked in test_fixture_fidelity.py."""

import re
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse

import portal.pdf
from services.catalogue.actions import decree_load
from services.catalogue.fixture_schema import validate_document
from services.models import Agency, ComplaintChannel, ComponentItem, ServiceStandard
from tests.services.sample import sample

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
AGENCIES = ["kalimantan-barat", "musi-banyuasin", "palembang", "pasuruan"]
KALBAR_9 = "penilaian-kesehatan-pengawasan-koperasi"
KALBAR_9_OWN = [
    ("whatsapp", "089518510075"),
    ("phone", "(0561) 736541 ext. 233"),
    ("fax", "(0561) 730062"),
    ("email", "organisasi@kalbarprov.go.id"),
    ("lapor", "www.lapor.go.id"),
]


def load(slug):
    return yaml.safe_load((FIXTURES / f"{slug}.yaml").read_text(encoding="utf-8"))


def flat(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def sheet_html(monkeypatch, settings, tmp_path):
    """The HTML WeasyPrint would be given for a PDF URL (WeasyPrint itself is skipped)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    htmls = []

    def stub(html, *, base_url):
        htmls.append(html)
        return b"%PDF-1.7 stub " + str(len(htmls)).encode()

    monkeypatch.setattr(portal.pdf, "render_pdf", stub)

    def get(client, url):
        before = len(htmls)
        assert client.get(url).status_code == 200
        assert len(htmls) == before + 1, "the PDF was not rendered"
        return htmls[-1]

    return get


# --- The signatory --------------------------------------------------------------------------


@pytest.mark.django_db
def test_kalbar_decree_pdf_and_agency_page_print_the_signatory(client, sheet_html):
    html = sheet_html(client, "/instansi/kalimantan-barat/standar-pelayanan.pdf")
    signatures = [part.split("NIP")[0] for part in html.split('<div class="signature">')[1:]]
    assert len(signatures) == 1 + 9  # the decree and each sheet of its appendix
    for block in signatures:
        assert block.split('<p class="name">')[1].startswith("Munaidi</p>")
    html = sheet_html(client, f"/layanan/kalimantan-barat/{KALBAR_9}.pdf")
    assert '<p class="name">Munaidi</p>' in html
    page = client.get("/instansi/kalimantan-barat/").content.decode()
    assert "oleh Munaidi, Kepala Dinas Koperasi" in flat(page)


# --- A service's own complaint channels -----------------------------------------------------


def own(standard):
    return list(standard.own_channels.order_by("order").values_list("kind", "value"))


@pytest.mark.django_db
def test_kalbar_service_9_has_its_own_channels_and_the_agency_keeps_its_own():
    agency = Agency.objects.get(slug="kalimantan-barat")
    standard = agency.services.get(slug=KALBAR_9)
    assert own(standard) == KALBAR_9_OWN
    assert all(c.agency_id == agency.pk for c in standard.own_channels.all())
    general = agency.channels.filter(standard__isnull=True)
    assert list(general.values_list("kind", flat=True)) == [
        "walk_in",
        "written",
        "whatsapp",
        "phone",
        "website",
        "email",
    ]
    # Only Kalbar's service 9 lists contacts of its own in the four decrees.
    assert ComplaintChannel.objects.filter(standard__isnull=False).count() == 5


@pytest.mark.django_db
def test_reloading_keeps_own_channels_and_removing_them_from_the_fixture_removes_them(tmp_path):
    agency = Agency.objects.get(slug="kalimantan-barat")
    standard = agency.services.get(slug=KALBAR_9)
    rows = sorted(ComplaintChannel.objects.values_list("pk", "agency", "standard", "kind", "value"))
    call_command("load_standards", verbosity=0)
    assert (
        sorted(ComplaintChannel.objects.values_list("pk", "agency", "standard", "kind", "value"))
        == rows
    )

    data = load("kalimantan-barat")
    service = next(s for s in data["services"] if s["slug"] == KALBAR_9)
    service["channels"] = service["channels"][1:]
    decree_load(data=data)
    assert own(standard) == KALBAR_9_OWN[1:]
    del service["channels"]
    decree_load(data=data)
    assert own(standard) == []
    # The agency's channels were not touched.
    general = agency.channels.filter(standard__isnull=True)
    assert general.count() == 6
    assert {pk for pk, *_ in rows} >= set(general.values_list("pk", flat=True))


@pytest.mark.django_db
def test_agency_channels_sync_leaves_a_services_own_channels_alone():
    doc = sample()
    doc["services"][0]["channels"] = [{"kind": "whatsapp", "value": "0812 0000 0000"}]
    decree_load(data=doc)
    standard = ServiceStandard.objects.get(agency__slug="contoh", slug="konsultasi")
    assert own(standard) == [("whatsapp", "0812 0000 0000")]
    doc["agency"]["channels"] = []  # the decree names no agency-wide channel any more
    decree_load(data=doc)
    assert own(standard) == [("whatsapp", "0812 0000 0000")]
    assert not ComplaintChannel.objects.filter(agency__slug="contoh", standard=None).exists()


@pytest.mark.django_db
def test_service_page_shows_own_channels_and_the_agencys_general_ones(client):
    html = client.get(f"/layanan/kalimantan-barat/{KALBAR_9}/").content.decode()
    section = html.split('id="complaints"')[1].split("</section>")[0]
    own_part, general_part = section.split("Kanal pengaduan instansi")
    assert "Kanal pengaduan khusus layanan ini" in own_part
    assert own_part.count("<li>") >= 7 + 5  # the decree's seven items, then the five channels
    for value in ["089518510075", "(0561) 736541 ext. 233", "(0561) 730062", "www.lapor.go.id"]:
        assert value in own_part.split("Kanal pengaduan khusus layanan ini")[1]
    assert 'href="mailto:organisasi@kalbarprov.go.id"' in own_part
    assert "081256506007" in general_part and "089518510075" not in general_part
    # Another service of the agency shows only the general channels.
    other = client.get("/layanan/kalimantan-barat/konsultasi/").content.decode()
    assert "Kanal pengaduan khusus layanan ini" not in other
    assert "089518510075" not in other and "081256506007" in other
    # The agency page and the complaint form list only the agency's general channels.
    for url in ["/instansi/kalimantan-barat/", "/pengaduan/?instansi=kalimantan-barat"]:
        page = client.get(url).content.decode()
        assert "081256506007" in page and "089518510075" not in page, url


@pytest.mark.django_db
def test_service_sheet_and_decree_print_own_channels(client, sheet_html):
    html = sheet_html(client, f"/layanan/kalimantan-barat/{KALBAR_9}.pdf")
    text = flat(html)
    assert "Kanal pengaduan khusus layanan ini: WhatsApp: 089518510075 Telepon: (0561) 736541" in (
        text
    )
    own_part, general_part = text.split("Kanal pengaduan khusus layanan ini:")[1].split(
        "Kanal pengaduan instansi:"
    )
    assert "SP4N-LAPOR!: www.lapor.go.id" in own_part
    assert "WhatsApp: 081256506007" in general_part.split("Komponen Pengelolaan")[0]
    html = sheet_html(client, "/instansi/kalimantan-barat/standar-pelayanan.pdf")
    assert flat(html).count("Kanal pengaduan khusus layanan ini") == 1
    assert flat(html).count("Kanal pengaduan instansi:") == 9
    assert flat(html).count("WhatsApp: 089518510075") == 1


# --- Channels only as the decrees name them --------------------------------------------------


@pytest.mark.django_db
def test_pasuruan_pages_show_no_walk_in_channel(client):
    assert not ComplaintChannel.objects.filter(agency__slug="pasuruan", kind="walk_in").exists()
    html = client.get("/layanan/pasuruan/konsultasi/").content.decode()
    section = html.split('id="complaints"')[1].split("</section>")[0]
    assert "Tatap muka" not in section and "(0343) 5616140" in section


# --- Sub-headings left empty ----------------------------------------------------------------


@pytest.mark.django_db
def test_empty_sub_heading_is_loaded_and_shown_as_not_stated(client, sheet_html):
    standard = ServiceStandard.objects.get(agency__slug="kalimantan-barat", slug="konsultasi")
    rows = list(standard.items.filter(component="complaints").values_list("heading", "text"))
    assert ("Alur Penanganan Pengaduan:", "-") in rows  # services.catalogue.actions.EMPTY_ITEM
    assert [h for h, _ in rows].index("Alur Penanganan Pengaduan:") == 6  # after a.'s six

    html = client.get("/layanan/kalimantan-barat/konsultasi/").content.decode()
    section = flat(html.split('id="complaints"')[1].split("</section>")[0])
    assert (
        "Alur Penanganan Pengaduan: Tidak dicantumkan dalam keputusan. "
        "Jangka Waktu Penyelesaian Pengaduan:"
    ) in section
    sheet = flat(sheet_html(client, "/layanan/kalimantan-barat/konsultasi.pdf"))
    assert (
        "Alur Penanganan Pengaduan: Tidak dicantumkan dalam keputusan. "
        "Jangka Waktu Penyelesaian Pengaduan:"
    ) in sheet


@pytest.mark.django_db
def test_empty_sub_heading_round_trip_in_a_fixture():
    doc = sample()
    doc["services"][0]["evaluation"] = [{"heading": "Evaluasi tahunan:", "items": []}, "Bulanan"]
    assert validate_document(doc, "contoh.yaml") == []
    decree_load(data=doc)
    standard = ServiceStandard.objects.get(agency__slug="contoh", slug="konsultasi")
    items = ComponentItem.objects.filter(standard=standard, component="evaluation")
    assert list(items.values_list("order", "heading", "text")) == [
        (1, "Evaluasi tahunan:", "-"),
        (2, "", "Bulanan"),
    ]
    doc["services"][0]["evaluation"] = [{"heading": "Evaluasi tahunan:", "items": ["Desember"]}]
    decree_load(data=doc)
    assert list(items.values_list("heading", "text")) == [("Evaluasi tahunan:", "Desember")]


# --- Whether the product is a document -------------------------------------------------------

# The services whose product is a document handed to the applicant, by agency (see the
# fixtures' `product_document`): certificates and inspection reports, recommendation and
# technical-consideration letters, statements, requested data.
DOCUMENT_PRODUCTS = {
    "kalimantan-barat": {
        "data-laporan-informasi",
        "pertimbangan-teknis-usaha-simpan-pinjam",
        "pertimbangan-teknis-kantor-cabang",
        "pertimbangan-teknis-kantor-cabang-pembantu",
        "pertimbangan-teknis-kantor-kas",
        "penilaian-kesehatan-pengawasan-koperasi",
    },
    "musi-banyuasin": {
        "data-laporan-informasi",
        "pertimbangan-teknis-ijin-usp",
        "pertimbangan-teknis-kantor-cabang",
        "pemeriksaan-kesehatan-pengawasan-koperasi",
    },
    "palembang": set(),
    "pasuruan": {
        "pembukaan-kantor-cabang-ksp-usp",
        "data-dan-informasi",
        "surat-keterangan-pengurus-pengawas-koperasi",
        "rekomendasi-bbm-bersubsidi",
    },
}


@pytest.mark.parametrize("slug", AGENCIES)
def test_every_service_says_whether_its_product_is_a_document(slug):
    services = load(slug)["services"]
    assert all(isinstance(s.get("product_document"), bool) for s in services)
    assert {s["slug"] for s in services if s["product_document"]} == DOCUMENT_PRODUCTS[slug]


@pytest.mark.django_db
def test_product_document_is_loaded_and_defaults_to_false():
    loaded = {
        (a, s)
        for a, s in ServiceStandard.objects.filter(product_is_document=True).values_list(
            "agency__slug", "slug"
        )
    }
    assert loaded == {(a, s) for a, slugs in DOCUMENT_PRODUCTS.items() for s in slugs}
    doc = sample()
    doc["services"][0]["product_document"] = True
    decree_load(data=doc)
    flags = dict(
        ServiceStandard.objects.filter(agency__slug="contoh").values_list(
            "slug", "product_is_document"
        )
    )
    assert flags == {"konsultasi": True, "data": False}
    del doc["services"][0]["product_document"]
    decree_load(data=doc)
    assert not ServiceStandard.objects.get(
        agency__slug="contoh", slug="konsultasi"
    ).product_is_document


# --- Fixture errors name file, service and field ---------------------------------------------


def write(tmp_path, doc):
    path = tmp_path / "contoh.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_load_standards_names_file_service_and_field_of_the_new_keys(tmp_path):
    doc = sample()
    doc["services"][0]["channels"] = [
        {"kind": "merpati", "value": "x"},
        {"kind": "phone", "value": ""},
        {"kind": "email", "value": "diskop@contoh.go.id"},  # the agency's own already
    ]
    doc["services"][1]["product_document"] = "ya"
    doc["services"][1]["competence"] = [{"heading": "", "items": ["Ramah", " "]}]
    with pytest.raises(CommandError) as error:
        call_command("load_standards", write(tmp_path, doc), verbosity=0)
    message = str(error.value)
    for expected in [
        "'konsultasi', kolom 'channels[1].kind': nilai 'merpati' tidak dikenal",
        "'konsultasi', kolom 'channels[2].value': isi kanal tidak boleh kosong",
        "'konsultasi', kolom 'channels[3]': sama dengan kanal instansi",
        "'data', kolom 'product_document': harus berupa true/false",
        "'data', kolom 'competence[1].heading': subjudul tidak boleh kosong",
        "'data', kolom 'competence[1].items[2]': butir harus berupa teks",
    ]:
        assert f"contoh.yaml: layanan {expected}" in message
    assert not Agency.objects.filter(slug="contoh").exists()


# --- The admin -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_offers_product_is_document_with_its_help_text(admin_client):
    standard = ServiceStandard.objects.get(agency__slug="kalimantan-barat", slug=KALBAR_9)
    url = reverse("admin:services_servicestandard_change", args=[standard.pk])
    response = admin_client.get(url)
    form = response.context["adminform"].form
    assert form.initial["product_is_document"] is True
    html = response.content.decode()
    assert 'name="product_is_document"' in html
    assert "Dicentang bila produk layanan adalah dokumen" in html


@pytest.mark.django_db
def test_agency_admin_shows_which_channel_belongs_to_a_service(admin_client):
    agency = Agency.objects.get(slug="kalimantan-barat")
    response = admin_client.get(reverse("admin:services_agency_change", args=[agency.pk]))
    (formset,) = [
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.model is ComplaintChannel
    ]
    choices = formset.forms[0].fields["standard"].queryset
    assert set(choices) == set(agency.services.all())
    owners = [f.instance.standard_id for f in formset.forms]
    assert owners.count(agency.services.get(slug=KALBAR_9).pk) == 5
    assert owners.count(None) == 6


def change_form_data(response) -> dict:
    """The POST data of an admin change form as shown, inline rows included."""
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and v is not False}
    for inline in response.context["inline_admin_formsets"]:
        fs = inline.formset
        data[f"{fs.prefix}-TOTAL_FORMS"] = fs.total_form_count()
        data[f"{fs.prefix}-INITIAL_FORMS"] = fs.initial_form_count()
        data[f"{fs.prefix}-MIN_NUM_FORMS"] = 0
        data[f"{fs.prefix}-MAX_NUM_FORMS"] = 1000
        for i, f in enumerate(fs.forms):
            for name in f.fields:
                value = f[name].value()
                if value is not None and value is not False:
                    data[f"{fs.prefix}-{i}-{name}"] = value
    return data


@pytest.mark.django_db
def test_official_can_save_a_standard_with_an_empty_sub_heading_and_set_its_product(admin_client):
    standard = ServiceStandard.objects.get(agency__slug="kalimantan-barat", slug="konsultasi")
    url = reverse("admin:services_servicestandard_change", args=[standard.pk])
    data = change_form_data(admin_client.get(url))
    data["product_is_document"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    standard.refresh_from_db()
    assert standard.product_is_document
    assert standard.items.filter(heading="Alur Penanganan Pengaduan:", text="-").count() == 1
