"""The Content-Security-Policy breaks nothing: no violation on public pages nor in the admin.

Chromium reports every blocked script, style, font or image as a console error ("Refused to
... because it violates the following Content Security Policy directive") and fires a
`securitypolicyviolation` event; both are collected on each page, which must have none. The
admin's own scripts must still run (date shortcuts, autocomplete, inline rows).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints import actions as complaint_actions
from services.models import Agency, ServiceStandard
from services.requests import actions as request_actions
from tests.factories import APPLICANT, UserFactory
from tests.pdfs import PDF

pytestmark = pytest.mark.browser

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile);
});
"""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class Watcher:
    def __init__(self, page):
        self.page = page
        self.errors = []
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _console(self, message):
        if message.type == "error" and (
            "Content Security Policy" in message.text or "Refused to" in message.text
        ):
            self.errors.append(message.text)

    def visit(self, url):
        response = self.page.goto(url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        self.page.wait_for_load_state("load")
        self.check(url)

    def check(self, where):
        violations = self.page.evaluate("window.__csp || []")
        assert not violations and not self.errors, f"{where}: {violations + self.errors}"


def test_no_csp_violation_on_public_pages(site, desktop):
    watcher = Watcher(desktop)
    for path in [
        "/",
        "/layanan/pasuruan/konsultasi/",
        "/permohonan/pasuruan/surat-keterangan-pengurus-pengawas-koperasi/",
        "/pengaduan/?instansi=musi-banyuasin",
        "/lacak/",
    ]:
        watcher.visit(site + path)
    # The language switch (a form) still works under form-action 'self'.
    desktop.select_option("#bahasa", "en")
    with desktop.expect_navigation():
        desktop.click(".language-form button[type=submit]")
    assert desktop.locator("html").get_attribute("lang") == "en"
    watcher.check("after switching the language")


def test_no_csp_violation_in_the_admin_and_its_scripts_run(site, browser):
    agency = Agency.objects.get(slug="musi-banyuasin")
    UserFactory(username="admin-uji", is_superuser=True)
    std = ServiceStandard.objects.get(agency=agency, slug="konsultasi")
    case, _ = request_actions.request_submit(
        standard=std,
        applicant=dict(APPLICANT),
        documents={std.requirements.first().pk: SimpleUploadedFile("tugas.pdf", PDF)},
        now=timezone.now(),
    )
    complaint, _ = complaint_actions.complaint_submit(
        agency=agency,
        details={
            "complainant_name": "Ahmad",
            "phone": "+6281211112222",
            "email": "",
            "address": "",
            "confidential": False,
            "shortfall": "Tidak dilayani",
            "loss": "",
            "remedy": "Dilayani",
            "standard": None,
            "service_request": None,
        },
        evidence=[],
        now=timezone.now(),
    )
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    watcher = Watcher(page)

    # Signing in through the admin form (django-axes sees the request).
    watcher.visit(site + "/admin/login/")
    page.fill("#id_username", "admin-uji")
    page.fill("#id_password", "rahasia-uji-123")
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.url == site + "/admin/"
    watcher.check("admin index")

    watcher.visit(site + "/admin/services/servicerequest/")
    watcher.visit(site + f"/admin/services/servicerequest/{case.pk}/change/")
    watcher.visit(site + f"/admin/services/servicerequest/{case.pk}/proses/")
    watcher.visit(site + f"/admin/complaints/complaint/{complaint.pk}/change/")

    # A form with date and time widgets: DateTimeShortcuts adds its links and calendar.
    watcher.visit(site + "/admin/complaints/complaint/add/")
    page.locator(".datetimeshortcuts a").first.wait_for()
    page.locator(".datetimeshortcuts a").first.click()  # "Hari ini"
    assert page.input_value("#id_received_at_0") != ""
    watcher.check("date shortcut")

    # A standard: autocomplete (select2) and inline rows added by the admin's scripts.
    watcher.visit(site + f"/admin/services/servicestandard/{std.pk}/change/")
    autocomplete = page.locator(".select2-selection").first
    autocomplete.click()
    page.locator(".select2-search__field").first.fill("a")
    page.locator(".select2-results__option").first.wait_for()
    page.keyboard.press("Escape")
    add_row = page.locator(".add-row a").first
    rows = page.locator("tr.form-row, div.inline-related").count()
    add_row.click()
    assert page.locator("tr.form-row, div.inline-related").count() > rows
    watcher.check("standard change page")
