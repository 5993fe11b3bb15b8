"""The error summary of a failed form on a phone (390 x 844), in Chromium.

Kalimantan Barat's "Kantor Kas" request lists 20 requirements above the form on a phone; after a
failed post the summary is still on the first screen, with the focus on it, and its link takes
the citizen to the field. Without JavaScript the form's fragment lands the page on it.
"""

import pytest
from playwright.sync_api import expect

from tests.pdfs import PDF

pytestmark = pytest.mark.browser

KANTOR_KAS = "/permohonan/kalimantan-barat/pertimbangan-teknis-kantor-kas/"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "surat.pdf").write_bytes(PDF)
    return tmp_path


def fill_with_a_bad_nik(page, site, media):
    page.goto(site + KANTOR_KAS)
    assert page.locator("#judul-syarat ~ ol > li").count() == 20
    page.fill("#id_applicant_name", "Siti Aminah")
    page.fill("#id_nik", "123")
    page.fill("#id_phone", "0812 3456 7890")
    uploads = page.locator("input[type=file]")
    for n in range(uploads.count()):
        uploads.nth(n).set_input_files(str(media / "surat.pdf"))
    page.check("#id_consent")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")


def on_first_screen(page, selector):
    """Whether the element's top is on the screen (Playwright waits out a smooth scroll)."""
    locator = page.locator(selector)
    try:
        expect(locator).to_be_in_viewport(timeout=5000)
    except AssertionError:
        return False
    box = locator.bounding_box()  # and its top, not just some part of it, on that screen
    return box is not None and 0 <= box["y"] < PHONE["height"]


def test_summary_is_on_the_first_screen_focused_and_links_to_the_field(site, browser, media):
    page = browser.new_page(viewport=PHONE)
    fill_with_a_bad_nik(page, site, media)
    summary = page.locator("#ringkasan-kesalahan")
    summary.wait_for()
    assert page.title().startswith("Kesalahan: ")
    assert page.url.endswith("#ringkasan-kesalahan")
    page.wait_for_function("document.activeElement.id === 'ringkasan-kesalahan'")
    assert summary.get_attribute("role") == "alert"
    assert summary.locator("h2").inner_text().strip() == "Ada masalah"
    assert on_first_screen(page, "#ringkasan-kesalahan")
    links = summary.locator("a")
    assert links.count() == 1  # the NIK is the only error
    assert links.first.get_attribute("href") == "#id_nik"
    assert "NIK harus 16 angka" in links.first.inner_text()
    # The requirement list (first on a phone) comes after the summary.
    assert page.locator("#judul-syarat").bounding_box()["y"] > summary.bounding_box()["y"]

    links.first.click()
    page.wait_for_function("document.activeElement.id === 'id_nik'")
    assert on_first_screen(page, "#id_nik")
    assert on_first_screen(page, "label[for=id_nik]")
    assert page.input_value("#id_nik") == "123"
    # The field's own message is beside it and described by it.
    described = page.get_attribute("#id_nik", "aria-describedby").split()
    assert "id_nik_error" in described
    assert "NIK harus 16 angka" in page.locator("#id_nik_error").inner_text()
    page.close()


def test_without_javascript_the_fragment_lands_on_the_summary(site, browser, media):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    fill_with_a_bad_nik(page, site, media)
    page.locator("#ringkasan-kesalahan").wait_for()
    assert page.url.endswith("#ringkasan-kesalahan")
    assert on_first_screen(page, "#ringkasan-kesalahan")
    page.locator("#ringkasan-kesalahan a").first.click()
    assert page.url.endswith("#id_nik")
    assert on_first_screen(page, "#id_nik")
    context.close()


def test_complaint_summary_on_a_phone(site, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(site + "/pengaduan/?instansi=musi-banyuasin")
    page.fill("#id_shortfall", "Petugas tidak ada di tempat.")
    page.fill("#id_remedy", "Dilayani.")
    page.fill("#id_complainant_name", "Dewi")
    page.check("#id_consent")  # no phone and no email
    page.locator("main form button[type=submit]").click()
    page.locator("#ringkasan-kesalahan").wait_for()
    page.wait_for_function("document.activeElement.id === 'ringkasan-kesalahan'")
    assert page.title().startswith("Kesalahan: ")
    assert on_first_screen(page, "#ringkasan-kesalahan")
    link = page.locator("#ringkasan-kesalahan a[href='#id_phone']")
    link.click()
    page.wait_for_function("document.activeElement.id === 'id_phone'")
    assert on_first_screen(page, "#id_phone")
    page.close()
