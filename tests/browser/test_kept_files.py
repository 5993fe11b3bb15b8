"""The Kantor Kas request on a phone (390 x 844): one bad field, files kept, fix only that field.

Kalimantan Barat's "Pertimbangan Teknis Kantor Kas" has 20 requirements, most with an upload.
The citizen chooses every file, mistypes the NIK and sends: the error summary is on the first
screen with the focus on it, every file is listed as kept ("berkas.pdf (… KB) — ganti / hapus"),
and after correcting only the NIK the request is accepted with the files chosen the first time.
A file over the limit is refused in the browser before anything is sent.
"""

import pytest
from playwright.sync_api import expect

from services.models import ServiceRequest
from tests.pdfs import PDF

pytestmark = pytest.mark.browser

KANTOR_KAS = "/permohonan/kalimantan-barat/pertimbangan-teknis-kantor-kas/"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def test_after_fixing_only_the_bad_field_the_request_has_every_file_chosen_first(
    site, browser, media
):
    page = browser.new_page(viewport=PHONE)
    page.goto(site + KANTOR_KAS)
    page.fill("#id_applicant_name", "Siti Aminah")
    page.fill("#id_nik", "123")  # the one mistake
    page.fill("#id_phone", "0812 3456 7890")
    uploads = page.locator("input[type=file]")
    chosen = []
    for n in range(uploads.count()):
        path = media / f"dokumen-{n + 1:02d}.pdf"
        path.write_bytes(PDF + f"% {n}\n".encode())
        uploads.nth(n).set_input_files(str(path))
        chosen.append(path.name)
    assert len(chosen) >= 15
    page.check("#id_consent")
    page.locator("main form button[type=submit]").click()

    summary = page.locator("#ringkasan-kesalahan")
    summary.wait_for()
    page.wait_for_function("document.activeElement.id === 'ringkasan-kesalahan'")
    expect(summary).to_be_in_viewport()
    assert 0 <= summary.bounding_box()["y"] < PHONE["height"]
    assert summary.locator("a").count() == 1  # only the NIK
    expect(summary).to_contain_text("perbaiki saja yang ditandai")
    kept = page.locator(".staged-file")
    assert kept.count() == len(chosen)
    assert "dokumen-01.pdf" in kept.first.inner_text()
    assert "ganti" in kept.first.inner_text() and "hapus" in kept.first.inner_text()

    summary.locator("a").first.click()
    page.fill("#id_nik", "6171014507880002")  # the only change
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/tanda-terima/#tanda-terima")
    case = ServiceRequest.objects.get()
    names = sorted(case.documents.values_list("original_name", flat=True))
    assert names == sorted(chosen)
    # How the due moment was counted wraps on the phone: nothing to scroll sideways.
    page.click("details summary")
    explain = page.locator("pre.explain")
    assert explain.is_visible()
    assert explain.evaluate("e => e.scrollWidth <= e.clientWidth")
    page.close()


def test_a_file_over_the_limit_is_refused_before_it_is_sent(site, browser, media, settings):
    page = browser.new_page(viewport=PHONE)
    page.goto(site + KANTOR_KAS)
    big = media / "besar.pdf"
    big.write_bytes(PDF + b"0" * (6 * 1024 * 1024))
    first = page.locator("input[type=file]").first
    first.set_input_files(str(big))
    message = page.locator(".upload-check").first
    expect(message).to_contain_text("besar.pdf")
    expect(message).to_contain_text("batasnya 5 MB")
    assert page.evaluate("document.querySelector('input[type=file]').files.length") == 0
    assert first.get_attribute("aria-invalid") == "true"
    wrong = media / "foto.gif"
    wrong.write_bytes(b"GIF89a")
    first.set_input_files(str(wrong))
    expect(message).to_contain_text("bukan PDF, JPEG atau PNG")
    good = media / "surat.pdf"
    good.write_bytes(PDF)
    first.set_input_files(str(good))
    expect(message).to_be_hidden()
    assert first.get_attribute("aria-invalid") is None
    page.close()
