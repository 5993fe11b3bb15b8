"""Admin sign-in as in production (PORTAL_STAFF_2FA on), in Chromium: the enrolment link, the
password, then the code of the authenticator app, computed here from the key the enrolment
page shows."""

import base64

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.login import invitations
from services.models import Agency
from tests.factories import staff_member

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def production_sign_in(settings):
    settings.PORTAL_STAFF_2FA = True


def app_code(key_text: str, at_step: int | None = None) -> str:
    """What an authenticator app shows for this key now, or at the 30-second step `at_step`
    (RFC 6238: SHA-1, 30 s, 6 digits)."""
    from django_otp.oath import TOTP

    key = key_text.replace(" ", "")
    otp = TOTP(base64.b32decode(key + "=" * (-len(key) % 8)), step=30, t0=0, digits=6)
    if at_step is not None:
        otp.time = at_step * 30
    return f"{otp.token():06d}"


def _password(page, site, username):
    page.goto(site + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "rahasia-uji-123")
    page.click("input[type=submit]")


def test_admin_sign_in_asks_for_the_second_factor(site, browser):
    user = staff_member(Agency.objects.get(slug="pasuruan"), username="petugas-dua-langkah")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    # The password alone leads to a page asking for an enrolment link: no key, no admin.
    _password(page, site, user.username)
    assert page.url.endswith("/admin/login/daftar-2fa/")
    assert "Minta tautan pendaftaran" in page.locator("h1").inner_text()
    assert page.locator("#manual-key").count() == 0

    # First sign-in, later: the link from the administrator, then the password, lead to
    # enrolment.
    page.context.clear_cookies()
    _invitation, token = invitations.invitation_create(user=user, by=None, now=timezone.now())
    page.goto(site + reverse("admin:login_invitation", args=[token]))
    assert page.url.endswith("/admin/login/")
    assert "Tautan pendaftaran untuk akun" in page.locator(".messagelist").inner_text()
    _password(page, site, user.username)
    assert page.url.endswith("/admin/login/daftar-2fa/")
    assert page.locator("#qr-code").is_visible()
    key = page.locator("#manual-key").inner_text()
    assert "secret=" + key.replace(" ", "") in page.locator("#otpauth-uri").get_attribute("href")
    page.fill("#id_code", app_code(key))
    page.click("input[type=submit]")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.click("text=Saya sudah menyimpannya, lanjutkan")
    assert page.url.endswith("/admin/")
    assert user.username.upper() in page.locator("#user-tools").inner_text().upper()  # signed in

    # Later sign-ins: password, then the code step, then the admin.
    page.context.clear_cookies()
    page.goto(site + "/admin/")
    assert "/admin/login/" in page.url
    _password(page, site, user.username)
    assert page.url.endswith("/admin/login/kode/")
    assert "Kode verifikasi" in page.locator("h1").inner_text()
    # Without the code the admin is still closed.
    page.goto(site + "/admin/services/servicerequest/")
    assert "/admin/login/" in page.url
    page.goto(site + "/admin/login/kode/")
    # The code of the step after the one used at enrolment: the device refuses a code it has
    # already taken, and, having learnt the app's drift at enrolment (a code read just before
    # a 30-second boundary), it accepts this one however the steps fell on a slow machine.
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    page.fill("#id_code", app_code(key, at_step=device.last_t + 1))
    page.click("input[type=submit]")
    assert page.url.endswith("/admin/")
    assert user.username.upper() in page.locator("#user-tools").inner_text().upper()  # signed in
    page.goto(site + "/admin/services/servicerequest/")
    assert page.url.endswith("/admin/services/servicerequest/")
    page.context.close()
