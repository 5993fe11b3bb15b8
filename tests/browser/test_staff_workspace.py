"""The staff workspace in Chromium: the "Hari ini" page, both queues and a case page.

At 1280 px both queues show every column without sideways scrolling; axe-core finds no
serious or critical violation on the dashboard, the queues and a case page (1280 and 390 px);
a staff member goes from the dashboard's "overdue" count to the late request and returns it to
the applicant for a missing document. With STAFF_SHOTS=<folder> the pages are also saved as
screenshots at 390 and 1280 px.
"""

import os
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints import actions as complaint_actions
from services.models import Agency, RequestStatus, ServiceRequest
from services.requests import actions as request_actions
from tests.factories import PDF, default_standard, make_complaint, make_request, staff_member

pytestmark = pytest.mark.browser
NOW = "2025-03-13T10:00:00+07:00"  # Thu 13 Mar 2025 10:00 WIB
PASSWORD = "rahasia-uji-123"
BLOCKING = {"serious", "critical"}


def wib(text):
    return datetime.fromisoformat(text + "+07:00")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def workspace(site):
    """Pasuruan's queue on a Thursday morning: one request late, others due soon or later,
    one returned; Pasuruan complaints, one confidential, one classified."""
    with time_machine.travel(NOW, tick=False):
        agency = Agency.objects.get(slug="pasuruan")
        staff = staff_member(agency, username="siti", first_name="Siti", last_name="Aminah")
        standard = default_standard()
        first = standard.requirements.filter(document=True).first()
        late = make_request(
            received_at=wib("2025-03-04T10:00"),
            applicant_name="Koperasi Sumber Rejeki Makmur Sejahtera Abadi",
            organisation="KSP Sumber Rejeki",
            documents={first.pk: SimpleUploadedFile("ktp.pdf", PDF * 40)},
        )
        for day in ("2025-03-10T09:00", "2025-03-11T13:00", "2025-03-12T10:00"):
            make_request(received_at=wib(day))
        returned = make_request(received_at=wib("2025-03-07T10:00"))
        request_actions.request_process(
            request=returned,
            actor=staff,
            now=wib("2025-03-10T10:00"),
            to_status=RequestStatus.RETURNED,
            note="Lengkapi NIB",
        )
        make_complaint(agency, received_at=wib("2025-03-12T14:00"), confidential=True)
        classified = make_complaint(
            agency, received_at=wib("2025-03-11T10:00"), complainant_name="Dewi Lestari"
        )
        complaint_actions.complaint_process(
            complaint=classified, actor=staff, now=wib("2025-03-11T11:00"), tier="normative"
        )
    return {"site": site, "staff": staff, "late": late, "complaint": classified}


def log_in(page, site):
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "siti")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site + "/admin/")


def pages(workspace):
    site = workspace["site"]
    return {
        "dashboard": site + "/admin/",
        "requests": site + "/admin/services/servicerequest/",
        "complaints": site + "/admin/complaints/complaint/",
        "case": site + f"/admin/services/servicerequest/{workspace['late'].pk}/change/",
    }


def shoot(page, name, width):
    folder = os.environ.get("STAFF_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)


def test_both_queues_show_every_column_at_1280_without_sideways_scrolling(workspace, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    with time_machine.travel(NOW, tick=False):
        log_in(page, workspace["site"])
        for name in ("requests", "complaints"):
            page.goto(pages(workspace)[name])
            widths = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert widths[0] <= widths[1], (name, widths)
            right = page.evaluate(
                "Math.max(...[...document.querySelectorAll('#result_list th, #result_list td')]"
                ".map(c => c.getBoundingClientRect().right))"
            )
            assert right <= widths[1], (name, right)
            # Django wraps the list in a scrolling box: it must not scroll either.
            inner = page.evaluate(
                "(r => [r.scrollWidth, r.clientWidth])(document.querySelector('.results'))"
            )
            assert inner[0] <= inner[1], (name, inner)
            headers = page.locator("#result_list thead th").all_inner_texts()
            for column in ("Status", "Jatuh tempo", "Sisa waktu kerja", "Petugas"):
                assert any(column.lower() in h.lower() for h in headers), (name, column)
    page.close()


def blocking_violations(axe, page):
    result = axe.run(page)
    found = []
    for violation in result.response["violations"]:
        if violation["impact"] in BLOCKING:
            for node in violation["nodes"]:
                found.append(f"{violation['id']} {' '.join(map(str, node['target']))}")
    return found


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_no_serious_accessibility_violation_and_screenshots(workspace, browser, width, height):
    axe = Axe()
    page = browser.new_page(viewport={"width": width, "height": height})
    with time_machine.travel(NOW, tick=False):
        log_in(page, workspace["site"])
        found = {}
        for name, url in pages(workspace).items():
            page.goto(url)
            shoot(page, name, width)
            violations = blocking_violations(axe, page)
            if violations:
                found[name] = violations
        assert found == {}
    page.close()


def test_from_the_overdue_count_to_the_case_and_back_to_the_applicant(workspace, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    with time_machine.travel(NOW, tick=False):
        log_in(page, workspace["site"])
        requests = page.locator("table", has=page.locator("caption", has_text="Permohonan"))
        overdue = requests.locator("td.count-lewat a")
        assert overdue.inner_text() == "1"
        overdue.click()
        page.wait_for_url("**/servicerequest/?tempo=lewat")
        rows = page.locator("#result_list tbody tr")
        rows.first.wait_for()
        assert rows.count() == 1
        rows.first.locator("th a").click()
        page.locator(".case-summary").wait_for()
        assert "Koperasi Sumber Rejeki" in page.locator(".case-summary").inner_text()
        page.fill("#id_note", "Lampirkan Surat Keterangan Usaha / NIB.")
        page.click("button[value=dikembalikan]")
        page.locator(".messagelist").wait_for()
        assert "Dikembalikan untuk dilengkapi" in page.locator(".case-summary").inner_text()
        assert "Lampirkan Surat Keterangan Usaha" in page.locator("#events-group").inner_text()
    case = ServiceRequest.objects.get(pk=workspace["late"].pk)
    assert case.status == RequestStatus.RETURNED and case.paused_at is not None
    page.close()
