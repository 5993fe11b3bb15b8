import re
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.models import Agency, ServiceStandard
from tests import holiday_names

# Cases and pages made "now" read a fixed working morning, never the day the suite runs.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_clock")]

# Thursday 27 March 2025 10:00 WIB, the eve of the Nyepi and Lebaran closures.
THU_BEFORE_LEBARAN = "2025-03-27T10:00:00+07:00"


def links(html):
    return re.findall(r'class="fw-semibold" href="([^"]+)"', html)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/instansi/",
        "/layanan/",
        "/privasi/",
        "/instansi/pasuruan/",
        "/instansi/kalimantan-barat/hari-libur-dan-jam-layanan/",
    ],
)
def test_public_pages_render(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert b'lang="id"' in response.content


def test_home_lists_agencies_and_search_box(client):
    html = client.get("/").content.decode()
    for agency in Agency.objects.all():
        assert agency.get_absolute_url() in html
    assert 'action="/layanan/"' in html and 'name="q"' in html


def test_sitemap_lists_every_agency_and_service_page_and_each_answers(client):
    xml = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", xml)
    agency_pages = [u for u in locations if u.startswith("/instansi/")]
    service_pages = [u for u in locations if u.startswith("/layanan/")]
    assert len(agency_pages) == 4
    assert len(service_pages) == 29
    for url in locations:
        assert client.get(url).status_code == 200, url


def test_search_kantor_cabang_finds_branch_office_services(client):
    found = links(client.get("/layanan/", {"q": "kantor cabang"}).content.decode())
    assert "/layanan/pasuruan/pembukaan-kantor-cabang-ksp-usp/" in found
    assert "/layanan/kalimantan-barat/pertimbangan-teknis-kantor-cabang/" in found
    assert not any("konsultasi" in url for url in found)


def test_search_halal_finds_palembang_pumk(client):
    found = links(client.get("/layanan/", {"q": "halal"}).content.decode())
    assert found == ["/layanan/palembang/pemberdayaan-usaha-mikro-kecil/"]


def test_search_without_match_shows_empty_state(client):
    html = client.get("/layanan/", {"q": "zzzxq"}).content.decode()
    assert "Tidak ada layanan yang cocok" in html
    assert "0 layanan ditemukan" in html


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"agency": "palembang"}, 2),
        ({"agency": "pasuruan", "fee": "gratis"}, 9),
        ({"fee": "berbayar"}, 0),
        ({"time": "tanpa"}, 0),
    ],
)
def test_filters(client, params, expected):
    response = client.get("/layanan/", params)
    assert response.context["page_obj"].paginator.count == expected


def test_time_filter_buckets_partition_the_catalogue(client):
    total = sum(
        client.get("/layanan/", {"time": key}).context["page_obj"].paginator.count
        for key in ("hari-ini", "sepekan", "lebih", "tanpa")
    )
    assert total == ServiceStandard.objects.count()


def test_unknown_filter_value_is_explained_not_an_error(client):
    response = client.get("/layanan/", {"fee": "mahal"})
    assert response.status_code == 200
    assert "Pilihan saringan tidak dikenal" in response.content.decode()


def test_the_search_forms_shared_fields_keep_nothing_of_an_earlier_visitor(client):
    """The search form's field objects are shared between requests: a search with filters, a
    refused value or a long query leaves no selection, error or value on the next page."""
    from django.core.cache import caches

    from services.catalogue.forms import ServiceSearchForm

    caches["template_fragments"].clear()
    fields = dict(ServiceSearchForm.base_fields)
    chosen = client.get("/layanan/", {"q": "koperasi", "agency": "palembang", "fee": "gratis"})
    assert 'value="palembang" selected' in chosen.content.decode()
    client.get("/layanan/", {"fee": "mahal", "q": "x" * 300})
    caches["template_fragments"].clear()  # the selects are rendered again, not taken as cached
    html = client.get("/layanan/").content.decode()
    assert 'value="palembang" selected' not in html and 'value="gratis" selected' not in html
    assert html.count(" selected>") == 3 + 1  # each select's first option; the language
    assert "Pilihan saringan tidak dikenal" not in html
    assert 'value="koperasi"' not in html and "xxxx" not in html
    assert 'name="q" value=""' in html
    assert dict(ServiceSearchForm.base_fields) == fields
    assert all(ServiceSearchForm().fields[n] is f for n, f in fields.items())
    assert not ServiceSearchForm({"fee": "gratis"}).fields["fee"].widget.attrs.get("value")


@time_machine.travel(THU_BEFORE_LEBARAN, tick=False)
def test_service_page_shows_all_components_and_the_due_preview(client):
    url = "/layanan/pasuruan/pendataan-potensi-pengembangan-usaha/"
    response = client.get(url)
    html = response.content.decode()
    for label in [
        "Persyaratan",
        "Sistem, Mekanisme dan Prosedur",
        "Jangka Waktu Pelayanan",
        "Biaya/Tarif",
        "Produk Pelayanan",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Dasar Hukum",
        "Sarana, Prasarana dan/atau Fasilitas",
        "Kompetensi Pelaksana",
        "Pengawasan Internal",
        "Jumlah Pelaksana",
        "Jaminan Pelayanan",
        "Jaminan Keamanan dan Keselamatan Pelayanan",
        "Evaluasi Kinerja Pelaksana",
    ]:
        assert label in html
    assert "Komponen Penyampaian Pelayanan" in html and "Komponen Pengelolaan Pelayanan" in html
    # 5 Hari Kerja from Thu 27 Mar 2025: Fri 28 cuti bersama Nyepi, 31 Mar-1 Apr Idul Fitri,
    # 2-7 Apr cuti bersama -> Tue 8 (1), Wed 9 (2), Thu 10 (3), Fri 11 (4), Mon 14 (5).
    assert "paling lambat Senin, 14 April 2025 pukul 16.00 WIB" in html
    assert "5 hari kerja" in html
    assert 'class="flow-box' in html
    assert 'aria-current="page">Pendataan Potensi dan Pengembangan Usaha' in html


def test_component_left_empty_by_the_decree_says_so(client):
    html = client.get("/layanan/palembang/kelembagaan-dan-pengawasan-koperasi/").content.decode()
    section = html.split('id="security_guarantee"')[1].split("</section>")[0]
    assert "Tidak dicantumkan dalam keputusan" in section


def test_open_ended_timeframe_is_never_shown_as_zero(client):
    html = client.get("/layanan/musi-banyuasin/konsultasi/").content.decode()
    assert "sesuai materi konsultasi" in html.lower()
    assert not re.search(r"(?<![0-9])0 (hari|jam|menit)", html)


def test_unknown_pages_are_404_in_indonesian(client):
    for url in ["/layanan/pasuruan/tidak-ada/", "/instansi/tidak-ada/", "/tidak-ada/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert "Halaman tidak ditemukan" in response.content.decode()


def test_browser_language_is_ignored_but_the_switch_works(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="id"' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_service_page_query_count_is_fixed(client, django_assert_max_num_queries):
    client.get("/layanan/musi-banyuasin/konsultasi/")  # warm the calendar cache
    small = _queries(client, "/layanan/palembang/pemberdayaan-usaha-mikro-kecil/")
    large = _queries(client, "/layanan/kalimantan-barat/pertimbangan-teknis-kantor-kas/")
    assert small == large
    with django_assert_max_num_queries(12):
        client.get("/layanan/pasuruan/konsultasi/")


def test_agency_page_query_count_does_not_grow_with_services(client, django_assert_max_num_queries):
    two = _queries(client, "/instansi/palembang/")
    nine = _queries(client, "/instansi/kalimantan-barat/")
    assert two == nine
    with django_assert_max_num_queries(8):
        client.get("/instansi/pasuruan/")


def test_list_pages_query_count(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/layanan/", {"q": "koperasi"})
    with django_assert_max_num_queries(6):
        client.get("/instansi/")
    with django_assert_max_num_queries(8):
        client.get("/")


@time_machine.travel("2025-03-20T09:00:00+07:00", tick=False)
def test_calendar_page_lists_hours_and_coming_non_working_days(client):
    html = client.get("/instansi/musi-banyuasin/hari-libur-dan-jam-layanan/").content.decode()
    assert "07.30–12.00, 13.00–16.00" in html  # Monday-Thursday
    assert "07.30–11.30, 13.00–16.30" in html  # Friday's longer break
    assert "Jumat, 28 Maret 2025" in html and holiday_names.name(date(2025, 3, 28)) in html
    assert "Senin, 31 Maret 2025" in html and holiday_names.name(date(2025, 3, 31)) in html
    assert "Jumat, 21 Maret 2025" not in html  # an ordinary working day
    assert "Sabtu, 22 Maret 2025" not in html  # plain weekends are not listed


@time_machine.travel("2025-04-14T15:00:00+07:00", tick=False)
def test_due_preview_in_the_agencys_zone(client):
    # Kalbar is Asia/Pontianak (WIB). 3 Hari from Mon 14 Apr: Tue 15 (1), Wed 16 (2), Thu 17 (3);
    # Fri 18 Apr is Good Friday and does not matter.
    html = client.get("/layanan/kalimantan-barat/data-laporan-informasi/").content.decode()
    assert "paling lambat Kamis, 17 April 2025 pukul 16.00 WIB" in html


def test_home_lists_the_most_requested_services_first(client, settings, tmp_path):
    from django.utils import timezone

    from services.requests import actions as request_actions

    settings.MEDIA_ROOT = tmp_path
    std = ServiceStandard.objects.get(agency__slug="pasuruan", slug="rekomendasi-bbm-bersubsidi")
    for _ in range(2):
        request_actions.request_submit(
            standard=std,
            applicant={
                "applicant_name": "A",
                "nik": "3514045507880002",
                "phone": "+62811111111",
                "email": "",
                "organisation": "",
                "message": "",
            },
            documents={},
            now=timezone.now(),
        )
    popular = client.get("/").context["popular"]
    assert popular[0] == std
    assert len(popular) == 6


def test_a_search_of_single_letters_does_not_fail(client):
    response = client.get("/layanan/?q=x+y")
    assert response.status_code == 200
    if connection.vendor == "sqlite":  # no word of two letters to match: every service
        assert response.context["page_obj"].paginator.count == ServiceStandard.objects.count()


def test_home_lists_a_dozen_agencies_and_links_to_all_of_them(client, monkeypatch):
    from services import home

    monkeypatch.setattr(home, "HOME_AGENCIES", 3)
    html = client.get("/").content.decode()
    assert html.count('class="card card-link') == 3
    assert f"Lihat semua {Agency.objects.count()} instansi" in html
    monkeypatch.setattr(home, "HOME_AGENCIES", 12)
    from django.core.cache import caches

    caches["local"].clear()
    html = client.get("/").content.decode()
    assert html.count('class="card card-link') == Agency.objects.count()
    assert "Lihat semua" not in html.split('id="judul-layanan"')[0]
    assert 'id="judul-layanan"' not in html  # no request yet: no "most requested" list


def test_popular_services_read_a_bounded_sample_of_recent_requests(settings, tmp_path, monkeypatch):
    """Only the newest POPULAR_SAMPLE requests count: an old burst does not outrank them."""
    from datetime import timedelta

    from django.utils import timezone

    from services.requests import actions as request_actions
    from services.requests import selectors as request_selectors

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(request_selectors, "POPULAR_SAMPLE", 3)
    applicant = {"applicant_name": "A", "nik": "3514045507880002", "phone": "+62811111111"}
    old = ServiceStandard.objects.get(agency__slug="pasuruan", slug="konsultasi")
    new = ServiceStandard.objects.get(
        agency__slug="palembang", slug="pemberdayaan-usaha-mikro-kecil"
    )
    now = timezone.now()
    for days, standard in [(30, old)] * 5 + [(1, new)] * 3:
        request_actions.request_submit(
            standard=standard,
            applicant=applicant,
            documents={},
            now=now,
            received_at=now - timedelta(days=days),
        )
    popular = request_selectors.popular_services(now=timezone.now())
    assert popular[0] == new and old not in popular[:1]
    assert len(popular) == 6 and len(set(popular)) == 6


def test_a_long_search_is_cached_under_its_digest(client, django_assert_num_queries, recwarn):
    """A query longer than a cache key may be is kept under its digest: the same long search is
    served again from memory, another long search is not mistaken for it, and no key warning."""
    long_one = {"q": "koperasi " + "z" * 240}
    other = {"q": "halal " + "z" * 240}
    first = client.get("/layanan/", long_one).content
    with django_assert_num_queries(0):
        assert client.get("/layanan/", long_one).content == first
    assert client.get("/layanan/", other).content != first
    assert not [w for w in recwarn if "Cache key" in str(w.message)]
