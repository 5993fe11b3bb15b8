"""The satisfaction survey on a phone, end to end, and the performance pages it feeds; axe-core
on the survey form (blank and with its errors) and on the performance pages.

Set PORTAL_SCREENSHOTS to a directory to keep screenshots of the pages at 390 and 1280 px.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from services.models import RequestStatus, ServiceStandard, SurveyFollowUp, SurveyResponse
from services.requests import actions as request_actions
from tests.browser.test_accessibility import violations
from tests.factories import APPLICANT, staff_member

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("PORTAL_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def completed_case():
    std = ServiceStandard.objects.get(agency__slug="musi-banyuasin", slug="konsultasi")
    now = timezone.now()
    case, code = request_actions.request_submit(
        standard=std, applicant=dict(APPLICANT), documents={}, now=now
    )
    actor = staff_member(std.agency)
    for status in (RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS, RequestStatus.DONE):
        request_actions.request_process(
            request=case,
            actor=actor,
            now=now,
            to_status=status,
            note="Langkah berikutnya.",
            product_note="Konsultasi diberikan di ruang layanan." if status == "selesai" else "",
        )
    return case, code


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_citizen_answers_the_survey_on_a_phone(site, phone):
    case, code = completed_case()
    axe = Axe()
    phone.goto(f"{site}/lacak/{case.number}/?kode={code}")
    phone.get_by_role("link", name="Isi survei kepuasan").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "Survei kepuasan masyarakat"
    assert fits(phone)
    assert not violations(axe, phone)
    shot(phone, "survey-390")

    # Sent with one element left out: the summary names it, the chosen answers stay.
    for i, label in enumerate(
        [
            "Sangat sesuai",
            "Mudah",
            "Cepat",
            "Gratis",
            "Sesuai",
            "Kompeten",
            "Sopan dan ramah",
            "Dikelola dengan baik",
        ],
        start=1,
    ):
        phone.locator(f"fieldset#id_u{i}").get_by_label(label, exact=True).check()
    phone.get_by_role("button", name="Kirim jawaban").click()
    summary = phone.locator("#ringkasan-kesalahan")
    summary.wait_for()
    assert "Sarana dan Prasarana" in summary.inner_text()
    assert phone.locator("fieldset#id_u1").get_by_label("Sangat sesuai", exact=True).is_checked()
    assert not violations(axe, phone)
    shot(phone, "survey-errors-390")

    summary.get_by_role("link").first.click()
    phone.locator("fieldset#id_u9").get_by_label("Baik", exact=True).check()
    phone.get_by_label("Jenis kelamin").select_option("P")
    phone.get_by_label("Saran dan masukan").fill("Ruang tunggu perlu kipas.")
    phone.get_by_role("button", name="Kirim jawaban").click()
    phone.get_by_text("Jawaban survei Anda sudah kami terima").wait_for()
    assert "sudah mengisi survei" in phone.locator("#survei").inner_text()
    stored = SurveyResponse.objects.get()
    assert stored.scores() == (4, 3, 3, 4, 3, 3, 3, 4, 3) and stored.gender == "P"

    # A second answer is refused.
    phone.goto(f"{site}/lacak/{case.number}/survei/")
    phone.get_by_text("sudah diisi").wait_for()
    assert SurveyResponse.objects.count() == 1

    # The agency's index shows it: 25 x 30/9 = 83.33, B.
    phone.goto(f"{site}/instansi/musi-banyuasin/kinerja/")
    assert (
        phone.locator("#nilai-ikm").inner_text().startswith("83,33 B")
    )  # Indonesian decimal comma
    assert fits(phone)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_performance_pages_are_accessible(site, browser, width):
    case, _code = completed_case()
    SurveyResponse.objects.create(
        agency=case.agency,
        standard=case.standard,
        answered_on=timezone.localdate(),
        channel="paper",
        **{f"u{i}": 3 for i in range(1, 10)},
    )
    SurveyFollowUp.objects.create(
        agency=case.agency,
        year=timezone.localdate().year,
        element="u3",
        finding="Antrean panjang pada pagi hari.",
        action="Membuka loket kedua.",
    )
    axe = Axe()
    page = browser.new_page(viewport={"width": width, "height": 900})
    for path, name in [
        ("/instansi/musi-banyuasin/kinerja/", "performance-agency"),
        ("/kinerja/", "performance-portal"),
        ("/instansi/pasuruan/kinerja/", "performance-empty"),
    ]:
        assert page.goto(site + path).status == 200
        assert not violations(axe, page), path
        assert fits(page), path
        shot(page, f"{name}-{width}")
    page.close()
