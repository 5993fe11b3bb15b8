"""Enrolment by invitation (portal.login.invitations): the first authenticator app of a staff
account is bound only through a one-time link, valid 24 hours, stored as a hash, made by a
superuser in the admin or by an operator's command."""

import hashlib
import re
from io import StringIO

import pytest
import time_machine
from django.core import mail as sent_mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.login import invitations
from portal.models import EnrolmentInvitation, OutboundEmail
from services.models import Agency
from tests.factories import UserFactory, staff_member

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-uji-123"


@pytest.fixture(autouse=True)
def two_factor(settings):
    settings.PORTAL_STAFF_2FA = True  # as in production
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock():
    with time_machine.travel("2025-11-04T09:00:00+07:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def user():
    return staff_member(Agency.objects.get(slug="pasuruan"), username="petugas-baru")


def code_for(device, shift_steps=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = totp.time + shift_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def _invite(user):
    return invitations.invitation_create(user=user, by=None, now=timezone.now())


def _path(link: str) -> str:
    return link.removeprefix("http://127.0.0.1:8000")


def _password(client, username):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": PASSWORD, "next": reverse("admin:index")},
        REMOTE_ADDR="203.0.113.20",
    )


def _open_and_sign_in(client, token, username):
    """Open the link, then the password: the enrolment page with its key, or what replaces it."""
    client.get(reverse("admin:login_invitation", args=[token]))
    _password(client, username)
    return client.get(reverse("admin:login_enrol"))


def _shows_a_key(page) -> bool:
    return 'id="manual-key"' in page.content.decode()


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_valid_link_binds_the_device_once(client, clock, user):
    invitation, token = _invite(user)
    page = _open_and_sign_in(client, token, user.username)
    assert _shows_a_key(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(reverse("admin:login_enrol"), {"code": code_for(device)})
    assert "hanya ditampilkan sekali" in done.content.decode() and _signed_in(client)
    invitation.refresh_from_db()
    assert invitation.used_at == timezone.now() and invitation.device_id == device.pk

    # Used once: the same link, in another browser, is refused and binds nothing.
    other = client.__class__()
    again = other.get(reverse("admin:login_invitation", args=[token]))
    assert again.status_code == 404
    assert "Tautan pendaftaran tidak berlaku" in again.content.decode()
    assert _password(other, user.username)["Location"] == reverse("admin:login_otp")
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_link_opened_twice_before_use_binds_only_one_device(client, clock, user):
    _invitation, token = _invite(user)
    first, second = client, client.__class__()
    assert _shows_a_key(_open_and_sign_in(first, token, user.username))
    assert _shows_a_key(_open_and_sign_in(second, token, user.username))
    device = TOTPDevice.objects.get(user=user)  # one key for the invitation, whoever opens it
    assert first.post(reverse("admin:login_enrol"), {"code": code_for(device)}).status_code == 200
    clock.shift(30)
    late = second.post(reverse("admin:login_enrol"), {"code": code_for(device)})
    # The second session's enrolment is over: the device is bound, the code step follows.
    assert late["Location"] == reverse("admin:login_otp") and not _signed_in(second)


def test_an_expired_link_is_refused(client, clock, user):
    _invitation, token = _invite(user)
    clock.shift(24 * 3600 - 1)
    assert client.get(reverse("admin:login_invitation", args=[token])).status_code == 302
    clock.shift(1)  # 24 hours after it was made
    refused = client.get(reverse("admin:login_invitation", args=[token]))
    assert refused.status_code == 404
    # Opened in time but confirmed too late: no key is shown any more, nothing is bound.
    _password(client, user.username)
    page = client.get(reverse("admin:login_enrol"))
    assert not _shows_a_key(page)
    assert "Minta administrator portal membuatkan tautan pendaftaran" in page.content.decode()


def test_a_link_expiring_during_enrolment_binds_nothing(client, clock, user):
    _invitation, token = _invite(user)
    clock.shift(24 * 3600 - 60)
    assert _shows_a_key(_open_and_sign_in(client, token, user.username))
    device = TOTPDevice.objects.get(user=user)
    clock.shift(60)
    response = client.post(reverse("admin:login_enrol"), {"code": code_for(device)})
    assert response.status_code == 200 and not _shows_a_key(response)
    assert "Minta administrator portal membuatkan tautan pendaftaran" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed and not _signed_in(client)


def test_accepting_a_link_used_meanwhile_is_refused(user, clock):
    from django.core.exceptions import ValidationError

    invitation, _token = _invite(user)
    device = invitations.enrolling_device(invitation)
    EnrolmentInvitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now())
    with pytest.raises(ValidationError, match="sudah tidak berlaku"):
        invitations.invitation_accept(
            invitation=invitation, code=code_for(device), now=timezone.now()
        )
    device.refresh_from_db()
    assert not device.confirmed


def test_the_link_of_one_account_does_not_enrol_another(client, clock, user):
    other = staff_member(Agency.objects.get(slug="pasuruan"), username="petugas-lain")
    _invitation, token = _invite(user)
    page = _open_and_sign_in(client, token, other.username)
    assert not _shows_a_key(page)
    assert not TOTPDevice.objects.filter(user=other).exists()


def test_an_unknown_or_overlong_token_is_refused(client, clock, user):
    _invite(user)
    for token in ("x" * 43, "y" * 5000):
        assert client.get(reverse("admin:login_invitation", args=[token])).status_code == 404


def test_only_the_hash_of_the_token_is_stored(user, clock):
    invitation, token = _invite(user)
    assert len(token) >= 43  # 256 random bits
    stored = EnrolmentInvitation.objects.values().get(pk=invitation.pk)
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert not any(token in str(value) for value in stored.values())
    assert invitation.expires_at == timezone.now() + invitations.VALID_FOR


def test_a_new_link_voids_the_earlier_one_and_its_key(client, clock, user):
    _first, old_token = _invite(user)
    assert _shows_a_key(_open_and_sign_in(client, old_token, user.username))
    old_key = TOTPDevice.objects.get(user=user).key
    _second, new_token = _invite(user)
    assert (
        client.__class__().get(reverse("admin:login_invitation", args=[old_token])).status_code
        == 404
    )
    fresh = client.__class__()
    assert _shows_a_key(_open_and_sign_in(fresh, new_token, user.username))
    assert TOTPDevice.objects.get(user=user).key != old_key


def test_an_enrolled_account_gets_no_link(user, clock):
    TOTPDevice.objects.create(user=user, name="Aplikasi autentikator", confirmed=True)
    with pytest.raises(Exception, match="sudah memiliki aplikasi autentikator"):
        _invite(user)


# ---------------------------------------------------------------- the admin


@pytest.fixture
def superuser_client(client, settings):
    settings.PORTAL_STAFF_2FA = False  # the admin's own sign-in is tested in test_two_factor
    root = UserFactory(username="akar", is_staff=True, is_superuser=True)
    client.force_login(root)
    return client


def test_the_superuser_makes_a_link_shown_once(superuser_client, clock, user, settings):
    add = reverse("admin:portal_enrolmentinvitation_add")
    form = superuser_client.get(add)
    assert form.status_code == 200 and "petugas-baru" in form.content.decode()
    shown = superuser_client.post(add, {"user": user.pk})
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    link = re.search(r'id="invitation-link">([^<]+)<', shown.content.decode()).group(1)
    invitation = EnrolmentInvitation.objects.get(user=user)
    assert invitation.created_by.username == "akar"
    listed = superuser_client.get(reverse("admin:portal_enrolmentinvitation_changelist"))
    assert listed.status_code == 200 and "petugas-baru" in listed.content.decode()
    assert invitation.token_hash not in listed.content.decode()

    settings.PORTAL_STAFF_2FA = True
    browser = superuser_client.__class__()
    browser.get(_path(link))
    _password(browser, user.username)
    assert _shows_a_key(browser.get(reverse("admin:login_enrol")))


def test_the_superuser_emails_a_link(
    superuser_client, clock, user, settings, django_capture_on_commit_callbacks
):
    add = reverse("admin:portal_enrolmentinvitation_add")
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(add, {"user": user.pk, "send": "on"})
    assert response["Location"] == reverse("admin:portal_enrolmentinvitation_changelist")
    (message,) = sent_mail.outbox
    assert message.to == [user.email] and "verifikasi dua langkah" in message.subject
    link = re.search(r"http://\S+/undangan-2fa/\S+/", message.body).group(0)
    assert "berlaku sampai 5 November 2025 09:00 WIB" in message.body
    row = OutboundEmail.objects.get()
    assert row.sent_at is not None and row.params == {"invitation": row.params["invitation"]}

    settings.PORTAL_STAFF_2FA = True
    browser = superuser_client.__class__()
    browser.get(_path(link))
    _password(browser, user.username)
    assert _shows_a_key(browser.get(reverse("admin:login_enrol")))


def test_staff_other_than_the_superuser_make_no_links(client, settings, user):
    settings.PORTAL_STAFF_2FA = False
    official = staff_member(Agency.objects.get(slug="pasuruan"), username="petugas-biasa")
    client.force_login(official)
    assert client.get(reverse("admin:portal_enrolmentinvitation_add")).status_code == 403
    assert (
        client.post(reverse("admin:portal_enrolmentinvitation_add"), {"user": user.pk}).status_code
        == 403
    )
    assert not EnrolmentInvitation.objects.exists()


# ---------------------------------------------------------------- the operator's command


def test_the_command_prints_the_link_on_its_last_line(client, clock, user):
    out = StringIO()
    call_command("two_factor_invite", user.username, stdout=out)
    link = out.getvalue().strip().splitlines()[-1]
    assert link.startswith("http://127.0.0.1:8000/admin/login/undangan-2fa/")
    client.get(_path(link))
    _password(client, user.username)
    assert _shows_a_key(client.get(reverse("admin:login_enrol")))


def test_the_command_refuses_an_enrolled_or_unknown_account(user, clock):
    TOTPDevice.objects.create(user=user, name="Aplikasi autentikator", confirmed=True)
    with pytest.raises(CommandError, match="reset|Atur ulang"):
        call_command("two_factor_invite", user.username, stdout=StringIO())
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("two_factor_invite", "tidak-ada", stdout=StringIO())
