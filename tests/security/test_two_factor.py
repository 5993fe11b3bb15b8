"""Two-factor sign-in for staff (portal.login): with PORTAL_STAFF_2FA on, a password alone
never signs a staff account in nor shows an app key; enrolment through a one-time link, codes,
recovery codes, and the superuser's reset."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.login import invitations
from services.models import Agency
from tests.factories import (
    UserFactory,
    default_standard,
    documents_for,
    make_request,
    staff_member,
)

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-uji-123"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def two_factor(settings, tmp_path):
    settings.PORTAL_STAFF_2FA = True  # as in production
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def clock():
    with time_machine.travel("2025-11-04T09:00:00+07:00", tick=False) as traveller:
        yield traveller


def code_for(device, shift_steps=0) -> str:
    """The code the user's app shows now: TOTP (RFC 6238) from the device's key."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = totp.time + shift_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def _password(client, username, next_url=None):
    data = {"username": username, "password": PASSWORD}
    data["next"] = next_url or reverse("admin:index")
    return client.post(reverse("admin:login"), data, REMOTE_ADDR="203.0.113.20")


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _enrolled(user):
    device = TOTPDevice.objects.create(user=user, name="Aplikasi autentikator", confirmed=True)
    return device


def test_a_right_password_alone_does_not_sign_staff_in(client, clock):
    user = staff_member(Agency.objects.get(slug="pasuruan"))
    _enrolled(user)
    response = _password(client, user.username)
    assert response.status_code == 302 and response["Location"] == reverse("admin:login_otp")
    assert not _signed_in(client)
    # The admin and the staff downloads still see an anonymous visitor.
    assert client.get(reverse("admin:index")).status_code == 302
    document = make_request(documents=documents_for(default_standard())).documents.first()
    assert client.get(reverse("services:staff_document", args=[document.pk])).status_code == 302


def test_the_code_from_the_app_completes_the_sign_in(client, clock):
    user = staff_member(Agency.objects.get(slug="pasuruan"))
    device = _enrolled(user)
    _password(client, user.username)
    page = client.get(reverse("admin:login_otp"))
    assert page.status_code == 200 and "Kode verifikasi" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")

    wrong = client.post(reverse("admin:login_otp"), {"code": "000000"})
    assert wrong.status_code == 200 and "Kode salah" in wrong.content.decode()
    assert not _signed_in(client)

    clock.shift(1)  # the device waits a second after a wrong code
    right = client.post(reverse("admin:login_otp"), {"code": code_for(device)})
    assert right.status_code == 302 and right["Location"] == reverse("admin:index")
    assert _signed_in(client)
    assert client.get(reverse("admin:index")).status_code == 200
    # The same code cannot be used twice.
    other = client.__class__()
    _password(other, user.username)
    clock.shift(2)
    reused = other.post(reverse("admin:login_otp"), {"code": code_for(device)})
    assert reused.status_code == 200 and not _signed_in(other)


def test_the_next_page_is_kept_and_only_a_local_one(client, clock):
    user = staff_member(Agency.objects.get(slug="pasuruan"))
    device = _enrolled(user)
    target = reverse("admin:services_servicerequest_changelist")
    _password(client, user.username, next_url=target)
    assert client.post(reverse("admin:login_otp"), {"code": code_for(device)})["Location"] == target

    elsewhere = client.__class__()
    _password(elsewhere, user.username, next_url="https://jahat.example/")
    clock.shift(30)
    response = elsewhere.post(reverse("admin:login_otp"), {"code": code_for(device)})
    assert response["Location"] == reverse("admin:index")


def test_the_code_step_needs_the_password_step_and_expires(client, clock):
    assert client.get(reverse("admin:login_otp"))["Location"] == reverse("admin:login")
    user = staff_member(Agency.objects.get(slug="pasuruan"))
    device = _enrolled(user)
    _password(client, user.username)
    clock.shift(301)
    response = client.post(reverse("admin:login_otp"), {"code": code_for(device)})
    assert response["Location"] == reverse("admin:login") and not _signed_in(client)


def test_five_wrong_codes_void_the_password_step(client, clock):
    user = staff_member(Agency.objects.get(slug="pasuruan"))
    device = _enrolled(user)
    _password(client, user.username)
    for n in range(4):
        clock.shift(2**n + 1)
        assert client.post(reverse("admin:login_otp"), {"code": "123456"}).status_code == 200
    clock.shift(20)
    assert client.post(reverse("admin:login_otp"), {"code": "123456"})["Location"] == reverse(
        "admin:login"
    )
    clock.shift(60)
    late = client.post(reverse("admin:login_otp"), {"code": code_for(device)})
    assert late["Location"] == reverse("admin:login") and not _signed_in(client)


def test_the_password_alone_never_shows_a_key_to_an_account_without_an_app(client, clock):
    user = staff_member(Agency.objects.get(slug="pasuruan"))
    response = _password(client, user.username)
    assert response["Location"] == reverse("admin:login_enrol")
    for page in (
        client.get(reverse("admin:login_enrol")),
        client.post(reverse("admin:login_enrol"), {"code": "123456"}),
    ):
        html = page.content.decode()
        assert page.status_code == 200
        assert "Minta administrator portal membuatkan tautan pendaftaran" in html
        assert "secret=" not in html and "otpauth" not in html and "manual-key" not in html
        assert 'src="data:image/svg+xml' not in html
    # No key was even made, so none can be read later.
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not _signed_in(client)
    assert client.get(reverse("admin:index")).status_code == 302


def test_first_sign_in_through_the_link_enrols_the_app_and_shows_recovery_codes_once(client, clock):
    user = staff_member(Agency.objects.get(slug="pasuruan"))
    _invitation, token = invitations.invitation_create(user=user, by=None, now=timezone.now())
    opened = client.get(reverse("admin:login_invitation", args=[token]))
    assert opened["Location"] == reverse("admin:login")
    response = _password(client, user.username)
    assert response["Location"] == reverse("admin:login_enrol")
    page = client.get(reverse("admin:login_enrol"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in html  # the QR code, drawn by the server
    uri = re.search(r'href="([^"]+)" id="otpauth-uri"', html).group(1)
    assert uri.startswith("otpauth://totp/") and "secret=" in uri and user.username in uri
    key = re.search(r'id="manual-key">([^<]+)<', html).group(1)
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", key)
    assert key.replace(" ", "") in uri.replace("&amp;", "&")
    # Reloading keeps the same key (the device is made once).
    assert key in client.get(reverse("admin:login_enrol")).content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed and not _signed_in(client)

    wrong = client.post(reverse("admin:login_enrol"), {"code": "999999"})
    assert "Kode salah" in wrong.content.decode() and not _signed_in(client)

    clock.shift(1)
    done = client.post(reverse("admin:login_enrol"), {"code": code_for(device)})
    html = done.content.decode()
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", html)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "hanya ditampilkan sekali" in html
    assert _signed_in(client) and client.get(reverse("admin:index")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    # Stored as they are checked, one use each.
    assert StaticDevice.objects.get(user=user).token_set.count() == 10
    # Enrolment is over: its page no longer shows a key.
    client.logout()
    _password(client, user.username)
    assert client.get(reverse("admin:login_enrol"))["Location"] == reverse("admin:login_otp")


def test_a_recovery_code_works_once(client, clock):
    from portal.login import twofactor

    user = staff_member(Agency.objects.get(slug="pasuruan"))
    _enrolled(user)
    codes = twofactor.new_recovery_codes(user)
    _password(client, user.username)
    response = client.post(reverse("admin:login_otp"), {"code": codes[0].upper()})
    assert response.status_code == 302 and _signed_in(client)
    assert client.get(reverse("admin:index")).status_code == 200

    other = client.__class__()
    _password(other, user.username)
    again = other.post(reverse("admin:login_otp"), {"code": codes[0]})
    assert again.status_code == 200 and not _signed_in(other)
    clock.shift(2)
    assert other.post(reverse("admin:login_otp"), {"code": codes[1]}).status_code == 302


def test_a_session_without_the_second_factor_is_anonymous(client):
    user = staff_member(Agency.objects.get(slug="pasuruan"))
    client.force_login(user)  # e.g. signed in before two-factor sign-in was switched on
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    assert client.get(reverse("admin:services_servicerequest_changelist")).status_code == 302
    page = client.get(reverse("admin:login"))
    assert page.status_code == 200 and 'name="password"' in page.content.decode()


def test_the_superuser_resets_a_lost_phone(client, clock):
    user = staff_member(Agency.objects.get(slug="pasuruan"))
    _enrolled(user)
    from portal.login import twofactor

    twofactor.new_recovery_codes(user)
    out = StringIO()
    call_command("reset_two_factor", user.username, stdout=out)
    assert "diatur ulang (2 perangkat dihapus)" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert _password(client, user.username)["Location"] == reverse("admin:login_enrol")


def test_superusers_need_the_second_factor_too(client, clock):
    root = UserFactory(is_superuser=True, username="akar")
    assert _password(client, root.username)["Location"] == reverse("admin:login_enrol")
    assert not _signed_in(client)


def test_without_the_setting_the_password_is_enough(client, settings):
    settings.PORTAL_STAFF_2FA = False
    user = staff_member(Agency.objects.get(slug="pasuruan"))
    assert _password(client, user.username)["Location"] == reverse("admin:index")
    assert _signed_in(client)


def test_production_turns_two_factor_sign_in_on_and_development_does_not(tmp_path):
    script = "from django.conf import settings; print(settings.PORTAL_STAFF_2FA)"
    base = {k: v for k, v in os.environ.items() if k not in ("PORTAL_CACHE", "PORTAL_STAFF_2FA")}
    outputs = []
    for extra in (
        {"DJANGO_PRODUCTION": "1", "DJANGO_SECRET_KEY": "x" * 60},
        {"DJANGO_PRODUCTION": "0"},
    ):
        env = {**base, **extra, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(result.stdout.strip().splitlines()[-1])
    assert outputs == ["True", "False"]
