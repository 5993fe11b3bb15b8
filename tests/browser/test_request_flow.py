"""A request from the citizen's phone to the staff's admin and back, in Chromium.

The citizen submits with two documents and gets a number; staff return it for a missing
document, which stops the clock; the citizen uploads it on the tracking page, which restarts the
clock; staff complete it with the signed letter; the citizen downloads it. The due moment moves
by exactly the working time the request spent paused.
"""

import re

import pytest
import time_machine
from django.utils import timezone

from services.models import Agency, ServiceRequest
from tests.factories import staff_member
from tests.images import PNG
from tests.pdfs import PDF

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Frozen dates lie in the past: keep the browser's session cookie regardless.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    (tmp_path / "surat.pdf").write_bytes(PDF)
    (tmp_path / "ktp.png").write_bytes(PNG)
    (tmp_path / "laporan.pdf").write_bytes(PDF)
    (tmp_path / "surat-keterangan.pdf").write_bytes(PDF)
    return tmp_path


def test_request_round_trip(site, browser, media):
    # Pasuruan "Surat Keterangan Pengurus dan Pengawas Koperasi": 5 Hari Kerja, two documents.
    agency = Agency.objects.get(slug="pasuruan")
    staff_member(agency, username="petugas-uji")
    citizen = browser.new_page(viewport={"width": 390, "height": 844})
    officer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    with time_machine.travel("2025-03-03T09:00:00+07:00", tick=False) as clock:
        citizen.goto(site + "/layanan/pasuruan/surat-keterangan-pengurus-pengawas-koperasi/")
        citizen.click("text=Ajukan permohonan")
        citizen.fill("#id_applicant_name", "Siti Aminah")
        citizen.fill("#id_nik", "3514014505880002")
        citizen.fill("#id_phone", "0812 3456 7890")
        citizen.fill("#id_email", "siti@contoh.id")
        uploads = citizen.locator("input[type=file]")
        assert uploads.count() == 2
        uploads.nth(0).set_input_files(str(media / "surat.pdf"))
        uploads.nth(1).set_input_files(str(media / "ktp.png"))
        citizen.check("#id_consent")
        citizen.click("text=Kirim permohonan")
        number = citizen.locator("#nomor").inner_text().strip()
        code = citizen.locator("#kode").inner_text().strip()
        assert re.fullmatch(r"PSR-2025-\d{5}", number)
        # 5 Hari Kerja from Mon 3 Mar 09:00 -> Tue 4 (1) ... Mon 10 (5) at 16:00.
        due_text = citizen.locator("#jatuh-tempo").inner_text()
        assert "Senin, 10 Maret 2025 pukul 16.00 WIB" in due_text
        case = ServiceRequest.objects.get(number=number)
        first_due = case.due_at
        assert case.documents.count() == 2

        # Staff return it on Tue 4 Mar 10:00: remaining = Tue 10-12 + 13-16 (5 h) + Wed, Thu,
        # Fri, Mon (7.5 h each) = 35 working hours.
        clock.move_to("2025-03-04T10:00:00+07:00")
        officer.goto(site + "/admin/login/")
        officer.fill("#id_username", "petugas-uji")
        officer.fill("#id_password", "rahasia-uji-123")
        officer.click("input[type=submit]")
        officer.goto(site + "/admin/services/servicerequest/")
        officer.click(f"text={number}")
        officer.click("text=Proses: status, catatan, petugas, produk")
        officer.select_option("#id_to_status", "dikembalikan")
        officer.fill("#id_note", "Lampirkan surat permintaan data yang ditandatangani ketua.")
        officer.click("input[type=submit]")
        assert "tercatat di riwayat" in officer.locator(".messagelist").inner_text()
        case.refresh_from_db()
        assert case.remaining_seconds == 35 * 3600

        # The citizen uploads the missing letter a week later, Tue 11 Mar 08:00.
        clock.move_to("2025-03-11T08:00:00+07:00")
        citizen.goto(site + "/lacak/")
        citizen.fill("#id_number", number)
        citizen.fill("#id_code", code)
        citizen.click("button:has-text('Lacak')")
        assert "Dikembalikan" in citizen.locator("#status").inner_text()
        assert "ditandatangani ketua" in citizen.locator("#judul-lengkapi + p").inner_text()
        citizen.set_input_files("#id_documents", str(media / "laporan.pdf"))
        citizen.click("text=Kirim dokumen")
        assert "Waktu layanan dilanjutkan" in citizen.locator(".alert-success").inner_text()
        case.refresh_from_db()
        # Resumed Tue 11 Mar 08:00 with 35 h: Tue 08:00-16:00 (7 h), Wed, Thu, Fri (22.5 h),
        # Mon 17 07:30-12:00 (4.5 h), 13:00 + 1 h = 14:00.
        assert timezone.localtime(case.due_at).isoformat() == "2025-03-17T14:00:00+07:00"
        # Paused from Tue 4 10:00 to Tue 11 08:00: 5 h + 4 x 7.5 h + 0.5 h = 35.5 h.
        calendar_paused = int(35.5 * 3600)
        from services.catalogue.calendars import agency_calendar

        calendar = agency_calendar(agency)
        assert calendar.working_seconds_between(
            case.events.get(kind="paused").at, case.events.get(kind="resumed").at
        ) == (calendar_paused)
        assert calendar.working_seconds_between(first_due, case.due_at) == calendar_paused

        # Staff verify, process and complete it with the signed letter.
        clock.move_to("2025-03-12T09:00:00+07:00")
        for status in ("diverifikasi", "diproses"):
            officer.goto(site + f"/admin/services/servicerequest/{case.pk}/proses/")
            officer.select_option("#id_to_status", status)
            officer.fill("#id_note", f"Tahap {status}")
            officer.click("input[type=submit]")
            officer.locator(".messagelist").wait_for()
        officer.goto(site + f"/admin/services/servicerequest/{case.pk}/proses/")
        officer.select_option("#id_to_status", "selesai")
        officer.fill("#id_note", "Data telah disiapkan.")
        officer.fill("#id_product_note", "Aslinya dapat diambil di loket layanan.")
        officer.set_input_files("#id_product", str(media / "surat-keterangan.pdf"))
        officer.click("input[type=submit]")
        officer.locator(".messagelist").wait_for()
        case.refresh_from_db()
        assert case.status == "selesai" and case.product

        citizen.goto(site + f"/lacak/{number}/")
        assert "Selesai" in citizen.locator("#status").inner_text()
        with citizen.expect_download() as download:
            citizen.get_by_role("link", name="Unduh produk layanan").click()
        # Named by the portal (case number, what it is, checked type), not by the uploader.
        assert download.value.suggested_filename == f"{number}-produk-layanan.pdf"
