"""Admin login throttling (django-axes): 5 wrong passwords per username and address lock out."""

import pytest
import time_machine
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-uji-123"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(client, username, password, address="203.0.113.10"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_then_the_right_one_is_refused(client):
    UserFactory(username="petugas-kunci")
    with time_machine.travel("2025-03-03T09:00:00+07:00", tick=False) as clock:
        statuses = [_login(client, "petugas-kunci", "salah").status_code for _ in range(5)]
        assert statuses == [200, 200, 200, 200, 429]
        refused = _login(client, "petugas-kunci", PASSWORD)
        assert refused.status_code == 429 and not _logged_in(client)
        html = refused.content.decode()
        assert "Akun dikunci sementara" in html and "Coba lagi setelah 15 menit" in html
        assert refused["Retry-After"] == "900"
        assert refused.has_header("Content-Security-Policy")

        # The lock is per username and address: the same user from elsewhere, and another user
        # from here, can still sign in.
        elsewhere = client.__class__()
        assert _login(elsewhere, "petugas-kunci", PASSWORD, "198.51.100.4").status_code == 302
        UserFactory(username="petugas-lain")
        neighbour = client.__class__()
        assert _login(neighbour, "petugas-lain", PASSWORD).status_code == 302

        # 15 minutes after the last try, the right password works again.
        clock.shift(15 * 60 + 1)
        assert _login(client, "petugas-kunci", PASSWORD).status_code == 302
        assert _logged_in(client)


def test_a_successful_login_clears_the_failures(client):
    UserFactory(username="petugas-lupa")
    for _ in range(4):
        _login(client, "petugas-lupa", "salah")
    assert _login(client, "petugas-lupa", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "petugas-lupa", "salah").status_code == 200
    assert _login(client, "petugas-lupa", PASSWORD).status_code == 302


def test_wrong_password_page_stays_the_admin_form(client):
    UserFactory(username="petugas-salah")
    html = _login(client, "petugas-salah", "salah").content.decode()
    assert 'name="password"' in html and not _logged_in(client)
