"""Accessibility in Chromium: axe-core on every public page type, keyboard-only use, visible focus.

axe-core comes inside the axe-playwright-python wheel (axe.min.js) and is injected into the
page; nothing is downloaded at run time. Its color-contrast rule runs with the others (WCAG AA).
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from complaints import actions as complaint_actions
from services.models import Agency, ServiceStandard
from services.requests import actions as request_actions
from tests.factories import APPLICANT, publish
from tests.images import PNG
from tests.pdfs import PDF

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}

PAGES = [
    "/",
    "/instansi/",
    "/instansi/kalimantan-barat/",
    "/layanan/?q=koperasi",
    "/layanan/",
    "/layanan/kalimantan-barat/pertimbangan-teknis-kantor-kas/",
    "/layanan/pasuruan/konsultasi/",
    "/instansi/musi-banyuasin/hari-libur-dan-jam-layanan/",
    "/permohonan/pasuruan/surat-keterangan-pengurus-pengawas-koperasi/",
    "/lacak/",
    "/pengaduan/",
    "/pengaduan/?instansi=musi-banyuasin",
    "/privasi/",
    "/kinerja/",
    "/instansi/musi-banyuasin/kinerja/",
    "/tidak-ada/",
]
# Forms posted empty, so that their error messages are on the page when axe runs.
EMPTY_POSTS = [
    "/permohonan/pasuruan/surat-keterangan-pengurus-pengawas-koperasi/",
    "/pengaduan/",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "surat.pdf").write_bytes(PDF)
    (tmp_path / "ktp.png").write_bytes(PNG)
    return tmp_path


@pytest.fixture(scope="module")
def axe():
    return Axe()


def violations(axe, page):
    """Serious and critical axe violations on the page, one line per rule and element."""
    # The default run includes every WCAG 2.x A/AA rule and axe's best practices.
    result = axe.run(page)
    ran = {
        rule["id"]
        for kind in ("violations", "passes", "incomplete")
        for rule in result.response[kind]
    }
    assert "color-contrast" in ran, "axe did not check colour contrast"
    found = []
    for violation in result.response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            found.append(
                f"{violation['id']} ({violation['impact']}) {' '.join(map(str, node['target']))}: "
                f"{node.get('failureSummary', '').splitlines()[-1].strip()}"
            )
    return found


def tracking_paths():
    """Tracking pages of a request and a complaint, opened with their access codes."""
    std = ServiceStandard.objects.get(agency__slug="musi-banyuasin", slug="konsultasi")
    case, code = request_actions.request_submit(
        standard=std,
        applicant=dict(APPLICANT),
        documents={},
        now=timezone.now(),
    )
    complaint, complaint_code = complaint_actions.complaint_submit(
        agency=Agency.objects.get(slug="musi-banyuasin"),
        details={
            "shortfall": "Petugas tidak ada di tempat.",
            "remedy": "Dilayani.",
            "complainant_name": "Dewi",
            "phone": "+6281233334444",
        },
        evidence=[],
        now=timezone.now(),
    )
    return [
        f"/lacak/{case.number}/?kode={code}",
        f"/lacak/{complaint.number}/?kode={complaint_code}",
        f"/lacak/{case.number}/?kode=salah",  # the tracking form with its error
    ]


@pytest.mark.parametrize("width", [390, 1280])
def test_no_serious_axe_violation_on_any_public_page(site, browser, axe, media, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    report = {}

    def check(label):
        page.wait_for_load_state("load")
        found = violations(axe, page)
        if found:
            report[label] = found

    opened = tracking_paths()  # first, so that the home page lists a requested service
    for path in PAGES + opened:
        response = page.goto(site + path)
        assert response.status == (404 if path == "/tidak-ada/" else 200), path
        check(path)
    assert "tidak cocok" in page.locator("main .alert-danger").inner_text()  # kode=salah
    for path in EMPTY_POSTS:
        page.goto(site + path)
        page.locator("main form button[type=submit]").click()
        page.locator(".invalid-feedback, .alert-danger").first.wait_for()
        check(f"{path} (posted empty)")

    # The receipts reached by submitting the two forms.
    page.goto(site + "/permohonan/pasuruan/surat-keterangan-pengurus-pengawas-koperasi/")
    page.fill("#id_applicant_name", "Siti Aminah")
    page.fill("#id_nik", "3514014505880002")
    page.fill("#id_phone", "0812 3456 7890")
    uploads = page.locator("input[type=file]")
    uploads.nth(0).set_input_files(str(media / "surat.pdf"))
    uploads.nth(1).set_input_files(str(media / "ktp.png"))
    page.check("#id_consent")
    page.locator("main form button[type=submit]").click()
    page.locator("#nomor").wait_for()
    check("request receipt")

    page.goto(site + "/pengaduan/?instansi=musi-banyuasin")
    page.fill("#id_shortfall", "Petugas tidak ada di tempat.")
    page.fill("#id_remedy", "Dilayani.")
    page.fill("#id_complainant_name", "Dewi")
    page.fill("#id_phone", "0812 3333 4444")
    page.check("#id_consent")
    page.locator("main form button[type=submit]").click()
    page.locator("#nomor").wait_for()
    check("complaint receipt")
    page.close()

    assert not report, "\n".join(
        f"{label}:\n  " + "\n  ".join(lines) for label, lines in report.items()
    )


def version_paths():
    """A standard with a second version: its page with the history, version 1, the changes."""
    std = ServiceStandard.objects.get(agency__slug="pasuruan", slug="konsultasi")
    first = std.requirements.order_by("order").first()
    first.text = "Surat permohonan konsultasi ditandatangani pengurus"
    first.save()
    std.timeframe_text = "2 Hari Kerja"
    std.save()
    publish(std, reason="Persyaratan diperjelas dan jangka waktu dipersingkat")
    base = "/layanan/pasuruan/konsultasi/"
    return [base, base + "versi/1/", base + "versi/2/perubahan/"]


@pytest.mark.parametrize("width", [390, 1280])
def test_no_serious_axe_violation_on_a_standards_history(site, browser, axe, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    report = {}
    for path in version_paths():
        assert page.goto(site + path).status == 200, path
        page.wait_for_load_state("load")
        found = violations(axe, page)
        if found:
            report[path] = found
    page.close()
    assert not report, "\n".join(
        f"{label}:\n  " + "\n  ".join(lines) for label, lines in report.items()
    )


def tab_to(page, selector, limit=80):
    """Press Tab until the focused element matches the selector; the keyboard is all we use."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} was not reached with Tab")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(site, phone):
    phone.goto(site + "/layanan/pasuruan/konsultasi/")
    phone.keyboard.press("Tab")
    first = phone.evaluate(
        "() => ({text: document.activeElement.textContent.trim(),"
        " href: document.activeElement.getAttribute('href')})"
    )
    assert first == {"text": "Langsung ke konten", "href": "#konten"}
    skip = phone.locator(".skip-link")
    assert skip.is_visible()
    box = skip.bounding_box()
    assert box["width"] > 20 and box["height"] > 20  # shown while focused, not 1px clipped
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.id") == "konten"
    assert phone.evaluate("document.activeElement.tagName") == "MAIN"
    # The next Tab continues inside the content, past the header's links.
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.getElementById('konten').contains(document.activeElement)")


def test_complaint_filed_with_the_keyboard_only(site, phone):
    phone.goto(site + "/pengaduan/?instansi=musi-banyuasin")
    keyboard = phone.keyboard
    # The agency comes chosen from the link; the rest is typed, field after field.
    tab_to(phone, "#id_shortfall")
    keyboard.type("Petugas konsultasi tidak ada di tempat.")
    tab_to(phone, "#id_remedy")
    keyboard.type("Konsultasi dilayani.")
    tab_to(phone, "#id_complainant_name")
    keyboard.type("Dewi")
    tab_to(phone, "#id_phone")
    keyboard.type("0812 3333 4444")
    tab_to(phone, "#id_consent")
    keyboard.press("Space")
    assert phone.locator("#id_consent").is_checked()
    tab_to(phone, "main form button[type=submit]")
    keyboard.press("Enter")
    number = phone.locator("#nomor")
    number.wait_for()
    assert re.fullmatch(r"MUBA-ADU-\d{4}-\d{5}", number.inner_text().strip())
    assert phone.locator("#kode").inner_text().strip()


FOCUS_STYLE = """(el) => {
  const s = getComputedStyle(el);
  return {outline: [s.outlineStyle, s.outlineWidth, s.outlineColor].join(' '),
          width: parseFloat(s.outlineWidth), style: s.outlineStyle, color: s.outlineColor,
          shadow: s.boxShadow};
}"""
BACKGROUND = """(el) => {
  for (let e = el.parentElement; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
  }
  return 'rgb(255, 255, 255)';
}"""


def luminance(css_colour):
    channels = [int(float(v)) / 255 for v in re.findall(r"[\d.]+", css_colour)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    "path, selector",
    [
        ("/", "header a.nav-link"),  # a link
        ("/", "#id_q"),  # a text input
        ("/", "main form button[type=submit]"),  # a button
        ("/pengaduan/?instansi=musi-banyuasin", "#id_consent"),  # a checkbox
        ("/pengaduan/?instansi=musi-banyuasin", "#id_agency"),  # a select
    ],
)
def test_focus_is_visible(site, desktop, path, selector):
    desktop.goto(site + path)
    element = desktop.locator(selector).first
    before = element.evaluate(FOCUS_STYLE)
    tab_to(desktop, selector)
    after = element.evaluate(FOCUS_STYLE)
    drawn = (after["style"] != "none" and after["width"] >= 2) or after["shadow"] != "none"
    assert drawn, f"{selector} shows no focus indicator: {after}"
    assert after != before, f"{selector} looks the same focused and unfocused: {after}"
    if after["style"] != "none" and after["width"] >= 2:
        # WCAG 1.4.11: the indicator stands out from what surrounds it by at least 3:1.
        ratio = contrast(after["color"], element.evaluate(BACKGROUND))
        assert ratio >= 3, f"{selector} focus outline contrast {ratio:.2f}:1"
