"""A complaint in Chromium: filed by a citizen, classified and reclassified by staff.

Filed Thursday 27 March 2025 15:00 WIB in Musi Banyuasin, the eve of the Nyepi and Lebaran
closures: due for triage on Tuesday 8 April 09:30 (1 working hour on Thursday, 2 from the next
opening); classified normatif it is due Monday 14 April 16:00 (5 working days); reclassified as
tidak berkadar pengawasan it is due on the 14th working day counted from 27 March: Tue 8 (1),
Wed 9 (2), Thu 10 (3), Fri 11 (4), Mon 14 (5), Tue 15 (6), Wed 16 (7), Thu 17 (8), Good Friday
18 skipped, Mon 21 (9), Tue 22 (10), Wed 23 (11), Thu 24 (12), Fri 25 (13), Mon 28 April (14).
"""

import pytest
import time_machine

from complaints.models import Complaint
from services.models import Agency
from tests.factories import staff_member

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True


def test_complaint_classified_and_reclassified(site, browser):
    staff_member(Agency.objects.get(slug="musi-banyuasin"), username="petugas-aduan")
    citizen = browser.new_page(viewport={"width": 390, "height": 844})
    officer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    with time_machine.travel("2025-03-27T15:00:00+07:00", tick=False) as clock:
        citizen.goto(site + "/layanan/musi-banyuasin/konsultasi/")
        citizen.click("text=Sampaikan pengaduan")
        assert "Musi Banyuasin" in citizen.locator("#id_agency option:checked").inner_text()
        citizen.fill("#id_shortfall", "Petugas konsultasi tidak ada di tempat.")
        citizen.fill("#id_remedy", "Konsultasi dilayani.")
        citizen.fill("#id_complainant_name", "Dewi")
        citizen.fill("#id_phone", "0812 3333 4444")
        citizen.check("#id_consent")
        citizen.click("text=Kirim pengaduan")
        number = citizen.locator("#nomor").inner_text().strip()
        code = citizen.locator("#kode").inner_text().strip()
        assert (
            "Selasa, 8 April 2025 pukul 09.30 WIB" in citizen.locator("#jatuh-tempo").inner_text()
        )

        clock.move_to("2025-04-08T09:00:00+07:00")
        officer.goto(site + "/admin/login/")
        officer.fill("#id_username", "petugas-aduan")
        officer.fill("#id_password", "rahasia-uji-123")
        officer.click("input[type=submit]")
        complaint = Complaint.objects.get(number=number)
        workflow = site + f"/admin/complaints/complaint/{complaint.pk}/proses/"
        officer.goto(workflow)
        officer.select_option("#id_tier", "normative")
        officer.click("input[type=submit]")
        officer.locator(".messagelist").wait_for()
        complaint.refresh_from_db()
        assert complaint.due_at.isoformat() == "2025-04-14T09:00:00+00:00"  # Mon 14 Apr 16:00 WIB

        clock.move_to("2025-04-10T10:00:00+07:00")
        officer.goto(workflow)
        officer.select_option("#id_tier", "non_supervisory")
        officer.click("input[type=submit]")
        assert "Alasan wajib diisi" in officer.locator(".errorlist").inner_text()
        officer.select_option("#id_tier", "non_supervisory")
        officer.fill("#id_reason", "Menyangkut dua bidang")
        officer.click("input[type=submit]")
        officer.locator(".messagelist").wait_for()
        complaint.refresh_from_db()
        assert complaint.due_at.isoformat() == "2025-04-28T09:00:00+00:00"  # Mon 28 Apr 16:00

        history = officer.locator("#events-group, .inline-group").last.inner_text()
        assert history.count("Klasifikasi") >= 2
        assert "petugas-aduan" in history and "Menyangkut dua bidang" in history

        citizen.goto(site + "/lacak/")
        citizen.fill("#id_number", number)
        citizen.fill("#id_code", code)
        citizen.click("button:has-text('Lacak')")
        assert "tidak berkadar pengawasan" in citizen.locator("#tingkat").inner_text()
        assert (
            "Senin, 28 April 2025 pukul 16.00 WIB" in citizen.locator("#jatuh-tempo").inner_text()
        )
