"""Pages as a person sees them in Chromium: nothing wider than a phone, links work."""

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/instansi/",
    "/instansi/kalimantan-barat/",
    "/layanan/?q=kantor+cabang",
    "/layanan/kalimantan-barat/pertimbangan-teknis-kantor-kas/",
    "/layanan/pasuruan/konsultasi/",
    "/instansi/musi-banyuasin/hari-libur-dan-jam-layanan/",
    "/permohonan/pasuruan/surat-keterangan-pengurus-pengawas-koperasi/",
    "/pengaduan/?instansi=kalimantan-barat",
    "/lacak/",
    "/tidak-ada/",
]


def test_no_page_scrolls_sideways_on_a_phone(site, phone):
    for path in PAGES:
        phone.goto(site + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide"


def test_styles_and_fonts_are_served_by_the_portal(site, desktop):
    requests = []
    desktop.on("request", lambda r: requests.append(r.url))
    desktop.goto(site + "/layanan/pasuruan/konsultasi/")
    desktop.wait_for_load_state("networkidle")
    assert all(url.startswith(site) for url in requests), requests
    family = desktop.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"Noto Sans"')
    assert desktop.evaluate("document.fonts.check('16px \"Noto Sans\"')")


def test_search_from_the_home_page(site, desktop):
    desktop.goto(site + "/")
    desktop.fill("#id_q", "halal")
    desktop.click("button[type=submit] >> text=Cari")
    desktop.wait_for_url("**/layanan/?q=halal")
    desktop.click("text=Bidang Pemberdayaan Usaha Mikro Kecil (PUMK)")
    assert desktop.locator("h1").inner_text() == "Bidang Pemberdayaan Usaha Mikro Kecil (PUMK)"


def test_language_switch_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/instansi/")
    page.select_option("#bahasa", "en")
    page.click("text=Ganti")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Agencies"
    context.close()
